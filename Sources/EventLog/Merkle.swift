import Crypto

/// A SHA-256 value kept inline (no heap allocation per hash: the verifier makes millions).
public struct MerkleHash: Hashable, Sendable, CustomStringConvertible {
    private var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0

    init(digest: SHA256Digest) {
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: source) }
        }
    }

    /// Parses 64 lowercase hex digits.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 {
            guard let high = Self.nibble(digits[2 * index]), let low = Self.nibble(digits[2 * index + 1]) else { return nil }
            bytes[index] = high << 4 | low
        }
        bytes.withUnsafeBytes { source in withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: source) } }
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: return digit - 48
        case 97...102: return digit - 87
        default: return nil
        }
    }

    public var hex: String {
        withUnsafeBytes(of: self) { raw in
            let alphabet = Array("0123456789abcdef".utf8)
            var out = [UInt8](); out.reserveCapacity(64)
            for byte in raw { out.append(alphabet[Int(byte >> 4)]); out.append(alphabet[Int(byte & 15)]) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    public var description: String { hex }

    /// RFC 9162: the root of the empty tree is the hash of the empty string.
    public static let empty = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    /// RFC 9162 leaf hash: SHA-256(0x00 ‖ leaf).
    public static func leaf(_ bytes: UnsafeRawBufferPointer) -> MerkleHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: bytes)
        return MerkleHash(digest: hasher.finalize())
    }

    /// RFC 9162 node hash: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        withUnsafeBytes(of: UInt8(1)) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: left) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: right) { hasher.update(bufferPointer: $0) }
        return MerkleHash(digest: hasher.finalize())
    }
}

/// The compact state of an append-only Merkle tree: the roots of its perfect subtrees, largest
/// first (log-format §6). Appending and taking the root cost O(log n) hashes.
public struct MerkleFrontier: Sendable, Equatable {
    public private(set) var size: Int64
    public private(set) var hashes: [MerkleHash]

    public init() {
        size = 0
        hashes = []
    }

    /// Restores a frontier from a segment header; nil when the hash count does not fit the size.
    public init?(size: Int64, hashes: [MerkleHash]) {
        guard size >= 0, hashes.count == size.nonzeroBitCount else { return nil }
        self.size = size
        self.hashes = hashes
    }

    public mutating func append(leaf: MerkleHash) {
        hashes.append(leaf)
        var bits = size
        while bits & 1 == 1 {
            let right = hashes.removeLast()
            let left = hashes.removeLast()
            hashes.append(.node(left, right))
            bits >>= 1
        }
        size += 1
    }

    public mutating func append(line: UnsafeRawBufferPointer) {
        append(leaf: .leaf(line))
    }

    public var root: MerkleHash {
        guard var root = hashes.last else { return .empty }
        for hash in hashes.dropLast().reversed() { root = .node(hash, root) }
        return root
    }
}
