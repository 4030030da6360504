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
        guard let bytes = HexBytes.decode(hex), bytes.count == 32 else { return nil }
        bytes.withUnsafeBytes { source in withUnsafeMutableBytes(of: &self) { $0.copyMemory(from: source) } }
    }

    public var hex: String { withUnsafeBytes(of: self) { HexBytes.encode($0) } }

    /// The 32 bytes of the hash.
    public var bytes: [UInt8] { withUnsafeBytes(of: self) { Array($0) } }

    public var description: String { hex }

    /// RFC 9162: the root of the empty tree is the hash of the empty string.
    public static let empty = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    // Each hash is one call with its input in one buffer: every `update` of swift-crypto's SHA256
    // costs a dynamic exclusivity check and a call into BoringSSL, noticeable in `verify`, which
    // makes two hashes per line.

    private static func hash(_ input: UnsafeRawBufferPointer) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(bufferPointer: input)
        return MerkleHash(digest: hasher.finalize())
    }

    /// RFC 9162 leaf hash: SHA-256(0x00 ‖ leaf).
    public static func leaf(_ bytes: UnsafeRawBufferPointer) -> MerkleHash {
        withUnsafeTemporaryAllocation(byteCount: bytes.count + 1, alignment: 1) { input in
            input[0] = 0
            UnsafeMutableRawBufferPointer(rebasing: input[1...]).copyMemory(from: bytes)
            return hash(UnsafeRawBufferPointer(input))
        }
    }

    /// RFC 9162 node hash: SHA-256(0x01 ‖ left ‖ right).
    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 1) { input in
            input[0] = 1
            withUnsafeBytes(of: left) { UnsafeMutableRawBufferPointer(rebasing: input[1..<33]).copyMemory(from: $0) }
            withUnsafeBytes(of: right) { UnsafeMutableRawBufferPointer(rebasing: input[33..<65]).copyMemory(from: $0) }
            return hash(UnsafeRawBufferPointer(input))
        }
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
        add(leaf) { _, _ in }
    }

    /// Appends a leaf and collects every perfect subtree it completes at `minimumLevel` or above:
    /// what the proof index stores (right children included, which no frontier keeps).
    mutating func append(leaf: MerkleHash, keepingFrom minimumLevel: Int, into subtrees: inout [MerkleSubtree]) {
        let end = size + 1
        add(leaf) { level, hash in
            if level >= minimumLevel { subtrees.append(MerkleSubtree(level: level, index: end >> level - 1, hash: hash)) }
        }
    }

    /// Binary addition (log-format §6); `merged` sees each node made, with its level.
    @inline(__always)
    private mutating func add(_ leaf: MerkleHash, merged: (Int, MerkleHash) -> Void) {
        hashes.append(leaf)
        var bits = size
        var level = 0
        while bits & 1 == 1 {
            let right = hashes.removeLast()
            let left = hashes.removeLast()
            let node = MerkleHash.node(left, right)
            hashes.append(node)
            level += 1
            merged(level, node)
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

/// The root of the perfect subtree over leaves [index·2^level, (index+1)·2^level).
struct MerkleSubtree: Equatable {
    let level: Int
    let index: Int64
    let hash: MerkleHash
}

/// RFC 9162 §2.1.3–2.1.4: inclusion and consistency proofs. Generation takes the hash of any
/// perfect subtree from `perfect`; verification needs nothing but the proof.
public enum MerkleProof {
    /// The largest power of two smaller than `n` (n > 1).
    static func split(_ n: Int64) -> Int64 {
        Int64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    /// MTH(D[start..<start+count]); `start` is a multiple of the subtrees the recursion asks for,
    /// as RFC 9162's recursions guarantee.
    static func rangeHash(_ start: Int64, _ count: Int64, perfect: (Int, Int64) throws -> MerkleHash) rethrows -> MerkleHash {
        if count.nonzeroBitCount == 1 {
            let level = count.trailingZeroBitCount
            return try perfect(level, start >> level)
        }
        let k = split(count)
        return .node(try rangeHash(start, k, perfect: perfect), try rangeHash(start + k, count - k, perfect: perfect))
    }

    /// PATH(m, D[n]) of RFC 9162 §2.1.3.1, for the leaf with 0-based index `m`, bottom-up.
    static func inclusionPath(leaf m: Int64, treeSize n: Int64, perfect: (Int, Int64) throws -> MerkleHash) rethrows -> [MerkleHash] {
        var path: [MerkleHash] = []
        func walk(_ m: Int64, _ start: Int64, _ n: Int64) throws {
            guard n > 1 else { return }
            let k = split(n)
            if m < k {
                try walk(m, start, k)
                path.append(try rangeHash(start + k, n - k, perfect: perfect))
            } else {
                try walk(m - k, start + k, n - k)
                path.append(try rangeHash(start, k, perfect: perfect))
            }
        }
        try walk(m, 0, n)
        return path
    }

    /// PROOF(m, D[n]) of RFC 9162 §2.1.4.1, for 0 < m ≤ n.
    static func consistencyPath(from m: Int64, to n: Int64, perfect: (Int, Int64) throws -> MerkleHash) rethrows -> [MerkleHash] {
        var path: [MerkleHash] = []
        func subproof(_ m: Int64, _ start: Int64, _ n: Int64, _ complete: Bool) throws {
            if m == n {
                if !complete { path.append(try rangeHash(start, n, perfect: perfect)) }
                return
            }
            let k = split(n)
            if m <= k {
                try subproof(m, start, k, complete)
                path.append(try rangeHash(start + k, n - k, perfect: perfect))
            } else {
                try subproof(m - k, start + k, n - k, false)
                path.append(try rangeHash(start, k, perfect: perfect))
            }
        }
        try subproof(m, 0, n, true)
        return path
    }

    /// RFC 9162 §2.1.3.2: the root that `path` leads to from the leaf hash at 0-based `index` in a
    /// tree of `treeSize`; nil when the path has the wrong length for them.
    public static func root(leaf: MerkleHash, index: Int64, treeSize: Int64, path: [MerkleHash]) -> MerkleHash? {
        guard index >= 0, index < treeSize else { return nil }
        var fn = index, sn = treeSize - 1, r = leaf
        for p in path {
            guard sn != 0 else { return nil }
            if fn & 1 == 1 || fn == sn {
                r = .node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = .node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? r : nil
    }

    /// RFC 9162 §2.1.4.2: whether `path` proves that the tree of `firstSize` with `firstRoot` is a
    /// prefix of the tree of `secondSize` with `secondRoot`.
    public static func isConsistent(firstSize: Int64, firstRoot: MerkleHash, secondSize: Int64, secondRoot: MerkleHash, path: [MerkleHash]) -> Bool {
        guard firstSize >= 1, firstSize <= secondSize else { return false }
        if firstSize == secondSize { return path.isEmpty && firstRoot == secondRoot }
        var proof = path[...]
        if firstSize.nonzeroBitCount == 1 { proof.insert(firstRoot, at: proof.startIndex) }
        guard let first = proof.first else { return false }
        var fn = firstSize - 1, sn = secondSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = first, sr = first
        for c in proof.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = .node(c, fr)
                sr = .node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = .node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == firstRoot && sr == secondRoot && sn == 0
    }
}
