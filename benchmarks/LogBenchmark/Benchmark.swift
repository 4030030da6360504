#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import EventLog
import Foundation

/// Every measurement in one process, so that each ratio compares figures taken minutes apart on the
/// same machine under the same load.
struct Benchmark {
    let options: Options
    let plan: Plan

    init(options: Options) {
        self.options = options
        plan = Plan(scale: options.scale, batch: options.batch)
    }

    func run() throws -> Results {
        let base = options.directory
        let createdBase = !FileManager.default.fileExists(atPath: base)
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { if createdBase { rmdir(base) } }  // only when empty: another run may be using it
        let filesystem = Machine.filesystem(of: base)
        guard !Machine.memoryFilesystems.contains(filesystem) else {
            throw BenchmarkFailure("""
                \(base) is on \(filesystem): fdatasync does nothing there, so durable-append figures would be \
                meaningless. Use a directory on a real disk: --dir PATH (the default is ./.bench-tmp).
                """)
        }
        let scratch = base + "/run-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var machine = Machine(directory: base, filesystem: filesystem)

        progress("generating \(grouped(plan.maxEvents)) DemoTraffic events")
        let workload = Workload(events: plan.maxEvents)
        let sections = options.sections
        let appends = sections.contains(.append) ? try measureAppends(workload, in: scratch) : nil
        let singleThread = appends?.rows.first { $0.batch == 1 }?.eventLog
        let groupCommit = sections.contains(.group) ? try measureGroupCommit(workload, singleThread: singleThread, in: scratch) : nil
        let archive = sections.contains(.archive)
            ? try measureArchive(workload, sqliteBytes: appends?.sqliteBatch100Bytes, in: scratch) : nil
        let proofs = sections.contains(.proofs)
            ? try ProofMeasurements.measure(sizes: plan.proofSizes, directory: scratch + "/proofs.log", samples: plan.proofSamples) : nil
        machine.loadAtEnd = Machine.loadAverage()

        let defaults = LogConfiguration()
        return Results(
            machine: machine,
            workloadEvents: plan.maxEvents,
            meanLineBytes: Double(workload.jsonBytes(plan.maxEvents)) / Double(plan.maxEvents),
            rounds: options.rounds,
            settings: [
                "LogConfiguration defaults: roll at \(defaults.rollBytes >> 20) MiB, checkpoint every \(defaults.checkpointInterval) lines, "
                    + "sealed blocks of \(defaults.sealedBlockBytes >> 20) MiB at LZ4 HC level \(defaults.sealedCompressionLevel)",
                "except the log of section 3: rollBytes \(plan.archiveRollBytes >> 20) MiB, so that it spans several segments",
            ],
            append: appends?.rows, groupCommit: groupCommit, archive: archive?.0, sizes: archive?.1, proofs: proofs)
    }

    /// Section 1. Rounds run over all batch sizes in turn, so a burst of load from a neighbour hits
    /// one round of several figures rather than every round of one figure.
    private func measureAppends(_ workload: Workload, in scratch: String) throws -> (rows: [AppendRow], sqliteBatch100Bytes: Double) {
        var raw = [Throughput?](repeating: nil, count: plan.appends.count)
        var log = raw, sqlite = raw
        var sqliteBatch100Bytes = Double.nan
        for round in 1...options.rounds {
            for (index, (batch, events)) in plan.appends.enumerated() {
                progress("round \(round)/\(options.rounds), batch \(batch): raw ceiling, EventLog, SQLite, \(grouped(events)) events each")
                let path = scratch + "/b\(batch)-r\(round)"
                raw[index] = .best(raw[index], try RawCeiling.measure(workload, count: events, batch: batch, path: path + ".raw",
                                                                              minimumSeconds: plan.rawMinimumSeconds))
                log[index] = .best(log[index], try LogMeasurements.append(workload, count: events, batch: batch, directory: path + ".log").throughput)
                let table = try SQLiteBaseline.measure(workload, count: events, batch: batch, path: path + ".sqlite")
                sqlite[index] = .best(sqlite[index], table.throughput)
                if batch == 100 { sqliteBatch100Bytes = Double(table.fileBytes) / Double(events) }
                try remove(path + ".raw", path + ".log", path + ".sqlite", path + ".sqlite-wal", path + ".sqlite-shm")
            }
        }
        let rows = plan.appends.indices.map { AppendRow(batch: plan.appends[$0].batch, rawCeiling: raw[$0]!, eventLog: log[$0]!, sqlite: sqlite[$0]!) }
        return (rows, sqliteBatch100Bytes)
    }

