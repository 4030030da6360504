import CivilTime
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A segment file's name: `seg-<first position, 20 digits>.(open|sealed).lz4` (log-format §2).
public struct SegmentName: Sendable, Hashable, Comparable {
    public let firstPosition: Int64
    public let sealed: Bool

    public init(firstPosition: Int64, sealed: Bool) {
        self.firstPosition = firstPosition
        self.sealed = sealed
    }

    public var fileName: String {
        let digits = String(firstPosition)
        return "seg-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + (sealed ? ".sealed.lz4" : ".open.lz4")
    }

    public init?(fileName: String) {
        let parts = fileName.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "lz4", parts[1] == "open" || parts[1] == "sealed",
              parts[0].hasPrefix("seg-"), parts[0].count == 24,
              parts[0].dropFirst(4).allSatisfy({ $0.isASCII && $0.isNumber }),
              let first = Int64(parts[0].dropFirst(4)), first >= 1
        else { return nil }
        self.init(firstPosition: first, sealed: parts[1] == "sealed")
    }

    public static func < (lhs: SegmentName, rhs: SegmentName) -> Bool {
        (lhs.firstPosition, lhs.sealed ? 1 : 0) < (rhs.firstPosition, rhs.sealed ? 1 : 0)
    }
}

/// One line as the scanner hands it out; `bytes` is only valid during the visit.
struct LineView {
    let position: Int64
    let recordedAt: Int64
    let bytes: UnsafeRawBufferPointer
    let fields: EventLine.Fields

    var id: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[fields.id]) }
    var zaak: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[fields.zaak]) }

    func entry() -> LogEntry {
        LogEntry(position: position, id: String(decoding: id, as: UTF8.self), zaak: String(decoding: zaak, as: UTF8.self),
                 recordedAt: recordedAt, line: Array(bytes))
    }
}

/// What the scanner knows after a frame: the resume point for the next frame or segment.
struct ScanState {
    var nextPosition: Int64
    /// Tracked only when hashes are wanted (recovery, verify, sealing); plain reads skip hashing.
    var tree: MerkleFrontier?
    var lastRecordedAt: Int64 = Int64.min
    var lastCheckpoint: Checkpoint?
    var linesSinceCheckpoint = 0
    /// When the first line after the last checkpoint was recorded (nil: there is none).
    var firstUncoveredAt: Int64?
    /// When set, the perfect subtrees the lines complete at this level or above are collected in
    /// `subtrees` (the proof index).
    var subtreeLevel: Int?
    var subtrees: [MerkleSubtree] = []
    /// Tree sizes (ascending) whose roots a verifier compares with checkpoints an auditor kept;
    /// each one passed moves to `foundRoots`, with the offset of the data frame holding its last line.
    var wantedRoots: ArraySlice<Int64> = []
    var foundRoots: [(treeSize: Int64, root: MerkleHash, frameOffset: Int)] = []
}

enum ScanOutcome: Equatable, Error {
    /// Every byte belonged to a whole, valid frame.
    case complete(end: Int)
    /// The visitor asked to stop after the frame ending here.
    case stoppedByVisitor(end: Int)
    /// The frame at `offset` is not whole and valid. `short`: the bytes end inside it, which at the
    /// end of the active segment is a write that did not finish (a torn tail, log-format §8); any
    /// other invalid frame, even the last, is damage.
    case invalid(offset: Int, reason: String, short: Bool)
}

extension ScanOutcome {
    /// Where an `.invalid` outcome lies, for an error message; nil for a scan that went through.
    func damage(in segment: SegmentName, position: Int64) -> DamageLocation? {
        guard case let .invalid(offset, reason, _) = self else { return nil }
        return DamageLocation(file: segment.fileName, offset: Int64(offset), position: position, reason: reason)
    }
}

/// A data frame as seen by the scanner: where it is and which positions it holds.
struct DataFrameInfo {
    let bounds: FrameBounds
    let firstPosition: Int64
    let count: Int
}

