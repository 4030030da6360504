import DemoTraffic
import Domain
import EventLog
import Foundation

// Decoding log lines on one core: `ZaakGebeurtenis(logregel:)` (the hand decoder over JSONReader)
// against Foundation's JSONDecoder in the same run, which is what `init(logregel:)` did before.
// Run it through benchmarks/decode.sh; the report names every figure.

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

    // Both must give the same events before their speed means anything.
    for line in lines {
        let fast = try ZaakGebeurtenis(logregel: line)
        let foundation = try JSONDecoder().decode(ZaakGebeurtenis.self, from: Data(line))
        guard fast == foundation else { throw Mismatch(line: String(decoding: line, as: UTF8.self)) }
    }

    if options.fastOnly {
        for _ in 0..<options.rounds { _ = try measure(lines) { try ZaakGebeurtenis(logregel: $0) } }
        return
    }

    var best = (foundation: (cpu: Double.infinity, wall: Double.infinity), fast: (cpu: Double.infinity, wall: Double.infinity))
    for _ in 0..<options.rounds {
        // Exactly what init(logregel:) did before: a decoder and a Data copy per line.
        let foundation = try measure(lines) { try JSONDecoder().decode(ZaakGebeurtenis.self, from: Data($0)) }
        let fast = try measure(lines) { try ZaakGebeurtenis(logregel: $0) }
        guard foundation.check == fast.check else { throw Mismatch(line: "checksums differ") }
        best.foundation = (min(best.foundation.cpu, foundation.cpu), min(best.foundation.wall, foundation.wall))
        best.fast = (min(best.fast.cpu, fast.cpu), min(best.fast.wall, fast.wall))
    }

    func rate(_ seconds: Double) -> String { String(format: "%9.0f events/s %7.1f MB/s", Double(lines.count) / seconds, Double(bytes) / seconds / 1e6) }
    let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    print("""
    Decoding log lines on one core: ZaakGebeurtenis(logregel:) against JSONDecoder, fastest of \(options.rounds) rounds
    lines: \(lines.count) from DemoTraffic(seed: 2026), \(options.zaken) zaken; \(bytes / lines.count) bytes per line on average
    machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; load average at end \(load)

                                    by CPU time of the thread            by wall-clock time
    JSONDecoder (baseline)      \(rate(best.foundation.cpu))   \(rate(best.foundation.wall))
    ZaakGebeurtenis(logregel:)  \(rate(best.fast.cpu))   \(rate(best.fast.wall))
    ratio                       \(String(format: "%9.1f×", best.foundation.cpu / best.fast.cpu))                      \(String(format: "%9.1f×", best.foundation.wall / best.fast.wall))

    targets: ≥ 500,000 events/s and ≥ 5× JSONDecoder
    """)
}

struct Mismatch: Error, CustomStringConvertible {
    let line: String
    var description: String { "the two decoders differ on: \(line)" }
}

do {
    try run()
} catch {
    FileHandle.standardError.write(Data("DecodeBenchmark: \(error)\n".utf8))
    exit(1)
}
