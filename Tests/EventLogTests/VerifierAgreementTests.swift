import Foundation
import XCTest
@testable import EventLog

/// The independent Python verifier (tools/zaaklog-verify.py) and `EventLog.verify` on the same logs,
/// written by this code: both accept the intact log with the same root, and both reject every kind
/// of tampering, naming the same file, byte offset and position.
final class VerifierAgreementTests: XCTestCase {
    private func python(_ arguments: [String]) throws -> PythonOutcome { try pythonVerifier(arguments) }

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

    private func swiftVerify(_ directory: String, trusted: [TrustedCheckpoint] = []) throws -> VerifyReport {
        let key = try KeyStore.readPublicKey(path: publicKeyFile)
        return try LogReader(directory: directory, configuration: testConfiguration()).verify(trusting: [key], trustedCheckpoints: trusted)
    }

    /// Both verifiers refuse the log at `directory`, at the same place.
    private func assertBothReject(_ directory: String, _ what: String, trusted: [TrustedCheckpoint] = [], pythonOptions: [String] = [],
                                  expected: (file: String, offset: Int64, position: Int64)? = nil,
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        var swift: DamageLocation?
        do {
            _ = try swiftVerify(directory, trusted: trusted)
            XCTFail("\(what): Swift accepted the log", file: file, line: line)
        } catch let error as LogError {
            XCTAssertEqual(error.kind, .damaged, "\(what): \(error)", file: file, line: line)
            swift = error.damage
        }
        if let expected {
            XCTAssertEqual(swift.map { ($0.file, $0.offset, $0.position) } ?? ("", -1, -1) == expected, true,
                           "\(what): Swift: \(swift.map { "\($0)" } ?? "-"), expected \(expected)", file: file, line: line)
        }
        let python = try self.python(["log", directory, "--sleutel", publicKeyFile] + pythonOptions)
        XCTAssertEqual(python.status, 76, "\(what): Python: \(python.stderr)", file: file, line: line)
        XCTAssertEqual(python.json["oordeel"] as? String, "beschadigd", file: file, line: line)
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

    // MARK: Issue 16: trust from the auditor, torn tails apart from damage, the first problem in order

    /// Every checkpoint re-signed with a key of the forger's, whose public key replaces the installation's.
    private func resignedWithForeignKey(_ directory: String) throws -> String {
        let copy = temporaryDirectory(self) + "/log"
        copyDirectory(directory, copy)
        let forgerKeys = temporaryDirectory(self) + "/vervalst"
        try KeyStore.create(in: forgerKeys)
        let forger = try XCTUnwrap(try KeyStore.signer(in: forgerKeys))
        for path in segmentPaths(copy) {
            for (number, (_, checkpoint)) in checkpointFrames(path).enumerated() {
                let bare = Checkpoint(treeSize: checkpoint.treeSize, root: checkpoint.root, recordedAt: checkpoint.recordedAt, frontier: checkpoint.frontier)
                replaceCheckpoint(path, number, with: bare.signed(by: forger))
            }
        }
        // The installation's key directory, beside the copy, now holds the forger's public key.
        try FileManager.default.createDirectory(atPath: copy + "/../sleutels", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: forgerKeys + "/" + KeyStore.publicKeyFile, toPath: copy + "/../sleutels/" + KeyStore.publicKeyFile)
        return copy
    }

    func testALogReSignedWithAnotherKeyFailsWithTheAuditorsKeyAtTheFirstCheckpoint() throws {
        let directory = try signedLog()
        let copy = try resignedWithForeignKey(directory)
        let first = segmentPaths(copy)[0]
        let (bounds, checkpoint) = checkpointFrames(first)[0]
        try assertBothReject(copy, "re-signed with a foreign key",
                             expected: ((first as NSString).lastPathComponent, Int64(bounds.start), checkpoint.treeSize + 1))
        // Without the auditor's key, neither calls it valid: intact, signatures not checked.
        let report = try LogReader(directory: copy, configuration: testConfiguration(keys: .directory(copy + "/../sleutels"))).verify()
        XCTAssertEqual(report.trustedKeys, [])
        let python = try self.python(["log", copy])
        XCTAssertEqual(python.status, 0, python.stderr)
        XCTAssertEqual(python.json["oordeel"] as? String, "intact")
        XCTAssertEqual(python.json["handtekeningen"] as? String, "niet-gecontroleerd")
        // The installation's key is trusted through the auditor's fingerprint only: the forger's is not it.
        let auditors = try KeyStore.readPublicKey(path: publicKeyFile)
        let byFingerprint = try self.python(["log", copy, "--vingerafdruk", auditors.fingerprint])
        XCTAssertNotEqual(byFingerprint.status, 0, byFingerprint.stderr)
    }

    func testABadSignatureWithoutATrustedKeyIsIntactAndSaysSo() throws {
        let directory = try signedLog()
        let path = segmentPaths(directory)[0]
        let (_, other) = checkpointFrames(path)[0]
        let (_, original) = checkpointFrames(path)[1]
        let copy = try tampered(directory, segment: 0) { path in
            replaceCheckpoint(path, 1, with: Checkpoint(treeSize: original.treeSize, root: original.root, recordedAt: original.recordedAt,
                                                        frontier: original.frontier, signature: other.signature))
        }
        XCTAssertEqual(try LogReader(directory: copy, configuration: testConfiguration()).verify().trustedKeys, [])
        let python = try self.python(["log", copy])
        XCTAssertEqual(python.status, 0, python.stderr)
        XCTAssertEqual(python.json["oordeel"] as? String, "intact")
    }

    func testATornTailIsValidUpToItByBothWithItsOwnVerdict() throws {
        let directory = try signedLog()
        let last = segmentPaths(directory).count - 1
        let (bounds, _) = dataFrames(segmentPaths(directory)[last]).last!
        let copy = try tampered(directory, segment: last) { path in
            writeBytes(Array(readBytes(path)[0..<(bounds.end - 3)]), path)
        }
        let report = try swiftVerify(copy)
        let torn = try XCTUnwrap(report.tornTail)
        XCTAssertEqual(torn.offset, Int64(bounds.start))
        XCTAssertEqual(torn.bytes, Int64(bounds.end - 3 - bounds.start))
        let python = try self.python(["log", copy, "--sleutel", publicKeyFile])
        XCTAssertEqual(python.status, 73, python.stderr)
        XCTAssertEqual(python.json["oordeel"] as? String, "geldig-met-afgebroken-staart")
        let tail = python.json["afgebrokenStaart"] as? [String: Any]
        XCTAssertEqual(tail?["bestand"] as? String, torn.file)
        XCTAssertEqual((tail?["offset"] as? Int).map(Int64.init), torn.offset)
        XCTAssertEqual((tail?["bytes"] as? Int).map(Int64.init), torn.bytes)
        XCTAssertEqual((tail?["positie"] as? Int).map(Int64.init), torn.position)
        XCTAssertEqual((python.json["gebeurtenissen"] as? Int).map(Int64.init), report.events)
    }

    func testAWholeLastFrameWithABadChecksumIsDamageToBoth() throws {
        let directory = try signedLog()
        let last = segmentPaths(directory).count - 1
        let (bounds, _) = dataFrames(segmentPaths(directory)[last]).last!
        let copy = try tampered(directory, segment: last) { path in
            var bytes = readBytes(path)
            bytes[bounds.end - 2] ^= 0x01
            writeBytes(bytes, path)
        }
        try assertBothReject(copy, "a flipped bit in the last frame")
    }

    func testABadLastCheckpointIsDamageToBoth() throws {
        let directory = try signedLog()
        let last = segmentPaths(directory).count - 1
        let path = segmentPaths(directory)[last]
        let (_, original) = checkpointFrames(path).last!
        let number = checkpointFrames(path).count - 1
        try assertBothReject(try tampered(directory, segment: last) { path in
            replaceCheckpoint(path, number, with: Checkpoint(treeSize: original.treeSize, root: original.root, recordedAt: original.recordedAt + 1,
                                                             frontier: original.frontier, signature: original.signature))
        }, "the last checkpoint's recordedAt")
    }

    func testARepeatedIdIsTheFirstProblemAtItsFrame() throws {
        let directory = try signedLog()
        let path = segmentPaths(directory)[0]
        let frames = dataFrames(path)
        // The id of the first line again in the second frame, and a flipped byte far later.
        let firstId = String(frames[0].lines[0].split(separator: "\"")[5])
        let copy = try tampered(directory, segment: 0) { path in
            rewriteFrame(path, 1) { lines in
                lines[0] = lines[0].replacingOccurrences(of: "\"id\":\"\(String(lines[0].split(separator: "\"")[5]))\"", with: "\"id\":\"\(firstId)\"")
            }
        }
        let lastPath = segmentPaths(copy).last!
        var bytes = readBytes(lastPath)
        bytes[bytes.count - 2] ^= 0x01
        writeBytes(bytes, lastPath)
        let second = dataFrames(segmentPaths(copy)[0])[1]
        let position = Int64(String(second.lines[0].dropFirst(11).prefix { $0.isNumber }))!
        // The rewritten frame also breaks the next checkpoint's root: the repeat comes first, at the frame.
        try assertBothReject(copy, "a repeated id", expected: ((path as NSString).lastPathComponent, Int64(second.bounds.start), position))
    }

    func testATrustedCheckpointCatchesACutAtAFrameBoundary() throws {
        let directory = try signedLog()
        let before = try swiftVerify(directory)
        // The auditor kept a signed checkpoint over the whole log as it was.
        var lastRecordedAt: Int64 = 0
        try LogReader(directory: directory, configuration: testConfiguration()).read(from: before.events) { lastRecordedAt = $0.recordedAt; return true }
        let signer = try XCTUnwrap(try KeyStore.signer(in: keys))
        let checkpoint = Checkpoint(treeSize: before.events, root: before.root, recordedAt: lastRecordedAt, signature: nil).signed(by: signer)
        let signature = try XCTUnwrap(checkpoint.signature)
        let keptFile = temporaryDirectory(self) + "/bewaard.json"
        try Data(("{\"type\":\"zaaklog-checkpoint\",\"version\":1,\"checkpoint\":{\"treeSize\":\(checkpoint.treeSize),\"root\":\"\(checkpoint.root.hex)\","
            + "\"recordedAt\":\"\(checkpoint.recordedAtText)\",\"signature\":{\"keyId\":\"\(signature.keyId)\",\"ed25519\":\"\(signature.hex)\"}}}\n").utf8)
            .write(to: URL(fileURLWithPath: keptFile))
        let kept = TrustedCheckpoint(checkpoint, source: keptFile)
        // The last commit cut off at its frame boundary: every frame left is whole and valid, so
        // only the auditor's checkpoint can tell.
        let last = segmentPaths(directory).count - 1
        let (bounds, _) = dataFrames(segmentPaths(directory)[last]).last!
        let copy = try tampered(directory, segment: last) { path in writeBytes(Array(readBytes(path)[0..<bounds.start]), path) }
        XCTAssertNoThrow(try swiftVerify(copy))
        try assertBothReject(copy, "cut at a frame boundary", trusted: [kept], pythonOptions: ["--vertrouwd", keptFile])
        // The same checkpoint on the intact log holds for both.
        XCTAssertNoThrow(try swiftVerify(directory, trusted: [kept]))
        let python = try self.python(["log", directory, "--sleutel", publicKeyFile, "--vertrouwd", keptFile])
        XCTAssertEqual(python.status, 0, python.stderr)
    }
}
