import EventLog
import LogImport

// The libFuzzer target for the segment reader, the event-line decoder and the NDJSON import (docs/fuzzing.md).
//
// Every input goes through both public fuzz entry points of EventLog, and the import format:
//
// * `FuzzTargets.readSegment(input)`: the input as a whole segment file. Seeds that are real
//   segments (Tests/Fuzz/corpus/seg-*.lz4) reach the frame walker, the LZ4 decoder, checkpoints
//   and the line checks, but most mutations inside a data frame die at its xxHash32 checksums.
// * `FuzzTargets.decodeLine(input)`: the input as one event line;
// * `LogRecord(ndjsonLine: input)` (LogImport): the input as one NDJSON record of `zaak log toevoegen`;
// * and, unless the input already starts with an LZ4 frame magic, `readSegment(wrap(input))`:
//   the input as the *text* of a segment (see `SegmentText`), turned into a valid segment with
//   correct CRC-32s, xxHash32 checksums and checkpoints. That puts fuzzed lines and metadata
//   records behind whole, valid frames, so line parsing, positions, timestamps and checkpoints are
//   exercised for real instead of stopping at a checksum.

/// libFuzzer calls this once per input. It must never crash; the library may only refuse input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = FuzzCase.run(bytes)
    return 0
}

/// What one input did; the replayer prints it with `--verbose`.
struct FuzzOutcome {
    /// Lines accepted reading the input itself as a segment.
    var segmentLines: Int
    /// Lines accepted reading the wrapped segment; nil when the input starts with a frame magic.
    var wrappedLines: Int?
    /// Whether the input decodes as one event line.
    var lineDecoded: Bool
}

enum FuzzCase {
    static func run(_ bytes: [UInt8]) -> FuzzOutcome {
        let segmentLines = FuzzTargets.readSegment(bytes)
        let lineDecoded = FuzzTargets.decodeLine(bytes)
        _ = try? LogRecord(ndjsonLine: bytes)
        var wrappedLines: Int?
        if !SegmentText.startsWithFrameMagic(bytes) {
            let lines = FuzzTargets.readSegment(SegmentText.wrap(bytes))
            wrappedLines = lines
            // Oracle: a line the decoder accepts, at position 1, is accepted by the segment reader
            // when it stands alone in a valid segment (it has no newline, so it is one chunk).
            if lineDecoded, bytes.starts(with: position1) {
                precondition(lines == 1, "line accepted by decodeLine but refused inside a valid segment")
            }
        }
        return FuzzOutcome(segmentLines: segmentLines, wrappedLines: wrappedLines, lineDecoded: lineDecoded)
    }

    private static let position1 = Array(#"{"positie":1,"#.utf8)
}

/// Builds a valid segment file (log-format.md §4–§5) from a small text language, so that fuzzed
/// content sits behind frames whose checksums are right:
///
/// * the input is split into chunks at every empty line (`\n\n`); empty chunks are dropped;
/// * `#P` (P decimal, ≥ 1) as the first chunk: the segment header for first position P, with a
///   synthetic frontier; without it the header is for position 1 (empty frontier). `#P` later on
///   writes a second header mid-segment;
/// * any other chunk starting with `#`: a checkpoint for the lines so far, with the right root and
///   frontier, and the last line's vastgelegdOp as recordedAt;
/// * a chunk starting with `{"type"`: a metadata frame with that chunk as its JSON (CRC right);
///   as the first chunk it replaces the generated header;
/// * any other chunk: one data frame whose content is the chunk (plus `\n` if it lacks one),
///   stored in uncompressed LZ4 blocks of 256 bytes (block maximum 64 KiB), so that even small
///   frames have several blocks.
enum SegmentText {
    static func startsWithFrameMagic(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 4 else { return false }
        let magic = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
        return magic == 0x184D_2204 || magic & 0xFFFF_FFF0 == 0x184D_2A50
    }

