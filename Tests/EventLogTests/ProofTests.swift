import Crypto
import Foundation
import SQLite
import XCTest
@testable import EventLog

/// RFC 9162 proofs: the algorithms against a reference written from the RFC's recursive definitions,
/// and `AuditProver` on real logs (catch-up, sealing, a deleted or wrong proof index, tampering).
final class ProofTests: XCTestCase {
    private func leaves(_ count: Int) -> [MerkleHash] {
        (0..<count).map { number in Array("leaf \(number)".utf8).withUnsafeBytes { MerkleHash.leaf($0) } }
    }

    /// MTH(D[range]) by the RFC's definition.
    private func mth(_ hashes: ArraySlice<MerkleHash>) -> MerkleHash {
        if hashes.isEmpty { return .empty }
        if hashes.count == 1 { return hashes.first! }
        var k = 1
        while k * 2 < hashes.count { k *= 2 }
        return .node(mth(hashes.prefix(k)), mth(hashes.dropFirst(k)))
    }

    /// PATH(m, D[n]) written straight from RFC 9162 §2.1.3.1.
    private func referencePath(_ m: Int, _ hashes: ArraySlice<MerkleHash>) -> [MerkleHash] {
        guard hashes.count > 1 else { return [] }
        var k = 1
        while k * 2 < hashes.count { k *= 2 }
        let start = hashes.startIndex
        return m < k ? referencePath(m, hashes.prefix(k)) + [mth(hashes.dropFirst(k))]
                     : referencePath(m - k, hashes[(start + k)...]) + [mth(hashes.prefix(k))]
    }

    /// PROOF(m, D[n]) from RFC 9162 §2.1.4.1.
    private func referenceSubproof(_ m: Int, _ hashes: ArraySlice<MerkleHash>, _ complete: Bool) -> [MerkleHash] {
        if m == hashes.count { return complete ? [] : [mth(hashes)] }
        var k = 1
        while k * 2 < hashes.count { k *= 2 }
        let start = hashes.startIndex
        return m <= k ? referenceSubproof(m, hashes.prefix(k), complete) + [mth(hashes.dropFirst(k))]
                      : referenceSubproof(m - k, hashes[(start + k)...], false) + [mth(hashes.prefix(k))]
    }

    private func perfect(_ hashes: [MerkleHash]) -> (Int, Int64) -> MerkleHash {
        { level, index in self.mth(hashes[(Int(index) << level)..<(Int(index + 1) << level)]) }
    }

    func testInclusionProofsMatchTheRFCAndVerifyForEveryLeafOfEveryTreeUpTo70() {
        let all = leaves(70)
        for n in 1...70 {
            let tree = Array(all.prefix(n))
            let root = mth(tree[...])
            for m in 0..<n {
                let path = MerkleProof.inclusionPath(leaf: Int64(m), treeSize: Int64(n), perfect: perfect(tree))
                XCTAssertEqual(path, referencePath(m, tree[...]), "m \(m) n \(n)")
                XCTAssertEqual(MerkleProof.root(leaf: tree[m], index: Int64(m), treeSize: Int64(n), path: path), root, "m \(m) n \(n)")
                // Any other leaf, index or size leads elsewhere.
                XCTAssertNotEqual(MerkleProof.root(leaf: all[(m + 1) % 70], index: Int64(m), treeSize: Int64(n), path: path), root)
                if n > 1 {
                    XCTAssertNotEqual(MerkleProof.root(leaf: tree[m], index: Int64((m + 1) % n), treeSize: Int64(n), path: path), root, "m \(m) n \(n)")
                }
                XCTAssertNil(MerkleProof.root(leaf: tree[m], index: Int64(m), treeSize: Int64(n), path: path + [root]), "too long a path")
            }
        }
    }

