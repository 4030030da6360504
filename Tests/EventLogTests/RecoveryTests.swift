import Foundation
import XCTest
@testable import EventLog

/// Crash recovery (log-format §8): a torn tail is cut off, everything whole survives, and damage
/// anywhere else stops writes with its location while the data before it stays readable.
final class RecoveryTests: XCTestCase {
    /// Builds a log of 3 commits and returns (directory, active segment path, start of the last frame).
    private func logWithThreeCommits() throws -> (String, String, Int) {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append(records(1...5))
        try log.append(records(6...9))
        let beforeLast = readBytes(segmentPaths(directory)[0]).count
        try log.append(records(10...12))
        return (directory, segmentPaths(directory)[0], beforeLast)
    }

    func testTornTailAtEveryByteOfTheLastFrameRecoversAllWholeFrames() throws {
        let (original, segment, lastFrameStart) = try logWithThreeCommits()
        let full = readBytes(segment)
        let scratch = temporaryDirectory(self)
        for cut in lastFrameStart..<full.count {
            let directory = scratch + "/cut-\(cut)"
            copyDirectory(original, directory)
            writeBytes(Array(full[0..<cut]), directory + "/" + (segment as NSString).lastPathComponent)
            try? FileManager.default.removeItem(atPath: directory + "/index.sqlite")

            let log = try EventLog(directory: directory, configuration: testConfiguration())
            let entries = try allEntries(log)
            XCTAssertEqual(entries.map(\.position), Array(1...9), "cut at \(cut)")
            if cut > lastFrameStart {
                let quarantine = "seg-00000000000000000001.open.lz4.quarantine-\(lastFrameStart)"
                XCTAssertEqual(log.repairs, [TailRepair(file: "seg-00000000000000000001.open.lz4", offset: Int64(lastFrameStart),
                                                        removedBytes: Int64(cut - lastFrameStart), quarantine: quarantine, cause: .tornTail)],
                               "cut at \(cut)")
                // What was cut is kept, byte for byte.
                XCTAssertEqual(readBytes(directory + "/" + quarantine), Array(full[lastFrameStart..<cut]), "cut at \(cut)")
            } else {
                XCTAssertEqual(log.repairs, [], "cut at \(cut)")
            }
            // The log is writable again and the next position follows without a gap.
            let results = try log.append([record(100)])
            XCTAssertEqual(results, [AppendResult(position: 10, alreadyPresent: false)], "cut at \(cut)")
            XCTAssertEqual(try log.verify().events, 10, "cut at \(cut)")
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    func testZeroFilledTailIsDamageNotATornTail() throws {
        // Zeros are no half-written frame: they may stand where acknowledged frames were (log-format §8).
        let (directory, segment, _) = try logWithThreeCommits()
        let whole = readBytes(segment)
        writeBytes(whole + [UInt8](repeating: 0, count: 4096), segment)
        assertDamaged(try EventLog(directory: directory, configuration: testConfiguration()),
                      file: "seg-00000000000000000001.open.lz4", offset: Int64(whole.count), position: 13)
        XCTAssertEqual(readBytes(segment).count, whole.count + 4096)
        let forced = try EventLog(directory: directory, configuration: testConfiguration(), cuttingDamage: true)
        XCTAssertEqual(forced.repairs.map(\.cause), [.damageCutOnRequest])
        XCTAssertEqual(readBytes(directory + "/" + forced.repairs[0].quarantine), [UInt8](repeating: 0, count: 4096))
        XCTAssertEqual(try allEntries(forced).count, 12)
    }

    func testDamageBeforeTheLastFrameRefusesWritesAndNamesTheSpot() throws {
        let (directory, segment, _) = try logWithThreeCommits()
        let second = frames(of: segment)[2]  // header, frame 1-5, frame 6-9, frame 10-12
        var bytes = readBytes(segment)
        bytes[second.start + (second.end - second.start) / 2] ^= 0x10
        writeBytes(bytes, segment)

        // A reader gets every line before the damage, then the damage with its location.
        let reader = try LogReader(directory: directory, configuration: testConfiguration())
        var seen: [Int64] = []
        assertDamaged(try reader.read { seen.append($0.position); return true },
                      file: "seg-00000000000000000001.open.lz4", offset: Int64(second.start), position: 6)
        XCTAssertEqual(seen, [1, 2, 3, 4, 5])

        // A writer refuses to open for writing, naming file, offset and position.
        assertDamaged(try EventLog(directory: directory, configuration: testConfiguration()),
                      file: "seg-00000000000000000001.open.lz4", offset: Int64(second.start), position: 6)
        // Nothing was cut off or changed.
        XCTAssertEqual(readBytes(segment), bytes)
    }

    func testAnotherWritersTornTailIsRepairedUnderTheLock() throws {
        let directory = temporaryDirectory(self)
        let first = try EventLog(directory: directory, configuration: testConfiguration())
        try first.append(records(1...3))
        // Another process crashed mid-write: half a frame at the end of the active segment.
        let segment = segmentPaths(directory)[0]
        let stray = LZ4Frames.compress(UnsafeRawBufferPointer(start: nil, count: 0), level: 0)
        writeBytes(readBytes(segment) + Array(stray.prefix(5)), segment)
        let results = try first.append(records(4...4))
        XCTAssertEqual(results.map(\.position), [4])
        XCTAssertEqual(try first.verify().events, 4)
    }

    func testRecoveryReadsOnlyTheActiveSegment() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(rollBytes: 2_000)
        let log = try EventLog(directory: directory, configuration: configuration)
        for batch in 0..<20 { try log.append(records((batch * 5 + 1)...(batch * 5 + 5))) }
        let segments = segmentPaths(directory)
        XCTAssertGreaterThan(segments.count, 3)
        // Damage an old, closed segment: opening for writing does not read it, so it still opens
        // (verify is what reads everything, and it finds the damage).
        var old = readBytes(segments[0])
        let frame = frames(of: segments[0])[1]
        old[frame.start + 20] ^= 1
        writeBytes(old, segments[0])
        let reopened = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try reopened.append([record(1000)]).map(\.position), [101])
        assertDamaged(try reopened.verify(), file: "seg-00000000000000000001.open.lz4", offset: Int64(frame.start), position: 1)
    }
}
