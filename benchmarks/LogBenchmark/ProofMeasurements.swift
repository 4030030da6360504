import EventLog
import Foundation

/// Section 5: RFC 9162 proofs on one synthetic log grown to ever larger sizes. The log is made of
/// short synthetic lines (not DemoTraffic) in commits of 10,000, so that reaching 10M events takes
/// about a minute; a proof's cost depends on the tree and one frame of lines, not on line content.
enum ProofMeasurements {
    struct Row: Codable {
        let events: Int
        /// Wall seconds to append the events added since the previous size (durable commits of 10,000).
        let appendSeconds: Double
        /// Opening a prover: bringing the proof index up to the log (the increment since the last size).
        let catchUpSeconds: Double
        let inclusion: Latency
        let inclusionPathHashes: Int
        /// A fresh process's way: open the log, open a prover (nothing to catch up), one proof.
        let coldInclusion: Latency
        let consistency: Latency
        let consistencyPathHashes: Int
    }

    struct Latency: Codable {
        let samples: Int
        let medianMilliseconds: Double
        let maxMilliseconds: Double

        init(_ seconds: [Double]) {
            let sorted = seconds.sorted()
            samples = sorted.count
            medianMilliseconds = sorted[sorted.count / 2] * 1000
            maxMilliseconds = sorted.last! * 1000
        }
    }

    static let batch = 10_000

    static func measure(sizes: [Int], directory: String, samples: Int) throws -> [Row] {
        let log = try EventLog(directory: directory)
        var appended = 0
        var rows: [Row] = []
        var random = SystemRandomNumberGenerator()
        for size in sizes {
            progress("section 5: growing the synthetic log to \(grouped(size)) events")
            let appendSeconds = try ContinuousClock().measure {
                while appended < size {
                    let count = min(batch, size - appended)
                    try log.append((appended + 1...appended + count).map(record))
                    appended += count
                }
            }.seconds
            var prover: AuditProver?
            let catchUp = try ContinuousClock().measure { prover = try AuditProver(log: log) }.seconds
            guard let prover, let checkpoint = try prover.checkpoint(treeSize: Int64(size)) else {
                throw BenchmarkFailure("no checkpoint at \(size) events: commits of \(batch) should end on one")
            }
            progress("section 5: \(samples) inclusion and consistency proofs at \(grouped(size)) events")
            var inclusion: [Double] = [], consistency: [Double] = [], cold: [Double] = []
            var inclusionHashes = 0, consistencyHashes = 0
            for sample in 0..<samples {
                let position = Int64.random(in: 1...Int64(size), using: &random)
                var proof: InclusionProof?
                inclusion.append(try ContinuousClock().measure { proof = try prover.inclusionProof(position: position, against: checkpoint) }.seconds)
                inclusionHashes = max(inclusionHashes, proof!.path.count)
                guard MerkleProof.root(leaf: proof!.leafHash, index: position - 1, treeSize: checkpoint.treeSize, path: proof!.path) == checkpoint.root else {
                    throw BenchmarkFailure("the inclusion proof of \(position) does not verify")
                }
                // An older checkpoint (every commit of 10,000 ends on one) against the newest.
                let older = Int64.random(in: 1...Int64(size / batch), using: &random) * Int64(batch)
                guard let from = try prover.checkpoint(treeSize: older) else { throw BenchmarkFailure("no checkpoint at \(older)") }
                var path: [MerkleHash] = []
                consistency.append(try ContinuousClock().measure { path = try prover.consistencyProof(from: from, to: checkpoint).path }.seconds)
                consistencyHashes = max(consistencyHashes, path.count)
                if sample < max(3, samples / 10) {
                    cold.append(try ContinuousClock().measure {
                        let reader = try LogReader(directory: directory)
                        _ = try AuditProver(reader: reader).inclusionProof(position: position, against: checkpoint)
                    }.seconds)
                }
            }
            rows.append(Row(events: size, appendSeconds: appendSeconds, catchUpSeconds: catchUp,
                            inclusion: Latency(inclusion), inclusionPathHashes: inclusionHashes, coldInclusion: Latency(cold),
                            consistency: Latency(consistency), consistencyPathHashes: consistencyHashes))
        }
        return rows
    }

    /// A short event line's body: ~110 bytes with the envelope the log adds.
    private static func record(_ number: Int) -> LogRecord {
        LogRecord(id: "s-\(number)", zaak: "Z-2026-\(String(number % 50_000 + 1_000_000).dropFirst())",
                  json: #"{"type":"BerichtOntvangen","n":\#(number)}"#)
    }
}
