import Foundation
import XCTest

/// Issue 18, item 4: the vernietigingslijst, its approval and its destruction, through the real binary.
final class ArchiefCLITests: XCTestCase {
    func testDeVernietigingslijstIsWatHetLogZegt() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        XCTAssertEqual(try terminal.run(["genereer", "--profiel", "assen", "--van", "2025-01-06", "--dagen", "7"]).status, 0)
        let tot = "2026-02-01"
        let listed = try terminal.run(["archief", "lijst", "--tot", tot, "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = try XCTUnwrap(jsonObject(listed.stdout)["zaken"] as? [[String: Any]])

        // From the log alone: a zaak whose opening says vernietigen, closed (not reopened since) with
        // an archiefactiedatum on or before `tot`.
        var nominatie: [String: String] = [:], datum: [String: String?] = [:]
        for line in try loggedLines(terminal.data) {
            let zaak = try XCTUnwrap(line["zaak"] as? String), data = line["data"] as? [String: Any] ?? [:]
            switch line["type"] as? String {
            case "ZaakGeopend": nominatie[zaak] = data["archiefnominatie"] as? String
            case "ZaakAfgesloten": datum[zaak] = data["archiefactiedatum"] as? String
            case "ZaakHeropend": datum[zaak] = .some(nil)
            default: break
            }
        }
        let expected = Set(datum.compactMap { zaak, date in date.flatMap { $0 <= tot && nominatie[zaak] == "vernietigen" ? zaak : nil } })
        XCTAssertGreaterThan(expected.count, 100)
        XCTAssertEqual(Set(rows.compactMap { $0["zaak"] as? String }), expected)
        XCTAssertTrue(nominatie.values.contains("blijvend_bewaren"), "the week has zaken to keep, and none is on the list")
        let dates = rows.compactMap { $0["archiefactiedatum"] as? String }
        XCTAssertEqual(dates, dates.sorted(), "oldest date first")

        let first = try XCTUnwrap(rows.first?["zaak"] as? String)
        let shown = jsonObject(try terminal.run(["toon", first, "--json"]).stdout)
        XCTAssertEqual(shown["archiefnominatie"] as? String, "vernietigen")
        XCTAssertEqual(shown["archiefactiedatum"] as? String, rows.first?["archiefactiedatum"] as? String)
        XCTAssertEqual(shown["archiefstatus"] as? String, "nog_te_archiveren")

        let text = try terminal.run(["archief", "lijst", "--tot", tot])
        XCTAssertEqual(text.lines.first, "Vernietigingslijst t/m zo 1 feb 2026: \(expected.count) zaken", text.stdout)
        let bad = try terminal.run(["archief", "lijst", "--tot", "1-2-2026"])
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.hasPrefix("fout: --tot '1-2-2026' is geen datum"), bad.stderr)
    }

