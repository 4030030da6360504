import Foundation
import XCTest

/// The backoffice's and the auditor's reads through the real binary: output, JSON and exit codes.
/// The scripted week is 16–20 Nov 2026, so every command runs under a clock set in that month
/// (ZAAK_NU): the verdicts (heropenvenster, termijnen) are the same on any real date.
final class BackofficeCLITests: XCTestCase {
    private let afval = ["--onderwerp", "afval.container-niet-geleegd"]

    /// A terminal whose clock reads Monday 30 Nov 2026, noon: after the scripted week, within the
    /// 14-day heropenvenster of a zaak closed on 17 Nov.
    private func terminal(nu: String = "2026-11-30T12:00:00+01:00") -> AgentTerminal {
        var terminal = AgentTerminal(self)
        terminal.nu = nu
        return terminal
    }

    /// A zaak handed off, answered, the inwoner informed and closed as opgelost, all in the week of 16 Nov 2026.
    private func closedZaak(_ terminal: AgentTerminal) throws {
        for command in [
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1"] + afval + ["--inhoud", "Container niet geleegd", "--tijd", "2026-11-16 09:00"],
            ["doorverwijs", "2026-1", "--soort", "warm", "--toelichting", "Staat vol", "--tijd", "2026-11-16 09:05"],
            ["terugkoppeling", "2026-1", "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", "Geleegd", "--tijd", "2026-11-17 10:00"],
            ["informeer", "2026-1", "--kanaal", "whatsapp", "--tijd", "2026-11-17 10:30"],
            ["sluit", "2026-1", "--resultaat", "opgelost", "--tijd", "2026-11-17 10:35"],
        ] {
            let outcome = try terminal.run(command)
            XCTAssertEqual(outcome.status, 0, "\(command): \(outcome.stderr)")
        }
    }

    // MARK: The must-shows

    func testAuditReplayReproducesWhatToonPrintedAtThatMoment() throws {
        // Each step is recorded at its own moment: the log's vastgelegdOp follows the clock.
        var terminal = terminal(nu: "2026-11-17T10:40:00+01:00")
        try closedZaak(terminal)
        let then = try terminal.run(["toon", "2026-1"])
        XCTAssertEqual(then.status, 0, then.stderr)
        XCTAssertTrue(then.stdout.contains("Echt opgelost? gesloten als opgelost"), then.stdout)
        let moment = "2026-11-17T12:00:00.000Z"

        // The inwoner writes again within the window: the control reopens the zaak.
        terminal.nu = "2026-11-20T08:05:00+01:00"
        let again = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1"] + afval + ["--inhoud", "Weer niet geleegd", "--tijd", "2026-11-20 08:00"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("heropend (opnieuw-contact): regel 4"), again.stdout)
        let now = try terminal.run(["toon", "2026-1"])
        XCTAssertNotEqual(now.stdout, then.stdout)
        XCTAssertTrue(now.stdout.contains("- niet echt opgelost: gesloten di 17 nov 2026 10:35, heropend vr 20 nov 2026 08:00 door de controle — regel 4"), now.stdout)

        let replayPath = terminal.data + "/replay.sqlite"
        let replay = try terminal.run(["audit", "replay", "--tot", moment, "--naar", replayPath])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(replay.stdout.contains(": 6 gebeurtenissen, t/m positie 6"), replay.stdout)
        let replayed = try terminal.run(["toon", "2026-1", "--projecties", replayPath])
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertEqual(replayed.stdout, then.stdout)
        let fromLog = try terminal.run(["toon", "2026-1", "--per", moment])
        XCTAssertEqual(fromLog.status, 0, fromLog.stderr)
        XCTAssertEqual(fromLog.stdout, then.stdout)

        let overwrite = try terminal.run(["audit", "replay", "--tot", moment, "--naar", replayPath])
        XCTAssertEqual(overwrite.status, 65)
        XCTAssertTrue(overwrite.stderr.contains("bestaat al"), overwrite.stderr)
        let before = try terminal.run(["toon", "2026-1", "--per", "2020-01-01"])
        XCTAssertEqual(before.status, 66)
        XCTAssertTrue(before.stderr.contains("bestond op"), before.stderr)
    }

