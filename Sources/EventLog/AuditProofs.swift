#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An event's RFC 9162 inclusion proof against a checkpoint (schemas/audit-proofs.md).
public struct InclusionProof: Sendable {
    public let entry: LogEntry
    public let leafHash: MerkleHash
    /// Sibling hashes from the leaf up (RFC 9162 §2.1.3.1).
    public let path: [MerkleHash]
    public let checkpoint: Checkpoint
}

/// An RFC 9162 consistency proof between two checkpoints of one log.
public struct ConsistencyProof: Sendable {
    public let from: Checkpoint
    public let to: Checkpoint
    public let path: [MerkleHash]
}

/// Makes inclusion and consistency proofs in O(log n) hashes and index lookups.
///
/// Its data is the proof index in `index.sqlite` (docs/audit.md): the hash of every perfect subtree
/// of 2^`minimumLevel` leaves or more, and every checkpoint. Opening a prover brings that index up
/// to the log's last checkpoint, reading only what was appended since the previous catch-up (the
/// first one, or one after the index was deleted, reads the whole log). Hashes below that level
/// come from the lines of one block of 256, read through the frame index.
///
/// Every proof is checked against its checkpoint before it is handed out. A proof that does not
/// check makes the prover rebuild the index from the log once; if it still does not check, the log
/// is damaged there and the error says where.
public final class AuditProver {
    /// Subtrees of 2^8 = 256 leaves and up are stored: ~80,000 rows for 10M events, and a proof
    /// hashes at most one block of 256 lines itself.
    static let minimumLevel = 8

    private let log: EventLog
    private var leafBlocks: [Int64: [MerkleHash]] = [:]
    /// The lines of the block read last: an inclusion proof takes its line from there.
    private var lastBlock: (number: Int64, lines: [[UInt8]])?
    private var rebuilt = false
    /// The last position the catch-up read: a block is never read past it (the last block of a
    /// tree is usually partial, and looking for lines that do not exist costs a scan).
    private var logEnd: Int64 = 0

    public init(log: EventLog) throws {
        self.log = log
        try catchUp()
    }

    // MARK: Checkpoints

    public func checkpoint(treeSize: Int64) throws -> Checkpoint? {
        try log.index.checkpoint(treeSize: treeSize)
    }

    /// The newest signed checkpoint whose tree holds `position`; an unsigned one only if none is signed.
    public func checkpoint(covering position: Int64) throws -> Checkpoint? {
        try log.index.checkpoint(covering: position)
    }

    /// The last checkpoint recorded before `milliseconds` (UTC, since the epoch).
    public func checkpoint(recordedBefore milliseconds: Int64) throws -> Checkpoint? {
        try log.index.checkpoint(recordedBefore: milliseconds)
    }

    /// Up to two checkpoint sizes on either side of `treeSize`, to suggest when it is not one.
    public func checkpointSizes(near treeSize: Int64) throws -> [Int64] {
        try log.index.checkpointSizes(near: treeSize)
    }

    // MARK: Proofs

    /// The inclusion proof of the line at `position` in the tree of checkpoint `checkpoint`.
    public func inclusionProof(position: Int64, against checkpoint: Checkpoint) throws -> InclusionProof {
        precondition(position >= 1 && position <= checkpoint.treeSize, "position outside the checkpoint's tree")
        let block = (position - 1) >> Self.minimumLevel
        if lastBlock?.number != block { try load(block) }
        let offset = Int(position - 1 - block << Self.minimumLevel)
        guard let lines = lastBlock?.lines, offset < lines.count, let entry = Self.entry(lines[offset], position: position) else {
            throw missing(position)
        }
        let leafHash = try leaf(position - 1)
        let path = try MerkleProof.inclusionPath(leaf: position - 1, treeSize: checkpoint.treeSize, perfect: perfect)
        guard MerkleProof.root(leaf: leafHash, index: position - 1, treeSize: checkpoint.treeSize, path: path) == checkpoint.root else {
            return try retryAfterRebuild(or: mismatch(position, "de regel op positie \(position) past niet bij het checkpoint van \(checkpoint.treeSize) gebeurtenissen")) {
                try inclusionProof(position: position, against: checkpoint)
            }
        }
        return InclusionProof(entry: entry, leafHash: leafHash, path: path, checkpoint: checkpoint)
    }