    /// Section 2.
    private func measureGroupCommit(_ workload: Workload, singleThread: Throughput?, in scratch: String) throws -> GroupCommitResult {
        var best: LogMeasurements.GroupCommit?
        for round in 1...options.rounds {
            progress("round \(round)/\(options.rounds), group commit: \(plan.groupThreads) threads × \(grouped(plan.groupPerThread)) appends")
            let directory = scratch + "/group-r\(round).log"
            let result = try LogMeasurements.groupCommit(workload, threads: plan.groupThreads, perThread: plan.groupPerThread, directory: directory)
            if best == nil || result.throughput.eventsPerSecond > best!.throughput.eventsPerSecond { best = result }
            try remove(directory)
        }
        return GroupCommitResult(threads: plan.groupThreads, appendsPerThread: plan.groupPerThread, throughput: best!.throughput,
                                 eventsPerCommit: best!.eventsPerCommit,
                                 timesSingleThreadBatch1: singleThread.map { best!.throughput.eventsPerSecond / $0.eventsPerSecond })
    }

    /// Sections 3 and 4, on one log: read it open, seal it, read it sealed, verify it.
    private func measureArchive(_ workload: Workload, sqliteBytes: Double?, in scratch: String) throws -> (ArchiveResult, SizeResult) {
        let events = plan.archiveEvents
        let jsonBytes = workload.jsonBytes(events)
        let json = Double(jsonBytes)
        let directory = scratch + "/archive.log"
        var configuration = LogConfiguration()
        configuration.rollBytes = plan.archiveRollBytes
        progress("section 3: appending \(grouped(events)) events at batch 100")
        let open = try LogMeasurements.append(workload, count: events, batch: 100, directory: directory, configuration: configuration).status
        let indexBytes = fileSize(directory + "/index.sqlite") + fileSize(directory + "/index.sqlite-wal")
        let log = try EventLog(directory: directory, configuration: configuration)

        let readOpen = try bestOf("reading open segments") { try LogMeasurements.scan(log, expected: events, jsonBytes: jsonBytes) }
        progress("sealing")
        let seal = try LogMeasurements.seal(log, events: events)
        let sealedSegments = try log.status().segments.filter(\.sealed)
        let sealedEvents = sealedSegments.reduce(0) { $0 + Int($1.lastPosition - $1.firstPosition + 1) }
        guard sealedEvents == events else { throw BenchmarkFailure("after sealing, \(sealedEvents) of \(events) events are in sealed segments") }
        let readSealed = try bestOf("reading sealed segments") { try LogMeasurements.scan(log, expected: events, jsonBytes: jsonBytes) }
        let verify = try bestOf("verifying") { try LogMeasurements.verify(log, expected: events) }
        let hashing = try bestOf("hashing the lines alone") { try LogMeasurements.hashing(workload, count: events) }

        let megabytesPerSecond = { (throughput: Throughput) in json / 1e6 / throughput.seconds }
        let archive = ArchiveResult(
            events: events, segments: sealedSegments.count,
            readOpen: readOpen, readOpenMBps: megabytesPerSecond(readOpen),
            seal: seal, sealMBps: megabytesPerSecond(seal),
            readSealed: readSealed, readSealedMBps: megabytesPerSecond(readSealed),
            verifySealed: verify, verifyMBps: megabytesPerSecond(verify),
            hashing: hashing, hashingMBps: megabytesPerSecond(hashing))
        let sizes = SizeResult(
            events: events, jsonLinesPerEvent: json / Double(events),
            openSegmentsPerEvent: Double(open.fileBytes) / Double(events),
            sealedSegmentsPerEvent: Double(sealedSegments.reduce(0) { $0 + $1.fileBytes }) / Double(events),
            indexPerEvent: Double(indexBytes) / Double(events),
            sqliteBatch100PerEvent: sqliteBytes)
        return (archive, sizes)
    }

    /// Repeats a read-only measurement for every round and keeps the fastest.
    private func bestOf(_ what: String, _ measure: () throws -> Throughput) throws -> Throughput {
        var best: Throughput?
        for round in 1...options.rounds {
            progress("round \(round)/\(options.rounds), \(what)")
            best = .best(best, try measure())
        }
        return best!
    }

    /// Keeps the scratch space at one measurement's worth of data.
    private func remove(_ paths: String...) throws {
        for path in paths where FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
    }
}