    static func wrap(_ input: [UInt8]) -> [UInt8] {
        var chunks = chunks(of: input)
        var out: [UInt8] = []
        var tree = MerkleFrontier()
        // log-format §5: a checkpoint's recordedAt is the vastgelegdOp of its last line.
        var lastRecordedAt = Array("2026-11-22T09:00:00.000Z".utf8)
        if let first = chunks.first, isMetadataJSON(first) {
            out += metadataFrame(first)
            chunks.removeFirst()
        } else {
            var firstPosition: Int64 = 1
            if let first = chunks.first, let position = headerDirective(first) {
                firstPosition = position
                chunks.removeFirst()
            }
            tree = syntheticFrontier(size: firstPosition - 1)
            out += header(firstPosition: firstPosition, frontier: tree.hashes)
        }
        for chunk in chunks {
            if let position = headerDirective(chunk) {
                out += header(firstPosition: position, frontier: syntheticFrontier(size: position - 1).hashes)
            } else if chunk.first == UInt8(ascii: "#") {
                let frontier = tree.hashes.map { "\"\($0.hex)\"" }.joined(separator: ",")
                let json = #"{"type":"checkpoint","treeSize":\#(tree.size),"root":"\#(tree.root.hex)","recordedAt":"\#(String(decoding: lastRecordedAt, as: UTF8.self))","frontier":[\#(frontier)]}"#
                out += metadataFrame(Array(json.utf8))
            } else if isMetadataJSON(chunk) {
                out += metadataFrame(chunk)
            } else {
                var content = chunk
                if content.last != 0x0A { content.append(0x0A) }
                var start = 0
                // A `#P` header near Int64.max leaves no room for the tree size; the reader refuses
                // such lines anyway (positions have at most 18 digits), so stop tracking there.
                for index in content.indices where content[index] == 0x0A {
                    if tree.size < Int64.max { content[start..<index].withUnsafeBytes { tree.append(line: $0) } }
                    if let time = recordedAt(in: content[start..<index]) { lastRecordedAt = time }
                    start = index + 1
                }
                out += dataFrame(content)
            }
        }
        return out
    }