    /// The consistency proof that the tree of `from` is a prefix of the tree of `to`.
    public func consistencyProof(from: Checkpoint, to: Checkpoint) throws -> ConsistencyProof {
        precondition(from.treeSize >= 1 && from.treeSize <= to.treeSize, "from must be the smaller tree")
        let path = from.treeSize == to.treeSize ? [] : try MerkleProof.consistencyPath(from: from.treeSize, to: to.treeSize, perfect: perfect)
        guard MerkleProof.isConsistent(firstSize: from.treeSize, firstRoot: from.root, secondSize: to.treeSize, secondRoot: to.root, path: path) else {
            return try retryAfterRebuild(or: mismatch(from.treeSize, "de checkpoints van \(from.treeSize) en \(to.treeSize) gebeurtenissen zijn niet consistent: de geschiedenis ertussen is herschreven")) {
                try consistencyProof(from: from, to: to)
            }
        }
        return ConsistencyProof(from: from, to: to, path: path)
    }

    // MARK: Hashes

    /// The root of the perfect subtree over leaves [index·2^level, (index+1)·2^level).
    private func perfect(_ level: Int, _ index: Int64) throws -> MerkleHash {
        if level >= Self.minimumLevel, let hash = try log.index.subtree(level: level, index: index) { return hash }
        if level == 0 { return try leaf(index) }
        return .node(try perfect(level - 1, 2 * index), try perfect(level - 1, 2 * index + 1))
    }

    /// The leaf hash of the line at 0-based `index`, from its block of 256 lines (read once).
    private func leaf(_ index: Int64) throws -> MerkleHash {
        let block = index >> Self.minimumLevel
        let offset = Int(index - block << Self.minimumLevel)
        if leafBlocks[block] == nil { try load(block) }
        guard let hashes = leafBlocks[block], offset < hashes.count else { throw missing(index + 1) }
        return hashes[offset]
    }

    /// Reads a block of 256 lines (fewer at the end of the log): its leaf hashes, and its lines.
    private func load(_ block: Int64) throws {
        var hashes: [MerkleHash] = [], lines: [[UInt8]] = []
        let first = block << Self.minimumLevel + 1
        try log.visitLines(from: first, through: min(first + (1 << Self.minimumLevel) - 1, logEnd)) { _, line in
            hashes.append(.leaf(line))
            lines.append(Array(line))
        }
        leafBlocks[block] = hashes
        lastBlock = (block, lines)
    }

    /// A line read by `visitLines` as an entry, its envelope decoded now.
    private static func entry(_ line: [UInt8], position: Int64) -> LogEntry? {
        line.withUnsafeBytes { raw in
            guard let fields = try? EventLine.decode(raw, checkJSON: false), fields.position == position else { return nil }
            return LogEntry(position: position, id: String(decoding: raw[fields.id], as: UTF8.self),
                            zaak: String(decoding: raw[fields.zaak], as: UTF8.self), recordedAt: fields.recordedAt, line: line)
        }
    }

    // MARK: Keeping the proof index

