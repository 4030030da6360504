import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An Ed25519 signature on a checkpoint (log-format §5.1): the signing key's id and the 64 bytes.
public struct CheckpointSignature: Sendable, Equatable {
    /// 16 lowercase hex digits: the first 8 bytes of SHA-256 of the raw public key.
    public let keyId: String
    public let bytes: [UInt8]

    /// From the JSON of a checkpoint record or proof; nil unless 16 and 128 lowercase hex digits.
    public init?(keyId: String, hex: String) {
        guard keyId.utf8.count == 16, HexBytes.decode(keyId) != nil, let bytes = HexBytes.decode(hex), bytes.count == 64 else { return nil }
        self.keyId = keyId
        self.bytes = bytes
    }

    init(keyId: String, bytes: [UInt8]) {
        self.keyId = keyId
        self.bytes = bytes
    }

    public var hex: String { HexBytes.encode(bytes) }
}

extension Checkpoint {
    /// The exact bytes an installation signs (log-format §5.1): four lines, each ending in `\n`.
    public var signedMessage: [UInt8] {
        Array("zaaklog-checkpoint-v1\n\(treeSize)\n\(root.hex)\n\(recordedAtText)\n".utf8)
    }

    /// This checkpoint with a signature by `signer`; unchanged when there is no signer or it is signed already.
    func signed(by signer: CheckpointSigner?) -> Checkpoint {
        guard let signer, signature == nil else { return self }
        return Checkpoint(treeSize: treeSize, root: root, recordedAt: recordedAt, frontier: frontier, signature: signer.sign(self))
    }
}

/// Lowercase hex, as every hash and key in the format is written.
public enum HexBytes {
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase hex only, like every hash in the format; nil for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        func nibble(_ digit: UInt8) -> UInt8? {
            switch digit {
            case 48...57: return digit - 48
            case 97...102: return digit - 87
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }
}

extension Checkpoint {
    /// Why this checkpoint's signature is not one of `keys`' (nil: unsigned, or signed by one of them).
    public func signatureProblem(trusting keys: [CheckpointPublicKey]) -> String? {
        guard let signature else { return nil }
        guard let key = keys.first(where: { $0.keyId == signature.keyId }) else {
            return "checkpoint voor posities 1–\(treeSize) is ondertekend met onbekende sleutel \(signature.keyId); vertrouwd: \(keys.map(\.keyId).joined(separator: ", "))"
        }
        guard key.isValid(signature, for: self) else {
            return "handtekening van het checkpoint voor posities 1–\(treeSize) klopt niet (sleutel \(signature.keyId)): checkpoint of handtekening is herschreven"
        }
        return nil
    }
}

/// The public half of an installation's checkpoint key: what auditors receive (log-format §5.1).
public struct CheckpointPublicKey: Sendable, Equatable {
    public let keyId: String
    /// The 32-byte Ed25519 public key.
    public let raw: [UInt8]

    public init?(raw: [UInt8]) {
        guard raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else { return nil }
        self.raw = raw
        keyId = Self.keyId(of: raw)
    }

    /// The 32 bytes in lowercase hex, as the public key file holds them.
    public var hex: String { HexBytes.encode(raw) }

    static func keyId(of raw: [UInt8]) -> String {
        HexBytes.encode(SHA256.hash(data: raw).prefix(8))
    }

    /// SHA-256 of the 32 raw bytes in lowercase hex: what an auditor may hold instead of the key
    /// file, to trust a key found elsewhere only if it is theirs (log-format §5.1).
    public var fingerprint: String { HexBytes.encode(Array(SHA256.hash(data: raw))) }

    public func isValid(_ signature: CheckpointSignature, for checkpoint: Checkpoint) -> Bool {
        guard signature.keyId == keyId, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature.bytes, for: checkpoint.signedMessage)
    }

    /// The public key file (log-format §5.1), one JSON object and a newline.
    public var fileContents: String {
        #"{"type":"zaaklog-public-key","algorithm":"ed25519","keyId":"\#(keyId)","publicKey":"\#(hex)"}"# + "\n"
    }

    private struct FileJSON: Decodable { let type: String; let algorithm: String; let keyId: String; let publicKey: String }

    /// Reads a public key file; the error says what is wrong with it.
    public init(fileContents bytes: [UInt8], path: String) throws {
        guard let file = try? JSONDecoder().decode(FileJSON.self, from: Data(bytes)), file.type == "zaaklog-public-key",
              file.algorithm == "ed25519", let raw = HexBytes.decode(file.publicKey), let key = CheckpointPublicKey(raw: raw)
        else {
            throw LogError(.invalidRecord, "\(path) is geen publieke sleutel van zaaklog (verwacht {\"type\":\"zaaklog-public-key\",\"algorithm\":\"ed25519\",…}); vraag het bestand opnieuw op bij de beheerder")
        }
        guard key.keyId == file.keyId else {
            throw LogError(.invalidRecord, "\(path): keyId \(file.keyId) hoort niet bij deze publieke sleutel (\(key.keyId)); het bestand is gewijzigd")
        }
        self = key
    }
}

/// The private half, held by the log's writers. Not `Equatable` and never printed.
struct CheckpointSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey
    let publicKey: CheckpointPublicKey

    init(seed: [UInt8]) throws {
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
        publicKey = CheckpointPublicKey(raw: Array(key.publicKey.rawRepresentation))!
    }

    static func generate() -> (CheckpointSigner, seed: [UInt8]) {
        let seed = Array(Curve25519.Signing.PrivateKey().rawRepresentation)
        return (try! CheckpointSigner(seed: seed), seed)
    }

    func sign(_ checkpoint: Checkpoint) -> CheckpointSignature {
        // Ed25519 signing fails only on a broken key, which `init` refused.
        let signature = try! key.signature(for: checkpoint.signedMessage)
        return CheckpointSignature(keyId: publicKey.keyId, bytes: Array(signature))
    }
}