/// Walks the frames of one segment, checking everything log-format §10 asks. Not thread-safe.
final class SegmentScanner {
    private let decoder = LZ4FrameDecoder()
    private var content: [UInt8] = []
    private var lines: [(range: Range<Int>, fields: EventLine.Fields)] = []
    private var timestamps = EventLine.TimestampMemo()
    var checkJSON: Bool

    init(checkJSON: Bool) {
        self.checkJSON = checkJSON
    }

    /// Reads the header frame at the start of a segment; nil result means the header is unusable.
    func header(of bytes: UnsafeRawBufferPointer) -> Result<(firstPosition: Int64, frontier: [MerkleHash], end: Int), ScanOutcome> {
        switch FrameWalker.frame(in: bytes, at: 0) {
        case .truncated:
            // Segments are created whole by a rename (log-format §8): a short header is damage.
            return .failure(.invalid(offset: 0, reason: "segmentkop onvolledig", short: false))
        case let .invalid(reason):
            return .failure(.invalid(offset: 0, reason: reason, short: false))
        case let .frame(bounds):
            guard bounds.kind == .metadata else {
                return .failure(.invalid(offset: 0, reason: "segment begint niet met een segmentkop", short: false))
            }
            switch MetadataRecord.parse(UnsafeRawBufferPointer(rebasing: bytes[bounds.start..<bounds.end])) {
            case let .success(.segmentHeader(first, frontier)):
                return .success((first, frontier, bounds.end))
            case .success(.checkpoint):
                return .failure(.invalid(offset: 0, reason: "segment begint met een checkpoint in plaats van een segmentkop", short: false))
            case let .failure(failure):
                return .failure(.invalid(offset: 0, reason: failure.reason, short: false))
            }
        }
    }

