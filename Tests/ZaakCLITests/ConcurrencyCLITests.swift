import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Many processes and hard kills against one log, through the real binary.
final class ConcurrencyCLITests: XCTestCase {
    func testSixteenProcessesAppendingAtOnceLoseAndDuplicateNothing() throws {
        let data = temporaryDataDirectory(self)
        let processes = 16, perProcess = 40
        let statuses = StatusList(), errors = StatusList()
        DispatchQueue.concurrentPerform(iterations: processes) { number in
            let outcome = try? zaak(["log", "toevoegen", "--data", data, "--batch", "1"], input: ndjson(1...perProcess, prefix: "p\(number)"))
            statuses.append(outcome?.status ?? -1)
            if outcome?.status != 0 { errors.append(message: "p\(number): \(outcome?.stderr ?? "niet gestart")") }
        }
        XCTAssertEqual(statuses.values, Array(repeating: 0, count: processes), errors.messages.joined(separator: "\n"))
        let lines = try loggedLines(data)
        XCTAssertEqual(lines.map { $0["positie"] as? Int }, Array(1...(processes * perProcess)), "gapless positions")
        let ids = lines.compactMap { $0["id"] as? String }
        XCTAssertEqual(Set(ids).count, processes * perProcess, "no duplicates")
        XCTAssertEqual(Set(ids), Set((0..<processes).flatMap { number in (1...perProcess).map { "p\(number)-\($0)" } }), "nothing lost")
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", data]).status, 0)
    }

    /// kill -9 at random moments while a process appends in a loop, 100 times; every acknowledged
    /// event must be there after reopening, the log must verify, and whatever the next process cut
    /// off (a write the kill interrupted) is reported and kept byte for byte in quarantine.
    func testKillNineDuringAppendsLosesNoAcknowledgedEvent() throws {
        let data = temporaryDataDirectory(self)
        var generator = SystemRandomNumberGenerator()
        var acknowledgedIds = Set<String>()
        var totalAcks = 0
        var cutReports: [String] = []
        for trial in 0..<100 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zaakBinary)
            process.arguments = ["log", "toevoegen", "--data", data, "--batch", String(Int.random(in: 1...8, using: &generator)), "--json"]
            let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            let output = OutputCollector(stdout: stdout, stderr: stderr)
            // Feed lines continuously until the process dies.
            let input = ndjson(1...20_000, prefix: "t\(trial)")
            let feeder = Thread { writeAll(stdin.fileHandleForWriting.fileDescriptor, Data(input.utf8)) }
            feeder.start()
            usleep(UInt32.random(in: 30_000...150_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? stdin.fileHandleForWriting.close()
            let (out, err) = output.wait()
            cutReports += err.split(separator: "\n").map(String.init).filter { $0.contains("afgekapt") }
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "trial \(trial) was killed, not finished")
            // Only whole acknowledgement lines count: a line cut by the kill was never fully printed.
            for line in out.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                guard let range = jsonObject(String(line))["regels"] as? [Int] else { continue }
                for number in range[0]...range[1] { acknowledgedIds.insert("t\(trial)-\(number)") }
                totalAcks += 1
            }
        }
        XCTAssertGreaterThan(totalAcks, 100, "the kills must land while appends are being acknowledged")

        // Reopen for writing (recovers a torn tail), then check.
        let recovered = try zaak(["log", "herstel", "--data", data, "--json"])
        XCTAssertEqual(recovered.status, 0, recovered.stderr)
        for repair in (try JSONSerialization.jsonObject(with: Data(recovered.stdout.utf8)) as? [[String: Any]]) ?? [] {
            cutReports.append("\(repair["verwijderdeBytes"] ?? "") bytes vanaf byte \(repair["offset"] ?? ""), bewaard in \(repair["quarantaine"] ?? "")")
        }
        // Every cut names its bytes and its quarantine file, which holds exactly that many.
        for report in cutReports {
            let words = report.split(separator: " ")
            let kept = String(words.last!), size = Int(words[words.firstIndex(of: "bytes")! - 1].split(separator: ":").last!)!
            let attributes = try FileManager.default.attributesOfItem(atPath: data + "/log/" + kept)
            XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, size, report)
        }
        let lines = try loggedLines(data)
        XCTAssertEqual(lines.map { $0["positie"] as? Int }, Array(1...lines.count), "gapless")
        let present = Set(lines.compactMap { $0["id"] as? String })
        XCTAssertEqual(present.count, lines.count, "no duplicates")
        XCTAssertTrue(acknowledgedIds.isSubset(of: present), "lost: \(acknowledgedIds.subtracting(present).sorted().prefix(10))")
        let verify = try zaak(["log", "verifieer", "--data", data])
        XCTAssertEqual(verify.status, 0, verify.stderr)
        print("kill -9: 100 trials, \(totalAcks) acknowledged batches, \(acknowledgedIds.count) acknowledged events, \(lines.count) in the log, 0 lost, \(cutReports.count) cuts reported and quarantined")
    }
}

final class StatusList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int32] = []
    private var texts: [String] = []
    func append(_ status: Int32) { lock.lock(); list.append(status); lock.unlock() }
    func append(message: String) { lock.lock(); texts.append(message); lock.unlock() }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return list }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return texts }
}
