import Foundation
import XCTest
@testable import EventLog
#if canImport(Glibc)
import Glibc
#endif

/// Failing writes and syncs (a full disk, an I/O error) fail the append cleanly and leave a valid log.
final class FaultInjectionTests: XCTestCase {
    /// System calls that fail on demand, counting what they were asked to do.
    final class FaultySystem: @unchecked Sendable {
        private let lock = NSLock()
        var failWritesWith: Int32?
        /// Write this many bytes of the next write before failing (a partial write).
        var partialBytes = 0
        var failSyncsWith: Int32?
        private(set) var syncs = 0

        func withLock<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }

        var calls: FileSystemCalls {
            FileSystemCalls(
                write: { fd, bytes, offset in
                    let (code, partial) = self.withLock { (self.failWritesWith, self.partialBytes) }
                    guard let code else { return FileSystemCalls.system.write(fd, bytes, offset) }
                    if partial > 0, bytes.count > partial {
                        self.withLock { self.partialBytes = 0 }
                        return FileSystemCalls.system.write(fd, UnsafeRawBufferPointer(rebasing: bytes[0..<partial]), offset)
                    }
                    errno = code
                    return -1
                },
                sync: { fd in
                    if let code = self.withLock({ () -> Int32? in self.syncs += 1; return self.failSyncsWith }) {
                        errno = code
                        return -1
                    }
                    return FileSystemCalls.system.sync(fd)
                })
        }
    }

    /// `poisons`: the fault also breaks the clean-up, so this instance must refuse further writes
    /// (a reopen recovers); otherwise the same instance appends again at once.
    private func check(_ fault: (FaultySystem) -> Void, expecting text: String, poisons: Bool = false) throws {
        let directory = temporaryDirectory(self)
        let faults = FaultySystem()
        var configuration = testConfiguration()
        configuration.calls = faults.calls
        let log = try EventLog(directory: directory, configuration: configuration)
        try log.append(records(1...10))
        let segment = segmentPaths(directory)[0]
        let before = readBytes(segment)

        fault(faults)
        XCTAssertThrowsError(try log.append(records(11...20).map { record(Int($0.id.dropFirst(2))!, padding: 2_000) })) { error in
            XCTAssertEqual((error as? LogError)?.kind, .io)
            XCTAssertTrue("\(error)".contains(text), "\(error)")
        }
        XCTAssertEqual(readBytes(segment), before, "a failed append leaves no byte behind")

        faults.withLock { faults.failWritesWith = nil; faults.failSyncsWith = nil }
        if poisons {
            XCTAssertThrowsError(try log.append(records(11...12))) { XCTAssertTrue("\($0)".contains("open het opnieuw"), "\($0)") }
        } else {
            XCTAssertEqual(try log.append(records(11...12)).map(\.position), [11, 12], "the same instance appends again")
        }
        let reopened = try EventLog(directory: directory, configuration: testConfiguration())
        XCTAssertEqual(reopened.repairs, [])
        if poisons { try reopened.append(records(11...12)) }
        XCTAssertEqual(try reopened.verify().events, 12)
    }

    func testDiskFullOnWrite() throws {
        try check({ $0.failWritesWith = ENOSPC }, expecting: "schijf vol")
    }

    func testPartialWriteThenDiskFull() throws {
        try check({ $0.failWritesWith = ENOSPC; $0.partialBytes = 100 }, expecting: "schijf vol")
    }

    func testIOErrorOnSync() throws {
        try check({ $0.failSyncsWith = EIO }, expecting: "EIO", poisons: true)
    }

    func testDiskFullWhileRollingLeavesTheOldSegmentActive() throws {
        let directory = temporaryDirectory(self)
        let faults = FaultySystem()
        var configuration = testConfiguration(rollBytes: 500)
        configuration.calls = faults.calls
        let log = try EventLog(directory: directory, configuration: configuration)
        try log.append(records(1...10))
        faults.withLock { faults.failWritesWith = ENOSPC }
        XCTAssertThrowsError(try log.append(records(11...11)))
        XCTAssertEqual(segmentPaths(directory).count, 1, "no half-created segment")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: directory).contains { $0.hasSuffix(".tmp") })
        faults.withLock { faults.failWritesWith = nil }
        XCTAssertEqual(try log.append(records(11...11)).map(\.position), [11])
        XCTAssertEqual(try EventLog(directory: directory, configuration: testConfiguration()).verify().events, 11)
    }

    func testGroupCommitSharesSyncsBetweenThreads() throws {
        let directory = temporaryDirectory(self)
        let faults = FaultySystem()
        var configuration = testConfiguration()
        configuration.calls = faults.calls
        let log = try EventLog(directory: directory, configuration: configuration)
        let syncsBefore = faults.withLock { faults.syncs }
        let threads = 16, perThread = 40
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for item in 0..<perThread {
                let number = thread * 1000 + item
                XCTAssertEqual((try? log.append([record(number)]))?.count, 1)
            }
        }
        let entries = try allEntries(log)
        XCTAssertEqual(entries.map(\.position), Array(1...Int64(threads * perThread)), "gapless")
        XCTAssertEqual(Set(entries.map(\.id)).count, threads * perThread, "no duplicates")
        let syncs = faults.withLock { faults.syncs } - syncsBefore
        XCTAssertLessThanOrEqual(syncs, threads * perThread, "one sync per commit at most")
        print("group commit: \(threads * perThread) appends used \(syncs) fdatasyncs")
    }

    /// The leader's turn passes to the first queued appender, also after an exclusive writer's
    /// turn (a roll, a checkpoint of a quiet log) taken while appenders queue and gather.
    func testAppendersQueuedBehindRollsAndCheckpointsAreAllAnswered() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(rollBytes: 4_000, checkpointInterval: 7))
        let threads = 8, perThread = 60
        let done = DispatchGroup()
        for thread in 0..<threads {
            done.enter()
            Thread {
                for item in 0..<perThread { XCTAssertEqual((try? log.append([record(thread * 1000 + item)]))?.count, 1) }
                done.leave()
            }.start()
        }
        var turns = 0
        while done.wait(timeout: .now()) == .timedOut {
            if turns.isMultiple(of: 2) {
                XCTAssertNoThrow(try log.rollActiveSegment())
            } else {
                XCTAssertNoThrow(try log.checkpointUncoveredLines(onlyIfDue: false))
            }
            turns += 1
        }
        let entries = try allEntries(log)
        XCTAssertEqual(entries.map(\.position), Array(1...Int64(threads * perThread)), "gapless")
        XCTAssertEqual(Set(entries.map(\.id)).count, threads * perThread, "no duplicates")
        XCTAssertGreaterThan(turns, 0)
        XCTAssertEqual(try log.verify().events, Int64(threads * perThread))
    }
}
