import Foundation

/// The targets of BRIEF §6 this harness checks.
enum Targets {
    static let shareOfCeiling = 0.60
    static let timesSQLite = 3.0
    static let verifyEventsPerSecond = 1_000_000.0
    static let proofMilliseconds = 10.0
    static let sealedShareOfJSON = 0.25
}

struct AppendRow: Codable {
    let batch: Int
    let rawCeiling: Throughput
    let eventLog: Throughput
    let sqlite: Throughput
    let shareOfCeiling: Double
    let timesSQLite: Double

    init(batch: Int, rawCeiling: Throughput, eventLog: Throughput, sqlite: Throughput) {
        self.batch = batch
        self.rawCeiling = rawCeiling
        self.eventLog = eventLog
        self.sqlite = sqlite
        shareOfCeiling = eventLog.eventsPerSecond / rawCeiling.eventsPerSecond
        timesSQLite = eventLog.eventsPerSecond / sqlite.eventsPerSecond
    }
}

struct GroupCommitResult: Codable {
    let threads: Int
    let appendsPerThread: Int
    let throughput: Throughput
    let eventsPerCommit: Double
    /// nil when section 1 did not run.
    let timesSingleThreadBatch1: Double?
}

struct ArchiveResult: Codable {
    let events: Int
    let segments: Int
    let readOpen: Throughput
    let readOpenMBps: Double
    let seal: Throughput
    let sealMBps: Double
    let readSealed: Throughput
    let readSealedMBps: Double
    let verifySealed: Throughput
    let verifyMBps: Double
    /// The same run's floor under verify: Merkle hashing of the lines alone, one thread.
    let hashing: Throughput
    let hashingMBps: Double
}

struct SizeResult: Codable {
    let events: Int
    let jsonLinesPerEvent: Double
    let openSegmentsPerEvent: Double
    let sealedSegmentsPerEvent: Double
    let indexPerEvent: Double
    /// nil when section 1 did not run.
    let sqliteBatch100PerEvent: Double?
}

struct Results: Codable {
    var machine: Machine
    let workloadEvents: Int
    let meanLineBytes: Double
    let rounds: Int
    let settings: [String]
    // Each section is nil when `--only` left it out.
    let append: [AppendRow]?
    let groupCommit: GroupCommitResult?
    let archive: ArchiveResult?
    let sizes: SizeResult?
    let proofs: [ProofMeasurements.Row]?

    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The plain-text report: every figure with its ratio and target.
    func text() -> String {
        var out = header()
        if let append { out += appendSection(append) }
        if let groupCommit { out += groupCommitSection(groupCommit) }
        if let archive { out += archiveSection(archive) }
        if let sizes { out += sizeSection(sizes) }
        if let proofs { out += proofSection(proofs) }
        return out
    }

    private func header() -> String {
        var lines = [
            "zaaklog append-only log benchmark (benchmarks/LogBenchmark)",
            "  date      \(machine.date)",
            "  commit    \(machine.commit)",
            "  machine   nproc \(machine.nproc); \(machine.cpuModel); \(machine.kernel)",
            "  temp dir  \(machine.directory) (\(machine.filesystem))",
            "  load avg  \(machine.loadAtStart) at start; \(machine.loadAtEnd) at end (1, 5, 15 min)",
            "  workload  DemoTraffic seed \(Workload.seed): \(grouped(workloadEvents)) events, mean JSON line \(fixed(meanLineBytes, 1)) B incl. newline",
            "  method    best of \(rounds) round(s) per figure; a fresh log, file or database for every measurement",
        ]
        lines += settings.enumerated().map { ($0.offset == 0 ? "  settings  " : "            ") + $0.element }
        return lines.joined(separator: "\n") + "\n\n"
    }

    private func verdict(_ met: Bool) -> String { met ? "yes" : "NO" }

    private func appendSection(_ append: [AppendRow]) -> String {
        var table = TextTable(["batch", "events", "raw ceiling", "EventLog", "of ceiling", "≥60%", "naive SQLite", "EventLog/SQLite", "≥3×"])
        for row in append {
            table.add([grouped(row.batch), grouped(row.eventLog.events), grouped(row.rawCeiling.eventsPerSecond),
                       grouped(row.eventLog.eventsPerSecond), percent(row.shareOfCeiling), verdict(row.shareOfCeiling >= Targets.shareOfCeiling),
                       grouped(row.sqlite.eventsPerSecond), times(row.timesSQLite), verdict(row.timesSQLite >= Targets.timesSQLite)])
        }
        var cpu = TextTable(["batch", "raw ceiling", "EventLog", "naive SQLite"])
        for row in append {
            cpu.add([grouped(row.batch)] + [row.rawCeiling, row.eventLog, row.sqlite].map { fixed($0.cpuMicrosecondsPerEvent, 2) })
        }
        return "1. Durable append from one thread, events/s (every append returns after fdatasync)\n" + table.render()
            + "\n   CPU time per event, µs (user + system, same runs; near 1e6 / events/s means CPU-bound)\n" + cpu.render() + "\n"
    }

