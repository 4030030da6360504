import Foundation

// The in-process half of benchmarks/e2e.sh: each subcommand measures one thing and prints one JSON
// object of figures; the script runs the `zaak` binary for our side, times whole processes, and
// writes the report. Run separately so that GNU time gives each rebuild its own peak RSS.
let usage = """
    usage: E2EBenchmark import-raw NDJSON LOGDIR BATCH
           E2EBenchmark import-sqlite NDJSON DB BATCH
           E2EBenchmark import-pg NDJSON CONNINFO BATCH
           E2EBenchmark rebuild-sqlite DB | rebuild-pg CONNINFO
           E2EBenchmark integrity-sqlite DB EVENTS
           E2EBenchmark latency-ours DATADIR ZAAK AFDELING RUNS
           E2EBenchmark latency-sqlite DB ZAAK AFDELING RUNS | latency-pg CONNINFO ZAAK AFDELING RUNS
    """

let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ index: Int) -> String {
    guard index < arguments.count else {
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
    return arguments[index]
}
func number(_ index: Int) -> Int {
    guard let value = Int(argument(index)), value > 0 else { FileHandle.standardError.write(Data((usage + "\n").utf8)); exit(2) }
    return value
}

do {
    switch argument(0) {
    case "import-raw": try importRaw(events: loadEvents(argument(1)), directory: argument(2), batch: number(3))
    case "import-sqlite": try importSQLite(events: loadEvents(argument(1)), path: argument(2), batch: number(3))
    case "import-pg": try importPostgreSQL(events: loadEvents(argument(1)), conninfo: argument(2), batch: number(3))
    case "rebuild-sqlite": try rebuildSQLite(path: argument(1))
    case "rebuild-pg": try rebuildPostgreSQL(conninfo: argument(1))
    case "integrity-sqlite": try integritySQLite(path: argument(1), events: number(2))
    case "latency-ours": try latencyOurs(data: argument(1), stream: argument(2), afdeling: argument(3), runs: number(4))
    case "latency-sqlite": try latencySQLite(path: argument(1), stream: argument(2), afdeling: argument(3), runs: number(4))
    case "latency-pg": try latencyPostgreSQL(conninfo: argument(1), stream: argument(2), afdeling: argument(3), runs: number(4))
    default:
        FileHandle.standardError.write(Data((usage + "\n").utf8))
        exit(2)
    }
} catch {
    progress("E2EBenchmark \(argument(0)): \(error)")
    exit(1)
}
