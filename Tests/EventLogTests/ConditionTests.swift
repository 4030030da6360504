import Foundation
import SQLite
import XCTest
@testable import EventLog

private func event(_ id: String, _ zaak: String) -> LogRecord {
    LogRecord(id: id, zaak: zaak, json: #"{"type":"NotitieToegevoegd","data":{"tekst":"teruggebeld"}}"#)
}

private func expecting(_ zaak: String, at position: Int64) -> [StreamCondition] {
    [StreamCondition(zaak: zaak, lastPosition: position)]
}

/// Optimistic concurrency per zaak: an append can require that the zaak's last event is still the
/// one the caller read. A failed condition writes nothing and says where the zaak is now.
final class ConditionTests: XCTestCase {
    /// The conflict `body` was refused with (nil, and a failed test, when it was not refused with one).
    private func conflict(_ body: @autoclosure () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> StreamConflict? {
        do {
            _ = try body()
            XCTFail("expected a conflict", file: file, line: line)
        } catch let error as LogError {
            XCTAssertEqual(error.kind, .conflict, "\(error)", file: file, line: line)
            XCTAssertTrue(error.message.hasSuffix("; er is niets geschreven"), error.message, file: file, line: line)
            XCTAssertNotNil(error.conflict, file: file, line: line)
            return error.conflict
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func testANewZaakCanBeStartedOnlyOnce() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append(records(1...3))
        let zaak = "Z-2026-000100"
        XCTAssertEqual(try log.lastPosition(ofZaak: zaak), 0)
        XCTAssertEqual(try log.append([event("a-1", zaak)], conditions: expecting(zaak, at: 0)),
                       [AppendResult(position: 4, alreadyPresent: false)])
        let bytes = readBytes(segmentPaths(directory)[0])
        let root = try log.verify().root

        // A second caller who also saw no events for the zaak.
        XCTAssertThrowsError(try log.append([event("b-1", zaak)], conditions: expecting(zaak, at: 0))) { error in
            let error = error as! LogError
            XCTAssertEqual(error.kind, .conflict)
            XCTAssertEqual(error.conflict, StreamConflict(zaak: zaak, expectedLastPosition: 0, actualLastPosition: 4))
            XCTAssertNil(error.damage)
            XCTAssertEqual(error.message, "zaak Z-2026-000100 is intussen gewijzigd: laatste gebeurtenis op positie 4, verwacht nog geen gebeurtenissen; er is niets geschreven")
        }
        XCTAssertEqual(readBytes(segmentPaths(directory)[0]), bytes, "not a byte written")
        XCTAssertEqual(try log.verify().root, root)
        XCTAssertEqual(try log.lastPosition(), 4)
        XCTAssertEqual(try log.lastPosition(ofZaak: zaak), 4)
        XCTAssertNil(try log.position(ofId: "b-1"))
        XCTAssertEqual(try log.position(ofId: "a-1"), 4)
    }

    func testTheExpectationMustBeTheZaaksLastEvent() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        let zaak = "Z-2026-000042"
        // record(n) is for zaak n % 97: this zaak has events at 42, 51 and 57.
        try log.append((1...57).map { record($0, zaak: [51, 57].contains($0) ? zaak : nil) })
        XCTAssertEqual(try log.lastPosition(ofZaak: zaak), 57)

        // Someone read the zaak when its last event was 51; 57 came after.
        XCTAssertThrowsError(try log.append([event("a-1", zaak)], conditions: expecting(zaak, at: 51))) { error in
            XCTAssertEqual((error as? LogError)?.message,
                           "zaak Z-2026-000042 is intussen gewijzigd: laatste gebeurtenis op positie 57, verwacht 51; er is niets geschreven")
        }
        XCTAssertEqual(conflict(try log.append([event("a-1", zaak)], conditions: expecting(zaak, at: 60))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 60, actualLastPosition: 57))
        XCTAssertEqual(conflict(try log.append([event("a-1", "Z-2026-000500")], conditions: expecting("Z-2026-000500", at: 3))),
                       StreamConflict(zaak: "Z-2026-000500", expectedLastPosition: 3, actualLastPosition: 0))
        XCTAssertEqual(try log.lastPosition(), 57)

        // Two zaken in one batch (a transfer): one stale condition and neither is written.
        let other = "Z-2026-000007"
        XCTAssertEqual(try log.lastPosition(ofZaak: other), 7)
        XCTAssertEqual(conflict(try log.append([event("t-1", zaak), event("t-2", other)],
                                               conditions: expecting(other, at: 7) + expecting(zaak, at: 51))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 51, actualLastPosition: 57))
        XCTAssertEqual(try log.lastPosition(), 57, "nothing of the batch is written")
        XCTAssertNil(try log.position(ofId: "t-2"))

        XCTAssertEqual(try log.append([event("t-1", zaak), event("t-2", other)], conditions: expecting(other, at: 7) + expecting(zaak, at: 57)).map(\.position),
                       [58, 59])
        XCTAssertEqual(try log.events(ofZaak: zaak).map(\.position), [42, 51, 57, 58])
        XCTAssertEqual(try log.lastPosition(ofZaak: other), 59)
        // A batch without conditions is not checked, and a negative expectation is refused outright.
        XCTAssertEqual(try log.append([event("x-1", zaak)]).map(\.position), [60])
        XCTAssertThrowsError(try log.append([event("x-2", zaak)], conditions: expecting(zaak, at: -1))) { error in
            XCTAssertEqual((error as? LogError)?.kind, .invalidRecord)
        }
    }

    func testARetryOfAWrittenBatchIsNotAConflict() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append(records(1...3))
        let zaak = "Z-2026-000100"
        let batch = [event("a-1", zaak), event("a-2", zaak)]
        XCTAssertEqual(try log.append(batch, conditions: expecting(zaak, at: 0)).map(\.position), [4, 5])
        try log.append([event("b-1", zaak)])

        // The client never saw the acknowledgement and sends the batch again: its condition is stale
        // now, but the batch is in the log, so it gets its positions back.
        XCTAssertEqual(try log.append(batch, conditions: expecting(zaak, at: 0)),
                       [AppendResult(position: 4, alreadyPresent: true), AppendResult(position: 5, alreadyPresent: true)])
        // Only partly in the log is not a retry: the condition decides.
        XCTAssertEqual(conflict(try log.append(batch + [event("a-3", zaak)], conditions: expecting(zaak, at: 5))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 5, actualLastPosition: 6))
        XCTAssertEqual(try log.lastPosition(), 6)
    }

    /// Lines before the index's high-water mark are found through the index (confirmed against the
    /// log), the ones after it from the writer's memory; a new instance starts with only the index.
    func testConditionsAcrossTheIndexHighWaterMarkAndReopening() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 4)
        let (a, b, c, d) = ("Z-2026-000001", "Z-2026-000002", "Z-2026-000003", "Z-2026-000004")
        func check(_ log: EventLog, _ lasts: [(String, Int64)], _ message: String) {
            for (zaak, last) in lasts {
                XCTAssertEqual(conflict(try log.append([event("nee-\(zaak)", zaak)], conditions: expecting(zaak, at: last + 1))),
                               StreamConflict(zaak: zaak, expectedLastPosition: last + 1, actualLastPosition: last), "\(zaak) \(message)")
                XCTAssertEqual(try log.lastPosition(ofZaak: zaak), last, "\(zaak) \(message)")
            }
        }
        do {
            let log = try EventLog(directory: directory, configuration: configuration)
            try log.append([event("a-1", a), event("a-2", a)])
            try log.append([event("b-1", b), event("b-2", b)])  // the checkpoint after 4 lines flushes the index
            try log.append([event("c-1", c)])
            XCTAssertEqual(try log.index.indexedThrough, 4)
            check(log, [(a, 2), (b, 4), (c, 5), (d, 0)], "half indexed")
            XCTAssertEqual(try log.append([event("a-3", a)], conditions: expecting(a, at: 2)).map(\.position), [6])
            check(log, [(a, 6)], "after an append from memory")
            XCTAssertEqual(try log.append([event("d-1", d), event("d-2", d)], conditions: expecting(d, at: 0)).map(\.position), [7, 8])
            XCTAssertEqual(try log.index.indexedThrough, 8)
            check(log, [(a, 6), (b, 4), (c, 5), (d, 8)], "all indexed")
        }
        for dropIndex in [false, true] {
            if dropIndex {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/index.sqlite" + suffix) }
            }
            let log = try EventLog(directory: directory, configuration: configuration)
            // The writer resumes from the checkpoint before the last (to check the last): a rebuilt
            // index covers the lines up to that one, the rest are read into memory.
            XCTAssertEqual(try log.index.indexedThrough, dropIndex ? 4 : 8, "rebuilt up to the checkpoint before the last")
            check(log, [(a, 6), (b, 4), (c, 5), (d, 8)], "reopened, drop index: \(dropIndex)")
        }
        let log = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try log.append([event("b-3", b)], conditions: expecting(b, at: 4)).map(\.position), [9])
    }

    /// Another writer (another process, here another instance) appended: the check sees it.
    func testConditionsSeeAnotherWritersAppends() throws {
        let directory = temporaryDirectory(self)
        let first = try EventLog(directory: directory, configuration: testConfiguration())
        let second = try EventLog(directory: directory, configuration: testConfiguration())
        let reader = try LogReader(directory: directory, configuration: testConfiguration())
        let zaak = "Z-2026-000100"
        XCTAssertEqual(try first.append([event("a-1", zaak)], conditions: expecting(zaak, at: 0)).map(\.position), [1])
        XCTAssertEqual(conflict(try second.append([event("b-1", zaak)], conditions: expecting(zaak, at: 0))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 0, actualLastPosition: 1))
        XCTAssertEqual(try second.append([event("b-1", zaak)], conditions: expecting(zaak, at: 1)).map(\.position), [2])
        XCTAssertEqual(conflict(try first.append([event("a-2", zaak)], conditions: expecting(zaak, at: 1))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 1, actualLastPosition: 2))
        XCTAssertEqual(try reader.lastPosition(ofZaak: zaak), 2)
        XCTAssertEqual(try reader.position(ofId: "b-1"), 2)
        XCTAssertNil(try reader.position(ofId: "a-2"))
    }

    /// Holds the first fsync after `arm()` until `release`, so that appends queue up behind it.
    final class SyncGate: @unchecked Sendable {
        private let lock = NSLock()
        private var armed = false
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)

        func arm() { lock.withLock { armed = true } }

        var calls: FileSystemCalls {
            FileSystemCalls(write: FileSystemCalls.system.write, sync: { fd in
                let hold = self.lock.withLock { defer { self.armed = false }; return self.armed }
                if hold {
                    self.entered.signal()
                    self.release.wait()
                }
                return FileSystemCalls.system.sync(fd)
            })
        }
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var positions: [Int64] = []
        private(set) var conflicts: [StreamConflict] = []
        private(set) var others: [String] = []

        func add(_ body: () throws -> [AppendResult]) {
            do {
                let results = try body()
                lock.withLock { positions += results.map(\.position) }
            } catch let error as LogError where error.kind == .conflict {
                lock.withLock { conflicts.append(error.conflict!) }
            } catch {
                lock.withLock { others.append("\(error)") }
            }
        }
    }

    func testOfSixteenConcurrentAppendsExpectingTheSameEventOneWins() throws {
        let directory = temporaryDirectory(self)
        let gate = SyncGate()
        var configuration = testConfiguration()
        configuration.calls = gate.calls
        let log = try EventLog(directory: directory, configuration: configuration)
        let zaak = "Z-2026-000100"
        try log.append(records(1...3) + [event("a-0", zaak)])

        // Another zaak's append holds the writer in its fsync while the sixteen queue up behind it:
        // they are then committed together, in one frame.
        gate.arm()
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) { _ = try? log.append([event("y-1", "Z-2026-000200")]) }
        XCTAssertEqual(gate.entered.wait(timeout: .now() + 60), .success)
        let outcomes = Outcomes()
        for thread in 0..<16 {
            done.enter()
            Thread.detachNewThread {
                outcomes.add { try log.append([event("t-\(thread)", zaak)], conditions: expecting(zaak, at: 4)) }
                done.leave()
            }
        }
        Thread.sleep(forTimeInterval: 0.3)
        gate.release.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success)

        XCTAssertEqual(outcomes.others, [])
        XCTAssertEqual(outcomes.positions, [6], "exactly one wins")
        XCTAssertEqual(outcomes.conflicts, Array(repeating: StreamConflict(zaak: zaak, expectedLastPosition: 4, actualLastPosition: 6), count: 15))
        XCTAssertEqual(try allEntries(log).count, 6, "one new line for the zaak")
        XCTAssertEqual(try log.events(ofZaak: zaak).map(\.position), [4, 6])
        XCTAssertEqual(try log.verify().events, 6)
    }

    /// Batches committed together share a frame; each is checked against the ones before it, and a
    /// conflicting one leaves the others alone.
    func testBatchesOfOneGroupCommitAreCheckedInOrder() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append(records(1...3))
        let framesBefore = frames(of: segmentPaths(directory)[0]).count
        let (zaak, other) = ("Z-2026-000100", "Z-2026-000200")
        let results = try log.withExclusiveWriter { writer in
            try writer.commit([
                .init(records: [event("a-1", zaak)], conditions: expecting(zaak, at: 0)),
                .init(records: [event("b-1", zaak)], conditions: expecting(zaak, at: 0)),
                .init(records: [event("c-1", zaak), event("c-2", other)], conditions: expecting(zaak, at: 4) + expecting(other, at: 0)),
                .init(records: [event("d-1", other)], conditions: expecting(other, at: 0)),
                .init(records: [event("a-1", zaak)], conditions: expecting(zaak, at: 0)),
            ])
        }
        XCTAssertEqual(try results[0].get(), [AppendResult(position: 4, alreadyPresent: false)])
        XCTAssertThrowsError(try results[1].get()) { error in
            XCTAssertEqual((error as? LogError)?.conflict, StreamConflict(zaak: zaak, expectedLastPosition: 0, actualLastPosition: 4))
        }
        XCTAssertEqual(try results[2].get().map(\.position), [5, 6])
        XCTAssertThrowsError(try results[3].get()) { error in
            XCTAssertEqual((error as? LogError)?.conflict, StreamConflict(zaak: other, expectedLastPosition: 0, actualLastPosition: 6))
        }
        XCTAssertEqual(try results[4].get(), [AppendResult(position: 4, alreadyPresent: true)], "a retry within the group")
        XCTAssertEqual(frames(of: segmentPaths(directory)[0]).count, framesBefore + 1, "one frame")
        XCTAssertEqual(try allEntries(log).map(\.id), ["e-1", "e-2", "e-3", "a-1", "c-1", "c-2"])
    }

    /// Zaken are indexed by 64-bit fingerprints; rows of another zaak with the same fingerprint
    /// must neither invent a later event nor hide the real last one.
    func testAFingerprintCollisionNeitherCausesNorHidesAConflict() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 4)
        let zaak = "Z-2026-000100"
        do {
            let log = try EventLog(directory: directory, configuration: configuration)
            try log.append(records(1...20))
            try log.append([event("a-1", zaak)] + records(22...24))
            XCTAssertEqual(try log.index.indexedThrough, 24)
        }
        // As if line 23 (another zaak) were this zaak's, and line 7 an event of a zaak that has none.
        let database = try Database(path: directory + "/index.sqlite")
        try database.execute("INSERT INTO streams VALUES(\(LogIndex.fingerprint(zaak)), 23)")
        try database.execute("INSERT INTO streams VALUES(\(LogIndex.fingerprint("Z-2026-000300")), 7)")

        let log = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(conflict(try log.append([event("b-1", zaak)], conditions: expecting(zaak, at: 0))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 0, actualLastPosition: 21))
        XCTAssertEqual(conflict(try log.append([event("b-1", zaak)], conditions: expecting(zaak, at: 23))),
                       StreamConflict(zaak: zaak, expectedLastPosition: 23, actualLastPosition: 21))
        XCTAssertEqual(try log.lastPosition(ofZaak: zaak), 21)
        XCTAssertEqual(try log.lastPosition(ofZaak: "Z-2026-000300"), 0)
        XCTAssertEqual(try log.append([event("b-1", zaak)], conditions: expecting(zaak, at: 21)).map(\.position), [25])
        XCTAssertEqual(try log.append([event("n-1", "Z-2026-000300")], conditions: expecting("Z-2026-000300", at: 0)).map(\.position), [26])
    }
}
