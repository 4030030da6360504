import Foundation
import XCTest
@testable import EventLog

final class AppendTests: XCTestCase {
    func testAppendSealReopenReadRoundTrip() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(rollBytes: 4_000, sealedBlockBytes: 3_000)
        var written: [LogRecord] = []
        do {
            let log = try EventLog(directory: directory, configuration: configuration)
            for batch in 0..<30 {
                let batchRecords = records((batch * 7 + 1)...(batch * 7 + 7))
                XCTAssertEqual(try log.append(batchRecords).map(\.position), (Int64(batch * 7 + 1)...Int64(batch * 7 + 7)).map { $0 })
                written += batchRecords
            }
        }
        let before = try LogReader(directory: directory, configuration: configuration)
        let linesBefore = try allEntries(before).map(\.line)
        let rootBefore = try before.verify().root

        let sealer = try EventLog(directory: directory, configuration: configuration)
        try sealer.rollActiveSegment()
        let reports = try sealer.sealClosedSegments()
        XCTAssertGreaterThan(reports.count, 2)
        XCTAssertTrue(segmentPaths(directory).dropLast().allSatisfy { $0.hasSuffix(".sealed.lz4") })

        let reopened = try EventLog(directory: directory, configuration: configuration)
        let entries = try allEntries(reopened)
        XCTAssertEqual(entries.map(\.line), linesBefore, "sealing changes no line")
        XCTAssertEqual(entries.map(\.position), Array(1...210))
        XCTAssertEqual(entries.map(\.id), written.map(\.id))
        XCTAssertEqual(try reopened.verify().root, rootBefore, "sealing changes no hash")
        // The body comes back after the envelope, byte for byte.
        let first = String(decoding: entries[0].line, as: UTF8.self)
        XCTAssertTrue(first.hasPrefix(#"{"positie":1,"id":"e-1","zaak":"Z-2026-000001","vastgelegdOp":"2026-11-02T09:00:00."#), first)
        XCTAssertTrue(first.hasSuffix(#","type":"GesprekGevoerd","versie":1,"data":{"kanaal":"telefoon","wachttijdSeconden":1}}"#), first)
        // Appending continues after the sealed segments.
        XCTAssertEqual(try reopened.append([record(999)]).map(\.position), [211])
    }

    func testReadFromAnyPositionAndOneZaak() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(rollBytes: 3_000, sealedBlockBytes: 2_000))
        for batch in 0..<20 { try log.append(records((batch * 10 + 1)...(batch * 10 + 10))) }
        try log.rollActiveSegment()
        try log.sealClosedSegments()
        try log.append(records(201...210))
        for start in [1, 2, 57, 100, 199, 200, 201, 210] as [Int64] {
            var positions: [Int64] = []
            try log.read(from: start) { positions.append($0.position); return true }
            XCTAssertEqual(positions, Array(start...210), "from \(start)")
        }
        var none: [Int64] = []
        try log.read(from: 211) { none.append($0.position); return true }
        XCTAssertEqual(none, [])
        let zaak = "Z-2026-000005"
        let expected = (1...210).filter { $0 % 97 == 5 }.map(Int64.init)
        XCTAssertEqual(try log.events(ofZaak: zaak).map(\.position), expected)
        XCTAssertTrue(try log.events(ofZaak: zaak).allSatisfy { $0.zaak == zaak })
        XCTAssertEqual(try log.events(ofZaak: "Z-onbekend").count, 0)
        XCTAssertEqual(try log.lastPosition(), 210)
    }

    func testRetriedAppendIsIdempotent() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        let first = try log.append(records(1...5))
        XCTAssertTrue(first.allSatisfy { !$0.alreadyPresent })
        // The same batch again (a client retrying after a time-out): nothing new, same positions.
        XCTAssertEqual(try log.append(records(1...5)), (1...5).map { AppendResult(position: Int64($0), alreadyPresent: true) })
        // A batch mixing old and new ids writes only the new ones; a repeat inside a batch, once.
        let mixed = try log.append([record(3), record(6), record(6), record(7)])
        XCTAssertEqual(mixed, [AppendResult(position: 3, alreadyPresent: true), AppendResult(position: 6, alreadyPresent: false),
                               AppendResult(position: 6, alreadyPresent: true), AppendResult(position: 7, alreadyPresent: false)])
        XCTAssertEqual(try allEntries(log).map(\.id), (1...7).map { "e-\($0)" })
    }

    func testIdempotencySurvivesALostIndex() throws {
        let directory = temporaryDirectory(self)
        try EventLog(directory: directory, configuration: testConfiguration()).append(records(1...50))
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/index.sqlite" + suffix) }
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        XCTAssertEqual(try log.append([record(17)]), [AppendResult(position: 17, alreadyPresent: true)])
        XCTAssertEqual(try log.events(ofZaak: "Z-2026-000017").map(\.position), [17])
        XCTAssertEqual(try log.lastPosition(), 50)
    }

