import Foundation
import XCTest

/// `zaak token` and `zaak serve` through the real binary.
final class ServeCLITests: XCTestCase {
    func testTokenMaakToontHetGeheimEenKeerEnBewaartAlleenDeHash() throws {
        let terminal = AgentTerminal(self)
        let made = try terminal.run(["token", "maak", "--rol", "afdeling:Stadsbeheer", "--omschrijving", "Zaaksysteem Stadsbeheer"])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.lines.first, "Token T1 (afdeling:Stadsbeheer) voor Zaaksysteem Stadsbeheer:")
        let secret = made.lines[1].trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(secret.hasPrefix("zk_") && secret.count == 67, secret)
        let file = terminal.data + "/tokens.json"
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertFalse(stored.contains(secret.dropFirst(3)), "the secret itself must not be stored")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let listed = try terminal.run(["token", "lijst"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("T1"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains(secret))
        XCTAssertEqual(try terminal.run(["token", "intrek", "T1"]).lines, ["Token T1 (afdeling:Stadsbeheer) is ingetrokken."])
        XCTAssertTrue(try terminal.run(["token", "lijst"]).stdout.contains("ingetrokken"))

        let badRole = try terminal.run(["token", "maak", "--rol", "baas", "--omschrijving", "x"])
        XCTAssertEqual(badRole.status, 65)
        XCTAssertTrue(badRole.stderr.hasPrefix("fout: rol 'baas' bestaat niet; kies uit: kcc, afdeling:<naam>"), badRole.stderr)
        XCTAssertEqual(try terminal.run(["token", "intrek", "T9"]).status, 66)
        let typo = try terminal.run(["token", "maak", "--rol", "afdeling:Stadbeheer", "--omschrijving", "x"])
        XCTAssertEqual(typo.status, 66)
        XCTAssertTrue(typo.stderr.contains("afdeling 'Stadbeheer' staat niet in de catalogus; kies uit: "), typo.stderr)
    }

    /// The server answers on the port it announces, sees what the CLI wrote, and stops with 0 on SIGTERM.
    func testServeLuistertZietWatDeOpdrachtregelSchreefEnStoptNetjes() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let made = try terminal.run(["token", "maak", "--rol", "kcc", "--omschrijving", "test", "--json"])
        let token = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(made.stdout.utf8)) as? [String: String])["token"]!

        let process = Process()
        process.executableURL = URL(fileURLWithPath: zaakBinary)
        process.arguments = ["serve", "--data", terminal.data, "--poort", "0"]
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
        let base = try XCTUnwrap(url, "zaak serve announced no address")
        let shown = try runProcess("/usr/bin/env", ["curl", "-s", "-H", "Authorization: Bearer \(token)", "\(base)/zaken/\(agentNummer(1))"])
        let zaak = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], shown.stdout)
        XCTAssertEqual(zaak["inwoner"] as? String, "inw-4821")
        XCTAssertEqual(zaak["versie"] as? Int, 2)
        let refused = try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/zaken/\(agentNummer(1))"])
        XCTAssertEqual(refused.stdout, "401")

        process.terminate()  // SIGTERM: a graceful stop
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output.wait().1)
    }
}
