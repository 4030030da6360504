import Foundation
import XCTest
import CivilTime
@testable import EventLog

/// A fresh directory under the system temp dir, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase, _ name: String = #function) -> String {
    let path = NSTemporaryDirectory() + "zaaklog-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// A deterministic clock: 2026-11-02T09:00:00Z, one millisecond later per reading.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Int64 = Timestamp.days(fromCivil: 2026, 11, 2) * 86_400_000 + 9 * 3_600_000

    func read() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        now += 1
        return now
    }
}

/// Test logs sign nothing unless a test gives them a key directory (the standard one, beside the
/// temporary log directory, would be the shared temp dir's `sleutels`).
func testConfiguration(rollBytes: Int64 = 16 << 20, sealedBlockBytes: Int = 1 << 20, checkpointInterval: Int = 4096,
                       keys: KeyLocation = .none) -> LogConfiguration {
    var configuration = LogConfiguration()
    configuration.keys = keys
    // Small pieces, so that verify's cutting of segments at checkpoints is exercised everywhere.
    configuration.verifyUnitBytes = 3_000
    let clock = TestClock()
    configuration.clock = { clock.read() }
    configuration.rollBytes = rollBytes
    configuration.sealedBlockBytes = sealedBlockBytes
    configuration.checkpointInterval = checkpointInterval
    configuration.onRepair = { _ in }  // tests look at `repairs`; hundreds of cuts would flood the output
    return configuration
}

func record(_ number: Int, zaak: String? = nil, padding: Int = 0) -> LogRecord {
    let zaak = zaak ?? "Z-2026-\(String(format: "%06d", number % 97))"
    let extra = padding > 0 ? #","toelichting":"\#(String(repeating: "x", count: padding))""# : ""
    return LogRecord(id: "e-\(number)", zaak: zaak,
                     json: #"{"type":"GesprekGevoerd","versie":\#(number),"data":{"kanaal":"telefoon","wachttijdSeconden":\#(number % 400)\#(extra)}}"#)
}

func records(_ range: ClosedRange<Int>) -> [LogRecord] { range.map { record($0) } }

/// Every entry, in order.
func allEntries(_ log: LogReader) throws -> [LogEntry] {
    var entries: [LogEntry] = []
    try log.read { entries.append($0); return true }
    return entries
}

func allEntries(_ log: EventLog) throws -> [LogEntry] { try allEntries(log.reader) }

func segmentPaths(_ directory: String) -> [String] {
    (try! FileManager.default.contentsOfDirectory(atPath: directory)).filter { $0.hasPrefix("seg-") }.sorted().map { directory + "/" + $0 }
}

func readBytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path)!) }

/// Overwrites the file in place (same inode), as a disk or a crashed writer would.
func writeBytes(_ bytes: [UInt8], _ path: String) {
    let handle = FileManager.default.fileExists(atPath: path) ? Foundation.FileHandle(forWritingAtPath: path)! : {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return Foundation.FileHandle(forWritingAtPath: path)!
    }()
    handle.truncateFile(atOffset: 0)
    handle.write(Data(bytes))
    handle.closeFile()
}

/// The frames of a segment file, found from their headers.
func frames(of path: String) -> [FrameBounds] {
    let bytes = readBytes(path)
    var result: [FrameBounds] = []
    var offset = 0
    bytes.withUnsafeBytes { raw in
        while case let .frame(bounds) = FrameWalker.frame(in: raw, at: offset) {
            result.append(bounds)
            offset = bounds.end
        }
    }
    return result
}

/// Copies a directory tree (for running many variants of one damaged log).
func copyDirectory(_ from: String, _ to: String) {
    try? FileManager.default.removeItem(atPath: to)
    try! FileManager.default.copyItem(atPath: from, toPath: to)
}

func assertDamaged(_ body: @autoclosure () throws -> Any, file expectedFile: String? = nil, offset: Int64? = nil, position: Int64? = nil,
                   _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected damage to be reported \(message)", file: file, line: line)
    } catch let error as LogError {
        XCTAssertEqual(error.kind, .damaged, "\(error) \(message)", file: file, line: line)
        if let expectedFile { XCTAssertEqual(error.damage?.file, expectedFile, message, file: file, line: line) }
        if let offset { XCTAssertEqual(error.damage?.offset, offset, message, file: file, line: line) }
        if let position { XCTAssertEqual(error.damage?.position, position, message, file: file, line: line) }
    } catch {
        XCTFail("unexpected error \(error) \(message)", file: file, line: line)
    }
}


/// What tools/zaaklog-verify.py said, run with `--json`.
struct PythonOutcome {
    let status: Int32
    let json: [String: Any]
    let stderr: String
}

/// Runs the independent Python verifier (written from the spec alone) with `arguments` and `--json`.
func pythonVerifier(_ arguments: [String]) throws -> PythonOutcome {
    let verifier = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/zaaklog-verify.py").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", verifier] + arguments + ["--json"]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let json = (try? JSONSerialization.jsonObject(with: stdout)) as? [String: Any] ?? [:]
    return PythonOutcome(status: process.terminationStatus, json: json, stderr: String(decoding: stderr, as: UTF8.self))
}
