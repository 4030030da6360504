/// One segment as `zaak log status` shows it.
public struct SegmentStatus: Sendable {
    public let file: String
    public let sealed: Bool
    public let firstPosition: Int64
    public let lastPosition: Int64
    public let fileBytes: Int
    /// Bytes of the JSON Lines the segment decodes to.
    public let rawBytes: Int
    public let dataFrames: Int
    public let checkpoints: Int
}

public struct LogStatus: Sendable {
    public let directory: String
    public let segments: [SegmentStatus]
    public let lastPosition: Int64
    public let lastCheckpoint: Checkpoint?
    /// The Merkle root over every line, recomputed from the last segment's header.
    public let root: MerkleHash
    /// Half a frame at the end of the last, open segment: a write that never finished.
    public let tornTail: DamageLocation?
    /// Any other invalid frame in the last segment: damage, which stops writes.
    public let damage: DamageLocation?

    public var fileBytes: Int { segments.reduce(0) { $0 + $1.fileBytes } }
    public var rawBytes: Int { segments.reduce(0) { $0 + $1.rawBytes } }
}

extension EventLog {
    /// Sizes and positions per segment, without decompressing any but the last segment.
    public func status() throws -> LogStatus {
        let segments = try self.segments()
        var result: [SegmentStatus] = []
        var lastCheckpoint: Checkpoint?
        var root = MerkleHash.empty
        var tornTail: DamageLocation?, damage: DamageLocation?
        var lastPosition: Int64 = 0
        for (number, segment) in segments.enumerated() {
            let bytes = try readSegment(segment)
            var rawBytes = 0, dataFrames = 0, checkpoints = 0, offset = 0
            bytes.withUnsafeBytes { raw in
                while case let .frame(bounds) = FrameWalker.frame(in: raw, at: offset) {
                    switch bounds.kind {
                    case let .data(contentSize):
                        rawBytes += contentSize
                        dataFrames += 1
                    case .metadata:
                        if case let .success(.checkpoint(checkpoint)) = MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: raw[bounds.start..<bounds.end])) {
                            checkpoints += 1
                            lastCheckpoint = checkpoint
                        }
                    }
                    offset = bounds.end
                }
            }
            if number + 1 < segments.count {
                lastPosition = segments[number + 1].firstPosition - 1
            } else {
                // The last segment: its last position and the current root need its lines.
                let scanner = SegmentScanner(checkJSON: false)
                if case let .success((first, hashes, headerEnd)) = bytes.withUnsafeBytes({ scanner.header(of: $0) }),
                   let frontier = MerkleFrontier(size: first - 1, hashes: hashes) {
                    var state = ScanState(nextPosition: first, tree: frontier)
                    let outcome = try bytes.withUnsafeBytes { try scanner.scan($0, from: headerEnd, state: &state) }
                    if case let .invalid(_, _, short) = outcome, short, !segment.sealed {
                        tornTail = outcome.damage(in: segment, position: state.nextPosition)
                    } else {
                        damage = outcome.damage(in: segment, position: state.nextPosition)
                    }
                    lastPosition = state.nextPosition - 1
                    root = state.tree!.root
                } else {
                    damage = DamageLocation(file: segment.fileName, offset: 0, position: segment.firstPosition, reason: "ongeldige segmentkop")
                    lastPosition = segment.firstPosition - 1
                }
            }
            result.append(SegmentStatus(file: segment.fileName, sealed: segment.sealed, firstPosition: segment.firstPosition,
                                        lastPosition: lastPosition, fileBytes: bytes.count, rawBytes: rawBytes,
                                        dataFrames: dataFrames, checkpoints: checkpoints))
        }
        return LogStatus(directory: directory, segments: result, lastPosition: lastPosition,
                         lastCheckpoint: lastCheckpoint, root: root, tornTail: tornTail, damage: damage)
    }
}