    func testProjectiesHerbouwAfterDeletingTheDatabaseGivesTheSameFingerprint() throws {
        let terminal = terminal()
        try closedZaak(terminal)
        let open = try terminal.run(["gesprek", "--inwoner", "inw-2", "--onderwerp", "parkeren.vergunning", "--uitkomst", "terugbelverzoek", "--duur", "120"])
        XCTAssertEqual(open.status, 0, open.stderr)
        let before = try terminal.run(["projecties", "vingerafdruk"])
        XCTAssertEqual(before.status, 0, before.stderr)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: terminal.data + "/projecties.sqlite" + suffix) }
        let rebuilt = try terminal.run(["projecties", "herbouw"])
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertTrue(rebuilt.stdout.contains("Herbouwd: 9 gebeurtenissen toegepast, 0 overgeslagen"), rebuilt.stdout)
        let fingerprint = try XCTUnwrap(before.lines.first)
        XCTAssertTrue(fingerprint.hasPrefix("Vingerafdruk t/m positie 9: "), fingerprint)
        XCTAssertTrue(rebuilt.lines.contains(fingerprint), rebuilt.stdout)
        XCTAssertEqual(try terminal.run(["projecties", "vingerafdruk"]).lines.first, fingerprint)
    }

    // MARK: Reads

    func testWerkvoorraadListsOnlyTheAfdelingsOpenHandoffs() throws {
        let terminal = terminal()
        try closedZaak(terminal)
        for command in [
            ["bericht", "--kanaal", "email", "--inwoner", "inw-2"] + afval + ["--inhoud", "Vol", "--tijd", "2026-11-18 09:00"],
            ["doorverwijs", "2026-2", "--soort", "koud", "--toelichting", "Graag legen", "--tijd", "2026-11-18 09:05"],
            ["gesprek", "--inwoner", "inw-3", "--onderwerp", "parkeren.vergunning", "--uitkomst", "warm-doorverbonden", "--duur", "200"],
        ] {
            let outcome = try terminal.run(command)
            XCTAssertEqual(outcome.status, 0, "\(command): \(outcome.stderr)")
        }
        let queue = try terminal.run(["werkvoorraad", "--afdeling", "stadsbeheer", "--json"])
        XCTAssertEqual(queue.status, 0, queue.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(queue.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["zaak"] as? String }, [agentNummer(2, jaar: 2026)])
        XCTAssertEqual(rows.first?["uiterlijkOp"] as? String, "2026-11-20")
        XCTAssertEqual(rows.first?["soort"] as? String, "koud")
        let text = try terminal.run(["werkvoorraad", "--afdeling", "Stadsbeheer"])
        XCTAssertTrue(text.lines.first?.hasPrefix("Werkvoorraad Stadsbeheer op ") ?? false, text.stdout)
        XCTAssertTrue(text.stdout.contains("uiterlijk vr 20 nov 2026  \(agentNummer(2, jaar: 2026)) D1 (koud)"), text.stdout)

        let unknown = try terminal.run(["werkvoorraad", "--afdeling", "Stadsbeheerr"])
        XCTAssertEqual(unknown.status, 66)
        XCTAssertTrue(unknown.stderr.contains("afdeling 'Stadsbeheerr' is onbekend; kies uit:") && unknown.stderr.contains("Parkeren"), unknown.stderr)
    }

    func testZoekFiltersAndRefusesAnUnknownStatus() throws {
        let terminal = terminal()
        try closedZaak(terminal)
        XCTAssertEqual(try terminal.run(["gesprek", "--inwoner", "inw-2", "--onderwerp", "parkeren.vergunning", "--uitkomst", "direct-beantwoord", "--duur", "60"]).status, 0)
        let closed = try terminal.run(["zoek", "--onderwerp", "afval", "--status", "gesloten", "--json"])
        XCTAssertEqual(closed.status, 0, closed.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(closed.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["zaak"] as? String }, [agentNummer(1, jaar: 2026)])
        XCTAssertEqual(try terminal.run(["zoek", "--inwoner", "inw-2"]).lines.first, "1 zaak")
        XCTAssertEqual(try terminal.run(["zoek", "--van", "2030-01-01"]).lines.first, "0 zaken")
        let wrong = try terminal.run(["zoek", "--status", "dicht"])
        XCTAssertEqual(wrong.status, 65)
        XCTAssertTrue(wrong.stderr.contains("kies uit: open, gesloten, gekoppeld"), wrong.stderr)
    }

    func testKpiCountsAndRefusesBadPeriods() throws {
        let terminal = terminal()
        try closedZaak(terminal)
        let call = try terminal.run(["gesprek", "--inwoner", "inw-2", "--onderwerp", "kcc.algemene-vraag", "--uitkomst", "direct-beantwoord",
                                     "--duur", "60", "--afsluiten", "--tijd", "2026-11-18 11:00"])
        XCTAssertEqual(call.status, 0, call.stderr)
        let kpi = try terminal.run(["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--json"])
        XCTAssertEqual(kpi.status, 0, kpi.stderr)
        let row = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(row["zaken"] as? Int, 2)
        XCTAssertEqual(row["directAfgehandeld"] as? Int, 1)
        XCTAssertEqual(row["directAfgehandeldProcent"] as? Double, 50)
        XCTAssertEqual(row["afsluitingenOpgelost"] as? Int, 2)
        let perKanaal = try terminal.run(["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--per", "kanaal"])
        XCTAssertTrue(perKanaal.lines.contains { $0.hasPrefix("telefoon ") } && perKanaal.lines.contains { $0.hasPrefix("whatsapp ") }, perKanaal.stdout)
        // The period as a whole after the groups, each share with the count it is of.
        let totaal = try XCTUnwrap(perKanaal.lines.last { $0.hasPrefix("totaal ") }, perKanaal.stdout)
        XCTAssertEqual(totaal.split(separator: " ").dropFirst().first, "2", totaal)
        XCTAssertTrue(totaal.contains("50,0% (1)"), "direct: 1 of 2 zaken: \(totaal)")

        let per = try terminal.run(["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--per", "maand"])
        XCTAssertEqual(per.status, 65)
        XCTAssertTrue(per.stderr.contains("kies uit: kanaal, onderwerp, afdeling, week"), per.stderr)
        let backwards = try terminal.run(["kpi", "--van", "2026-11-30", "--tot", "2026-11-01"])
        XCTAssertEqual(backwards.status, 65)
        XCTAssertTrue(backwards.stderr.contains("ligt na --tot"), backwards.stderr)
    }

    func testControleNamesZakenReadyToCloseAndHandoffsPastTheirDeadline() throws {
        let terminal = terminal()
        for command in [
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1"] + afval + ["--inhoud", "Vol", "--tijd", "2026-11-16 09:00"],
            ["doorverwijs", "2026-1", "--soort", "warm", "--toelichting", "Legen", "--tijd", "2026-11-16 09:05"],
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-2"] + afval + ["--inhoud", "Vol", "--tijd", "2026-11-16 10:00"],
            ["doorverwijs", "2026-2", "--soort", "warm", "--toelichting", "Legen", "--tijd", "2026-11-16 10:05"],
            ["terugkoppeling", "2026-2", "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", "Geleegd", "--tijd", "2026-11-17 10:00"],
            ["informeer", "2026-2", "--kanaal", "whatsapp", "--tijd", "2026-11-17 10:30"],
        ] {
            let outcome = try terminal.run(command)
            XCTAssertEqual(outcome.status, 0, "\(command): \(outcome.stderr)")
        }
        let check = try terminal.run(["controle", "--json"])
        XCTAssertEqual(check.status, 0, check.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: [[String: Any]]])
        XCTAssertEqual(result["klaarOmTeSluiten"]?.map { $0["zaak"] as? String }, [agentNummer(2, jaar: 2026)])
        XCTAssertEqual(result["termijnVerlopen"]?.map { $0["zaak"] as? String }, [agentNummer(1, jaar: 2026)])
        XCTAssertEqual(result["nietEchtOpgelost"]?.count, 0)
    }

    // MARK: The auditor's history

    func testGeschiedenisGivesEveryEventWithItsMerkleLeafHash() throws {
        let terminal = terminal()
        try closedZaak(terminal)
        let history = try terminal.run(["geschiedenis", "2026-1", "--json"])
        XCTAssertEqual(history.status, 0, history.stderr)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["positie"] as? Int }, Array(1...6))
        XCTAssertEqual(rows.compactMap { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen", "Doorverwezen", "TerugkoppelingOntvangen",
                                                                   "InwonerGeinformeerd", "ZaakAfgesloten"])
        XCTAssertEqual(rows[3]["actor"] as? [String: String], ["soort": "afdeling", "id": "Stadsbeheer"])
        // The leaf hash is SHA-256(0x00 ‖ line) of the line as the log holds it.
        let lines = try terminal.run(["log", "toon", "--zoals-opgeslagen"]).lines
        for (row, line) in zip(rows, lines) {
            let leaf = try runProcess("/usr/bin/python3", ["-c", "import hashlib,sys; print(hashlib.sha256(b'\\x00' + sys.stdin.buffer.read()).hexdigest())"],
                                      input: Data(line.utf8))
            XCTAssertEqual(row["bladhash"] as? String, leaf.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let text = try terminal.run(["geschiedenis", "2026-1"])
        XCTAssertTrue(text.lines.first?.hasPrefix("Geschiedenis van \(agentNummer(1, jaar: 2026)): 6 gebeurtenissen") ?? false, text.stdout)
        XCTAssertEqual(try terminal.run(["geschiedenis", "2026-77"]).status, 66)
    }
}