    /// The index is written once per checkpoint; the lines after the last checkpoint are checked from
    /// memory. Both halves must catch a retried id, in a fresh process and with the index gone.
    func testIdempotencyAcrossTheIndexHighWaterMark() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 100)
        do {
            let log = try EventLog(directory: directory, configuration: configuration)
            for batch in 0..<15 { try log.append(records((batch * 10 + 1)...(batch * 10 + 10))) }
            XCTAssertEqual(try log.index.indexedThrough, 100, "flushed with the checkpoint after 100 lines")
        }
        for dropIndex in [false, true] {
            if dropIndex {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: directory + "/index.sqlite" + suffix) }
            }
            let log = try EventLog(directory: directory, configuration: configuration)
            XCTAssertEqual(try log.append([record(42), record(142), record(150)]).map(\.position), [42, 142, 150])
            XCTAssertTrue(try log.append([record(42), record(142)]).allSatisfy(\.alreadyPresent), "drop index: \(dropIndex)")
            XCTAssertEqual(try log.lastPosition(), 150)
        }
        let log = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try log.append([record(151)]).map(\.position), [151])
        XCTAssertEqual(try log.events(ofZaak: "Z-2026-000045").map(\.position), [45, 142])
    }

    func testBadRecordsAreRefusedBeforeAnythingIsWritten() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append(records(1...2))
        let size = readBytes(segmentPaths(directory)[0]).count
        let bad: [(LogRecord, String)] = [
            (LogRecord(id: "e 1", zaak: "Z-1", json: "{}"), "id"),
            (LogRecord(id: "", zaak: "Z-1", json: "{}"), "id"),
            (LogRecord(id: "e-x", zaak: "Z/1", json: "{}"), "zaak"),
            (LogRecord(id: "e-x", zaak: "Z-1", json: #"{"a":1"#), "JSON"),
            (LogRecord(id: "e-x", zaak: "Z-1", json: "{\"a\":\n1}"), "regeleinde"),
            (LogRecord(id: "e-x", zaak: "Z-1", json: #"{"positie":7}"#), "positie"),
            (LogRecord(id: "e-x", zaak: "Z-1", json: #"{"vastgelegdOp":"x"}"#), "vastgelegdOp"),
            (LogRecord(id: "e-x", zaak: "Z-1", json: #"[1,2]"#), "JSON-object"),
            (LogRecord(id: "e-x", zaak: "Z-1", body: Array(#"{"a":"\#u{FF}"}"#.utf8).map { $0 == 0xC3 ? 0xFF : $0 }), "UTF-8"),
            (LogRecord(id: "e-x", zaak: "Z-1", json: #"{"a":""# + String(repeating: "x", count: 1 << 20) + #""}"#), "maximum"),
        ]
        for (badRecord, expected) in bad {
            XCTAssertThrowsError(try log.append([record(3), badRecord])) { error in
                let error = error as! LogError
                XCTAssertEqual(error.kind, .invalidRecord)
                XCTAssertTrue(error.message.contains(expected), "\(error.message) should mention \(expected)")
                XCTAssertTrue(error.message.contains("gebeurtenis 2"), error.message)
            }
        }
        XCTAssertEqual(readBytes(segmentPaths(directory)[0]).count, size, "nothing of a refused batch is written")
        XCTAssertEqual(try log.append([record(3)]).map(\.position), [3])
    }

    func testRecordedAtNeverGoesBackwards() throws {
        let directory = temporaryDirectory(self)
        var configuration = testConfiguration()
        let times = TimeSequence([5_000, 9_000, 7_000, 12_000])
        configuration.clock = { times.next() }
        let log = try EventLog(directory: directory, configuration: configuration)
        for number in 1...4 { try log.append([record(number)]) }
        XCTAssertEqual(try allEntries(log).map(\.recordedAt), [5_000, 9_000, 9_000, 12_000])
    }

    func testCheckpointsAreWrittenAtTheInterval() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 10))
        for batch in 0..<10 { try log.append(records((batch * 4 + 1)...(batch * 4 + 4))) }
        let status = try log.status()
        XCTAssertEqual(status.segments[0].checkpoints, 3)  // after 12, 24 and 36 lines
        XCTAssertEqual(status.lastCheckpoint?.treeSize, 36)
        XCTAssertEqual(try log.verify().checkpoints, 3)
    }
}

final class TimeSequence: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int64]
    init(_ values: [Int64]) { self.values = values }
    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return values.count > 1 ? values.removeFirst() : values[0]
    }
}
