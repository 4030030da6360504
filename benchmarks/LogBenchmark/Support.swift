import Foundation

/// A failure of the harness itself (bad option, unusable temp dir, a log that does not hold what was
/// appended). Printed as is; the process exits with status 1.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Events counted over wall-clock seconds, with the CPU time the process spent meanwhile: CPU time
/// close to wall time means the code, not the disk, sets the pace.
struct Throughput: Codable {
    let events: Int
    let seconds: Double
    let eventsPerSecond: Double
    /// User + system time of the whole process (every thread), in seconds.
    let cpuSeconds: Double

    init(events: Int, seconds: Double, cpuSeconds: Double) {
        self.events = events
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        eventsPerSecond = Double(events) / seconds
    }

    var cpuMicrosecondsPerEvent: Double { cpuSeconds * 1e6 / Double(events) }

    /// The faster of two measurements of the same thing: noise on a shared machine only ever slows
    /// a run down, so the best round is the closest to what the code can do.
    static func best(_ a: Throughput?, _ b: Throughput) -> Throughput {
        guard let a, a.eventsPerSecond > b.eventsPerSecond else { return b }
        return a
    }
}

/// Times `body`, which handles `events` events, on the monotonic clock (immune to NTP steps).
func timed(events: Int, _ body: () throws -> Void) rethrows -> Throughput {
    let cpuBefore = processCPUSeconds()
    let wall = try ContinuousClock().measure(body)
    return Throughput(events: events, seconds: wall.seconds, cpuSeconds: processCPUSeconds() - cpuBefore)
}

/// User + system seconds of every thread of this process so far.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}

/// The trimmed standard output of a helper command, or nil when it cannot run or fails.
func commandOutput(_ arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Size in bytes of a file, 0 when it does not exist (an absent `-wal` file holds nothing).
func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

/// Progress goes to stderr so that stdout carries only the report (run.sh tees stdout to a file).
func progress(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

// MARK: Number formatting for the report

/// 1234567 → "1,234,567".
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return value < 0 ? "-" + out : out
}

func grouped(_ value: Double) -> String { grouped(Int(value.rounded())) }

func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

func percent(_ share: Double) -> String { fixed(share * 100, 0) + "%" }

func times(_ ratio: Double) -> String { fixed(ratio, ratio < 10 ? 2 : 1) + "×" }
