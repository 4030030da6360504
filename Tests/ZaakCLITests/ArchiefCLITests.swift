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
        XCTAssertEqual(events.count, rows.count)
        XCTAssertTrue(events.allSatisfy { ($0["data"] as? [String: Any])?["grondslag"] as? String == "archiefwet" })
        let first = try XCTUnwrap(rows.first?["zaak"] as? String)
        XCTAssertTrue(try terminal.run(["toon", first]).stdout.contains("gewist:\(first)"))
        XCTAssertEqual(try terminal.run(kpi).stdout, kpiBefore, "the KPIs are the same after the destruction")
        XCTAssertEqual(try terminal.run(["log", "verifieer", "--sleutel", terminal.data + "/sleutels/checkpoint-ed25519.pub"]).status, 0)

        // Again (as after an interruption): the same verklaring, nothing erased twice.
        let afterDone = try stored()
        let again = try terminal.run(["archief", "vernietig", lijst, "--medewerker", "dia-07", "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try stored(), afterDone)
        XCTAssertEqual((jsonObject(again.stdout)["zaken"] as? [[String: Any]])?.count, rows.count)
    }
}