    /// Scans frames from `offset` (just after the header, or a resume point) to the end of `bytes`.
    /// `onFrame` sees each valid data frame before its lines; `onLine` returns false to stop after the frame.
    func scan(
        _ bytes: UnsafeRawBufferPointer,
        from offset: Int,
        state: inout ScanState,
        onFrame: (DataFrameInfo) throws -> Void = { _ in },
        onCheckpoint: (Checkpoint, FrameBounds) throws -> Void = { _, _ in },
        onLine: (LineView) throws -> Bool = { _ in true }
    ) rethrows -> ScanOutcome {
        var cursor = offset
        // A checkpoint directly follows the data frame it speaks of (log-format §5).
        var afterDataFrame = false
        while cursor < bytes.count {
            func invalid(_ reason: String) -> ScanOutcome {
                .invalid(offset: cursor, reason: reason, short: false)
            }
            let bounds: FrameBounds
            switch FrameWalker.frame(in: bytes, at: cursor) {
            case .truncated: return .invalid(offset: cursor, reason: "frame loopt door tot na het einde van het bestand", short: true)
            case let .invalid(reason): return invalid(reason)
            case let .frame(found): bounds = found
            }
            let frameBytes = UnsafeRawBufferPointer(rebasing: bytes[bounds.start..<bounds.end])
            switch bounds.kind {
            case .metadata:
                switch MetadataRecord.parse(frameBytes) {
                case let .failure(failure):
                    return invalid(failure.reason)
                case .success(.segmentHeader):
                    return invalid("tweede segmentkop midden in een segment")
                case let .success(.checkpoint(checkpoint)):
                    guard afterDataFrame else { return invalid("checkpoint staat niet direct na een dataframe") }
                    guard checkpoint.recordedAt == state.lastRecordedAt else {
                        return invalid("checkpoint noemt vastgelegdOp \(Timestamp.format(millisecondsSinceEpoch: checkpoint.recordedAt)), de regel ervoor \(Timestamp.format(millisecondsSinceEpoch: state.lastRecordedAt))")
                    }
                    guard checkpoint.treeSize == state.nextPosition - 1 else {
                        return invalid("checkpoint voor boomgrootte \(checkpoint.treeSize) staat na positie \(state.nextPosition - 1)")
                    }
                    if let tree = state.tree, tree.root != checkpoint.root || tree.hashes != checkpoint.frontier {
                        let since = state.nextPosition - Int64(state.linesSinceCheckpoint)
                        return invalid("checkpoint-wortel \(checkpoint.root.hex) klopt niet; herberekend: \(tree.root.hex). "
                            + "Een regel op positie \(since)–\(checkpoint.treeSize) is gewijzigd, of het checkpoint zelf")
                    }
                    try onCheckpoint(checkpoint, bounds)
                    state.lastCheckpoint = checkpoint
                    state.linesSinceCheckpoint = 0
                    state.firstUncoveredAt = nil
                    afterDataFrame = false
                }
            case let .data(contentSize):
                if let reason = decoder.decode(frameBytes, contentSize: contentSize, into: &content) {
                    return invalid(reason)
                }
                if let reason = splitLines(contentSize: contentSize, state: state) {
                    return invalid(reason)
                }
                let info = DataFrameInfo(bounds: bounds, firstPosition: state.nextPosition, count: lines.count)
                try onFrame(info)
                var keepGoing = true
                try content.withUnsafeBytes { raw in
                    for (range, fields) in lines {
                        let line = UnsafeRawBufferPointer(rebasing: raw[range])
                        if let level = state.subtreeLevel {
                            state.tree!.append(leaf: .leaf(line), keepingFrom: level, into: &state.subtrees)
                        } else {
                            state.tree?.append(line: line)
                        }
                        if state.wantedRoots.first == fields.position, let tree = state.tree {
                            state.foundRoots.append((fields.position, tree.root, bounds.start))
                            state.wantedRoots.removeFirst()
                        }
                        let view = LineView(position: fields.position, recordedAt: fields.recordedAt, bytes: line, fields: fields)
                        if keepGoing, try !onLine(view) { keepGoing = false }
                    }
                }
                state.nextPosition += Int64(lines.count)
                state.firstUncoveredAt = state.firstUncoveredAt ?? lines[0].fields.recordedAt
                state.lastRecordedAt = lines.last!.fields.recordedAt
                state.linesSinceCheckpoint += lines.count
                afterDataFrame = true
                if !keepGoing { return .stoppedByVisitor(end: bounds.end) }
            }
            cursor = bounds.end
        }
        return .complete(end: cursor)
    }

    /// Splits and checks the decompressed lines of one data frame before any of them is handed out,
    /// so a frame is accepted whole or not at all.
    private func splitLines(contentSize: Int, state: ScanState) -> String? {
        lines.removeAll(keepingCapacity: true)
        return content.withUnsafeBytes { raw -> String? in
            let raw = UnsafeRawBufferPointer(rebasing: raw[0..<contentSize])
            guard raw.last == 0x0A else { return "frame-inhoud eindigt niet met een regeleinde" }
            var start = 0
            var expected = state.nextPosition
            var lastTime = state.lastRecordedAt
            var memo = timestamps
            defer { timestamps = memo }
            while start < raw.count {
                guard let found = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) else { return "regel zonder regeleinde" }
                let newline = UnsafeRawPointer(found) - raw.baseAddress!
                let range = start..<newline
                let fields: EventLine.Fields
                do throws(EventLine.Failure) {
                    fields = try EventLine.decode(UnsafeRawBufferPointer(rebasing: raw[range]), checkJSON: checkJSON, timestamps: &memo)
                } catch {
                    return "regel voor positie \(expected): \(error.reason)"
                }
                guard fields.position == expected else { return "positie \(fields.position) gevonden waar \(expected) verwacht werd" }
                guard fields.recordedAt >= lastTime else { return "vastgelegdOp van positie \(expected) ligt vóór die van de vorige regel" }
                lines.append((range.lowerBound..<range.upperBound, fields))
                lastTime = fields.recordedAt
                expected += 1
                start = newline + 1
            }
            return nil
        }
    }
}
