import Foundation
import XCTest
@testable import EventLog

/// Recovery never destroys evidence (log-format §8, revision 3): only a frame the file ends inside
/// is a torn tail, and it is cut only after a copy is kept; a bad last checkpoint or a damaged last
/// frame stops writes, names the spot and stays as it is until an operator forces the cut.
final class EvidenceTests: XCTestCase {
    private let segmentName = "seg-00000000000000000001.open.lz4"

    /// A signed log whose active segment ends with a checkpoint over 30 lines (commits of 10).
    private func logEndingWithACheckpoint() throws -> (directory: String, keys: String, segment: String) {
        let keys = temporaryDirectory(self) + "/sleutels"
        try KeyStore.create(in: keys)
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 10, keys: .directory(keys)))
        for first in stride(from: 1, through: 21, by: 10) { try log.append(records(first...(first + 9))) }
        let segment = segmentPaths(directory)[0]
        XCTAssertEqual(frames(of: segment).last?.kind, .metadata)
        return (directory, keys, segment)
    }

    private func lastCheckpoint(_ path: String) -> (Checkpoint, FrameBounds) {
        let bytes = readBytes(path)
        let bounds = frames(of: path).last!
        guard case let .success(.checkpoint(checkpoint)) = bytes.withUnsafeBytes({ MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: $0[bounds.start..<bounds.end])) })
        else { fatalError("the last frame is no checkpoint") }
        return (checkpoint, bounds)
    }

    private func quarantineFiles(_ directory: String) -> [String] {
        (try! FileManager.default.contentsOfDirectory(atPath: directory)).filter { $0.contains(".quarantine-") }.sorted()
    }

    /// Replaces the last frame with `frame`, reopens for writing and expects damage `badFrom` bytes
    /// into it with nothing cut; then forces the cut and expects those bytes in quarantine.
    private func assertRefusedThenQuarantined(_ frame: [UInt8], _ what: String, badFrom: Int = 0, line: UInt = #line) throws {
        let (original, keys, _) = try logEndingWithACheckpoint()
        let directory = original + "-kopie"
        copyDirectory(original, directory)
        let segment = segmentPaths(directory)[0]
        let (checkpoint, bounds) = lastCheckpoint(segment)
        var bytes = readBytes(segment)
        bytes.replaceSubrange(bounds.start..<bounds.end, with: frame)
        writeBytes(bytes, segment)
        let configuration = testConfiguration(checkpointInterval: 10, keys: .directory(keys))

        let bad = bounds.start + badFrom
        assertDamaged(try EventLog(directory: directory, configuration: configuration), file: segmentName, offset: Int64(bad),
                      position: checkpoint.treeSize + 1, what, line: line)
        XCTAssertEqual(readBytes(segment), bytes, "\(what): nothing cut", line: line)
        XCTAssertEqual(quarantineFiles(directory), [], what, line: line)
        XCTAssertThrowsError(try EventLog(directory: directory, configuration: configuration).append([record(99)]), what, line: line)

        let forced = try EventLog(directory: directory, configuration: configuration, cuttingDamage: true)
        let expected = TailRepair(file: segmentName, offset: Int64(bad), removedBytes: Int64(frame.count - badFrom),
                                  quarantine: "\(segmentName).quarantine-\(bad)", cause: .damageCutOnRequest)
        XCTAssertEqual(forced.repairs, [expected], what, line: line)
        XCTAssertEqual(readBytes(directory + "/" + expected.quarantine), Array(frame[badFrom...]), what, line: line)
        XCTAssertEqual(try allEntries(forced).count, 30, "\(what): every line stays", line: line)
        XCTAssertEqual(try forced.append([record(99)]).map(\.position), [31], what, line: line)
        XCTAssertNoThrow(try forced.verify(), what, line: line)
    }

    func testALastCheckpointThatFailsAnyCheckIsNeverABaseAndIsNotCut() throws {
        let (directory, keys, segment) = try logEndingWithACheckpoint()
        let (checkpoint, _) = lastCheckpoint(segment)
        func frame(_ changed: Checkpoint) -> [UInt8] { MetadataRecord.checkpoint(changed).frame }
        let bare = Checkpoint(treeSize: checkpoint.treeSize, root: checkpoint.root, recordedAt: checkpoint.recordedAt, frontier: checkpoint.frontier)
        let signer = try XCTUnwrap(try KeyStore.signer(in: keys))

        // Another root with a frontier that fits it.
        var frontier = checkpoint.frontier
        frontier[frontier.count - 1] = .empty
        let forged = MerkleFrontier(size: checkpoint.treeSize, hashes: frontier)!
        try assertRefusedThenQuarantined(frame(Checkpoint(treeSize: checkpoint.treeSize, root: forged.root, recordedAt: checkpoint.recordedAt,
                                                          frontier: frontier).signed(by: signer)), "another root")
        // Another recordedAt (re-signed, so only the placement rule tells).
        try assertRefusedThenQuarantined(frame(Checkpoint(treeSize: checkpoint.treeSize, root: checkpoint.root, recordedAt: checkpoint.recordedAt + 1,
                                                          frontier: checkpoint.frontier).signed(by: signer)), "another recordedAt")
        // Signed by a key that is not the installation's.
        try assertRefusedThenQuarantined(frame(bare.signed(by: CheckpointSigner.generate().0)), "a foreign key")
        // The signature of another statement.
        let other = Checkpoint(treeSize: checkpoint.treeSize, root: checkpoint.root, recordedAt: checkpoint.recordedAt - 1, frontier: checkpoint.frontier)
            .signed(by: signer)
        try assertRefusedThenQuarantined(frame(Checkpoint(treeSize: checkpoint.treeSize, root: checkpoint.root, recordedAt: checkpoint.recordedAt,
                                                          frontier: checkpoint.frontier, signature: other.signature)), "a signature that does not hold")
        // A metadata type the format does not know, and a date that does not exist.
        try assertRefusedThenQuarantined(MetadataRecord.frame(json: #"{"type":"herstelpunt","treeSize":30}"#), "an unknown type")
        let json = MetadataRecord.checkpoint(checkpoint).json
        let recordedAt = checkpoint.recordedAtText
        try assertRefusedThenQuarantined(MetadataRecord.frame(json: json.replacingOccurrences(of: recordedAt, with: "2026-02-30T09:00:00.000Z")),
                                         "an impossible date")
        // A second checkpoint right after the first: a checkpoint follows a data frame.
        try assertRefusedThenQuarantined(frame(checkpoint) + frame(checkpoint), "a checkpoint after a checkpoint", badFrom: frame(checkpoint).count)
        _ = directory
    }

    func testAFlippedBitInTheLastAcknowledgedFrameIsDamageNotATornTail() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append(records(1...5))
        try log.append(records(6...7))  // acknowledged: append returned after fsync
        let segment = segmentPaths(directory)[0]
        let last = frames(of: segment).last!
        var bytes = readBytes(segment)
        bytes[last.end - 6] ^= 0x04
        writeBytes(bytes, segment)
        assertDamaged(try EventLog(directory: directory, configuration: testConfiguration()), file: segmentName, offset: Int64(last.start), position: 6)
        XCTAssertEqual(readBytes(segment), bytes, "the two acknowledged events stay on disk")
    }

    /// Bit flips near the end of a log of acknowledged events, 100 times: either writes stop with
    /// nothing removed, or what is removed is in a quarantine file and reported.
    func testBitFlipsAtTheTailNeverRemoveAnAcknowledgedEventSilently() throws {
        let original = temporaryDirectory(self) + "/origineel"
        let configuration = testConfiguration(checkpointInterval: 8)
        let log = try EventLog(directory: original, configuration: configuration)
        var acknowledged: [Int64] = []
        for first in stride(from: 1, through: 40, by: 4) { acknowledged += try log.append(records(first...(first + 3))).map(\.position) }
        let whole = readBytes(original + "/" + segmentName)
        var generator = SystemRandomNumberGenerator()
        var refused = 0, cut = 0
        for trial in 0..<100 {
            let directory = temporaryDirectory(self) + "/flip-\(trial)"
            copyDirectory(original, directory)
            var bytes = whole
            let target = bytes.count - 1 - Int.random(in: 0..<300, using: &generator)
            bytes[target] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            writeBytes(bytes, directory + "/" + segmentName)
            var reported: [TailRepair] = []
            let opened: EventLog
            do {
                opened = try EventLog(directory: directory, configuration: configuration)
                reported = opened.repairs
            } catch let error as LogError where error.kind == .damaged {
                refused += 1
                XCTAssertEqual(readBytes(directory + "/" + segmentName), bytes, "trial \(trial): refused, and nothing removed")
                XCTAssertEqual(quarantineFiles(directory), [], "trial \(trial)")
                opened = try EventLog(directory: directory, configuration: configuration, cuttingDamage: true)
                reported = opened.repairs
                XCTAssertEqual(reported.count, 1, "trial \(trial): the forced cut is reported")
            }
            let present = Set(try allEntries(opened).map(\.position))
            let removed = acknowledged.filter { !present.contains($0) }
            if !removed.isEmpty || !reported.isEmpty {
                cut += 1
                let repair = try XCTUnwrap(reported.first, "trial \(trial): positions \(removed) removed without a report")
                let kept = FileManager.default.contents(atPath: directory + "/" + repair.quarantine).map(Array.init)
                XCTAssertEqual(kept, Array(bytes[Int(repair.offset)...]), "trial \(trial): the removed bytes are in quarantine (\(repair))")
            }
            try? FileManager.default.removeItem(atPath: directory)
        }
        print("bit flips at the tail: 100 trials, \(refused) refused writes until forced, \(cut) cuts, each quarantined and reported")
    }

    func testAQuietLogGetsItsCheckpointWithoutAnotherCommit() throws {
        let directory = temporaryDirectory(self)
        final class Clock: @unchecked Sendable {
            var now: Int64 = 1_800_000_000_000
        }
        let clock = Clock()
        var configuration = testConfiguration()
        configuration.clock = { clock.now }
        let log = try EventLog(directory: directory, configuration: configuration)
        try log.append(records(1...3))
        XCTAssertNil(try log.checkpointUncoveredLines(onlyIfDue: true), "not an hour old yet")
        clock.now += configuration.checkpointMaxAge
        let checkpoint = try XCTUnwrap(try log.checkpointUncoveredLines(onlyIfDue: true))
        XCTAssertEqual(checkpoint.treeSize, 3)
        XCTAssertNil(try log.checkpointUncoveredLines(onlyIfDue: false), "nothing left to cover")
        XCTAssertEqual(try log.verify().checkpoints, 1)
        try log.append(records(4...4))
        XCTAssertEqual(try log.checkpointUncoveredLines()?.treeSize, 4)
    }
}
