/// Entry points for the libFuzzer target (Tests/Fuzz/LogFuzz): the segment reader and the event-line
/// decoder, run on arbitrary bytes. They must never crash, hang or read out of bounds, only refuse.
public enum FuzzTargets {
    /// Reads `bytes` as a segment file: header, frames, lines, checkpoints; returns lines accepted.
    @discardableResult
    public static func readSegment(_ bytes: [UInt8]) -> Int {
        let scanner = SegmentScanner(checkJSON: true)
        return bytes.withUnsafeBytes { raw in
            guard case let .success((first, hashes, headerEnd)) = scanner.header(of: raw) else { return 0 }
            var state = ScanState(nextPosition: first, tree: MerkleFrontier(size: first - 1, hashes: hashes))
            var lines = 0
            _ = try? scanner.scan(raw, from: headerEnd, state: &state, onLine: { _ in lines += 1; return true })
            return lines
        }
    }

    /// Decodes `bytes` as one event line (envelope and full JSON check).
    @discardableResult
    public static func decodeLine(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { try? EventLine.decode($0, checkJSON: true) } != nil
    }
}
