import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The built `zaak` binary, next to the test bundle.
let zaakBinary: String = {
    var directory = URL(fileURLWithPath: Bundle.main.bundlePath)
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("zaak").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    fatalError("zaak binary not found near \(Bundle.main.bundlePath); run `swift build` first")
}()

/// Now, as the `zaak` binary sees it when a test sets no clock of its own: the runner's ZAAK_NU
/// (tools/test.sh runs the date-sensitive suites again under a far-future one), else the real time.
let testRunnerNow: Date = {
    guard let text = ProcessInfo.processInfo.environment["ZAAK_NU"], !text.isEmpty else { return Date() }
    let formatter = ISO8601DateFormatter()
    for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
        formatter.formatOptions = options
        if let date = formatter.date(from: text) { return date }
    }
    fatalError("ZAAK_NU '\(text)': the tests read it as RFC 3339 with seconds and an offset")
}()

struct Outcome {
    let status: Int32
    let stdout: String
    let stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs a command to completion, feeding `input` on stdin.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], input: Data = Data(), environment: [String: String] = [:]) throws -> Outcome {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "ZAAK_DATA")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let collected = OutputCollector(stdout: stdout, stderr: stderr)
    writeAll(stdin.fileHandleForWriting.fileDescriptor, input)
    try stdin.fileHandleForWriting.close()
    process.waitUntilExit()
    let (out, err) = collected.wait()
    return Outcome(status: process.terminationStatus, stdout: out, stderr: err)
}

func zaak(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> Outcome {
    try runProcess(zaakBinary, arguments, input: Data(input.utf8), environment: environment)
}

/// Writes everything, or stops quietly when the reader is gone (SIGPIPE is ignored in tests).
@discardableResult
func writeAll(_ fd: Int32, _ data: Data) -> Bool {
    signal(SIGPIPE, SIG_IGN)
    return data.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let count = write(fd, raw.baseAddress! + done, raw.count - done)
            if count < 0 { if errno == EINTR { continue }; return false }
            done += count
        }
        return true
    }
}

/// Drains a process's stdout and stderr on background threads so it never blocks on a full pipe.
final class OutputCollector: @unchecked Sendable {
    private let group = DispatchGroup()
    private var out = Data(), err = Data()
    private let lock = NSLock()

    init(stdout: Pipe, stderr: Pipe) {
        for (pipe, isOut) in [(stdout, true), (stderr, false)] {
            group.enter()
            Thread.detachNewThread {
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    self.lock.lock()
                    if isOut { self.out.append(chunk) } else { self.err.append(chunk) }
                    self.lock.unlock()
                }
                self.group.leave()
            }
        }
    }

    /// What stdout holds so far.
    var stdoutSoFar: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: out, as: UTF8.self)
    }

    /// What stderr holds so far.
    var stderrSoFar: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: err, as: UTF8.self)
    }

    func wait() -> (String, String) {
        group.wait()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

func temporaryDataDirectory(_ test: XCTestCase) -> String {
    let path = NSTemporaryDirectory() + "zaak-cli-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// NDJSON for `zaak log toevoegen`: realistic enough, unique ids.
func ndjson(_ range: ClosedRange<Int>, prefix: String = "e", padding: Int = 0) -> String {
    range.map { number in
        let extra = padding > 0 ? #","toelichting":"\#(String(repeating: String(number, radix: 16), count: padding))""# : ""
        return #"{"id":"\#(prefix)-\#(number)","zaak":"Z-2026-\#(String(format: "%06d", number % 50))","type":"BerichtOntvangen","data":{"kanaal":"whatsapp","inhoudLengte":\#(number % 700)\#(extra)}}"#
    }.joined(separator: "\n") + "\n"
}

func jsonObject(_ line: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
}

func segmentFiles(_ data: String) -> [String] {
    let directory = data + "/log"
    return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix("seg-") }.sorted().map { directory + "/" + $0 }
}

/// Every event line of the log, read by the real CLI.
func loggedLines(_ data: String) throws -> [[String: Any]] {
    let outcome = try zaak(["log", "toon", "--data", data])
    XCTAssertEqual(outcome.status, 0, outcome.stderr)
    return outcome.lines.map(jsonObject)
}

/// A kcc token's secret.
func kccToken(_ terminal: AgentTerminal) throws -> String { try apiToken(terminal, rol: "kcc") }

func apiToken(_ terminal: AgentTerminal, rol: String) throws -> String {
    let made = try terminal.run(["token", "maak", "--rol", rol, "--omschrijving", "test", "--json"])
    return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: String])["token"]!
}

/// `zaak serve` on the terminal's data (and clock), once it announced its address.
func serve(_ terminal: AgentTerminal, _ extra: [String] = []) throws -> (process: Process, output: OutputCollector, base: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: zaakBinary)
    process.arguments = ["serve", "--data", terminal.data, "--poort", "0"] + extra
    if let nu = terminal.nu { process.environment = ProcessInfo.processInfo.environment.merging(["ZAAK_NU": nu]) { $1 } }
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    let output = OutputCollector(stdout: stdout, stderr: stderr)
    try process.run()
    var url: String?
    // Up to 60 s: a debug build on a loaded 2-core machine can take over 10 s to start.
    for _ in 0..<600 where url == nil && process.isRunning {
        Thread.sleep(forTimeInterval: 0.1)
        url = output.stdoutSoFar.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init)
    }
    return (process, output, try XCTUnwrap(url, "zaak serve announced no address"))
}

/// Every file of the data directory with its bytes; SQLite's shared-memory files (`-shm`),
/// which readers coordinate through, are left out.
func dataFiles(_ data: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: data)
    while let name = enumerator?.nextObject() as? String {
        let path = data + "/" + name
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue, !name.hasSuffix("-shm") else { continue }
        result[name] = try Data(contentsOf: URL(fileURLWithPath: path))
    }
    return result
}
