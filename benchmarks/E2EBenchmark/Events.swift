import Foundation
import JSONReading

/// A failure of the harness itself; printed, exit status 1.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One input event: the NDJSON line exactly as read, and the columns an event table keeps beside it.
struct InputEvent {
    let line: [UInt8]
    let id: String
    let stream: String
    let version: Int
    let type: String
    let timestamp: String
    var text: String { String(decoding: line, as: UTF8.self) }
}

/// Reads the NDJSON file every system imports. Extracting the columns is not timed: the baselines
/// get them for free (which favours them); our log parses each line inside its timed append.
func loadEvents(_ path: String) throws -> [InputEvent] {
    guard let data = FileManager.default.contents(atPath: path) else { throw BenchmarkFailure("cannot read \(path)") }
    var events: [InputEvent] = []
    try data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
        var start = 0
        while start < all.count {
            var end = start
            while end < all.count && all[end] != 0x0A { end += 1 }
            if end > start {
                let line = UnsafeRawBufferPointer(rebasing: all[start..<end])
                events.append(try columns(of: line, number: events.count + 1))
            }
            start = end + 1
        }
    }
    return events
}

private func columns(of line: UnsafeRawBufferPointer, number: Int) throws -> InputEvent {
    var reader = JSONReader(line)
    var id = "", stream = "", type = "", timestamp = ""
    var version = 0
    do throws(JSONReaderError) {
        try reader.beginObject()
        while let key = try reader.nextKey() {
            if key.equals("id") { id = try reader.readString() }
            else if key.equals("zaak") { stream = try reader.readString() }
            else if key.equals("type") { type = try reader.readString() }
            else if key.equals("plaatsgevondenOp") { timestamp = try reader.readString() }
            else if key.equals("versie") { version = try reader.readInteger() }
            else { try reader.skipValue() }
        }
    } catch {
        throw BenchmarkFailure("line \(number): \(error)")
    }
    guard !id.isEmpty, !stream.isEmpty, !type.isEmpty, !timestamp.isEmpty, version > 0 else {
        throw BenchmarkFailure("line \(number): id, zaak, type, versie or plaatsgevondenOp missing")
    }
    return InputEvent(line: Array(line), id: id, stream: stream, version: version, type: type, timestamp: timestamp)
}

/// The same batches for every system: consecutive slices of `size` events.
func batches(_ events: [InputEvent], size: Int) -> [ArraySlice<InputEvent>] {
    stride(from: 0, to: events.count, by: size).map { events[$0..<min($0 + size, events.count)] }
}

// MARK: Timing

struct Timing {
    let seconds: Double
    let cpuSeconds: Double
}

func timed(_ body: () throws -> Void) rethrows -> Timing {
    let cpuBefore = processCPUSeconds()
    let wall = try ContinuousClock().measure(body)
    return Timing(seconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18,
                  cpuSeconds: processCPUSeconds() - cpuBefore)
}

func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Median and 99th percentile, in milliseconds, of `runs` timed calls of `body` (after one warm-up).
func latency(runs: Int, _ body: (Int) throws -> Void) rethrows -> (median: Double, p99: Double) {
    try body(0)
    var samples: [Double] = []
    for run in 1...runs { samples.append(try timed { try body(run) }.seconds * 1000) }
    samples.sort()
    return (samples[(samples.count - 1) / 2], samples[min(samples.count - 1, Int((Double(samples.count) * 0.99).rounded(.up)) - 1)])
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// One flat JSON object of figures on stdout, for benchmarks/e2e.sh to put in its report.
func emit(_ figures: [(String, Any)]) {
    let members = figures.map { key, value -> String in
        switch value {
        case let text as String: return "\"\(key)\":\"\(text.replacingOccurrences(of: "\"", with: "\\\""))\""
        case let number as Double: return "\"\(key)\":\(number.isFinite ? "\(number)" : "null")"
        default: return "\"\(key)\":\(value)"
        }
    }
    print("{" + members.joined(separator: ",") + "}")
}