    /// Reads the log from the last checkpoint the proof index covers to the end, recording the
    /// subtrees and checkpoints it finds (and checking every checkpoint against the lines).
    private func catchUp() throws {
        guard let snapshot = try log.snapshot() else { return }
        let segments = try log.segments().filter { $0.firstPosition <= snapshot.segment.firstPosition }
        var state = ScanState(nextPosition: 1, tree: MerkleFrontier())
        var resume: (location: LogIndex.FrameLocation, checkpoint: Checkpoint)?
        let through = try log.index.hashedThrough
        if through > 0, let checkpoint = try log.index.checkpoint(treeSize: through),
           let frontier = MerkleFrontier(size: through, hashes: checkpoint.frontier), let location = try log.index.frame(containing: through) {
            state = ScanState(nextPosition: through + 1, tree: frontier, lastRecordedAt: checkpoint.recordedAt, lastCheckpoint: checkpoint)
            resume = (location, checkpoint)
        } else if through > 0 {
            try log.index.resetProofs()
        }
        state.subtreeLevel = Self.minimumLevel
        var checkpoints: [Checkpoint] = []
        let scanner = SegmentScanner(checkJSON: false)
        let startAt = resume?.location.segment.firstPosition ?? 1
        for listed in segments where listed.firstPosition >= startAt {
            var segment: SegmentName, bytes: [UInt8], base = 0, from: Int
            if let (location, checkpoint) = resume {
                // Continue right after the checkpoint the index stopped at, if it is still there,
                // reading the segment only from the data frame before it (an active segment is
                // up to 16 MiB, of which a catch-up needs the last few frames).
                guard let tail = try? Self.tail(of: location, snapshot: snapshot, log: log),
                      let end = Self.end(of: checkpoint, in: tail, after: location) else { return try rebuild() }
                (segment, bytes, base, from) = (location.segment, tail, Int(location.offset), end)
            } else {
                (segment, bytes) = try log.readListedSegment(listed, snapshot: snapshot)
                let header = bytes.withUnsafeBytes { scanner.header(of: $0) }
                guard case let .success((first, frontier, headerEnd)) = header else {
                    throw LogError.damaged(DamageLocation(file: segment.fileName, offset: 0, position: state.nextPosition, reason: "ongeldige segmentkop"))
                }
                guard first == state.nextPosition, frontier == state.tree!.hashes else {
                    throw LogError.damaged(DamageLocation(file: segment.fileName, offset: 0, position: state.nextPosition,
                        reason: "segmentkop sluit niet aan op het vorige segment (positie \(first), verwacht \(state.nextPosition))"))
                }
                from = headerEnd
            }
            let outcome = try bytes.withUnsafeBytes { raw in
                try scanner.scan(raw, from: from, state: &state, onCheckpoint: { checkpoint, _ in checkpoints.append(checkpoint) })
            }
            if case let .invalid(offset, reason, short) = outcome {
                // A half-written last frame is an append in progress (or one `zaak log herstel` will cut off).
                guard short, !segment.sealed, listed == segments.last else {
                    throw LogError.damaged(DamageLocation(file: segment.fileName, offset: Int64(base + offset), position: state.nextPosition, reason: reason))
                }
            }
            resume = nil
        }
        logEnd = state.nextPosition - 1
        if !state.subtrees.isEmpty || !checkpoints.isEmpty {
            try log.index.write(LogIndex.ProofBatch(subtrees: state.subtrees, checkpoints: checkpoints))
        }
    }

    /// A segment's bytes from the data frame at `location` to the end (as far as the snapshot goes).
    private static func tail(of location: LogIndex.FrameLocation, snapshot: LogSnapshot, log: EventLog) throws -> [UInt8] {
        let file = try FileHandle(path: log.logPath(location.segment), flags: O_RDONLY)
        var size = try file.size()
        if location.segment == snapshot.segment { size = min(size, Int64(snapshot.size)) }
        return try file.read(at: location.offset, count: max(0, Int(size - location.offset)))
    }

