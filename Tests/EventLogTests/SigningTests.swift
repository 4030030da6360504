import Crypto
import Foundation
import XCTest
@testable import EventLog

/// Signed checkpoints (log-format §5.1): the key pair on disk, signing by writers and sealers, and
/// what verify makes of valid, rewritten, stripped and foreign signatures.
final class SigningTests: XCTestCase {
    private func keyDirectory() -> String { temporaryDirectory(self) + "/sleutels" }

    /// A log of `count` events in batches of 10 with a checkpoint every 20 lines, signed by a new key.
    private func signedLog(count: Int = 100, rollBytes: Int64 = 16 << 20) throws -> (directory: String, keys: String, key: CheckpointPublicKey) {
        let keys = keyDirectory()
        let key = try KeyStore.create(in: keys).publicKey
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(rollBytes: rollBytes, checkpointInterval: 20, keys: .directory(keys)))
        for first in stride(from: 1, through: count, by: 10) { try log.append(records(first...(first + 9))) }
        try log.rollActiveSegment()
        return (directory, keys, key)
    }

    /// Every checkpoint of a segment file with the bounds of its frame.
    private func checkpoints(in path: String) -> [(Checkpoint, FrameBounds)] {
        let bytes = readBytes(path)
        return frames(of: path).compactMap { bounds in
            guard bounds.kind == .metadata,
                  case let .success(.checkpoint(checkpoint)) = bytes.withUnsafeBytes({ MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: $0[bounds.start..<bounds.end])) })
            else { return nil }
            return (checkpoint, bounds)
        }
    }

    /// Replaces one metadata frame by a frame holding `json`, with a correct length and CRC.
    private func replaceMetadata(in path: String, at bounds: FrameBounds, json: String) {
        var bytes = readBytes(path)
        bytes.replaceSubrange(bounds.start..<bounds.end, with: MetadataRecord.frame(json: json))
        writeBytes(bytes, path)
    }

    func testKeyPairIsCreatedOnceWithPrivatePermissionsAndNeverOverwritten() throws {
        let keys = keyDirectory()
        let (key, created) = try KeyStore.create(in: keys)
        XCTAssertTrue(created)
        let privatePath = keys + "/" + KeyStore.privateKeyFile, publicPath = keys + "/" + KeyStore.publicKeyFile
        let privateBytes = readBytes(privatePath)
        func mode(_ path: String) throws -> Int { try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue }
        XCTAssertEqual(try mode(privatePath), 0o600)
        XCTAssertEqual(try mode(keys), 0o700)
        XCTAssertEqual(try mode(publicPath), 0o644)
        XCTAssertEqual(try KeyStore.readPublicKey(path: publicPath), key)
        XCTAssertEqual(key.keyId.count, 16)

        let (again, createdAgain) = try KeyStore.create(in: keys)
        XCTAssertFalse(createdAgain, "a second run shows the existing key")
        XCTAssertEqual(again, key)
        XCTAssertEqual(readBytes(privatePath), privateBytes, "the private key is never rewritten")

        // A lost public key file is derived again from the private key.
        try FileManager.default.removeItem(atPath: publicPath)
        XCTAssertEqual(try KeyStore.create(in: keys).publicKey, key)
        XCTAssertEqual(try KeyStore.readPublicKey(path: publicPath), key)
    }

    func testAPrivateKeyOthersCanReadOrThatIsDamagedStopsWritersWithAClearMessage() throws {
        let keys = keyDirectory()
        try KeyStore.create(in: keys)
        let privatePath = keys + "/" + KeyStore.privateKeyFile
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: privatePath)
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 5, keys: .directory(keys)))
        XCTAssertThrowsError(try log.append(records(1...5))) { error in
            XCTAssertEqual((error as? LogError)?.kind, .unavailable)
            XCTAssertTrue("\(error)".contains("chmod 600"), "\(error)")
        }
        XCTAssertEqual(try allEntries(log).count, 0, "nothing was written")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: privatePath)
        writeBytes(Array(#"{"type":"zaaklog-private-key"}"#.utf8), privatePath)
        XCTAssertThrowsError(try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 5, keys: .directory(keys)))
            .append(records(1...5))) { error in
            XCTAssertTrue("\(error)".contains("beschadigd"), "\(error)")
        }
    }

    func testTheSignedMessageIsTheDocumentedFourLines() throws {
        var tree = MerkleFrontier()
        for line in ["a", "b", "c"] { Array(line.utf8).withUnsafeBytes { tree.append(line: $0) } }
        let checkpoint = Checkpoint(tree: tree, recordedAt: 1_793_955_600_002)
        XCTAssertEqual(String(decoding: checkpoint.signedMessage, as: UTF8.self),
                       "zaaklog-checkpoint-v1\n3\n\(tree.root.hex)\n2026-11-06T09:00:00.002Z\n")
        // The signature is plain Ed25519 over those bytes, checkable with any library.
        let signer = try CheckpointSigner(seed: Array(0..<32))
        let signature = try XCTUnwrap(checkpoint.signed(by: signer).signature)
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: signer.publicKey.raw)
        XCTAssertTrue(key.isValidSignature(signature.bytes, for: checkpoint.signedMessage))
        XCTAssertEqual(signature.keyId, HexBytes.encode(SHA256.hash(data: signer.publicKey.raw).prefix(8)))
    }

    func testEveryCheckpointOfASignedLogIsSignedAndVerifies() throws {
        let (directory, _, key) = try signedLog()
        let all = segmentPaths(directory).flatMap { checkpoints(in: $0) }
        XCTAssertEqual(all.map(\.0.treeSize), [20, 40, 60, 80, 100])
        XCTAssertTrue(all.allSatisfy { $0.0.signature?.keyId == key.keyId })
        let report = try LogReader(directory: directory, configuration: testConfiguration(keys: .none))
            .verify(trusting: [key])
        XCTAssertEqual(report.signedCheckpoints, 5)
        XCTAssertEqual(report.unsignedCheckpoints, 0)
        XCTAssertEqual(report.lastSignedCheckpoint?.treeSize, 100)
    }

    func testVerifyNeverTrustsTheInstallationKeyOnItsOwn() throws {
        let (directory, keys, key) = try signedLog(count: 40)
        // The installation's key is beside the log, where whoever rewrote the log could put theirs:
        // without a key from the caller, signatures are counted but not checked.
        let unchecked = try LogReader(directory: directory, configuration: testConfiguration(keys: .directory(keys))).verify()
        XCTAssertEqual(unchecked.trustedKeys, [])
        XCTAssertEqual(unchecked.signedCheckpoints, 2)
        let checked = try LogReader(directory: directory, configuration: testConfiguration(keys: .directory(keys))).verify(trusting: [key])
        XCTAssertEqual(checked.trustedKeys, [key])
        XCTAssertEqual(checked.signedCheckpoints, 2)
    }

    func testARewrittenSignatureOrCheckpointIsRefusedAndLocated() throws {
        let (directory, _, key) = try signedLog()
        let path = segmentPaths(directory)[0]
        let name = (path as NSString).lastPathComponent
        let original = readBytes(path)
        let (checkpoint, bounds) = checkpoints(in: path)[2]
        let json = MetadataRecord.checkpoint(checkpoint).json
        let log = try LogReader(directory: directory, configuration: testConfiguration(keys: .none))

        // One hex digit of the signature changed.
        let signatureHex = checkpoint.signature!.hex
        let flipped = String(signatureHex.prefix(10)) + (signatureHex.dropFirst(10).first == "0" ? "1" : "0") + signatureHex.dropFirst(11)
        replaceMetadata(in: path, at: bounds, json: json.replacingOccurrences(of: signatureHex, with: flipped))
        assertDamaged(try log.verify(trusting: [key]), file: name, offset: Int64(bounds.start), position: 61)
        XCTAssertThrowsError(try log.verify(trusting: [key])) { XCTAssertTrue("\($0)".contains("handtekening"), "\($0)") }

        // Intact, but checked against a key the auditor was not given.
        writeBytes(original, path)
        let otherKey = CheckpointSigner.generate().0.publicKey
        assertDamaged(try log.verify(trusting: [otherKey]), file: name, position: 21, "a signature by a key the auditor does not trust")
        XCTAssertThrowsError(try log.verify(trusting: [otherKey])) { XCTAssertTrue("\($0)".contains("onbekende sleutel"), "\($0)") }
        XCTAssertEqual(try log.verify(trusting: [key]).signedCheckpoints, 5)
    }

    func testAStrippedSignatureAfterASignedCheckpointIsRefused() throws {
        let (directory, _, key) = try signedLog()
        let path = segmentPaths(directory)[0]
        let (checkpoint, bounds) = checkpoints(in: path)[3]
        let unsigned = Checkpoint(treeSize: checkpoint.treeSize, root: checkpoint.root, recordedAt: checkpoint.recordedAt, frontier: checkpoint.frontier)
        replaceMetadata(in: path, at: bounds, json: MetadataRecord.checkpoint(unsigned).json)
        let log = try LogReader(directory: directory, configuration: testConfiguration(keys: .none))
        // With or without the key: an unsigned checkpoint after a signed one is suspect either way.
        assertDamaged(try log.verify(trusting: [key]), file: (path as NSString).lastPathComponent, offset: Int64(bounds.start), position: 81)
        assertDamaged(try log.verify(trusting: []), position: 81)
    }

    func testCheckpointsFromBeforeTheKeyStayUnsignedAndVerifyAndARunningWriterStartsSigning() throws {
        let keys = keyDirectory()
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 20, keys: .directory(keys)))
        try log.append(records(1...20))
        try log.append(records(21...40))
        let key = try KeyStore.create(in: keys).publicKey  // while the writer is open
        try log.append(records(41...60))
        try log.append(records(61...80))
        try log.rollActiveSegment()
        let signatures = checkpoints(in: segmentPaths(directory)[0]).map { $0.0.signature != nil }
        XCTAssertEqual(signatures, [false, false, true, true])
        let report = try log.verify(trusting: [key])
        XCTAssertEqual(report.unsignedCheckpoints, 2)
        XCTAssertEqual(report.signedCheckpoints, 2)
    }

    func testAnAuditorsCheckRefusesALogWithoutAnySignature() throws {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 20))
        try log.append(records(1...40))
        let key = try KeyStore.create(in: keyDirectory()).publicKey
        XCTAssertEqual(try log.verify().unsignedCheckpoints, 1)
        // Nothing signed up to the end of the log: the end is where the check fails.
        let segment = segmentPaths(directory)[0]
        assertDamaged(try log.verify(trusting: [key]), file: (segment as NSString).lastPathComponent,
                      offset: Int64(readBytes(segment).count), position: 41)
    }

    func testSealingKeepsEveryCheckpointAndItsSignature() throws {
        let keys = keyDirectory()
        let directory = temporaryDirectory(self)
        // Unsigned checkpoints first; the sealer, which has the key by then, signs them as it carries them over.
        let log = try EventLog(directory: directory, configuration: testConfiguration(sealedBlockBytes: 3_000, checkpointInterval: 25, keys: .directory(keys)))
        for first in stride(from: 1, through: 100, by: 10) { try log.append(records(first...(first + 9))) }
        let key = try KeyStore.create(in: keys).publicKey
        for first in stride(from: 101, through: 200, by: 10) { try log.append(records(first...(first + 9))) }
        try log.rollActiveSegment()
        let open = checkpoints(in: segmentPaths(directory)[0]).map(\.0)
        XCTAssertEqual(open.map(\.treeSize), [30, 60, 90, 120, 150, 180, 200])
        XCTAssertEqual(open.map { $0.signature != nil }, [false, false, false, true, true, true, true])
        try log.sealClosedSegments()
        let sealedPath = try XCTUnwrap(segmentPaths(directory).first { $0.hasSuffix(".sealed.lz4") })
        let sealed = checkpoints(in: sealedPath).map(\.0)
        for checkpoint in open {
            let carried = try XCTUnwrap(sealed.first { $0.treeSize == checkpoint.treeSize }, "checkpoint \(checkpoint.treeSize) kept")
            XCTAssertEqual(carried.root, checkpoint.root)
            XCTAssertEqual(carried.recordedAt, checkpoint.recordedAt)
            if let signature = checkpoint.signature { XCTAssertEqual(carried.signature, signature) }
        }
        XCTAssertGreaterThan(sealed.count, open.count, "small blocks add checkpoints of their own")
        XCTAssertTrue(sealed.allSatisfy { $0.signature != nil }, "the sealer signs what it writes")
        XCTAssertEqual(try log.verify(trusting: [key]).unsignedCheckpoints, 0)
    }

    func testAQuietLogGetsACheckpointOnceItsOldestUncoveredLineIsOld() throws {
        let directory = temporaryDirectory(self)
        var configuration = testConfiguration(checkpointInterval: 1_000)
        let now = LockedCounter(start: 1_793_955_600_000)
        configuration.clock = { now.value }
        configuration.checkpointMaxAge = 60_000
        let log = try EventLog(directory: directory, configuration: configuration)
        try log.append(records(1...1))
        now.advance(by: 30_000)
        try log.append(records(2...2))
        XCTAssertTrue(checkpoints(in: segmentPaths(directory)[0]).isEmpty, "30 s: no checkpoint yet")
        now.advance(by: 30_000)
        try log.append(records(3...3))
        XCTAssertEqual(checkpoints(in: segmentPaths(directory)[0]).map(\.0.treeSize), [3], "a minute after line 1")
        now.advance(by: 59_000)
        try log.append(records(4...4))
        XCTAssertEqual(checkpoints(in: segmentPaths(directory)[0]).count, 1, "the clock restarts at the first line after the checkpoint")
    }
}

/// A settable clock for tests that need time to jump.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64

    init(start: Int64) { current = start }

    var value: Int64 {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by amount: Int64) {
        lock.lock()
        current += amount
        lock.unlock()
    }
}
