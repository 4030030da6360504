import Foundation
import XCTest
@testable import EventLog

/// The independent Python verifier (tools/zaaklog-verify.py) and `EventLog.verify` on the same logs,
/// written by this code: both accept the intact log with the same root, and both reject every kind
/// of tampering, naming the same file, byte offset and position.
final class VerifierAgreementTests: XCTestCase {
    private static let verifier = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/zaaklog-verify.py").path

    private struct PythonOutcome {
        let status: Int32
        let json: [String: Any]
        let stderr: String
    }

    private func python(_ arguments: [String]) throws -> PythonOutcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.verifier] + arguments + ["--json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any] ?? [:]
        return PythonOutcome(status: process.terminationStatus, json: json, stderr: String(decoding: stderr, as: UTF8.self))
    }

    private var keys = ""
    private var publicKeyFile: String { keys + "/" + KeyStore.publicKeyFile }

    /// A signed log over several segments: the first ones sealed, the last open, with checkpoints
    /// every 40 lines; commits of 1 to 12 events.
    private func signedLog() throws -> String {
        keys = temporaryDirectory(self) + "/sleutels"
        try KeyStore.create(in: keys)
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(rollBytes: 6_000, sealedBlockBytes: 4_000,
                                                                                  checkpointInterval: 40, keys: .directory(keys)))
        var next = 1
        while next <= 400 {
            let count = next % 12 + 1
            try log.append(records(next...(next + count - 1)))
            next += count
        }
        try log.sealClosedSegments()
        try log.append(records(next...(next + 30)))
        let names = segmentPaths(directory).map { ($0 as NSString).lastPathComponent }
        XCTAssertTrue(names.contains { $0.hasSuffix(".sealed.lz4") } && names.last!.hasSuffix(".open.lz4"), "\(names)")
        return directory
    }

    private func swiftVerify(_ directory: String) throws -> VerifyReport {
        let key = try KeyStore.readPublicKey(path: publicKeyFile)
        return try LogReader(directory: directory, configuration: testConfiguration()).verify(trusting: [key], requireSignature: true)
    }

    /// Both verifiers refuse the log at `directory`, at the same place.
    private func assertBothReject(_ directory: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var swift: DamageLocation?
        do {
            _ = try swiftVerify(directory)
            XCTFail("\(what): Swift accepted the log", file: file, line: line)
        } catch let error as LogError {
            XCTAssertEqual(error.kind, .damaged, "\(what): \(error)", file: file, line: line)
            swift = error.damage
        }
        let python = try self.python(["log", directory, "--sleutel", publicKeyFile])
        XCTAssertEqual(python.status, 76, "\(what): Python: \(python.stderr)", file: file, line: line)
        XCTAssertEqual(python.json["geldig"] as? Bool, false, file: file, line: line)
        XCTAssertEqual(python.json["bestand"] as? String, swift?.file, "\(what): file; Python: \(python.stderr) Swift: \(swift.map { "\($0)" } ?? "-")", file: file, line: line)
        XCTAssertEqual((python.json["offset"] as? Int).map(Int64.init), swift?.offset, "\(what): offset; Python: \(python.stderr) Swift: \(swift.map { "\($0)" } ?? "-")", file: file, line: line)
        XCTAssertEqual((python.json["positie"] as? Int).map(Int64.init), swift?.position, "\(what): position; Python: \(python.stderr) Swift: \(swift.map { "\($0)" } ?? "-")", file: file, line: line)
    }

    /// Copies the log, applies `tamper` to the copy's segment at `index`, and returns the copy.
    private func tampered(_ original: String, segment index: Int, _ tamper: (String) throws -> Void) throws -> String {
        let copy = temporaryDirectory(self) + "/log"
        copyDirectory(original, copy)
        try tamper(segmentPaths(copy)[index])
        return copy
    }

    /// The data frames of a segment with their lines.
    private func dataFrames(_ path: String) -> [(bounds: FrameBounds, lines: [String])] {
        let bytes = readBytes(path)
        return frames(of: path).compactMap { frame in
            guard case let .data(size) = frame.kind else { return nil }
            var content: [UInt8] = []
            XCTAssertNil(Array(bytes[frame.start..<frame.end]).withUnsafeBytes { LZ4FrameDecoder().decode($0, contentSize: size, into: &content) })
            let lines = String(decoding: content.prefix(size), as: UTF8.self).split(separator: "\n").map(String.init)
            return (frame, lines)
        }
    }

    /// Replaces the lines of one data frame, recompressed with valid LZ4 checksums.
    private func rewriteFrame(_ path: String, _ number: Int, _ change: (inout [String]) -> Void) {
        let (bounds, lines) = dataFrames(path)[number]
        var changed = lines
        change(&changed)
        let content = Array((changed.joined(separator: "\n") + "\n").utf8)
        var bytes = readBytes(path)
        bytes.replaceSubrange(bounds.start..<bounds.end, with: content.withUnsafeBytes { LZ4Frames.compress($0, level: 0) })
        writeBytes(bytes, path)
    }

    private func checkpointFrames(_ path: String) -> [(FrameBounds, Checkpoint)] {
        let bytes = readBytes(path)
        return frames(of: path).compactMap { frame in
            guard frame.kind == .metadata,
                  case let .success(.checkpoint(checkpoint)) = bytes.withUnsafeBytes({ MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: $0[frame.start..<frame.end])) })
            else { return nil }
            return (frame, checkpoint)
        }
    }

    private func replaceCheckpoint(_ path: String, _ number: Int, with checkpoint: Checkpoint) {
        let (bounds, _) = checkpointFrames(path)[number]
        var bytes = readBytes(path)
        bytes.replaceSubrange(bounds.start..<bounds.end, with: MetadataRecord.checkpoint(checkpoint).frame)
        writeBytes(bytes, path)
    }

    func testBothAcceptTheIntactLogWithTheSameFigures() throws {
        let directory = try signedLog()
        let report = try swiftVerify(directory)
        let python = try self.python(["log", directory, "--sleutel", publicKeyFile])
        XCTAssertEqual(python.status, 0, python.stderr)
        XCTAssertEqual(python.json["wortel"] as? String, report.root.hex)
        XCTAssertEqual((python.json["gebeurtenissen"] as? Int).map(Int64.init), report.events)
        XCTAssertEqual(python.json["segmenten"] as? Int, report.segments)
        XCTAssertEqual(python.json["dataframes"] as? Int, report.dataFrames)
        XCTAssertEqual(python.json["checkpoints"] as? Int, report.checkpoints)
        XCTAssertEqual(python.json["ondertekend"] as? Int, report.signedCheckpoints)
        XCTAssertEqual(report.unsignedCheckpoints, 0)
    }

    func testAChangedByteAnywhereInAFrameIsRejectedByBothAtThatFrame() throws {
        let directory = try signedLog()
        for (index, path) in segmentPaths(directory).enumerated() {
            let all = frames(of: path)
            // The segment header, a data frame and a checkpoint; first, middle and last byte of each.
            let chosen = [all[0], all.first { if case .data = $0.kind { return true } else { return false } }!, all.last!]
            for frame in chosen {
                for target in [frame.start, (frame.start + frame.end) / 2, frame.end - 1] {
                    let copy = try tampered(directory, segment: index) { segment in
                        var bytes = readBytes(segment)
                        bytes[target] ^= 0x20
                        writeBytes(bytes, segment)
                    }
                    try assertBothReject(copy, "byte \(target) of \((path as NSString).lastPathComponent)")
                }
            }
        }
    }

    func testAChangedCharacterInARecompressedLineIsRejectedByBothAtItsCheckpoint() throws {
        let directory = try signedLog()
        let copy = try tampered(directory, segment: 0) { path in
            rewriteFrame(path, 1) { lines in lines[0] = lines[0].replacingOccurrences(of: "telefoon", with: "telefooN") }
        }
        try assertBothReject(copy, "a rewritten line")
        XCTAssertThrowsError(try swiftVerify(copy)) { XCTAssertTrue("\($0)".contains("is gewijzigd"), "\($0)") }
    }

    func testARemovedEventIsRejectedByBoth() throws {
        let directory = try signedLog()
        // Removed from its frame (the rest of the frame and file intact, checksums valid).
        try assertBothReject(try tampered(directory, segment: 0) { path in
            rewriteFrame(path, 2) { lines in lines.remove(at: lines.count > 1 ? 1 : 0) }
        }, "a line removed from a frame")
        // A whole single-event commit (frame) cut out of the open segment.
        try assertBothReject(try tampered(directory, segment: segmentPaths(directory).count - 1) { path in
            let frame = dataFrames(path)[0].bounds
            var bytes = readBytes(path)
            bytes.removeSubrange(frame.start..<frame.end)
            writeBytes(bytes, path)
        }, "a frame removed")
    }

    func testAReorderedPairIsRejectedByBoth() throws {
        let directory = try signedLog()
        let multiLine = dataFrames(segmentPaths(directory)[0]).firstIndex { $0.lines.count > 1 }!
        try assertBothReject(try tampered(directory, segment: 0) { path in
            rewriteFrame(path, multiLine) { lines in lines.swapAt(0, 1) }
        }, "two lines swapped")
        // Swapped and renumbered, so positions run on: the tree tells.
        try assertBothReject(try tampered(directory, segment: 0) { path in
            rewriteFrame(path, multiLine) { lines in
                let first = lines[0], second = lines[1]
                let positionOf = { (line: String) in String(line.dropFirst(11).prefix { $0.isNumber }) }
                lines[0] = second.replacingOccurrences(of: "\"positie\":\(positionOf(second)),", with: "\"positie\":\(positionOf(first)),")
                lines[1] = first.replacingOccurrences(of: "\"positie\":\(positionOf(first)),", with: "\"positie\":\(positionOf(second)),")
            }
        }, "two lines swapped and renumbered")
    }

    func testARewrittenCheckpointIsRejectedByBoth() throws {
        let directory = try signedLog()
        let path = segmentPaths(directory)[0]
        let (_, original) = checkpointFrames(path)[1]
        // Another root with a frontier that fits it: only the recomputed tree can tell.
        var frontier = original.frontier
        frontier[frontier.count - 1] = .empty
        let forged = MerkleFrontier(size: original.treeSize, hashes: frontier)!
        try assertBothReject(try tampered(directory, segment: 0) { path in
            replaceCheckpoint(path, 1, with: Checkpoint(treeSize: original.treeSize, root: forged.root, recordedAt: original.recordedAt,
                                                        frontier: frontier, signature: original.signature))
        }, "a checkpoint with another root")
        // The same statement with a signature that does not belong to it.
        let (_, other) = checkpointFrames(path)[0]
        try assertBothReject(try tampered(directory, segment: 0) { path in
            replaceCheckpoint(path, 1, with: Checkpoint(treeSize: original.treeSize, root: original.root, recordedAt: original.recordedAt,
                                                        frontier: original.frontier, signature: other.signature))
        }, "a checkpoint with another checkpoint's signature")
        // The signature removed.
        try assertBothReject(try tampered(directory, segment: 0) { path in
            replaceCheckpoint(path, 1, with: Checkpoint(treeSize: original.treeSize, root: original.root, recordedAt: original.recordedAt,
                                                        frontier: original.frontier))
        }, "a checkpoint without its signature")
    }

    func testALogRewrittenWithoutTheKeyIsRejectedByBoth() throws {
        let directory = try signedLog()
        // Whoever rewrites history without the private key can recompute the tree but not sign it.
        let rewritten = temporaryDirectory(self) + "/herschreven"
        let log = try EventLog(directory: rewritten, configuration: testConfiguration(checkpointInterval: 40))
        try log.append(records(1...100).filter { $0.id != "e-7" })
        try assertBothReject(rewritten, "a log without signatures")
        _ = directory
    }
}
