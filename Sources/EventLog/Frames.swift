import CLZ4
import CivilTime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// LZ4 frame constants of log-format §4–§5.
enum FrameFormat {
    static let dataMagic: UInt32 = 0x184D_2204
    static let metadataMagic: UInt32 = 0x184D_2A5A
    /// Version 01, block independence, block checksum, content size, content checksum.
    static let dataFlags: UInt8 = 0x7C
    /// Largest frame content a writer produces or a reader accepts in one piece.
    static let maxContentSize = 64 << 20
    static let maxMetadataSize = 64 << 10
}

/// Where one frame lies in a segment, found from its headers alone.
struct FrameBounds: Equatable {
    enum Kind: Equatable {
        case data(contentSize: Int)
        case metadata
    }
    let start: Int
    let end: Int
    let kind: Kind
}

enum FrameWalk: Equatable {
    case frame(FrameBounds)
    /// The bytes end inside this frame.
    case truncated
    /// Not a frame zaaklog writes; the reason says why.
    case invalid(String)
}

enum FrameWalker {
    /// Reads the frame starting at `offset` from its headers, without decompressing it.
    static func frame(in bytes: UnsafeRawBufferPointer, at offset: Int) -> FrameWalk {
        let available = bytes.count - offset
        guard available >= 4 else { return .truncated }
        let magic = bytes.littleEndianUInt32(at: offset)
        if magic == FrameFormat.metadataMagic {
            guard available >= 8 else { return .truncated }
            let length = Int(bytes.littleEndianUInt32(at: offset + 4))
            guard length >= 4, length <= FrameFormat.maxMetadataSize else { return .invalid("metadataframe met ongeldige lengte \(length)") }
            guard available >= 8 + length else { return .truncated }
            return .frame(FrameBounds(start: offset, end: offset + 8 + length, kind: .metadata))
        }
        if magic & 0xFFFF_FFF0 == 0x184D_2A50 { return .invalid("onbekend overslaanbaar frame (magic \(String(magic, radix: 16)))") }
        guard magic == FrameFormat.dataMagic else { return .invalid("geen LZ4-frame (magic \(String(magic, radix: 16)))") }
        let headerLength = 4 + 2 + 8 + 1
        guard available >= headerLength else { return .truncated }
        guard bytes[offset + 4] == FrameFormat.dataFlags else { return .invalid("LZ4-frame met onverwachte vlaggen \(bytes[offset + 4])") }
        let descriptor = bytes[offset + 5]
        let sizeID = Int(descriptor >> 4 & 7)
        guard descriptor & 0x8F == 0, sizeID >= 4 else { return .invalid("LZ4-frame met ongeldige blokgrootte") }
        let blockMax = 1 << (8 + 2 * sizeID)
        var contentSize: UInt64 = 0
        for index in 0..<8 { contentSize |= UInt64(bytes[offset + 6 + index]) << (8 * UInt64(index)) }
        guard contentSize > 0, contentSize <= UInt64(FrameFormat.maxContentSize) else {
            return .invalid("LZ4-frame met ongeldige inhoudsgrootte \(contentSize)")
        }
        var cursor = offset + headerLength
        while true {
            guard bytes.count - cursor >= 4 else { return .truncated }
            let word = bytes.littleEndianUInt32(at: cursor)
            cursor += 4
            if word == 0 { break }
            let size = Int(word & 0x7FFF_FFFF)
            guard size <= blockMax else { return .invalid("LZ4-blok groter dan de blokgrootte van het frame") }
            cursor += size + 4
            guard cursor <= bytes.count else { return .truncated }
        }
        cursor += 4  // content checksum
        guard cursor <= bytes.count else { return .truncated }
        // LZ4 expands at most ~255×: a larger claim is damage, refused before any buffer is allocated.
        guard contentSize <= UInt64(cursor - offset) * 255 else { return .invalid("LZ4-frame claimt meer inhoud dan het kan bevatten") }
        return .frame(FrameBounds(start: offset, end: cursor, kind: .data(contentSize: Int(contentSize))))
    }
}

