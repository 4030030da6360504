import CivilTime
import Domain
import EventLog
import LogImport
import Projections

/// The log alone, without the domain: the same lines appended in the same batches with
/// `EventLog.append` (each batch returns after fdatasync), then sealed. Beside `zaak import` it shows
/// what the domain's checks cost; beside the baselines it compares storage with storage.
func importRaw(events: [InputEvent], directory: String, batch: Int) throws {
    var figures: [(String, Any)] = [("events", events.count)]
    do {
        let log = try EventLog(directory: directory)
        let append = try timed {
            for slice in batches(events, size: batch) {
                _ = try log.append(try slice.map { try LogRecord(ndjsonLine: $0.line) })
            }
        }
        let open = try log.status()
        guard open.lastPosition == events.count else { throw BenchmarkFailure("the log holds \(open.lastPosition) events, not \(events.count)") }
        let seal = try timed {
            try log.rollActiveSegment()
            _ = try log.sealClosedSegments()
        }
        let sealed = try log.status()
        figures += [("seconds", append.seconds), ("cpu", append.cpuSeconds), ("openBytes", open.fileBytes), ("jsonBytes", sealed.rawBytes),
                    ("sealSeconds", seal.seconds), ("sealedBytes", sealed.fileBytes)]
    }
    // Measured once the log is closed: closing checkpoints the derived index's WAL into its file.
    figures.append(("indexBytes", fileSize(directory + "/index.sqlite") + fileSize(directory + "/index.sqlite-wal")))
    emit(figures)
}

/// In-process latencies on the data `zaak import` built: one zaak's events read from the log,
/// decoded and folded (what a command does before deciding), and the afdeling's queue from the
/// read models (what `zaak werkvoorraad` queries), without process start-up and printing.
func latencyOurs(data: String, stream: String, afdeling: String, runs: Int) throws {
    let log = try LogReader(directory: data + "/log")
    let sleutels = try LogSleutels(dataDirectory: data)
    var versions = 0
    let fold = try latency(runs: runs) { _ in
        var zaak: Zaak?
        for entry in try log.events(ofZaak: stream) { zaak = try evolve(zaak, ZaakGebeurtenis(logregel: entry.line, sleutels: sleutels)) }
        versions = zaak?.versie ?? 0
    }
    let lezer = try Leesmodel(alleenLezen: data + "/projecties.sqlite")
    let now = Tijdstip(milliseconden: Clock.nowMilliseconds())
    var rows = 0
    let queue = try latency(runs: runs) { _ in rows = try lezer.werkvoorraad(afdeling: afdeling, nu: now).count }
    emit([("foldMedian", fold.median), ("foldP99", fold.p99), ("versions", versions),
          ("queueMedian", queue.median), ("queueP99", queue.p99), ("queueRows", rows)])
}