    func testConsistencyProofsMatchTheRFCAndVerifyForEveryPairUpTo40() {
        let all = leaves(40)
        for n in 1...40 {
            let second = mth(all.prefix(n))
            for m in 1...n {
                let first = mth(all.prefix(m))
                let path = m == n ? [] : MerkleProof.consistencyPath(from: Int64(m), to: Int64(n), perfect: perfect(Array(all.prefix(n))))
                if m < n { XCTAssertEqual(path, referenceSubproof(m, all.prefix(n), true), "m \(m) n \(n)") }
                XCTAssertTrue(MerkleProof.isConsistent(firstSize: Int64(m), firstRoot: first, secondSize: Int64(n), secondRoot: second, path: path), "m \(m) n \(n)")
                // A rewritten old leaf changes the old root: the proof no longer connects them.
                var rewritten = Array(all.prefix(n))
                rewritten[m / 2] = all[39 - m / 2] == rewritten[m / 2] ? all[0] : all[39 - m / 2]
                let forgedFirst = mth(rewritten.prefix(m))
                XCTAssertFalse(MerkleProof.isConsistent(firstSize: Int64(m), firstRoot: forgedFirst, secondSize: Int64(n), secondRoot: second, path: path))
                if !path.isEmpty {
                    var broken = path
                    broken[broken.count / 2] = .empty
                    XCTAssertFalse(MerkleProof.isConsistent(firstSize: Int64(m), firstRoot: first, secondSize: Int64(n), secondRoot: second, path: broken))
                }
            }
        }
    }

    // MARK: AuditProver on real logs