    /// The input split at empty lines, without the empty chunks.
    static func chunks(of input: [UInt8]) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var start = 0
        var index = 0
        while index < input.count {
            if input[index] == 0x0A, index + 1 < input.count, input[index + 1] == 0x0A {
                if index > start { chunks.append(Array(input[start..<index])) }
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        if start < input.count { chunks.append(Array(input[start...])) }
        return chunks
    }

    private static let recordedKey = Array(#","vastgelegdOp":""#.utf8)

    /// The 24 bytes after the line's `,"vastgelegdOp":"`, if it has one.
    private static func recordedAt(in line: ArraySlice<UInt8>) -> [UInt8]? {
        var index = line.startIndex
        while index + recordedKey.count + 24 <= line.endIndex {
            if line[index..<(index + recordedKey.count)].elementsEqual(recordedKey) {
                return Array(line[(index + recordedKey.count)..<(index + recordedKey.count + 24)])
            }
            index += 1
        }
        return nil
    }

    private static func isMetadataJSON(_ chunk: [UInt8]) -> Bool {
        chunk.starts(with: #"{"type""#.utf8)
    }

    /// `#` followed by 1–19 digits, a position ≥ 1.
    private static func headerDirective(_ chunk: [UInt8]) -> Int64? {
        guard chunk.count >= 2, chunk.count <= 20, chunk[0] == UInt8(ascii: "#"),
              chunk.dropFirst().allSatisfy({ (48...57).contains($0) }),
              let position = Int64(String(decoding: chunk.dropFirst(), as: UTF8.self)), position >= 1
        else { return nil }
        return position
    }

    /// A frontier of the right shape for `size` lines (log-format §5), with made-up hashes.
    private static func syntheticFrontier(size: Int64) -> MerkleFrontier {
        let hashes = (0..<size.nonzeroBitCount).map { index -> MerkleHash in
            [UInt8(truncatingIfNeeded: index)].withUnsafeBytes { MerkleHash.leaf($0) }
        }
        return MerkleFrontier(size: size, hashes: hashes)!
    }

    private static func header(firstPosition: Int64, frontier: [MerkleHash]) -> [UInt8] {
        let hashes = frontier.map { "\"\($0.hex)\"" }.joined(separator: ",")
        let json = #"{"type":"segment","format":1,"firstPosition":\#(firstPosition),"frontier":[\#(hashes)]}"#
        return metadataFrame(Array(json.utf8))
    }

    /// A skippable frame: magic 0x184D2A5A, length, CRC-32 of the payload, payload (§5).
    static func metadataFrame(_ payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 12)
        appendLittleEndian(0x184D_2A5A, to: &out)
        appendLittleEndian(UInt32(truncatingIfNeeded: payload.count + 4), to: &out)
        appendLittleEndian(Checksum.crc32(payload[...]), to: &out)
        out += payload
        return out
    }

    /// A standard LZ4 frame with FLG 0x7C (block independence, block and content checksums,
    /// content size), block maximum 64 KiB, every block 256 bytes or less and stored uncompressed (§4).
    static func dataFrame(_ content: [UInt8]) -> [UInt8] {
        let blockSize = 256
        var out: [UInt8] = [0x04, 0x22, 0x4D, 0x18]
        var descriptor: [UInt8] = [0x7C, 0x40]
        for shift in stride(from: 0, to: 64, by: 8) { descriptor.append(UInt8(truncatingIfNeeded: UInt64(content.count) >> UInt64(shift))) }
        out += descriptor
        out.append(UInt8(truncatingIfNeeded: Checksum.xxh32(descriptor[...]) >> 8))
        var start = 0
        while start < content.count {
            let block = content[start..<min(start + blockSize, content.count)]
            appendLittleEndian(UInt32(block.count) | 0x8000_0000, to: &out)
            out += block
            appendLittleEndian(Checksum.xxh32(block), to: &out)
            start += blockSize
        }
        appendLittleEndian(0, to: &out)
        appendLittleEndian(Checksum.xxh32(content[...]), to: &out)
        return out
    }

    private static func appendLittleEndian(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}

/// The two checksums of the format, written out here because EventLog keeps its own internal and
/// this target may depend on EventLog only.
enum Checksum {
    private static let crcTable: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }

    /// CRC-32/ISO-HDLC (zlib.crc32).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    private static let prime1: UInt32 = 2_654_435_761
    private static let prime2: UInt32 = 2_246_822_519
    private static let prime3: UInt32 = 3_266_489_917
    private static let prime4: UInt32 = 668_265_263
    private static let prime5: UInt32 = 374_761_393

    private static func rotl(_ value: UInt32, _ count: UInt32) -> UInt32 { value << count | value >> (32 - count) }

    /// XXH32 with seed 0, as the LZ4 frame format uses it.
    static func xxh32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        func lane(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        var index = bytes.startIndex
        let end = bytes.endIndex
        var hash: UInt32
        if bytes.count >= 16 {
            var v1 = prime1 &+ prime2, v2 = prime2, v3: UInt32 = 0, v4 = 0 &- prime1
            func round(_ accumulator: UInt32, _ input: UInt32) -> UInt32 { rotl(accumulator &+ input &* prime2, 13) &* prime1 }
            while end - index >= 16 {
                v1 = round(v1, lane(index)); v2 = round(v2, lane(index + 4))
                v3 = round(v3, lane(index + 8)); v4 = round(v4, lane(index + 12))
                index += 16
            }
            hash = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
        } else {
            hash = prime5
        }
        hash = hash &+ UInt32(truncatingIfNeeded: bytes.count)
        while end - index >= 4 {
            hash = rotl(hash &+ lane(index) &* prime3, 17) &* prime4
            index += 4
        }
        while index < end {
            hash = rotl(hash &+ UInt32(bytes[index]) &* prime5, 11) &* prime1
            index += 1
        }
        hash ^= hash >> 15
        hash = hash &* prime2
        hash ^= hash >> 13
        hash = hash &* prime3
        hash ^= hash >> 16
        return hash
    }
}
