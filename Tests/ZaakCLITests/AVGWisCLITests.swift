import Foundation
import XCTest

/// Erasure on request (issue 18, docs/avg.md) through the real binary and the real server: what one
/// inwoner told the KCC is gone from every byte under the data directory, another inwoner's is not,
/// and the log, its proofs and the KPIs are as they were.
final class AVGWisCLITests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let verifier = root.appendingPathComponent("tools/zaaklog-verify.py").path
    private static let zoeker = root.appendingPathComponent("tools/zoek-klaartekst.py").path

    /// Distinctive strings of the inwoner who asks, and of another who does not: a name, a phone
    /// number, a street, a sentence; some through the CLI, some through the API.
    private static let gewist = ["Jozefien Achterberg", "06-98765432", "Kromme Nieuwegracht", "mijn buurman gooit zijn vuilniszakken over de schutting",
                                 "Lepelenburg 77", "Wilhelminapark"]
    private static let bewaard = ["Bartholomeus Zwanenburg", "06-11223344", "Oudegracht 200", "de lantaarnpaal knippert al drie weken",
                                  "Lucasbolwerk 9", "Griftpark"]

    /// For the files that hold each string (tools/zoek-klaartekst.py: raw bytes, LZ4 frames decompressed).
    private func holders(_ data: String, _ strings: [String]) throws -> [String: [String]] {
        let found = try runProcess("/usr/bin/env", ["python3", Self.zoeker, data] + strings)
        XCTAssertEqual(found.status, 0, found.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(found.stdout.utf8)) as? [String: [String]], found.stdout)
    }

    /// The data keys in the key store, by zaak (read with Python's sqlite3, not through zaaklog).
    private func zaakKeys(_ data: String) throws -> [String: String] {
        let script = "import sqlite3, json, sys; db = sqlite3.connect(sys.argv[1]); "
            + "print(json.dumps(dict(db.execute('SELECT zaak, sleutel FROM sleutels WHERE sleutel IS NOT NULL'))))"
        let read = try runProcess("/usr/bin/env", ["python3", "-c", script, data + "/sleutels/zaaksleutels.sqlite"])
        XCTAssertEqual(read.status, 0, read.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: String])
    }

    /// The files whose bytes changed; not the log's index, whose pages a writer's open may move
    /// from its WAL into the file without changing what it holds.
    private func changedFiles(_ data: String, _ before: [String: Data]) throws -> [String] {
        let now = try dataFiles(data)
        return Set(now.keys).union(before.keys).filter { now[$0] != before[$0] && !$0.hasPrefix("log/index.sqlite") }.sorted()
    }

    private func tell(_ terminal: AgentTerminal, inwoner: String, _ strings: [String], server: String, token: String) throws {
        let opened = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", inwoner, "--onderwerp", "afval.container-niet-geleegd",
                                       "--inhoud", "Ik ben \(strings[0]), \(strings[2]) 4: \(strings[3])"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        let nummer = try XCTUnwrap(opened.lines.first?.split(separator: " ").first { $0.hasPrefix("Z-") }.map { String($0.dropLast()) }, opened.stdout)
        let callback = try terminal.run(["terugbelverzoek", nummer, "--toelichting", "Bel \(strings[0]) terug over \(strings[2])", "--telefoon", strings[1]])
        XCTAssertEqual(callback.status, 0, callback.stderr)
        let body = #"{"kanaal":"webformulier","inwoner":"\#(inwoner)","onderwerp":"openbare-ruimte.stoeptegel","inhoud":"Stoeptegel los bij \#(strings[4]), naast het \#(strings[5])"}"#
        let posted = try runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                      "-H", "Content-Type: application/json", "-H", "Idempotency-Key: \(UUID().uuidString)", "--data", body,
                                                      "\(server)/berichten"])
        XCTAssertEqual(posted.stdout, "201", posted.stderr)
    }

    func testAnErasedInwonerIsInNoByteOfTheDataDirectoryAndTheProofsAndKPIsStand() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        XCTAssertEqual(try terminal.run(["audit", "sleutel"]).status, 0)
        let token = try kccToken(terminal)
        let server = try serve(terminal)
        defer { server.process.terminate() }
        try tell(terminal, inwoner: "inw-wis-1", Self.gewist, server: server.base, token: token)
        try tell(terminal, inwoner: "inw-blijft-2", Self.bewaard, server: server.base, token: token)
        // Reads through the API go into the processing log, each under its inwoner's pseudonym.
        for nummer in ["Z-2026-000001", "Z-2026-000003"] {
            let read = try runProcess("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                        "\(server.base)/zaken/\(nummer)"])
            XCTAssertEqual(read.stdout, "200", read.stderr)
        }
        server.process.terminate()
        server.process.waitUntilExit()

        // Before: everything is readable, and the log stores none of it in plain text: it is in the
        // ciphertexts, so what must be gone after erasure is every copy of the zaken's keys.
        let shown = try terminal.run(["log", "toon"]).stdout
        for text in Self.gewist + Self.bewaard { XCTAssertTrue(shown.contains(text), text) }
        let stored = try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout
        for text in Self.gewist + Self.bewaard { XCTAssertFalse(stored.contains(text), "\(text) is stored encrypted") }
        let kpi = ["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--json"]
        let kpiBefore = try terminal.run(kpi).stdout
        let keys = try zaakKeys(terminal.data)
        XCTAssertEqual(keys.count, 4, "two zaken per inwoner, each with its own key")
        let erasedKeys = ["Z-2026-000001", "Z-2026-000002"].compactMap { keys[$0] }, keptKeys = ["Z-2026-000003", "Z-2026-000004"].compactMap { keys[$0] }
        XCTAssertEqual(try holders(terminal.data, erasedKeys + keptKeys).values.filter(\.isEmpty).count, 0, "the search finds each key before erasure")
        XCTAssertEqual(try terminal.run(["log", "verzegel"]).status, 0)
        let kept = try terminal.run(["audit", "checkpoint"])
        XCTAssertEqual(kept.status, 0, kept.stderr)
        let keptFile = terminal.data + "/../checkpoint-voor-wissen-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: keptFile, contents: Data(kept.stdout.utf8))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: keptFile) }

        let erased = try terminal.run(["avg", "wis", "--inwoner", "inw-wis-1", "--reden", "verzoek van 19 november, kenmerk 2026-0412", "--medewerker", "fg-01", "--json"])
        XCTAssertEqual(erased.status, 0, erased.stderr)
        let report = jsonObject(erased.stdout)
        XCTAssertEqual((report["gewist"] as? [[String: Any]])?.count, 2, erased.stdout)

        // Every byte of every file: none of the erased strings, all of the other inwoner's that were there.
        let after = try holders(terminal.data, Self.gewist + erasedKeys + ["inw-wis-1"])
        for text in Self.gewist + erasedKeys + ["inw-wis-1"] { XCTAssertEqual(after[text], [], "\(text) is still in \(after[text] ?? [])") }
        XCTAssertEqual(try holders(terminal.data, keptKeys).values.filter(\.isEmpty).count, 0, "the other inwoner's keys are kept")
        let inzage = try terminal.run(["avg", "inzage", "--inwoner", "inw-blijft-2", "--json"])
        for text in Self.bewaard { XCTAssertTrue(inzage.stdout.contains(text), "\(text) of the other inwoner is still readable") }
        let reads = try XCTUnwrap(jsonObject(inzage.stdout)["verwerkingen"] as? [[String: Any]], inzage.stdout)
        XCTAssertEqual(reads.map { $0["betrokkene"] as? String }, ["inw-blijft-2"], "the other inwoner's read, under their own reference")
        XCTAssertTrue(try terminal.run(["avg", "inzage", "--inwoner", "inw-wis-1"]).stdout.contains("niets vastgelegd"))
        let history = try terminal.run(["log", "toon"]).stdout
        XCTAssertTrue(history.contains(#""inhoud":"[gewist]""#), "the erased members read as gewist")
        XCTAssertTrue(history.contains(#""type":"GegevensGewist""#))
        XCTAssertFalse(history.contains("inw-wis-1"), "nothing in the log ties the erased zaken to the inwoner")

        // The log, its proofs and the KPIs stand.
        XCTAssertEqual(try terminal.run(kpi).stdout, kpiBefore, "zaak kpi unchanged")
        let key = terminal.data + "/sleutels/checkpoint-ed25519.pub"
        let verified = try terminal.run(["log", "verifieer", "--sleutel", key])
        XCTAssertEqual(verified.status, 0, verified.stdout + verified.stderr)
        XCTAssertEqual(try terminal.run(["log", "checkpoint"]).status, 0)
        let python = try runProcess("/usr/bin/env", ["python3", Self.verifier, "log", terminal.data + "/log", "--sleutel", key])
        XCTAssertEqual(python.status, 0, python.stdout + python.stderr)
        // With a copy of the key store the independent verifier decrypts too: every ciphertext is
        // authentic, the erased zaken's are unreadable, the other inwoner's words are there.
        let decrypted = try runProcess("/usr/bin/env", ["python3", Self.verifier, "log", terminal.data + "/log", "--sleutel", key,
                                                        "--zaaksleutels", terminal.data + "/sleutels/zaaksleutels.sqlite", "--toon"])
        XCTAssertEqual(decrypted.status, 0, decrypted.stderr)
        for text in Self.bewaard.prefix(4) { XCTAssertTrue(decrypted.stdout.contains(text), "\(text) decrypted by the Python verifier") }
        for text in Self.gewist { XCTAssertFalse(decrypted.stdout.contains(text), text) }
        let proof = try terminal.run(["audit", "bewijs", "--positie", "1"])
        XCTAssertEqual(proof.status, 0, proof.stderr)
        let proofFile = terminal.data + "/../bewijs-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: proofFile, contents: Data(proof.stdout.utf8))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: proofFile) }
        XCTAssertEqual(try runProcess("/usr/bin/env", ["python3", Self.verifier, "bewijs", proofFile, "--sleutel", key]).status, 0,
                       "the inclusion proof of the erased zaak's first event")
        let treeSize = try XCTUnwrap(((jsonObject(kept.stdout)["checkpoint"] as? [String: Any])?["treeSize"]) as? Int)
        let consistency = try terminal.run(["audit", "consistentie", "--van", "\(treeSize)"])
        XCTAssertEqual(consistency.status, 0, consistency.stderr)
        let consistencyFile = terminal.data + "/../consistentie-\(UUID().uuidString).json"
        FileManager.default.createFile(atPath: consistencyFile, contents: Data(consistency.stdout.utf8))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: consistencyFile) }
        let across = try terminal.run(["audit", "controleer", consistencyFile, "--sleutel", key, "--vertrouwd", keptFile])
        XCTAssertEqual(across.status, 0, "a consistency proof across the erasure: \(across.stderr)")

        // Again: nothing left to erase; nothing changed.
        let logBefore = try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout
        let again = try terminal.run(["avg", "wis", "--inwoner", "inw-wis-1", "--reden", "nogmaals", "--medewerker", "fg-01"])
        XCTAssertEqual(again.status, 66, again.stderr)
        XCTAssertTrue(again.stderr.contains("er is niets gewist"), again.stderr)
        XCTAssertEqual(try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout, logBefore)
        // Nothing more can be added to an erased zaak.
        let late = try terminal.run(["informeer", "2026-1", "--kanaal", "telefoon"])
        XCTAssertEqual(late.status, 67, late.stderr)
        XCTAssertTrue(late.stderr.contains("gewist"), late.stderr)
    }

    /// `POST /wissingen` for beheer does what `zaak avg wis` does, on a running server: refused to
    /// every other role and on bad input, then the inwoner in no byte, the server's answers gewist.
    func testAnErasureThroughTheAPIForgetsAsTheCLIDoes() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        let kcc = try kccToken(terminal), beheer = try apiToken(terminal, rol: "beheer")
        let server = try serve(terminal)
        defer { server.process.terminate() }
        try tell(terminal, inwoner: "inw-wis-1", Self.gewist, server: server.base, token: kcc)
        try tell(terminal, inwoner: "inw-blijft-2", Self.bewaard, server: server.base, token: kcc)
        func post(_ token: String, _ body: String) throws -> (status: String, body: [String: Any]) {
            let answer = try runProcess("/usr/bin/curl", ["-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                          "-H", "Content-Type: application/json", "--data", body, "\(server.base)/wissingen"])
            let parts = answer.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(parts.last ?? ""), jsonObject(parts.dropLast().joined(separator: "\n")))
        }
        let verzoek = #"{"inwoner":"inw-wis-1","reden":"verzoek van 19 november, kenmerk 2026-0412","medewerker":"fg-01"}"#
        let before = try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout
        for (token, body, status, word) in [
            (kcc, verzoek, "403", "beheer"),
            (beheer, #"{"inwoner":"inw-onbekend","reden":"verzoek"}"#, "400", "niets vastgelegd"),
            (beheer, #"{"inwoner":"111222333","reden":"verzoek"}"#, "400", "BSN"),
            (beheer, #"{"inwoner":"inw-wis-1"}"#, "400", "reden"),
            (beheer, #"{"inwoner":"inw-wis-1","reden":" "}"#, "400", "reden"),
        ] {
            let refused = try post(token, body)
            XCTAssertEqual(refused.status, status, "\(body): \(refused.body)")
            XCTAssertTrue((refused.body["detail"] as? String ?? "").contains(word), "\(body): \(refused.body)")
        }
        XCTAssertEqual(try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout, before, "nothing was appended")

        let erased = try post(beheer, verzoek)
        XCTAssertEqual(erased.status, "200", "\(erased.body)")
        XCTAssertEqual((erased.body["gewist"] as? [[String: Any]])?.compactMap { $0["zaak"] as? String }, ["Z-2026-000001", "Z-2026-000002"])
        // The running server answers from the erased read models at once.
        let shown = try runProcess("/usr/bin/curl", ["-s", "-H", "Authorization: Bearer \(kcc)", "\(server.base)/zaken/Z-2026-000001"])
        XCTAssertFalse(shown.stdout.contains("inw-wis-1") || shown.stdout.contains(Self.gewist[0]), shown.stdout)
        XCTAssertTrue(shown.stdout.contains("gewist"), shown.stdout)
        server.process.terminate()
        server.process.waitUntilExit()

        let after = try holders(terminal.data, Self.gewist + ["inw-wis-1"])
        for text in Self.gewist + ["inw-wis-1"] { XCTAssertEqual(after[text], [], "\(text) is still in \(after[text] ?? [])") }
        let inzage = try terminal.run(["avg", "inzage", "--inwoner", "inw-blijft-2", "--json"]).stdout
        for text in Self.bewaard { XCTAssertTrue(inzage.contains(text), "\(text) of the other inwoner is still readable") }
        let history = try terminal.run(["geschiedenis", "2026-1"]).stdout
        XCTAssertTrue(history.contains("fg-01") && history.contains("kenmerk 2026-0412"), history)
    }

    func testBadInputIsRefusedInDutchAndChangesNothing() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let before = try dataFiles(terminal.data)
        for (arguments, status, word) in [
            (["avg", "wis", "--inwoner", "inw-onbekend", "--reden", "verzoek", "--medewerker", "fg-01"], 66, "niets vastgelegd"),
            (["avg", "wis", "--inwoner", "111222333", "--reden", "verzoek", "--medewerker", "fg-01"], 65, "BSN"),
            (["avg", "wis", "--inwoner", "gewist:Z-2026-000001", "--reden", "verzoek", "--medewerker", "fg-01"], 65, "gewiste zaak"),
            (["avg", "wis", "--inwoner", "inw-4821", "--reden", " ", "--medewerker", "fg-01"], 65, "reden"),
        ] {
            let refused = try terminal.run(arguments)
            XCTAssertEqual(refused.status, Int32(status), "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.hasPrefix("fout: ") && refused.stderr.contains(word), refused.stderr)
        }
        XCTAssertEqual(try changedFiles(terminal.data, before), [], "nothing changed")

        // The key store gone while the data directory says it has one: refused, not read as erased.
        try FileManager.default.moveItem(atPath: terminal.data + "/sleutels", toPath: terminal.data + "/sleutels-weg")
        for arguments in [["avg", "wis", "--inwoner", "inw-4821", "--reden", "verzoek", "--medewerker", "fg-01"], ["toon", agentNummer(1)], ["log", "toon"]] {
            let refused = try terminal.run(arguments)
            XCTAssertEqual(refused.status, 69, "\(arguments): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("sleutelkluis") && refused.stderr.contains("ontbreekt"), refused.stderr)
        }
        try FileManager.default.moveItem(atPath: terminal.data + "/sleutels-weg", toPath: terminal.data + "/sleutels")
        XCTAssertEqual(try changedFiles(terminal.data, before), [], "nothing changed")
    }

    /// kill -9 at random moments of an erasure, 20 times, each on a fresh copy of the same data:
    /// after a restart (a catch-up, as every command and `zaak serve` do first) the erasure is either
    /// complete, with no byte left of the inwoner or of the zaken's keys, or not begun and resumable.
    func testKillNineDuringAnErasureLeavesItCompleteOrResumable() throws {
        var template = AgentTerminal(self)
        template.nu = "2026-11-20T09:00:00+01:00"
        for inwoner in ["inw-kill-1", "inw-andere-2"] {
            let opened = try template.run(["bericht", "--kanaal", "whatsapp", "--inwoner", inwoner, "--onderwerp", "afval.container-niet-geleegd",
                                           "--inhoud", "Container van \(inwoner) aan de Biltstraat"])
            XCTAssertEqual(opened.status, 0, opened.stderr)
        }
        XCTAssertEqual(try template.run(["terugbelverzoek", "2026-1", "--toelichting", "Bel terug", "--telefoon", "06-55554444"]).status, 0)
        let keys = try zaakKeys(template.data)
        let erasedKey = try XCTUnwrap(keys["Z-2026-000001"]), keptKey = try XCTUnwrap(keys["Z-2026-000002"])
        let wis = ["avg", "wis", "--inwoner", "inw-kill-1", "--reden", "verzoek", "--medewerker", "fg-01"]
        let clock = ContinuousClock()
        let timed = clock.measure { _ = try? template.copied(self).run(wis) }
        let window = Int(timed.components.seconds * 1_000_000 + timed.components.attoseconds / 1_000_000_000_000)
        var generator = SystemRandomNumberGenerator()
        var complete = 0, resumed = 0
        for trial in 0..<20 {
            let terminal = try template.copied(self)
            let process = try terminal.start(wis)
            usleep(UInt32.random(in: 0...UInt32(window * 6 / 5), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            XCTAssertEqual(try terminal.run(["projecties", "bijwerken"]).status, 0, "trial \(trial): the restart")
            let stored = try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout
            let erasures = stored.components(separatedBy: #""type":"GegevensGewist""#).count - 1
            XCTAssertTrue([0, 1].contains(erasures), "trial \(trial): \(erasures) erasure events")
            if erasures == 0 {
                // Not begun: everything as it was, and the erasure can be run now.
                XCTAssertTrue(try terminal.run(["toon", "2026-1"]).stdout.contains("inw-kill-1"), "trial \(trial)")
                XCTAssertEqual(try terminal.run(wis).status, 0, "trial \(trial): resumable")
                resumed += 1
            } else {
                complete += 1
            }
            let left = try holders(terminal.data, ["inw-kill-1", "06-55554444", erasedKey, keptKey])
            for text in ["inw-kill-1", "06-55554444", erasedKey] { XCTAssertEqual(left[text], [], "trial \(trial): \(text) in \(left[text] ?? [])") }
            XCTAssertNotEqual(left[keptKey], [], "trial \(trial): the other zaak's key stays")
            XCTAssertTrue(try terminal.run(["toon", "2026-2"]).stdout.contains("inw-andere-2"), "trial \(trial)")
            XCTAssertEqual(try terminal.run(["log", "verifieer"]).status, 0, "trial \(trial)")
            try? FileManager.default.removeItem(atPath: terminal.data)
        }
        print("kill -9 tijdens wissen: 20 pogingen, \(complete) voltooid na herstart, \(resumed) nog niet begonnen en daarna gewist, 0 met klare tekst over")
    }
}