    /// 1,500 events in batches of 50, checkpoints every 100 lines, several segments; then sealed.
    private func log(events: Int = 1_500, seal: Bool = true) throws -> (String, EventLog) {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(rollBytes: 12_000, sealedBlockBytes: 20_000, checkpointInterval: 100))
        for first in stride(from: 1, through: events, by: 50) { try log.append(records(first...(first + 49))) }
        try log.rollActiveSegment()
        if seal { try log.sealClosedSegments() }
        return (directory, log)
    }

    private func leafHashes(_ log: EventLog) throws -> [MerkleHash] {
        try allEntries(log).map { entry in entry.line.withUnsafeBytes { MerkleHash.leaf($0) } }
    }

    func testProofsFromTheProverEqualTheReferenceOnASealedLog() throws {
        let (directory, log) = try self.log()
        XCTAssertGreaterThan(segmentPaths(directory).filter { $0.hasSuffix(".sealed.lz4") }.count, 2)
        let hashes = try leafHashes(log)
        let prover = try AuditProver(log: log)
        let checkpoint = try XCTUnwrap(prover.checkpoint(covering: 1))
        XCTAssertEqual(checkpoint.treeSize, 1_500)
        XCTAssertEqual(checkpoint.root, mth(hashes[...]))
        for position in [1, 2, 255, 256, 257, 511, 512, 700, 1_024, 1_025, 1_499, 1_500] {
            let proof = try prover.inclusionProof(position: Int64(position), against: checkpoint)
            XCTAssertEqual(proof.entry.position, Int64(position))
            XCTAssertEqual(proof.leafHash, hashes[position - 1])
            XCTAssertEqual(proof.path, referencePath(position - 1, hashes[...]), "position \(position)")
        }
        // Against an older checkpoint, too.
        let older = try XCTUnwrap(prover.checkpoint(treeSize: 700))
        XCTAssertEqual(try prover.inclusionProof(position: 300, against: older).path, referencePath(299, hashes.prefix(700)))
        let consistency = try prover.consistencyProof(from: older, to: checkpoint)
        XCTAssertEqual(consistency.path, referenceSubproof(700, hashes[...], true))
    }

    func testTheProofIndexCatchesUpWithNewEventsAndSurvivesDeletionAndWrongRows() throws {
        let (directory, log) = try self.log(events: 600, seal: false)
        let first = try AuditProver(log: log)
        let old = try XCTUnwrap(first.checkpoint(covering: 1))
        XCTAssertEqual(old.treeSize, 600)
        for start in stride(from: 601, through: 1_000, by: 50) { try log.append(records(start...(start + 49))) }
        let prover = try AuditProver(log: log)
        let new = try XCTUnwrap(prover.checkpoint(covering: 1))
        XCTAssertGreaterThan(new.treeSize, 900, "the newest checkpoint (segments roll, so its size varies)")
        let hashes = Array(try leafHashes(log).prefix(Int(new.treeSize)))
        XCTAssertEqual(new.root, mth(hashes[...]))
        XCTAssertEqual(try prover.consistencyProof(from: old, to: new).path, referenceSubproof(600, hashes[...], true))

        // A wrong subtree row (the index is derived data): the proof does not check, the prover
        // rebuilds the index from the log and answers correctly.
        let database = try Database(path: directory + "/index.sqlite")
        let row = "SELECT hash FROM subtrees WHERE level = 9 AND idx = 0"  // [0, 512): the sibling at the top of 900's path
        try database.execute("UPDATE subtrees SET hash = '\(MerkleHash.empty.hex)' WHERE level = 9 AND idx = 0")
        XCTAssertEqual(try AuditProver(log: log).inclusionProof(position: 900, against: new).path, referencePath(899, hashes[...]))
        let repaired = try database.prepare(row)
        XCTAssertTrue(try repaired.step())
        XCTAssertEqual(repaired.string(0), mth(hashes.prefix(512)).hex, "the rebuild wrote the right hash back")

        // No index at all.
        try FileManager.default.removeItem(atPath: directory + "/index.sqlite")
        try? FileManager.default.removeItem(atPath: directory + "/index.sqlite-wal")
        try? FileManager.default.removeItem(atPath: directory + "/index.sqlite-shm")
        let fresh = try LogReader(directory: directory, configuration: testConfiguration())
        let rebuilt = try AuditProver(reader: fresh)
        XCTAssertEqual(try rebuilt.checkpoint(treeSize: 600)?.root, old.root)
        XCTAssertEqual(try rebuilt.inclusionProof(position: 17, against: new).path, referencePath(16, hashes[...]))
    }

    func testARewrittenLineIsReportedByTheProverWithItsPlace() throws {
        let (directory, log) = try self.log(events: 600, seal: true)
        let prover = try AuditProver(log: log)
        let checkpoint = try XCTUnwrap(prover.checkpoint(covering: 1))
        XCTAssertNoThrow(try prover.inclusionProof(position: 321, against: checkpoint))
        // Rewrite line 321 inside its frame, recompressed so that every LZ4 checksum holds.
        let path = try XCTUnwrap(segmentPaths(directory).first { $0.hasSuffix(".sealed.lz4") })
        try rewriteLine(321, in: path) { $0.replacingOccurrences(of: "telefoon", with: "telefoom") }
        let tampered = try LogReader(directory: directory, configuration: testConfiguration())
        XCTAssertThrowsError(try AuditProver(reader: tampered).inclusionProof(position: 321, against: checkpoint)) { error in
            let damage = (error as? LogError)?.damage
            XCTAssertEqual(damage?.file, (path as NSString).lastPathComponent, "\(error)")
            XCTAssertTrue("\(error)".contains("positie 321 past niet"), "names the proof's position: \(error)")
            XCTAssertTrue("\(error)".contains("positie 301–400 is gewijzigd"), "and the checkpoint's range: \(error)")
        }
    }

    /// Replaces the text of line `position` in the data frame of `path` that holds it; the frame is
    /// recompressed, so only the Merkle tree can tell.
    private func rewriteLine(_ position: Int64, in path: String, _ change: (String) -> String) throws {
        var bytes = readBytes(path)
        var first: Int64 = SegmentName(fileName: (path as NSString).lastPathComponent)!.firstPosition
        for frame in frames(of: path) {
            guard case let .data(size) = frame.kind else { continue }
            var content: [UInt8] = []
            XCTAssertNil(Array(bytes[frame.start..<frame.end]).withUnsafeBytes { LZ4FrameDecoder().decode($0, contentSize: size, into: &content) })
            var lines = String(decoding: content.prefix(size), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.removeLast()  // after the last newline
            if position < first + Int64(lines.count) {
                lines[Int(position - first)] = change(lines[Int(position - first)])
                let text = Array((lines.joined(separator: "\n") + "\n").utf8)
                let recompressed = text.withUnsafeBytes { LZ4Frames.compress($0, level: 9) }
                bytes.replaceSubrange(frame.start..<frame.end, with: recompressed)
                writeBytes(bytes, path)
                return
            }
            first += Int64(lines.count)
        }
        XCTFail("position \(position) not in \(path)")
    }
}