/// The installation's key pair on disk (log-format §5.1, docs/audit.md): a directory outside the
/// log directory, so that a copy of the log for an auditor never carries the private key.
public enum KeyStore {
    public static let privateKeyFile = "checkpoint-ed25519.key"
    public static let publicKeyFile = "checkpoint-ed25519.pub"

    /// `$ZAAK_SLEUTELMAP` when set, else `sleutels` next to the log directory (`<data>/sleutels`
    /// for the CLI's `<data>/log`).
    public static func standardDirectory(forLog logDirectory: String) -> String {
        if let override = getenv("ZAAK_SLEUTELMAP"), override.pointee != 0 { return String(cString: override) }
        var parent = logDirectory
        while parent.count > 1, parent.hasSuffix("/") { parent.removeLast() }
        if let slash = parent.lastIndex(of: "/") {
            parent = slash == parent.startIndex ? "/" : String(parent[..<slash])
        } else {
            parent = "."
        }
        return (parent == "/" ? "" : parent) + "/sleutels"
    }

    /// Creates the key pair in `directory` unless a private key is there already, which is never
    /// overwritten. Returns the public key and whether it was made now.
    @discardableResult
    public static func create(in directory: String) throws -> (publicKey: CheckpointPublicKey, created: Bool) {
        if let existing = try signer(in: directory) {
            try writePublicKey(existing.publicKey, in: directory)
            return (existing.publicKey, false)
        }
        try Directory.create(directory)
        let (fresh, seed) = CheckpointSigner.generate()
        let contents = #"{"type":"zaaklog-private-key","algorithm":"ed25519","keyId":"\#(fresh.publicKey.keyId)","privateKey":"\#(HexBytes.encode(seed))"}"# + "\n"
        let path = directory + "/" + privateKeyFile
        // Written aside and linked into place: link(2) fails if the name exists, so a second
        // `zaak audit sleutel` running at the same moment cannot replace the first one's key.
        let temporary = path + ".\(getpid()).tmp"
        try writeNew(temporary, contents, mode: 0o600)
        defer { unlink(temporary) }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST, let winner = try signer(in: directory) {
                try writePublicKey(winner.publicKey, in: directory)
                return (winner.publicKey, false)
            }
            throw LogError(.io, "Kan \(path) niet aanmaken: \(errnoText())")
        }
        try Directory.sync(directory)
        try writePublicKey(fresh.publicKey, in: directory)
        return (fresh.publicKey, true)
    }

    private struct PrivateFileJSON: Decodable { let type: String; let algorithm: String; let keyId: String; let privateKey: String }

    /// The signer of `directory`, or nil when it holds no private key. A key file that exists but
    /// cannot be used is an error: writing unsigned checkpoints then would go unnoticed.
    static func signer(in directory: String) throws -> CheckpointSigner? {
        let path = directory + "/" + privateKeyFile
        guard Directory.exists(path) else { return nil }
        let handle: FileHandle
        do { handle = try FileHandle(path: path, flags: O_RDONLY) } catch {
            throw LogError(.unavailable, "De ondertekensleutel \(path) is niet te lezen (\(error.message)). Geef dit proces leesrecht, of zet $ZAAK_SLEUTELMAP.")
        }
        var info = stat()
        if fstat(handle.fd, &info) == 0, info.st_mode & 0o077 != 0 {
            throw LogError(.unavailable, "De ondertekensleutel \(path) is leesbaar voor anderen (rechten \(String(info.st_mode & 0o777, radix: 8))); beperk ze: chmod 600 \(path)")
        }
        let bytes = try handle.readAll()
        guard let file = try? JSONDecoder().decode(PrivateFileJSON.self, from: Data(bytes)), file.type == "zaaklog-private-key",
              file.algorithm == "ed25519", let seed = HexBytes.decode(file.privateKey), seed.count == 32,
              let signer = try? CheckpointSigner(seed: seed), signer.publicKey.keyId == file.keyId
        else {
            throw LogError(.unavailable, "De ondertekensleutel \(path) is beschadigd of geen sleutel van zaaklog; zet een reservekopie terug.")
        }
        return signer
    }

    /// The public key in `directory`, or nil when there is none.
    public static func publicKey(in directory: String) throws -> CheckpointPublicKey? {
        let path = directory + "/" + publicKeyFile
        guard Directory.exists(path) else { return nil }
        return try readPublicKey(path: path)
    }

    public static func readPublicKey(path: String) throws -> CheckpointPublicKey {
        let bytes: [UInt8]
        do { bytes = try FileHandle(path: path, flags: O_RDONLY).readAll() } catch {
            throw LogError(.invalidRecord, "Kan de publieke sleutel niet lezen: \(error.message)")
        }
        return try CheckpointPublicKey(fileContents: bytes, path: path)
    }

    /// (Re)writes the public key file beside the private key: it is derived, so rewriting it is safe.
    private static func writePublicKey(_ key: CheckpointPublicKey, in directory: String) throws {
        let path = directory + "/" + publicKeyFile
        if let existing = try? readPublicKey(path: path), existing == key { return }
        let temporary = path + ".\(getpid()).tmp"
        try writeNew(temporary, key.fileContents, mode: 0o644)
        try Directory.rename(temporary, path)
        try Directory.sync(directory)
    }

    private static func writeNew(_ path: String, _ contents: String, mode: mode_t) throws {
        unlink(path)
        let handle = try FileHandle(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        try handle.write(Array(contents.utf8), at: 0, calls: .system)
        try handle.sync(calls: .system)
    }
}