    private func groupCommitSection(_ groupCommit: GroupCommitResult) -> String {
        let versusSingle = groupCommit.timesSingleThreadBatch1.map { ratio in
            " = \(times(ratio)) one thread at batch 1 (\(grouped(append!.first { $0.batch == 1 }!.eventLog.eventsPerSecond)) events/s)"
        } ?? ""
        return """
            2. Group commit: \(groupCommit.threads) threads × \(grouped(groupCommit.appendsPerThread)) appends of 1 event, one log
              EventLog  \(grouped(groupCommit.throughput.eventsPerSecond)) events/s\(versusSingle)
              grouping  \(fixed(groupCommit.eventsPerCommit, 1)) events per write + fdatasync on average
              CPU       \(fixed(groupCommit.throughput.cpuMicrosecondsPerEvent, 2)) µs per event (all threads)


            """
    }

    private func archiveSection(_ a: ArchiveResult) -> String {
        var table = TextTable(["what", "events/s", "MB/s JSON", "CPU µs/event", "target", "met"])
        func add(_ what: String, _ figure: Throughput, _ megabytesPerSecond: Double, target: String = "", met: String = "") {
            table.add([what, grouped(figure.eventsPerSecond), fixed(megabytesPerSecond, 0), fixed(figure.cpuMicrosecondsPerEvent, 2), target, met])
        }
        add("read from 1, open segments", a.readOpen, a.readOpenMBps)
        add("seal: roll + recompress (LZ4 HC)", a.seal, a.sealMBps)
        add("read from 1, sealed segments", a.readSealed, a.readSealedMBps)
        add("verify, sealed log", a.verifySealed, a.verifyMBps, target: "≥ \(grouped(Targets.verifyEventsPerSecond))",
            met: verdict(a.verifySealed.eventsPerSecond >= Targets.verifyEventsPerSecond))
        add("baseline: Merkle hashing alone, 1 thread", a.hashing, a.hashingMBps)
        return "3. Read, seal and verify: \(grouped(a.events)) events in \(a.segments) sealed segment(s), appended at batch 100 (warm page cache)\n"
            + table.render()
            + "   verify (all cores: decompress, checksums, JSON, ids, tree, signatures) = \(times(a.verifySealed.eventsPerSecond / a.hashing.eventsPerSecond)) "
            + "the hashing baseline (the tree alone over the same lines in memory, one thread)\n\n"
    }

    private func sizeSection(_ s: SizeResult) -> String {
        var table = TextTable(["what", "bytes/event", "of JSON Lines", "target", "met"])
        func row(_ what: String, _ perEvent: Double, target: String = "", met: String = "") {
            table.add([what, fixed(perEvent, 1), percent(perEvent / s.jsonLinesPerEvent), target, met])
        }
        row("JSON Lines (what lz4 -dc prints)", s.jsonLinesPerEvent)
        row("open segments (frames of 100 events)", s.openSegmentsPerEvent)
        let sealedShare = s.sealedSegmentsPerEvent / s.jsonLinesPerEvent
        row("sealed segments", s.sealedSegmentsPerEvent, target: "≤ 25%", met: verdict(sealedShare <= Targets.sealedShareOfJSON))
        row("derived index.sqlite (+ -wal), not the log", s.indexPerEvent)
        if let sqlite = s.sqliteBatch100PerEvent { row("naive SQLite table (batch 100 run)", sqlite) }
        return "4. Bytes per event on disk (\(grouped(s.events)) events)\n" + table.render()
    }
}

extension Results {
    fileprivate func proofSection(_ rows: [ProofMeasurements.Row]) -> String {
        var table = TextTable(["events", "append s", "catch-up s", "inclusion ms", "max", "hashes", "cold ms", "consistency ms", "max", "hashes", "< 10 ms"])
        for row in rows {
            let met = max(row.inclusion.medianMilliseconds, row.coldInclusion.medianMilliseconds, row.consistency.medianMilliseconds) < Targets.proofMilliseconds
            table.add([grouped(row.events), fixed(row.appendSeconds, 1), fixed(row.catchUpSeconds, 2),
                       fixed(row.inclusion.medianMilliseconds, 2), fixed(row.inclusion.maxMilliseconds, 2), String(row.inclusionPathHashes),
                       fixed(row.coldInclusion.medianMilliseconds, 2), fixed(row.consistency.medianMilliseconds, 2),
                       fixed(row.consistency.maxMilliseconds, 2), String(row.consistencyPathHashes), verdict(met)])
        }
        let samples = rows.first.map { "\($0.inclusion.samples) random positions and older checkpoints per size" } ?? ""
        return """

            5. RFC 9162 proofs on one synthetic log (lines of ~110 B, commits of 10,000, open segments), grown size by size; \(samples)
            \(table.render())   append: growing to that size; catch-up: opening a prover, which indexes what was appended since the last size;
               inclusion and consistency: medians with a prover open; cold: a new process's way (open the log, open a prover, one proof);
               hashes: the longest path (32 bytes each; ~67 bytes in the JSON)

            """
    }
}

/// Columns two spaces apart: the first left-aligned (labels), the others right-aligned (figures).
struct TextTable {
    private var rows: [[String]]

    init(_ headers: [String]) { rows = [headers] }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            "  " + row.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ").replacing(/\ +$/, with: "")
        }.joined(separator: "\n") + "\n"
    }
}
