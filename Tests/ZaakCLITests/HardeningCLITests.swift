import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17 through the real binary: token changes that race each other all land, only the
/// installation's account can read its files, and hostile text never reaches a terminal raw.
final class HardeningCLITests: XCTestCase {
    private struct TokenFile: Decodable {
        let id: String
        let sha256: String
        let ingetrokkenOp: String?
    }

    private func tokens(_ data: String) throws -> [TokenFile] {
        try JSONDecoder().decode([TokenFile].self, from: Data(contentsOf: URL(fileURLWithPath: data + "/tokens.json")))
    }

    private func sha256(_ text: String) throws -> String {
        let outcome = try runProcess("/usr/bin/env", ["python3", "-c", "import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())", text])
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testTokenChangesThatRaceAllLand() throws {
        let data = temporaryDataDirectory(self)
        // Eight at once: every printed secret is in the file, and the file parses.
        let made = StatusList()
        DispatchQueue.concurrentPerform(iterations: 8) { number in
            let outcome = try? zaak(["token", "maak", "--data", data, "--rol", "kcc", "--omschrijving", "p\(number)", "--json"])
            if outcome?.status == 0, let secret = jsonObject(outcome!.stdout)["token"] as? String { made.append(message: secret) }
        }
        XCTAssertEqual(made.messages.count, 8)
        let hashes = Set(try tokens(data).map(\.sha256))
        XCTAssertEqual(hashes.count, 8)
        for secret in made.messages { XCTAssertTrue(hashes.contains(try sha256(secret)), "a printed secret is missing from tokens.json") }

        // 20 rounds of a revocation racing a new token: the revoked one stays revoked, the new one lands.
        for round in 0..<20 {
            let victim = try XCTUnwrap(jsonObject(try zaak(["token", "maak", "--data", data, "--rol", "auditor", "--omschrijving", "r\(round)", "--json"]).stdout)["id"] as? String)
            let statuses = StatusList(), made = StatusList()
            DispatchQueue.concurrentPerform(iterations: 2) { which in
                let outcome = which == 0 ? try? zaak(["token", "intrek", victim, "--data", data])
                    : try? zaak(["token", "maak", "--data", data, "--rol", "kcc", "--omschrijving", "m\(round)", "--json"])
                statuses.append(outcome?.status ?? -1)
                if which == 1 { made.append(message: outcome?.stdout ?? "") }
            }
            XCTAssertEqual(statuses.values, [0, 0], "round \(round)")
            let file = try tokens(data)
            XCTAssertNotNil(file.first { $0.id == victim }?.ingetrokkenOp, "round \(round): \(victim) was revoked and came back")
            let newId = try XCTUnwrap(jsonObject(made.messages.first ?? "")["id"] as? String)
            XCTAssertTrue(file.contains { $0.id == newId && $0.ingetrokkenOp == nil }, "round \(round): \(newId) is missing")
        }
        XCTAssertEqual(Set(try tokens(data).map(\.id)).count, 8 + 40, "every id once")
    }

    func testOnlyTheInstallationsAccountCanReadItsFiles() throws {
        let data = temporaryDataDirectory(self) + "/nieuw"
        XCTAssertEqual(try zaak(["bericht", "--data", data, "--medewerker", "kcc-1", "--kanaal", "whatsapp", "--inwoner", "inw-1",
                                 "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Container vol"]).status, 0)
        XCTAssertEqual(try zaak(["token", "maak", "--data", data, "--rol", "kcc", "--omschrijving", "t"]).status, 0)
        XCTAssertEqual(try zaak(["audit", "sleutel", "--data", data]).status, 0)
        let listing = try runProcess("/usr/bin/find", [data, "-printf", "%m %P\n"])
        var checked = 0
        for line in listing.lines {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let (mode, name) = (parts[0], parts.count > 1 ? parts[1] : ".")
            if name.hasSuffix(".pub") { continue }  // the public key is for auditors
            XCTAssertTrue(mode == "700" || mode == "600", "\(name) is \(mode)")
            checked += 1
        }
        XCTAssertGreaterThan(checked, 10, listing.stdout)
        // What it writes elsewhere on request holds personal data too: an audit bundle.
        let nummer = try XCTUnwrap(try loggedLines(data).first?["zaak"] as? String)
        let bundle = temporaryDataDirectory(self) + "/bundel.json"
        XCTAssertEqual(try zaak(["log", "checkpoint", "--data", data]).status, 0)
        let exported = try zaak(["audit", "export", "--data", data, "--zaak", nummer, "--uitvoer", bundle])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        var bundleInfo = stat()
        XCTAssertEqual(stat(bundle, &bundleInfo), 0)
        XCTAssertEqual(bundleInfo.st_mode & 0o777, 0o600)

        // An installation from before: its log directory readable by all, tightened with a note.
        chmod(data + "/log", 0o755)
        let again = try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...1))
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("was leesbaar voor andere accounts"), again.stderr)
        var info = stat()
        XCTAssertEqual(stat(data + "/log", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
    }

    func testControlCharactersFromAnInwonerAreShownNotExecuted() throws {
        let terminal = AgentTerminal(self)
        let hostile = "Hallo\u{1B}]0;overgenomen\u{07}\r\u{1B}[2J\u{9B}31m\u{202E}lieve"
        let opened = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1", "--onderwerp", "afval.container-niet-geleegd",
                                       "--inhoud", hostile])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        for command in [["toon", agentNummer(1)], ["geschiedenis", agentNummer(1)]] {
            let shown = try terminal.run(command)
            XCTAssertEqual(shown.status, 0, shown.stderr)
            for raw: Character in ["\u{1B}", "\u{07}", "\r", "\u{9B}", "\u{202E}"] {
                XCTAssertFalse(shown.stdout.contains(raw), "\(command) printed \(raw.unicodeScalars.first!.value) raw")
            }
            if command[0] == "geschiedenis" {
                XCTAssertTrue(shown.stdout.contains("Hallo␛]0;overgenomen␇␍␛[2J\\u{9B}31m\\u{202E}lieve"), shown.stdout)
            }
        }
        // JSON keeps the data exactly, escaped as JSON does.
        let json = try terminal.run(["geschiedenis", agentNummer(1), "--json"])
        XCTAssertFalse(json.stdout.contains("\u{1B}"))
        XCTAssertTrue(json.stdout.contains("\\u001b]0;overgenomen"), json.stdout)
    }

    /// Input the docs say is refused is refused, on every path in: a name twice in one object (jq and
    /// Python keep the last, JSONDecoder the first), a fractional integer, a BSN as inwoner.
    func testAmbiguousInputIsRefusedNotSilentlyChanged() throws {
        let source = try AgentTerminal.withOpenZaak(self)
        let exported = try XCTUnwrap(try source.run(["log", "toon"]).lines.first)
        var opening = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(exported.utf8)) as? [String: Any])
        opening.removeValue(forKey: "positie")
        opening.removeValue(forKey: "vastgelegdOp")
        let line = String(decoding: try JSONSerialization.data(withJSONObject: opening, options: [.sortedKeys]), as: UTF8.self)
        let cases: [(String, String, String)] = [
            (line.replacingOccurrences(of: #""versie":1"#, with: #""versie":1,"versie":2"#), "twee keer", "versie twice"),
            (line.replacingOccurrences(of: #""type":"ZaakGeopend""#, with: #""type":"ZaakGeopend","type":"ZaakGeopend""#), "twee keer", "type twice"),
            (line.replacingOccurrences(of: #""afdeling":"Stadsbeheer""#, with: #""afdeling":"Stadsbeheer","afdeling":"Parkeren""#), "twee keer", "a data member twice"),
            (line.replacingOccurrences(of: #""versie":1"#, with: #""versie":1.0"#), "versie", "a fractional versie"),
            (line.replacingOccurrences(of: #""ref":"inw-4821""#, with: #""ref":"111222333""#), "BSN", "a BSN as inwoner"),
        ]
        for (input, word, what) in cases {
            XCTAssertNotEqual(input, line, what)
            let target = AgentTerminal(self)
            let imported = try target.run(["import", "-"], input: input + "\n")
            XCTAssertEqual(imported.status, 65, "\(what): \(imported.stdout)\(imported.stderr)")
            XCTAssertTrue(imported.stderr.contains(word), "\(what): \(imported.stderr)")
            XCTAssertEqual(try target.run(["log", "toon"]).lines, [], "\(what): nothing written")
        }
        // The raw path too.
        let raw = try zaak(["log", "toevoegen", "--data", temporaryDataDirectory(self)], input: #"{"id":"e-1","zaak":"Z-1","a":1,"a":2}"# + "\n")
        XCTAssertEqual(raw.status, 65, raw.stderr)
        XCTAssertTrue(raw.stderr.contains("'a'"), raw.stderr)
        // And the agent's own command.
        let bsn = try source.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "111222333", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "x"])
        XCTAssertEqual(bsn.status, 65)
        XCTAssertTrue(bsn.stderr.contains("BSN"), bsn.stderr)
    }

    /// Item 8: what the docs say is refused is refused on the command line too, and not echoed whole.
    func testOngeldigeTekstEenTijdVoorDeZaakEnEenLangOnderwerpWordenGeweigerd() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        let latin1 = try runProcess("/bin/sh", ["-c", #"exec "$0" bericht --data "$1" --medewerker kcc-1 --kanaal whatsapp --inwoner inw-1 --onderwerp afval.container-niet-geleegd --inhoud "$(printf 'caf\351')""#,
                                                zaakBinary, terminal.data])
        XCTAssertEqual(latin1.status, 65, latin1.stderr)
        XCTAssertTrue(latin1.stderr.hasPrefix("fout: de waarde van --inhoud is geen geldige UTF-8"), latin1.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: terminal.data + "/log"), "nothing was written")

        let opened = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Vol"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let early = try terminal.run(["informeer", "2026-1", "--kanaal", "whatsapp", "--tijd", "1969-07-20T20:17:00.000Z"])
        XCTAssertEqual(early.status, 65, early.stderr)
        XCTAssertTrue(early.stderr.contains("ligt meer dan een dag vóór de opening van zaak Z-2026-000001"), early.stderr)

        let long = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1", "--onderwerp", String(repeating: "x", count: 10_000), "--inhoud", "x"])
        XCTAssertEqual(long.status, 66, long.stderr)
        XCTAssertLessThan(long.stderr.utf8.count, 500, long.stderr)
        XCTAssertEqual(try loggedLines(terminal.data).count, 2, "only the first bericht")
    }

}