/// LZ4 frame compression with the flags of log-format §4.
enum LZ4Frames {
    /// `level` 0 is LZ4 fast (open segments); 3…12 is LZ4 HC (sealed segments).
    static func compress(_ content: UnsafeRawBufferPointer, level: Int32) -> [UInt8] {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max4MB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        preferences.frameInfo.blockChecksumFlag = LZ4F_blockChecksumEnabled
        preferences.frameInfo.contentSize = UInt64(content.count)
        preferences.compressionLevel = level
        let bound = LZ4F_compressFrameBound(content.count, &preferences)
        var out = [UInt8](repeating: 0, count: bound)
        let written = out.withUnsafeMutableBytes { destination in
            LZ4F_compressFrame(destination.baseAddress, bound, content.baseAddress, content.count, &preferences)
        }
        precondition(LZ4F_isError(written) == 0, "LZ4F_compressFrame: \(String(cString: LZ4F_getErrorName(written)))")
        out.removeLast(bound - written)
        return out
    }
}

/// Decompresses whole data frames, checking every checksum. One per reader; not thread-safe.
final class LZ4FrameDecoder {
    private let context: OpaquePointer

    init() {
        var context: OpaquePointer?
        let result = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        precondition(LZ4F_isError(result) == 0 && context != nil, "kan geen LZ4-decompressiecontext maken")
        self.context = context!
    }

    deinit { LZ4F_freeDecompressionContext(context) }

    /// Decompresses `frame` into `output` (resized to the content size); returns nil with a reason on damage.
    func decode(_ frame: UnsafeRawBufferPointer, contentSize: Int, into output: inout [UInt8]) -> String? {
        if output.count < contentSize { output = [UInt8](repeating: 0, count: contentSize) }
        var options = LZ4F_decompressOptions_t()
        options.stableDst = 1
        var produced = contentSize
        var consumed = frame.count
        let hint = output.withUnsafeMutableBytes { destination in
            LZ4F_decompress(context, destination.baseAddress, &produced, frame.baseAddress, &consumed, &options)
        }
        if LZ4F_isError(hint) != 0 {
            LZ4F_resetDecompressionContext(context)
            return "LZ4: \(String(cString: LZ4F_getErrorName(hint)))"
        }
        guard hint == 0, consumed == frame.count, produced == contentSize else {
            LZ4F_resetDecompressionContext(context)
            return "LZ4-frame onvolledig (\(produced) van \(contentSize) bytes)"
        }
        return nil
    }
}

/// The records of metadata frames (log-format §5).
enum MetadataRecord: Equatable {
    case segmentHeader(firstPosition: Int64, frontier: [MerkleHash])
    case checkpoint(Checkpoint)

