import DemoTraffic
import Domain
import EventLog
import Foundation

// Decoding log lines on one core with the hand decoder over JSONReader, the only event decoder:
// `ZaakGebeurtenis(logregel:)` as a replay reads the log, and `init(json:)`, the strict reading an
// import does. (Until the Codable decoding left production this also timed JSONDecoder, at about a
// tenth of the speed; benchmarks/README keeps that figure.) Run it through benchmarks/decode.sh.

struct Options {
    var zaken = 4000
    var rounds = 5
    /// Only the hand decoder, for a profiler (`perf record`); no report.
    var fastOnly = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let option = rest.popFirst() {
            if option == "--fast-only" { fastOnly = true; continue }
            guard let value = rest.popFirst().flatMap({ Int($0) }), value > 0 else { throw Usage(option: option) }
            switch option {
            case "--zaken": zaken = value
            case "--rounds": rounds = value
            default: throw Usage(option: option)
            }
        }
    }

    struct Usage: Error, CustomStringConvertible {
        let option: String
        var description: String { "unknown option or missing number: \(option)\nusage: DecodeBenchmark [--zaken N] [--rounds N] [--fast-only]" }
    }
}

/// The JSON Lines the log writes for `records` (log-format §3), without their newlines.
func logLines(_ records: [LogRecord]) -> [[UInt8]] {
    var recordedAt = DemoTraffic.november2026
    return records.enumerated().map { index, record in
        recordedAt += 250
        var line = Array(#"{"positie":\#(index + 1),"id":"\#(record.id)","zaak":"\#(record.zaak)","vastgelegdOp":""#.utf8)
        line += Array(Tijdstip(milliseconden: recordedAt).description.utf8) + Array(#"","#.utf8) + record.body.dropFirst()
        return line
    }
}

/// One pass of `decode` over `lines`: this thread's CPU seconds (what a busy neighbour on a shared
/// machine does not inflate), wall seconds, and a checksum that keeps the results alive.
func measure(_ lines: [[UInt8]], _ decode: ([UInt8]) throws -> ZaakGebeurtenis) rethrows -> (cpu: Double, wall: Double, check: Int) {
    func now(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
    var check = 0
    let (cpu, wall) = (now(CLOCK_THREAD_CPUTIME_ID), now(CLOCK_MONOTONIC))
    for line in lines { check &+= try decode(line).versie }
    return (now(CLOCK_THREAD_CPUTIME_ID) - cpu, now(CLOCK_MONOTONIC) - wall, check)
}

func run() throws {
    let options = try Options(Array(CommandLine.arguments.dropFirst()))
    let traffic = DemoTraffic(seed: 2026, startMilliseconds: DemoTraffic.november2026, days: 30)
    let lines = logLines(traffic.records(zaakCount: options.zaken))
    let bytes = lines.reduce(0) { $0 + $1.count }

    // Both readings must give the same events before their speed means anything.
    for line in lines {
        guard try ZaakGebeurtenis(logregel: line, sleutels: ZonderSleutels()) == ZaakGebeurtenis(json: line) else { throw Mismatch(line: String(decoding: line, as: UTF8.self)) }
    }

    if options.fastOnly {
        for _ in 0..<options.rounds { _ = try measure(lines) { try ZaakGebeurtenis(logregel: $0, sleutels: ZonderSleutels()) } }
        return
    }

    var best = (replay: (cpu: Double.infinity, wall: Double.infinity), strict: (cpu: Double.infinity, wall: Double.infinity))
    for _ in 0..<options.rounds {
        let replay = try measure(lines) { try ZaakGebeurtenis(logregel: $0, sleutels: ZonderSleutels()) }
        let strict = try measure(lines) { try ZaakGebeurtenis(json: $0) }
        guard replay.check == strict.check else { throw Mismatch(line: "checksums differ") }
        best.replay = (min(best.replay.cpu, replay.cpu), min(best.replay.wall, replay.wall))
        best.strict = (min(best.strict.cpu, strict.cpu), min(best.strict.wall, strict.wall))
    }

    func rate(_ seconds: Double) -> String { String(format: "%9.0f events/s %7.1f MB/s", Double(lines.count) / seconds, Double(bytes) / seconds / 1e6) }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    print("""
    Decoding log lines on one core with the hand decoder, fastest of \(options.rounds) rounds
    lines: \(lines.count) from DemoTraffic(seed: 2026), \(options.zaken) zaken; \(bytes / lines.count) bytes per line on average
    machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; load average at end \(load)

                                    by CPU time of the thread            by wall-clock time
    ZaakGebeurtenis(logregel:)  \(rate(best.replay.cpu))   \(rate(best.replay.wall))
    ZaakGebeurtenis(json:)      \(rate(best.strict.cpu))   \(rate(best.strict.wall))

    target: ≥ 500,000 events/s for logregel:
    """)
}

struct Mismatch: Error, CustomStringConvertible {
    let line: String
    var description: String { "the two readings differ on: \(line)" }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("DecodeBenchmark: \(error)\n".utf8))
    exit(1)
}