    /// Three generated days of 2025: the list of what is due by February 2026, approved by a named
    /// person, carried out, and its verklaring; the KPIs of the period are the same before and after,
    /// and no list that changed, holds a zaak to keep or is unapproved is carried out.
    func testEenGoedgekeurdeLijstWordtVernietigdMetVerklaringEnDezelfdeKPIs() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        XCTAssertEqual(try terminal.run(["audit", "sleutel"]).status, 0)
        XCTAssertEqual(try terminal.run(["genereer", "--profiel", "assen", "--van", "2025-01-06", "--dagen", "3"]).status, 0)
        let kpi = ["kpi", "--van", "2025-01-06", "--tot", "2025-01-08", "--json"]
        let kpiBefore = try terminal.run(kpi).stdout
        let listed = try terminal.run(["archief", "lijst", "--tot", "2026-02-15", "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = try XCTUnwrap(jsonObject(listed.stdout)["zaken"] as? [[String: Any]])
        XCTAssertGreaterThan(rows.count, 20)
        let lijst = terminal.data + "/vernietigingslijst.json"
        FileManager.default.createFile(atPath: lijst, contents: Data(listed.stdout.utf8))
        let stored = { try terminal.run(["log", "toon", "--zoals-opgeslagen"]).stdout }
        let logBefore = try stored()

        // Not approved: refused, nothing changed.
        let unapproved = try terminal.run(["archief", "vernietig", lijst, "--medewerker", "dia-07"])
        XCTAssertEqual(unapproved.status, 67, unapproved.stderr)
        XCTAssertTrue(unapproved.stderr.contains("niet goedgekeurd"), unapproved.stderr)
        // A zaak to keep put on a list: its approval is refused.
        let kept = try XCTUnwrap(try loggedLines(terminal.data).first {
            $0["type"] as? String == "ZaakGeopend" && ($0["data"] as? [String: Any])?["archiefnominatie"] as? String == "blijvend_bewaren"
        }?["zaak"] as? String)
        var withKept = jsonObject(listed.stdout)
        var keptRow = rows[0]
        keptRow["zaak"] = kept
        withKept["zaken"] = rows + [keptRow]
        let other = terminal.data + "/met-blijvend.json"
        FileManager.default.createFile(atPath: other, contents: try JSONSerialization.data(withJSONObject: withKept))
        let keep = try terminal.run(["archief", "keur", other, "--door", "dia-03"])
        XCTAssertEqual(keep.status, 67, keep.stderr)
        XCTAssertTrue(keep.stderr.contains("\(kept) heeft archiefnominatie blijvend_bewaren"), keep.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other + ".goedkeuring.json"))

        // Approved, then edited: refused.
        let approved = try terminal.run(["archief", "keur", lijst, "--door", "dia-03", "--json"])
        XCTAssertEqual(approved.status, 0, approved.stderr)
        XCTAssertEqual(jsonObject(approved.stdout)["zaken"] as? Int, rows.count)
        let original = try Data(contentsOf: URL(fileURLWithPath: lijst))
        var edited = jsonObject(listed.stdout)
        edited["zaken"] = Array(rows.dropLast())
        try JSONSerialization.data(withJSONObject: edited).write(to: URL(fileURLWithPath: lijst))
        let changed = try terminal.run(["archief", "vernietig", lijst, "--medewerker", "dia-07"])
        XCTAssertEqual(changed.status, 67, changed.stderr)
        XCTAssertTrue(changed.stderr.contains("gewijzigd na de goedkeuring"), changed.stderr)
        XCTAssertEqual(try stored(), logBefore, "nothing was destroyed")
        try original.write(to: URL(fileURLWithPath: lijst))

        // The first zaak's inwoner asked for erasure before the destruction: it is destroyed all the same.
        let first = try XCTUnwrap(rows.first?["zaak"] as? String)
        let inwoner = try XCTUnwrap(jsonObject(try terminal.run(["toon", first, "--json"]).stdout)["inwoner"] as? String)
        let erased = try terminal.run(["avg", "wis", "--inwoner", inwoner, "--reden", "verzoek", "--medewerker", "fg-01", "--json"])
        XCTAssertEqual(erased.status, 0, erased.stderr)
        let erasedOnRequest = try XCTUnwrap(jsonObject(erased.stdout)["gewist"] as? [[String: Any]]).count

        // Carried out: a GegevensGewist per zaak, the verklaring with a signed checkpoint over them.
        let done = try terminal.run(["archief", "vernietig", lijst, "--medewerker", "dia-07", "--json"])
        XCTAssertEqual(done.status, 0, done.stderr)
        let verklaring = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: lijst + ".verklaring.json"))) as? [String: Any])
        let vernietigd = try XCTUnwrap(verklaring["zaken"] as? [[String: Any]])
        XCTAssertEqual(vernietigd.compactMap { $0["zaak"] as? String }, rows.compactMap { $0["zaak"] as? String })
        XCTAssertEqual(verklaring["goedgekeurdDoor"] as? String, "dia-03")
        XCTAssertEqual(verklaring["uitgevoerdDoor"] as? String, "dia-07")
        let checkpoint = try XCTUnwrap((verklaring["checkpoint"] as? [String: Any])?["checkpoint"] as? [String: Any])
        XCTAssertNotNil(checkpoint["signature"], "the checkpoint is signed")
        let lastPosition = try XCTUnwrap(vernietigd.compactMap { $0["positie"] as? Int }.max())
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(checkpoint["treeSize"] as? Int), lastPosition)
        let events = try loggedLines(terminal.data).filter { $0["type"] as? String == "GegevensGewist" }
        XCTAssertEqual(events.count, rows.count + erasedOnRequest)
        XCTAssertEqual(events.filter { ($0["data"] as? [String: Any])?["grondslag"] as? String == "archiefwet" }.compactMap { $0["zaak"] as? String },
                       rows.compactMap { $0["zaak"] as? String }, "one destruction event per zaak on the list, in its order")
        XCTAssertTrue(try terminal.run(["toon", first]).stdout.contains("gewist:\(first)"))
        XCTAssertEqual(jsonObject(try terminal.run(["toon", first, "--json"]).stdout)["archiefstatus"] as? String, "vernietigd")
        let later = try terminal.run(["archief", "lijst", "--tot", "2026-02-15", "--json"])
        XCTAssertEqual((jsonObject(later.stdout)["zaken"] as? [[String: Any]])?.count, 0, "a destroyed zaak is on no later list: \(later.stdout.prefix(300))")
        XCTAssertEqual(try terminal.run(kpi).stdout, kpiBefore, "the KPIs are the same after the destruction")
        XCTAssertEqual(try terminal.run(["log", "verifieer", "--sleutel", terminal.data + "/sleutels/checkpoint-ed25519.pub"]).status, 0)

        // Again (as after an interruption): the same verklaring, nothing erased twice.
        let afterDone = try stored()
        let again = try terminal.run(["archief", "vernietig", lijst, "--medewerker", "dia-07", "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try stored(), afterDone)
        XCTAssertEqual((jsonObject(again.stdout)["zaken"] as? [[String: Any]])?.count, rows.count)
    }

    /// kill -9 at random moments of a destruction, 12 times, each on a fresh copy of the same approved
    /// list: after a restart no read model holds the inwoner of a zaak whose key is gone, and carrying
    /// the list out again completes it, with one GegevensGewist per zaak and the verklaring.
    func testKillNineDuringADestructionLeavesItCompleteOrResumable() throws {
        var template = AgentTerminal(self)
        template.nu = "2026-11-20T09:00:00+01:00"
        XCTAssertEqual(try template.run(["audit", "sleutel"]).status, 0)
        XCTAssertEqual(try template.run(["genereer", "--profiel", "assen", "--van", "2025-01-06", "--dagen", "1"]).status, 0)
        let listed = try template.run(["archief", "lijst", "--tot", "2026-02-15", "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let listedZaken = try XCTUnwrap(jsonObject(listed.stdout)["zaken"] as? [[String: Any]]).compactMap { $0["zaak"] as? String }
        XCTAssertGreaterThan(listedZaken.count, 10)
        FileManager.default.createFile(atPath: template.data + "/lijst.json", contents: Data(listed.stdout.utf8))
        XCTAssertEqual(try template.run(["archief", "keur", template.data + "/lijst.json", "--door", "dia-03"]).status, 0)

        func vernietig(_ data: String) -> [String] { ["archief", "vernietig", data + "/lijst.json", "--medewerker", "dia-07"] }
        let clock = ContinuousClock()
        let timed = try clock.measure {
            let terminal = try template.copied(self)
            XCTAssertEqual(try terminal.run(vernietig(terminal.data)).status, 0)
        }
        let window = Int(timed.components.seconds * 1_000_000 + timed.components.attoseconds / 1_000_000_000_000)
        var generator = SystemRandomNumberGenerator()
        var begun = 0, finished = 0
        for trial in 0..<12 {
            let terminal = try template.copied(self)
            let process = try terminal.start(vernietig(terminal.data))
            usleep(UInt32.random(in: 0...UInt32(window), using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            XCTAssertEqual(try terminal.run(["projecties", "bijwerken"]).status, 0, "trial \(trial): the restart")
            let rows = try erasedKeysAndInwoners(terminal.data)
            for (zaak, inwoner) in rows.inwoners where rows.erased.contains(zaak) {
                XCTAssertEqual(inwoner, "gewist:\(zaak)", "trial \(trial): \(zaak)'s key is gone, its inwoner must be too")
            }
            if FileManager.default.fileExists(atPath: terminal.data + "/lijst.json.verklaring.json") {
                finished += 1
            } else if !rows.erased.isEmpty {
                begun += 1
            }
            let again = try terminal.run(vernietig(terminal.data) + ["--json"])
            XCTAssertEqual(again.status, 0, "trial \(trial): \(again.stderr)")
            XCTAssertEqual((jsonObject(again.stdout)["zaken"] as? [[String: Any]])?.count, listedZaken.count, "trial \(trial)")
            let erasures = try loggedLines(terminal.data).filter { $0["type"] as? String == "GegevensGewist" }
            XCTAssertEqual(erasures.compactMap { $0["zaak"] as? String }.sorted(), listedZaken.sorted(), "trial \(trial): one erasure per zaak")
            XCTAssertEqual(try erasedKeysAndInwoners(terminal.data).erased, Set(listedZaken), "trial \(trial)")
            XCTAssertEqual(try terminal.run(["log", "verifieer"]).status, 0, "trial \(trial)")
            try? FileManager.default.removeItem(atPath: terminal.data)
        }
        print("kill -9 tijdens vernietigen: 12 pogingen, \(12 - begun - finished) niet begonnen, \(begun) halverwege (gewist, zonder verklaring), "
              + "\(finished) klaar; alle 12 voltooid na nog een keer uitvoeren")
    }

    /// The zaken whose key the key store marks erased, and each zaak's inwoner in the read models
    /// (read with Python's sqlite3, not through zaaklog).
    private func erasedKeysAndInwoners(_ data: String) throws -> (erased: Set<String>, inwoners: [String: String]) {
        let script = "import sqlite3, json, sys; keys = sqlite3.connect(sys.argv[1]); rows = sqlite3.connect(sys.argv[2]); "
            + "print(json.dumps([[z for (z,) in keys.execute('SELECT zaak FROM sleutels WHERE gewist = 1')], "
            + "dict(rows.execute('SELECT nummer, inwoner FROM zaken'))]))"
        let read = try runProcess("/usr/bin/env", ["python3", "-c", script, data + "/sleutels/zaaksleutels.sqlite", data + "/projecties.sqlite"])
        XCTAssertEqual(read.status, 0, read.stderr)
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [Any], read.stdout)
        return (Set(try XCTUnwrap(parsed.first as? [String])), try XCTUnwrap(parsed.last as? [String: String]))
    }
}