    var json: String {
        switch self {
        case let .segmentHeader(firstPosition, frontier):
            let hashes = frontier.map { "\"\($0.hex)\"" }.joined(separator: ",")
            return #"{"type":"segment","format":1,"firstPosition":\#(firstPosition),"frontier":[\#(hashes)]}"#
        case let .checkpoint(checkpoint):
            let hashes = checkpoint.frontier.map { "\"\($0.hex)\"" }.joined(separator: ",")
            let signature = checkpoint.signature.map { #","signature":{"keyId":"\#($0.keyId)","ed25519":"\#($0.hex)"}"# } ?? ""
            return #"{"type":"checkpoint","treeSize":\#(checkpoint.treeSize),"root":"\#(checkpoint.root.hex)","recordedAt":"\#(Timestamp.format(millisecondsSinceEpoch: checkpoint.recordedAt))","frontier":[\#(hashes)]\#(signature)}"#
        }
    }

    /// The whole skippable frame: magic, length, CRC-32, JSON.
    var frame: [UInt8] { Self.frame(json: json) }

    static func frame(json: String) -> [UInt8] {
        let payload = Array(json.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 12)
        out.appendLittleEndian(FrameFormat.metadataMagic)
        out.appendLittleEndian(UInt32(payload.count + 4))
        out.appendLittleEndian(CRC32.checksum(payload))
        out.append(contentsOf: payload)
        return out
    }

    /// The JSON shapes of log-format §5, decoded in one pass: every member optional here, required
    /// per type below. `JSONDecoder` refuses what the spec forbids (`true` or `1.5` for a position),
    /// which a loosely typed parse would let through. Unknown members are ignored (§5).
    private struct RecordJSON: Decodable {
        struct SignatureJSON: Decodable { let keyId: String; let ed25519: String }
        let type: String
        let format: Int?
        let firstPosition: Int64?
        let treeSize: Int64?
        let root: String?
        let recordedAt: String?
        let frontier: [String]?
        let signature: SignatureJSON?
    }

    /// Parses a whole metadata frame; the error text says what is wrong with it.
    static func parse(_ frame: UnsafeRawBufferPointer) -> Result<MetadataRecord, FormatFailure> {
        let payload = UnsafeRawBufferPointer(rebasing: frame[12...])
        guard frame.littleEndianUInt32(at: 8) == CRC32.checksum(payload) else { return .failure(FormatFailure("CRC-32 van metadataframe klopt niet")) }
        return parse(json: payload)
    }

    /// Parses the JSON of a metadata record.
    static func parse(json payload: UnsafeRawBufferPointer) -> Result<MetadataRecord, FormatFailure> {
        guard let record = try? JSONDecoder().decode(RecordJSON.self, from: Data(payload)) else {
            return .failure(FormatFailure("metadataframe bevat geen geldig JSON-object met type, of een lid heeft het verkeerde type"))
        }
        func hashes(_ hexes: [String]) -> [MerkleHash]? {
            let parsed = hexes.compactMap(MerkleHash.init(hex:))
            return parsed.count == hexes.count ? parsed : nil
        }
        switch record.type {
        case "segment":
            guard let format = record.format, let firstPosition = record.firstPosition, let hexes = record.frontier else {
                return .failure(FormatFailure("segmentkop mist format, firstPosition of frontier"))
            }
            guard format == 1 else { return .failure(FormatFailure("onbekende formaatversie \(format)")) }
            guard firstPosition >= 1, let frontier = hashes(hexes), frontier.count == (firstPosition - 1).nonzeroBitCount
            else { return .failure(FormatFailure("segmentkop heeft een ongeldige firstPosition of frontier")) }
            return .success(.segmentHeader(firstPosition: firstPosition, frontier: frontier))
        case "checkpoint":
            guard let treeSize = record.treeSize, treeSize >= 1, let root = record.root.flatMap(MerkleHash.init(hex:)),
                  let time = record.recordedAt.flatMap({ Timestamp.parse(Array($0.utf8)) }), let hexes = record.frontier
            else { return .failure(FormatFailure("checkpoint mist treeSize, root, recordedAt of frontier, of ze zijn ongeldig")) }
            guard let frontier = hashes(hexes), let tree = MerkleFrontier(size: treeSize, hashes: frontier), tree.root == root else {
                return .failure(FormatFailure("checkpoint heeft een frontier die niet bij treeSize en root past"))
            }
            var signature: CheckpointSignature?
            if let signed = record.signature {
                guard let parsed = CheckpointSignature(keyId: signed.keyId, hex: signed.ed25519) else {
                    return .failure(FormatFailure("checkpoint heeft een handtekening zonder geldige keyId (16 hexcijfers) of ed25519 (128 hexcijfers)"))
                }
                signature = parsed
            }
            return .success(.checkpoint(Checkpoint(treeSize: treeSize, root: root, recordedAt: time, frontier: frontier, signature: signature)))
        default:
            return .failure(FormatFailure("onbekend metadatatype '\(record.type)'"))
        }
    }
}

/// A claim that the Merkle tree over lines 1…treeSize has this root. The frontier lets a writer
/// resume the tree from here without reading the lines before it; the signature, when present,
/// is the installation's (log-format §5.1).
public struct Checkpoint: Sendable, Equatable {
    public let treeSize: Int64
    public let root: MerkleHash
    public let recordedAt: Int64
    public let frontier: [MerkleHash]
    public let signature: CheckpointSignature?

    init(tree: MerkleFrontier, recordedAt: Int64) {
        treeSize = tree.size
        root = tree.root
        self.recordedAt = recordedAt
        frontier = tree.hashes
        signature = nil
    }

    /// A checkpoint as an auditor holds it (schemas/audit-proofs.md): without the frontier, which
    /// only a writer resuming the tree needs.
    public init(treeSize: Int64, root: MerkleHash, recordedAt: Int64, signature: CheckpointSignature?) {
        self.init(treeSize: treeSize, root: root, recordedAt: recordedAt, frontier: [], signature: signature)
    }

    init(treeSize: Int64, root: MerkleHash, recordedAt: Int64, frontier: [MerkleHash], signature: CheckpointSignature? = nil) {
        self.treeSize = treeSize
        self.root = root
        self.recordedAt = recordedAt
        self.frontier = frontier
        self.signature = signature
    }

    public var recordedAtText: String { Timestamp.format(millisecondsSinceEpoch: recordedAt) }
}

/// Why some bytes are not what log-format.md describes.
struct FormatFailure: Error, Equatable {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
