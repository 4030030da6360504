import Foundation
import SQLite
import XCTest
@testable import EventLog

/// The derived index stores fingerprints; a collision must cost a read of the log, never a wrong answer.
final class IndexTests: XCTestCase {
    func testFingerprintCollisionsAreConfirmedAgainstTheLog() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 10)
        let log = try EventLog(directory: directory, configuration: configuration)
        try log.append(records(1...20))
        XCTAssertEqual(try log.index.indexedThrough, 20)

        // Plant rows as if "e-new" and zaak "Z-other" had the fingerprints of position 7's id and zaak.
        let database = try Database(path: directory + "/index.sqlite")
        try database.execute("INSERT INTO ids VALUES(\(LogIndex.fingerprint("e-new")), 7)")
        try database.execute("INSERT INTO streams VALUES(\(LogIndex.fingerprint("Z-other")), 7)")

        let reopened = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try reopened.append([LogRecord(id: "e-new", zaak: "Z-other", json: "{}")]),
                       [AppendResult(position: 21, alreadyPresent: false)], "a colliding id is not a retry")
        XCTAssertEqual(try reopened.append([record(7)]), [AppendResult(position: 7, alreadyPresent: true)])
        XCTAssertEqual(try reopened.events(ofZaak: "Z-other").map(\.position), [21], "a colliding zaak's event is not listed")
    }

    /// A lookup resumes at the indexed frame and reads only the header and the bytes from there: the
    /// same bytes as a whole read, and the same events from every position.
    func testResumingReadsTheHeaderAndTheTailOnly() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 10))
        for start in stride(from: 1, through: 291, by: 10) { try log.append(records(start...(start + 9))) }
        let segment = try XCTUnwrap(try log.segments().last)
        let whole = try log.readSegment(segment)
        let dataFrames = frames(of: directory + "/" + segment.fileName).filter { $0.kind != .metadata }
        XCTAssertGreaterThan(dataFrames.count, 20)
        let header = try XCTUnwrap(frames(of: directory + "/" + segment.fileName).first)
        for frame in dataFrames {
            let partial = try log.readSegment(segment, resumingAt: frame.start)
            XCTAssertEqual(partial.count, whole.count)
            XCTAssertEqual(partial[..<header.end], whole[..<header.end], "the header is read")
            XCTAssertEqual(partial[frame.start...], whole[frame.start...], "everything from the frame on is read")
        }
        // Past the end, and inside the header: read whole.
        XCTAssertEqual(try log.readSegment(segment, resumingAt: whole.count), whole)
        XCTAssertEqual(try log.readSegment(segment, resumingAt: header.end - 1), whole)
        for position in stride(from: Int64(1), through: 300, by: 7) {
            var read: [Int64] = []
            try log.read(from: position) { read.append($0.position); return true }
            XCTAssertEqual(read, Array(position...300))
            let zaak = position % 97  // record(n) belongs to zaak n % 97
            XCTAssertEqual(try log.events(ofZaak: "Z-2026-\(String(format: "%06d", zaak))").map(\.position),
                           (1...300).filter { $0 % 97 == zaak })
        }
    }

    func testAnIndexOfAnotherSchemaIsRebuilt() throws {
        let directory = temporaryDirectory(self)
        try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 10)).append(records(1...20))
        let database = try Database(path: directory + "/index.sqlite")
        try database.execute("PRAGMA user_version = 1")
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        XCTAssertEqual(try log.append([record(3)]), [AppendResult(position: 3, alreadyPresent: true)])
        XCTAssertEqual(try log.events(ofZaak: "Z-2026-000003").map(\.position), [3])
    }

    /// A reader skips its index catch-up while the log does not grow; it must still see every line
    /// another writer appends after that, across a segment roll, and `before` must cut exactly.
    func testALongLivedReaderSeesEveryLaterAppend() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 10)
        try EventLog(directory: directory, configuration: configuration).append(records(1...150))
        let reader = try LogReader(directory: directory, configuration: configuration)
        let zaak = "Z-2026-000005"  // record(n) belongs to zaak n % 97
        XCTAssertEqual(try reader.events(ofZaak: zaak).map(\.position), [5, 102])
        XCTAssertEqual(try reader.events(ofZaak: zaak).map(\.position), [5, 102], "asked again, nothing new")
        let writer = try EventLog(directory: directory, configuration: configuration)
        try writer.append(records(151...199))
        XCTAssertEqual(try reader.events(ofZaak: zaak).map(\.position), [5, 102, 199])
        try writer.rollActiveSegment()
        try writer.append(records(200...300))
        XCTAssertEqual(try reader.events(ofZaak: zaak).map(\.position), [5, 102, 199, 296])
        XCTAssertEqual(try reader.events(ofZaak: zaak, before: 199).map(\.position), [5, 102])
        XCTAssertEqual(try reader.events(ofZaak: zaak, before: 200).map(\.position), [5, 102, 199])
        XCTAssertEqual(try reader.events(ofZaak: zaak, before: 1).map(\.position), [])
    }

    /// A reader indexes in memory what the writer has not indexed yet; when the writer's index
    /// then takes the same lines, each is still listed once (found by the browser tests: a running
    /// server showed a terugkoppeling twice after the next append on another zaak).
    func testWhatAReaderIndexedItselfIsListedOnceWhenTheWritersIndexHasItToo() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 10)
        let writer = try EventLog(directory: directory, configuration: configuration)
        try writer.append(records(1...10))
        let reader = try LogReader(directory: directory, configuration: configuration)
        let zaak = "Z-2026-000005"
        // The writer writes its index at each checkpoint (every 10 lines here): rounds 0–4 are read
        // before it has them, and it takes them at position 20.
        for (round, number) in (11...22).enumerated() {
            try writer.append([record(number, zaak: zaak)])
            let mine = [Int64(5)] + (0...round).map { Int64(11 + 2 * $0) }
            XCTAssertEqual(try reader.events(ofZaak: zaak).map(\.position), mine)
            try writer.append([record(100 + number, zaak: "Z-2026-000006")])
            XCTAssertEqual(try reader.events(ofZaak: zaak).map(\.position), mine, "round \(round)")
            XCTAssertEqual(try reader.events(ofZaak: "Z-2026-000006").map(\.position), [Int64(6)] + (0...round).map { Int64(12 + 2 * $0) })
        }
    }

    /// A large commit leaves its index rows to the flusher's thread. Until they are committed, its
    /// lines are found in memory: here the flusher is held up by another connection's write lock,
    /// and retries, conditions and new appends are answered right meanwhile. Closing the log waits
    /// for the rows.
    func testALargeCommitsLinesAreFoundWhileTheirIndexRowsAreOnTheirWay() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 100)
        var log: EventLog? = try EventLog(directory: directory, configuration: configuration)
        try log!.append(records(1...10))
        let blocker = try Database(path: directory + "/index.sqlite")
        try blocker.execute("BEGIN IMMEDIATE")

        let batch = records(11...210)
        XCTAssertGreaterThanOrEqual(batch.count, EventLog.Writer.backgroundFlushLines)
        let first = try log!.append(batch)
        XCTAssertEqual(first.map(\.position), Array(11...210))
        XCTAssertEqual(log!.writer!.flusher.pending.map(\.count), [210], "the rows wait behind the other connection")
        XCTAssertEqual(try log!.index.indexedThrough, 0)

        XCTAssertEqual(try log!.append(batch), first.map { AppendResult(position: $0.position, alreadyPresent: true) })
        XCTAssertEqual(try log!.append([record(150)]), [AppendResult(position: 150, alreadyPresent: true)])
        let zaak = record(200).zaak  // its last event is at position 200
        XCTAssertThrowsError(try log!.append([record(300, zaak: zaak)], conditions: [StreamCondition(zaak: zaak, lastPosition: 103)])) {
            XCTAssertEqual(($0 as? LogError)?.kind, .conflict)
        }
        XCTAssertEqual(try log!.append([record(301, zaak: zaak)], conditions: [StreamCondition(zaak: zaak, lastPosition: 200)]),
                       [AppendResult(position: 211, alreadyPresent: false)])

        try blocker.execute("COMMIT")
        log = nil  // waits for the flusher
        let index = try LogIndex(path: directory + "/index.sqlite")
        XCTAssertEqual(try index.indexedThrough, 210)
        XCTAssertEqual(try index.candidates(ofId: "e-150"), [150])
        let reopened = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try reopened.append(records(1...210)).filter { !$0.alreadyPresent }, [])
        XCTAssertEqual(try reopened.events(ofZaak: zaak).map(\.position).suffix(2), [200, 211])
    }
}
