#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one seal did.
public struct SealReport: Sendable, Equatable {
    public let segment: String
    public let lines: Int
    public let openBytes: Int
    public let sealedBytes: Int
}

extension EventLog {
    /// Writes a checkpoint over the lines after the last one, now or (`onlyIfDue`) once the oldest
    /// of them is `checkpointMaxAge` old; nil when nothing was written.
    @discardableResult
    public func checkpointUncoveredLines(onlyIfDue: Bool = false) throws -> Checkpoint? {
        try withExclusiveWriter { try $0.checkpointUncoveredLines(onlyIfDue: onlyIfDue) }
    }

    /// Closes the active segment (when it holds lines) so that it, too, can be sealed.
    public func rollActiveSegment() throws {
        try withExclusiveWriter { try $0.roll() }
    }

    /// Recompresses every closed open segment into large LZ4 HC blocks (log-format §7). Appends go on
    /// meanwhile: closed segments are immutable and only the rename needs the directory. Two sealers
    /// never work at once (`SEAL` lock); a second one returns without doing anything.
    @discardableResult
    public func sealClosedSegments() throws -> [SealReport] {
        let sealLock = try FileHandle(path: directory + "/SEAL", flags: O_RDWR | O_CREAT)
        guard sealLock.tryLockExclusive() else { return [] }
        defer { sealLock.unlock() }
        // A sealer that died mid-write left its temp file; no other sealer runs now.
        for name in try Directory.entries(directory) where name.hasSuffix(".sealed.lz4.tmp") {
            try Directory.remove(directory + "/" + name)
        }
        var reports: [SealReport] = []
        let all = try Directory.entries(directory).compactMap(SegmentName.init(fileName:)).sorted()
        guard let highest = all.map(\.firstPosition).max() else { return [] }
        let sealedFirsts = Set(all.filter(\.sealed).map(\.firstPosition))
        for segment in all where !segment.sealed && segment.firstPosition < highest {
            if sealedFirsts.contains(segment.firstPosition) {
                // A crash between rename and delete: the sealed twin was checked before its rename.
                try Directory.remove(logPath(segment))
                try Directory.sync(directory)
                continue
            }
            reports.append(try seal(segment))
        }
        return reports
    }

    private func seal(_ segment: SegmentName) throws -> SealReport {
        let openBytes = try readSegment(segment)
        let scanner = SegmentScanner(checkJSON: false)
        let header = openBytes.withUnsafeBytes { scanner.header(of: $0) }
        guard case let .success((first, hashes, headerEnd)) = header, first == segment.firstPosition,
              let frontier = MerkleFrontier(size: first - 1, hashes: hashes)
        else { throw LogError.damaged(DamageLocation(file: segment.fileName, offset: 0, position: segment.firstPosition, reason: "ongeldige segmentkop")) }

        // Regroup the lines into blocks of about `sealedBlockBytes`, each followed by a checkpoint.
        // A block also ends wherever the open segment has a checkpoint, and that checkpoint is
        // carried over (signed now if it was not and there is a key): auditors keep checkpoints,
        // and sealing must not make the log lose one they were given.
        let signer = try self.signer()
        var output = MetadataRecord.segmentHeader(firstPosition: first, frontier: hashes).frame
        var block: [UInt8] = []
        var blockLastTime: Int64 = 0
        var state = ScanState(nextPosition: first, tree: frontier)
        var blockTree = frontier
        var frames: [(SegmentName, DataFrameInfo)] = []
        var written: [Checkpoint] = []
        let sealed = SegmentName(firstPosition: first, sealed: true)
        var blockFirst = first
        func flush(carrying original: Checkpoint? = nil) {
            guard !block.isEmpty else { return }
            let frame = block.withUnsafeBytes { LZ4Frames.compress($0, level: configuration.sealedCompressionLevel) }
            let count = Int(blockTree.size + 1 - blockFirst)
            frames.append((sealed, DataFrameInfo(bounds: FrameBounds(start: output.count, end: output.count + frame.count, kind: .data(contentSize: block.count)),
                                                 firstPosition: blockFirst, count: count)))
            output += frame
            let checkpoint = (original ?? Checkpoint(tree: blockTree, recordedAt: blockLastTime)).signed(by: signer)
            output += MetadataRecord.checkpoint(checkpoint).frame
            written.append(checkpoint)
            block.removeAll(keepingCapacity: true)
            blockFirst = blockTree.size + 1
        }
        let outcome = try openBytes.withUnsafeBytes { raw in
            try scanner.scan(raw, from: headerEnd, state: &state, onCheckpoint: { checkpoint, _ in
                // The scanner checked it against the tree, which `blockTree` is too.
                flush(carrying: checkpoint)
            }, onLine: { line in
                // A full block is closed only when the next line comes, so that a checkpoint right
                // after its last line is the one carried over rather than a second one made.
                if block.count >= configuration.sealedBlockBytes { flush() }
                block.append(contentsOf: line.bytes)
                block.append(0x0A)
                blockTree.append(line: line.bytes)
                blockLastTime = line.recordedAt
                return true
            })
        }
        guard case .complete = outcome else { throw LogError.damaged(outcome.damage(in: segment, position: state.nextPosition)!) }
        flush()

        // Check the new file reads back to the same lines and root before it replaces anything.
        var check = ScanState(nextPosition: first, tree: frontier)
        let checkOutcome = try output.withUnsafeBytes { raw in try scanner.scan(raw, from: headerEnd, state: &check) }
        guard case .complete = checkOutcome, check.nextPosition == state.nextPosition, check.tree == state.tree else {
            throw LogError(.io, "Verzegelen van \(segment.fileName) afgebroken: de nieuwe versie leest niet terug als het origineel")
        }

        let path = logPath(sealed)
        let temporary = path + ".tmp"
        do {
            let handle = try FileHandle(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
            try handle.write(output, at: 0, calls: configuration.calls)
            try handle.sync(calls: configuration.calls)
            try Directory.rename(temporary, path)
            try Directory.sync(directory)
        } catch {
            try? Directory.remove(temporary)
            throw error
        }
        try? index.replaceFrames(of: first, with: frames)
        try? index.record(written)  // the proof index learns the new and newly signed checkpoints
        try Directory.remove(logPath(segment))
        try Directory.sync(directory)
        return SealReport(segment: sealed.fileName, lines: Int(state.nextPosition - first), openBytes: openBytes.count, sealedBytes: output.count)
    }
}