    /// Where the frame of `checkpoint` ends in `bytes` (which start at the data frame `location`),
    /// if it still directly follows that frame (sealing moves frames; the index follows).
    private static func end(of checkpoint: Checkpoint, in bytes: [UInt8], after location: LogIndex.FrameLocation) -> Int? {
        bytes.withUnsafeBytes { raw -> Int? in
            guard case let .frame(bounds) = FrameWalker.frame(in: raw, at: location.length), bounds.kind == .metadata,
                  case let .success(.checkpoint(found)) = MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: raw[bounds.start..<bounds.end])),
                  found.treeSize == checkpoint.treeSize, found.root == checkpoint.root
            else { return nil }
            return bounds.end
        }
    }

    /// Builds the proof index again from the whole log.
    private func rebuild() throws {
        try log.index.resetProofs()
        leafBlocks = [:]
        lastBlock = nil
        rebuilt = true
        try catchUp()
    }

    /// A proof that did not check: rebuild once and try again, else report `failure`. A rebuild
    /// that finds the damage itself (a line that no longer fits its checkpoint) says where it is.
    private func retryAfterRebuild<T>(or failure: LogError, _ attempt: () throws -> T) throws -> T {
        guard !rebuilt else { throw failure }
        do { try rebuild() } catch let error as LogError {
            guard let damage = error.damage, let proofDamage = failure.damage else { throw error }
            throw LogError.damaged(DamageLocation(file: damage.file, offset: damage.offset, position: damage.position,
                                                  reason: proofDamage.reason.prefix { $0 != ";" } + ": " + damage.reason))
        }
        return try attempt()
    }

    private func mismatch(_ position: Int64, _ reason: String) -> LogError {
        let location = try? log.index.frame(containing: position)
        return .damaged(DamageLocation(file: location?.segment.fileName ?? "(log)", offset: location?.offset ?? 0, position: position,
                                       reason: reason))
    }

    private func missing(_ position: Int64) -> LogError {
        LogError(.unavailable, "Positie \(position) is niet in het log gevonden, hoewel een checkpoint haar dekt.", remedies: [.verify])
    }
}

extension EventLog {
    /// Visits the lines `first`…`last` (those that exist) with their positions, decompressing only
    /// the data frames that hold them, found through the frame index. Envelopes are not decoded,
    /// only the first line's position is checked against the index (a proof is checked against
    /// its checkpoint anyway): a frame of 10,000 lines costs a decompression and a split, ~1 ms.
    /// Without usable index entries, by a scan from `first`.
    func visitLines(from first: Int64, through last: Int64, _ visit: (Int64, UnsafeRawBufferPointer) throws -> Void) throws {
        var next = first
        let decoder = LZ4FrameDecoder()
        var content: [UInt8] = []
        var caughtUp = false
        while next <= last {
            if let location = try index.frame(containing: next), location.firstPosition <= next,
               let frame = try? FileHandle(path: logPath(location.segment), flags: O_RDONLY).read(at: location.offset, count: location.length),
               let after = try frame.withUnsafeBytes({ raw -> Int64? in
                   guard case let .frame(bounds) = FrameWalker.frame(in: raw, at: 0), case let .data(size) = bounds.kind, bounds.end == raw.count,
                         decoder.decode(raw, contentSize: size, into: &content) == nil
                   else { return nil }
                   return try content.withUnsafeBytes { lines -> Int64? in
                       var start = 0, position = location.firstPosition
                       while start < size, let newline = memchr(lines.baseAddress! + start, 0x0A, size - start) {
                           let end = UnsafeRawPointer(newline) - lines.baseAddress!
                           let line = UnsafeRawBufferPointer(rebasing: lines[start..<end])
                           if start == 0, (try? EventLine.decode(line, checkJSON: false))?.position != position { return nil }
                           if position >= next, position <= last { try visit(position, line) }
                           position += 1
                           start = end + 1
                       }
                       return position
                   }
               }), after > next {
                next = after
                continue
            }
            if !caughtUp {
                // The frame index may be behind the log (it is written at checkpoints).
                try catchUpIndexForReading()
                caughtUp = true
                continue
            }
            // No usable frame entry even so (one stale after a seal, say): read the log itself.
            _ = try scanLog(from: next) { line in
                guard line.position <= last else { return false }
                try visit(line.position, line.bytes)
                return true
            }
            return
        }
    }
}
