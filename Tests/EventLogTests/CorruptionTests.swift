import Foundation
import XCTest
@testable import EventLog

/// Byte-level tampering with sealed segments: every changed bit is found by verify and located.
final class CorruptionTests: XCTestCase {
    private func sealedLog() throws -> (String, String) {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(sealedBlockBytes: 2_000))
        for batch in 0..<10 { try log.append(records((batch * 10 + 1)...(batch * 10 + 10))) }
        try log.rollActiveSegment()
        XCTAssertEqual(try log.sealClosedSegments().count, 1)
        let sealed = segmentPaths(directory).first { $0.hasSuffix(".sealed.lz4") }!
        return (directory, sealed)
    }

    /// The first position whose line sits in or after `frame`, for checking the reported position.
    private func firstPosition(atOrAfter frame: FrameBounds, in path: String) throws -> Int64 {
        let log = try LogReader(directory: (path as NSString).deletingLastPathComponent)
        var position: Int64 = 1
        _ = try log.log.scanLog(from: 1, onFrame: { _, info in
            if info.bounds.start < frame.start { position = info.firstPosition + Int64(info.count) }
        }, onLine: { _ in true })
        return position
    }

    func testAFlippedBitInEveryFrameOfASealedSegmentIsDetectedAndLocated() throws {
        let (directory, sealed) = try sealedLog()
        let original = readBytes(sealed)
        let allFrames = frames(of: sealed)
        XCTAssertGreaterThan(allFrames.filter { if case .data = $0.kind { return true } else { return false } }.count, 5)
        let name = (sealed as NSString).lastPathComponent
        let positions = try allFrames.map { try firstPosition(atOrAfter: $0, in: sealed) }
        for (frame, position) in zip(allFrames, positions) {
            // First byte (magic), a byte in the middle and the last byte (a checksum) of each frame.
            for target in [frame.start, (frame.start + frame.end) / 2, frame.end - 1] {
                for bit in [0, 7] {
                    var bytes = original
                    bytes[target] ^= UInt8(1 << bit)
                    writeBytes(bytes, sealed)
                    let log = try LogReader(directory: directory)
                    assertDamaged(try log.verify(), file: name, offset: Int64(frame.start), position: position,
                                  "bit \(bit) of byte \(target) in frame at \(frame.start)")
                }
            }
        }
        writeBytes(original, sealed)
        XCTAssertEqual(try LogReader(directory: directory).verify().events, 100)
    }

    func testRewrittenEventWithRecomputedChecksumsFailsTheMerkleCheck() throws {
        // An attacker who rewrites a line and recompresses the frame (valid LZ4 checksums) is still
        // caught: the checkpoint after the frame no longer matches the recomputed root.
        let (directory, sealed) = try sealedLog()
        let bytes = readBytes(sealed)
        let dataFrame = frames(of: sealed)[1]
        guard case let .data(size) = dataFrame.kind else { return XCTFail("expected a data frame") }
        var content: [UInt8] = []
        let frameBytes = Array(bytes[dataFrame.start..<dataFrame.end])
        XCTAssertNil(frameBytes.withUnsafeBytes { LZ4FrameDecoder().decode($0, contentSize: size, into: &content) })
        let original = String(decoding: content[0..<size], as: UTF8.self)
        let text = original.replacingOccurrences(of: #""wachttijdSeconden":3}"#, with: #""wachttijdSeconden":9}"#)
        XCTAssertNotEqual(text, original)
        let forged = Array(text.utf8).withUnsafeBytes { LZ4Frames.compress($0, level: 9) }
        writeBytes(Array(bytes[0..<dataFrame.start]) + forged + Array(bytes[dataFrame.end...]), sealed)
        let log = try LogReader(directory: directory)
        do {
            _ = try log.verify()
            XCTFail("a rewritten event must not verify")
        } catch let error as LogError {
            XCTAssertEqual(error.kind, .damaged)
            XCTAssertTrue(error.damage!.reason.contains("checkpoint-wortel"), error.damage!.reason)
        }
    }

    /// Replaces the JSON of the metadata frame at `frame` with a valid CRC: tampering a checksum cannot catch.
    private func rewriteMetadata(_ path: String, _ frame: FrameBounds, _ edit: (String) -> String) {
        let bytes = readBytes(path)
        let json = edit(String(decoding: bytes[(frame.start + 12)..<frame.end], as: UTF8.self))
        writeBytes(Array(bytes[0..<frame.start]) + MetadataRecord.frame(json: json) + Array(bytes[frame.end...]), path)
    }

    func testARecheckedCheckpointWithAnotherTimeIsRefused() throws {
        let (directory, sealed) = try sealedLog()
        let checkpoint = frames(of: sealed)[2]
        rewriteMetadata(sealed, checkpoint) { $0.replacingOccurrences(of: #""recordedAt":"2026"#, with: #""recordedAt":"1999"#) }
        do {
            _ = try LogReader(directory: directory).verify()
            XCTFail("a checkpoint whose time is not its line's must not verify")
        } catch let error as LogError {
            XCTAssertEqual(error.damage?.offset, Int64(checkpoint.start))
            XCTAssertTrue(error.damage!.reason.contains("vastgelegdOp"), error.damage!.reason)
        }
    }

    func testMetadataNumbersMustBeIntegers() throws {
        for (original, forged) in [(#""format":1"#, #""format":true"#), (#""firstPosition":1,"#, #""firstPosition":1.5,"#)] {
            let (directory, sealed) = try sealedLog()
            rewriteMetadata(sealed, frames(of: sealed)[0]) { $0.replacingOccurrences(of: original, with: forged) }
            assertDamaged(try LogReader(directory: directory).verify(),
                          file: (sealed as NSString).lastPathComponent, offset: 0, position: 1, forged)
        }
    }

    func testAFrameClaimingMoreContentThanLZ4CanHoldIsRefusedUnread() {
        // 15-byte header claiming 64 MiB, an empty block list and a checksum: 23 bytes in all.
        var frame: [UInt8] = [0x04, 0x22, 0x4D, 0x18, 0x7C, 0x70]
        frame += withUnsafeBytes(of: UInt64(64 << 20).littleEndian, Array.init)
        frame += [0x00, 0, 0, 0, 0, 0, 0, 0, 0]
        XCTAssertEqual(frame.withUnsafeBytes { FrameWalker.frame(in: $0, at: 0) }, .invalid("LZ4-frame claimt meer inhoud dan het kan bevatten"))
    }

    func testRemovedSegmentIsAGap() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(rollBytes: 1_500))
        for batch in 0..<12 { try log.append(records((batch * 5 + 1)...(batch * 5 + 5))) }
        let segments = segmentPaths(directory)
        XCTAssertGreaterThanOrEqual(segments.count, 3)
        try FileManager.default.removeItem(atPath: segments[1])
        let firstOfThird = SegmentName(fileName: (segments[2] as NSString).lastPathComponent)!.firstPosition
        let firstOfSecond = SegmentName(fileName: (segments[1] as NSString).lastPathComponent)!.firstPosition
        assertDamaged(try LogReader(directory: directory).verify(),
                      file: (segments[2] as NSString).lastPathComponent, offset: 0, position: firstOfSecond)
        XCTAssertNotEqual(firstOfThird, firstOfSecond)
    }
}
