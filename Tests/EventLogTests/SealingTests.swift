import Foundation
import XCTest
@testable import EventLog

/// The crash windows of sealing and segment creation (log-format §7, §8): whatever moment a
/// process dies at, readers see every line exactly once and the next writer tidies up.
final class SealingTests: XCTestCase {
    private let configuration = testConfiguration(rollBytes: 3_000, sealedBlockBytes: 2_000)

    /// A log with closed segments, plus a copy of the first one taken before it is sealed.
    private func logAboutToBeSealed() throws -> (directory: String, openCopy: [UInt8], openPath: String) {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: configuration)
        for batch in 0..<12 { try log.append(records((batch * 10 + 1)...(batch * 10 + 10))) }
        let openPath = segmentPaths(directory)[0]
        XCTAssertTrue(openPath.hasSuffix("seg-00000000000000000001.open.lz4"))
        return (directory, readBytes(openPath), openPath)
    }

    func testCrashBetweenRenameAndDeleteLeavesBothFilesAndLosesNothing() throws {
        let (directory, openCopy, openPath) = try logAboutToBeSealed()
        try EventLog(directory: directory, configuration: configuration).sealClosedSegments()
        // The process died after renaming the sealed file into place, before deleting the open one.
        writeBytes(openCopy, openPath)
        XCTAssertTrue(FileManager.default.fileExists(atPath: openPath.replacingOccurrences(of: ".open.", with: ".sealed.")))

        let reader = try LogReader(directory: directory, configuration: configuration)
        XCTAssertEqual(try allEntries(reader).map(\.position), Array(1...120), "each line once, from the sealed twin")
        XCTAssertEqual(try reader.verify().events, 120)

        let writer = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try writer.append([record(500)]).map(\.position), [121])
        try writer.sealClosedSegments()
        XCTAssertFalse(FileManager.default.fileExists(atPath: openPath), "the next sealer removes the open twin")
        XCTAssertEqual(try writer.verify().events, 121)
    }

    func testHalfWrittenTemporaryFilesAreNeverReadAndAreRemoved() throws {
        let (directory, openCopy, openPath) = try logAboutToBeSealed()
        // A sealer died mid-write, and a writer died while creating the next segment.
        let sealedTemp = openPath.replacingOccurrences(of: ".open.lz4", with: ".sealed.lz4.tmp")
        writeBytes(Array(openCopy.prefix(100)), sealedTemp)
        let segmentTemp = directory + "/seg-00000000000000099999.open.lz4.tmp"
        writeBytes([0x5A, 0x2A], segmentTemp)

        let reader = try LogReader(directory: directory, configuration: configuration)
        XCTAssertEqual(try allEntries(reader).count, 120)
        XCTAssertEqual(try reader.verify().events, 120)

        let writer = try EventLog(directory: directory, configuration: configuration)
        XCTAssertFalse(FileManager.default.fileExists(atPath: segmentTemp), "the next writer removes a half-created segment")
        XCTAssertTrue(FileManager.default.fileExists(atPath: sealedTemp), "a writer leaves a sealer's files alone")
        XCTAssertEqual(try writer.sealClosedSegments().count, segmentPaths(directory).count - 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sealedTemp), "the next sealer removes a dead sealer's temp file")
        XCTAssertEqual(try writer.verify().events, 120)
    }

    /// Another writer (here: a second instance, with its own `flock`) rolls and seals the segment
    /// this one still has open. That is normal operation, not damage: this writer follows the roll.
    func testAWriterFollowsARollAndSealByAnotherWriter() throws {
        let directory = temporaryDirectory(self)
        let first = try EventLog(directory: directory, configuration: configuration)
        try first.append(records(1...5))
        let second = try EventLog(directory: directory, configuration: configuration)
        for batch in 1..<12 { try second.append(records((batch * 10 + 1)...(batch * 10 + 10))) }
        try second.rollActiveSegment()
        XCTAssertGreaterThan(try second.sealClosedSegments().count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/seg-00000000000000000001.open.lz4"))

        XCTAssertEqual(try first.append([record(900)]).map(\.position), [116])
        XCTAssertEqual(try first.verify().events, 116)
    }
}
