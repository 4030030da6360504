import Foundation
import XCTest

/// `zaak import`: NDJSON from another system, checked like the agent commands, atomic per batch,
/// one acknowledgement per durable batch.
final class ImportCLITests: XCTestCase {
    /// A container zaak from start to close, five lines: opened, message, handoff, feedback, informed.
    private let fiveLines = [
        ImportLine.opening("a1"),
        ImportLine.bericht("a2", versie: 2),
        ImportLine.doorverwezen("a3", versie: 3, "D1"),
        ImportLine.terugkoppeling("a4", versie: 4, "D1"),
        ImportLine.informeer("a5", versie: 5),
    ]

    func testImportFromAFileAcknowledgesEachBatchAndARerunWritesNothing() throws {
        let terminal = AgentTerminal(self)
        let file = terminal.data + "/export.ndjson"
        try (fiveLines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let imported = try terminal.run(["import", file, "--batch", "2"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.lines, [
            "batch 1: regels 1–2 vastgelegd t/m positie 2 (2 nieuw, 0 al aanwezig)",
            "batch 2: regels 3–4 vastgelegd t/m positie 4 (2 nieuw, 0 al aanwezig)",
            "batch 3: regels 5–5 vastgelegd t/m positie 5 (1 nieuw, 0 al aanwezig)",
        ])
        XCTAssertEqual(imported.stderr, "")
        let events = try terminal.events()
        XCTAssertEqual(events.map { $0["id"] as? String }, ["a1", "a2", "a3", "a4", "a5"])
        XCTAssertEqual(events.map { $0["positie"] as? Int }, [1, 2, 3, 4, 5])
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen", "Doorverwezen", "TerugkoppelingOntvangen", "InwonerGeinformeerd"])
        let state = try terminal.zaakJSON(ImportLine.zaak)
        XCTAssertEqual(state["versie"] as? Int, 5)
        XCTAssertEqual(state["afsluitbevindingen"] as? [String], [], "imported like the commands would have made it: ready to close")

        let rerun = try terminal.unchanged { try terminal.run(["import", file, "--batch", "2"]) }
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(rerun.lines, [
            "batch 1: regels 1–2 vastgelegd t/m positie 2 (0 nieuw, 2 al aanwezig)",
            "batch 2: regels 3–4 vastgelegd t/m positie 4 (0 nieuw, 2 al aanwezig)",
            "batch 3: regels 5–5 vastgelegd t/m positie 5 (0 nieuw, 1 al aanwezig)",
        ])
    }

    func testImportFromStdinAcknowledgesEachBatch() throws {
        let terminal = AgentTerminal(self)
        let input = fiveLines.joined(separator: "\n") + "\n"
        let imported = try terminal.run(["import", "-", "--batch", "2", "--json"], input: input)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let acks = imported.lines.map(agentJSON)
        XCTAssertEqual(acks.map { $0["batch"] as? Int }, [1, 2, 3])
        XCTAssertEqual(acks.map { $0["regels"] as? [Int] }, [[1, 2], [3, 4], [5, 5]])
        XCTAssertEqual(acks.map { $0["laatstePositie"] as? Int }, [2, 4, 5])
        XCTAssertEqual(acks.map { $0["nieuw"] as? Int }, [2, 2, 1])
        XCTAssertEqual(try terminal.events().map { $0["id"] as? String }, ["a1", "a2", "a3", "a4", "a5"])

        // Without a file argument stdin is read too; everything is already there.
        let rerun = try terminal.unchanged { try terminal.run(["import", "--batch", "2"], input: input) }
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertEqual(rerun.lines.count, 3)
        XCTAssertTrue(rerun.lines.allSatisfy { $0.contains("(0 nieuw,") && $0.contains("al aanwezig)") }, rerun.stdout)
    }

    func testMalformedLineFourKeepsBatchOneAndWritesNothingOfBatchTwo() throws {
        let terminal = AgentTerminal(self)
        let input = [fiveLines[0], fiveLines[1], fiveLines[2], #"{"id":"a4","zaak":"#, fiveLines[4]].joined(separator: "\n") + "\n"
        let imported = try terminal.run(["import", "--batch", "2"], input: input)
        XCTAssertEqual(imported.status, 65)
        XCTAssertEqual(imported.lines, ["batch 1: regels 1–2 vastgelegd t/m positie 2 (2 nieuw, 0 al aanwezig)"])
        XCTAssertTrue(imported.stderr.hasPrefix("fout: regel 4: geen geldige JSON"), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("Batch 2 is niet geschreven"), imported.stderr)
        // Batch 1 is durable (read back by another process); lines 3 and 4 are not there.
        XCTAssertEqual(try terminal.events().map { $0["id"] as? String }, ["a1", "a2"])
        XCTAssertEqual(try terminal.logState().laatstePositie, 2)
    }

    func testUnknownFieldInDataIs65AndNamesTheField() throws {
        let terminal = try importedOpening()
        let input = ImportLine.bericht("a3", versie: 3, extra: #","kleur":"groen""#) + "\n"
        let imported = try terminal.unchanged { try terminal.run(["import"], input: input) }
        XCTAssertEqual(imported.status, 65)
        XCTAssertEqual(imported.stdout, "")
        XCTAssertTrue(imported.stderr.hasPrefix("fout: regel 1: onbekend veld 'data.kleur'; zie schemas/events/BerichtOntvangen.v1.schema.json"), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("Batch 1 is niet geschreven"), imported.stderr)
    }

    func testTerugkoppelingForAMissingDoorverwijzingIs66AndNothingOfTheBatchIsWritten() throws {
        let terminal = try importedOpening()
        // A valid message, then feedback on a handoff that never happened, in one batch.
        let input = [ImportLine.bericht("a3", versie: 3), ImportLine.terugkoppeling("a4", versie: 4, "D4")].joined(separator: "\n") + "\n"
        let imported = try terminal.unchanged { try terminal.run(["import"], input: input) }
        XCTAssertEqual(imported.status, 66)
        XCTAssertEqual(imported.stdout, "")
        XCTAssertTrue(imported.stderr.hasPrefix("fout: regel 2 (a4, zaak \(ImportLine.zaak)): zaak \(ImportLine.zaak) heeft geen doorverwijzing 'D4'"), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("Batch 1 (regels 1–2) is niet geschreven"), imported.stderr)
        XCTAssertFalse(try terminal.events().contains { $0["id"] as? String == "a3" }, "the valid line of the refused batch is not written")
    }

    func testClosingAgainstTheRulesIs67AndWithTheAfwijkingInTheEventItImports() throws {
        let terminal = try importedOpening()
        let handoff = ImportLine.doorverwezen("a3", versie: 3, "D1")
        let refused = try terminal.unchanged {
            try terminal.run(["import"], input: [handoff, ImportLine.afgesloten("a4", versie: 4)].joined(separator: "\n") + "\n")
        }
        XCTAssertEqual(refused.status, 67)
        XCTAssertTrue(refused.stderr.hasPrefix("fout: regel 2 (a4, zaak \(ImportLine.zaak)): zaak \(ImportLine.zaak) kan nog niet gesloten worden als opgelost"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("doorverwijzing D1 aan Stadsbeheer heeft nog geen terugkoppeling"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is niet geschreven"), refused.stderr)

        // The same close, with the override recorded in it, is accepted.
        let override = ImportLine.afgesloten("a4", versie: 4, afwijking: #"{"regels":[1],"reden":"Telefonisch bevestigd door Stadsbeheer"}"#)
        let accepted = try terminal.run(["import"], input: [handoff, override].joined(separator: "\n") + "\n")
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(accepted.lines, ["batch 1: regels 1–2 vastgelegd t/m positie 4 (2 nieuw, 0 al aanwezig)"])
        XCTAssertEqual(try terminal.zaakJSON(ImportLine.zaak)["status"] as? String, "gesloten")
    }

    /// A 10 MB line is refused without reading it whole into memory many times: the importer runs
    /// under an address-space limit of 100 MB, ten times the line, beyond what mapping the binary
    /// itself takes (a debug build that links the HTTP server is ~90 MB).
    func testTenMegabyteLineIsRefusedAndNothingIsWritten() throws {
        let terminal = try importedOpening()
        let line = #"{"id":"x","zaak":"Z-2026-000001","data":""# + String(repeating: "a", count: 10_000_000) + "\"}\n"
        let started = Date()
        let imported = try terminal.unchanged {
            let binaryKiB = ((try FileManager.default.attributesOfItem(atPath: zaakBinary)[.size] as? Int) ?? 0) / 1024
            return try runProcess("/bin/sh", ["-c", "ulimit -v \(binaryKiB + 102_400) && exec \"$0\" \"$@\"", zaakBinary, "import", "--data", terminal.data],
                                  input: Data(line.utf8))
        }
        XCTAssertEqual(imported.status, 65, imported.stderr)
        XCTAssertEqual(imported.stdout, "")
        XCTAssertTrue(imported.stderr.hasPrefix("fout: regel 1 is groter dan 1 MiB"), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("Batch 1 is niet geschreven"), imported.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20)
    }

    func testABatchWithOneBadEventInTheMiddleWritesNoneOfIt() throws {
        let terminal = AgentTerminal(self)
        // Batch 2 is lines 4–6; line 5 names handoff D2 where D1 comes next.
        let lines = [fiveLines[0], ImportLine.bericht("a2", versie: 2), ImportLine.bericht("a3", versie: 3),
                     ImportLine.bericht("a4", versie: 4), ImportLine.doorverwezen("a5", versie: 5, "D2"), ImportLine.bericht("a6", versie: 6)]
        let imported = try terminal.run(["import", "--batch", "3"], input: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(imported.status, 65)
        XCTAssertEqual(imported.lines, ["batch 1: regels 1–3 vastgelegd t/m positie 3 (3 nieuw, 0 al aanwezig)"])
        XCTAssertTrue(imported.stderr.hasPrefix("fout: regel 5 (a5, zaak \(ImportLine.zaak)): doorverwijzing 'D2' past niet; de volgende doorverwijzing van zaak \(ImportLine.zaak) heet D1"), imported.stderr)
        XCTAssertTrue(imported.stderr.contains("Batch 2 (regels 4–6) is niet geschreven; de bevestigde batches ervoor staan in het log."), imported.stderr)
        XCTAssertEqual(try terminal.events().map { $0["id"] as? String }, ["a1", "a2", "a3"])

        // One batch, bad in the middle: nothing at all.
        let fresh = AgentTerminal(self)
        let whole = [fiveLines[0], ImportLine.doorverwezen("a2", versie: 2, "D2"), ImportLine.bericht("a3", versie: 3)]
        let refused = try fresh.run(["import"], input: whole.joined(separator: "\n") + "\n")
        XCTAssertEqual(refused.status, 65)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertEqual(try fresh.logState().laatstePositie, 0)
    }

    // MARK: Issue 15: the same verdicts as the deciders

    /// The five lines and a closing as opgelost (a6): the zaak stands closed, its window open.
    private var closedStory: [String] { fiveLines + [ImportLine.afgesloten("a6", versie: 6)] }

    func testASurveySayingNotSolvedOnAClosedZaakIsRefusedWithoutTheReopeningRule5() throws {
        let terminal = AgentTerminal(self)
        XCTAssertEqual(try terminal.run(["import"], input: closedStory.joined(separator: "\n") + "\n").status, 0)
        let survey = ImportLine.tevredenheid("a7", versie: 7, opgelost: false)
        let refused = try terminal.unchanged { try terminal.run(["import"], input: survey + "\n" + ImportLine.informeer("a8", versie: 8) + "\n") }
        XCTAssertEqual(refused.status, 67, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("regel 5"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("ZaakHeropend met aanleiding tevredenheid, actor systeem echt-opgelost-controle"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("is niet geschreven"), refused.stderr)
        let alone = try terminal.unchanged { try terminal.run(["import"], input: survey + "\n") }
        XCTAssertEqual(alone.status, 67, alone.stderr)
        XCTAssertTrue(alone.stderr.contains("regel 1 (zaak \(ImportLine.zaak)): regel 5"), alone.stderr)

        // With the closure check's reopening after it, as the decider makes it: accepted, and the
        // closing no longer counts as solved. Even batches of 1 keep the survey and the reopening together.
        let reopening = ImportLine.heropend("a8", versie: 8, aanleiding: "tevredenheid")
        let accepted = try terminal.run(["import", "--batch", "1"], input: survey + "\n" + reopening + "\n")
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        XCTAssertEqual(accepted.lines, ["batch 1: regels 1–2 vastgelegd t/m positie 8 (2 nieuw, 0 al aanwezig)"])
        XCTAssertEqual(try terminal.zaakJSON(ImportLine.zaak)["status"] as? String, "open")
        let kpi = try terminal.run(["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--json"])
        let row = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])?.first, kpi.stdout)
        XCTAssertEqual(row["afsluitingenOpgelost"] as? Int, 1)
        XCTAssertEqual(row["gebleven"] as? Int, 0)
    }

    func testANewZaakForTheSameInwonerAndOnderwerpInsideTheWindowIsRefusedRule4() throws {
        let terminal = AgentTerminal(self)
        let second = "Z-2026-000002"
        let newZaak = [ImportLine.opening("b1", zaak: second), ImportLine.event("b2", "BerichtOntvangen", versie: 2,
                                                                                  data: #"{"inhoud":"Weer niet geleegd","kanaal":"whatsapp"}"#, zaak: second)]
        // In one batch with the closing, and in a later import: refused the same way.
        let together = try terminal.run(["import"], input: (closedStory + newZaak).joined(separator: "\n") + "\n")
        XCTAssertEqual(together.status, 67, together.stderr)
        XCTAssertEqual(together.stdout, "")
        XCTAssertTrue(together.stderr.hasPrefix("fout: regel 7 (b1, zaak \(second)): regel 4: inw-4821 heeft zaak \(ImportLine.zaak)"), together.stderr)
        XCTAssertTrue(together.stderr.contains("naastLopendeZaak"), together.stderr)
        XCTAssertEqual(try terminal.run(["import"], input: closedStory.joined(separator: "\n") + "\n").status, 0)
        let later = try terminal.unchanged { try terminal.run(["import"], input: newZaak.joined(separator: "\n") + "\n") }
        XCTAssertEqual(later.status, 67, later.stderr)
        XCTAssertTrue(later.stderr.contains("regel 4: inw-4821 heeft zaak \(ImportLine.zaak)"), later.stderr)
        // A message on the closed zaak itself needs the reopening before it.
        let onClosed = ImportLine.bericht("a7", versie: 7)
        let refused = try terminal.unchanged { try terminal.run(["import"], input: onClosed + "\n") }
        XCTAssertEqual(refused.status, 67, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("regel 4: inw-4821 neemt binnen het heropenvenster van zaak \(ImportLine.zaak)"), refused.stderr)
    }

    func testADoorverwezenWhoseDeadlineIsNotTheWorkingDayDeadlineIsRefused() throws {
        // Zwerfafval: 3 werkdagen. From Wednesday 24 December 2025 that is 31 December, not the 29th.
        let terminal = AgentTerminal(self)
        let op = "2025-12-24T10:00:00.000Z"
        let opening = ImportLine.event("c1", "ZaakGeopend", versie: 1, data: #"{"afdeling":"Stadsbeheer","afhandeltermijnWerkdagen":3,"archiefnominatie":"vernietigen","bewaartermijnJaren":2,"catalogusversie":"2026.1","heropenvensterDagen":14,"inwoner":{"ref":"inw-24"},"kanaal":"whatsapp","omschrijving":"Afval bij de glasbak","onderwerp":"openbare-ruimte.zwerfafval","uiterlijkAfgehandeldOp":"2025-12-31"}"#, op: op)
        func handoff(_ uiterlijk: String) -> String {
            ImportLine.event("c2", "Doorverwezen", versie: 2, data: #"{"afdeling":"Stadsbeheer","doorverwijzing":"D1","gevraagdeHandeling":"afhandelen","soort":"koud","toelichting":"Afval","uiterlijkOp":"\#(uiterlijk)"}"#, op: op)
        }
        let refused = try terminal.run(["import"], input: [opening, handoff("2025-12-29")].joined(separator: "\n") + "\n")
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertTrue(refused.stderr.hasPrefix("fout: regel 2 (c2, zaak \(ImportLine.zaak)): uiterlijkOp 2025-12-29 klopt niet: 3 werkdagen na wo 24 dec 2025 is wo 31 dec 2025"), refused.stderr)
        let accepted = try terminal.run(["import"], input: [opening, handoff("2025-12-31")].joined(separator: "\n") + "\n")
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
    }

    func testTheSameLineTwiceIsWrittenOnceAndSaidSo() throws {
        let terminal = AgentTerminal(self)
        let lines = [fiveLines[0], fiveLines[1], fiveLines[2], fiveLines[2], fiveLines[3], fiveLines[4]]
        let imported = try terminal.run(["import"], input: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.lines, ["batch 1: regels 1–6 vastgelegd t/m positie 5 (5 nieuw, 1 al aanwezig, waarvan 1 dubbel in de invoer)"])
        XCTAssertEqual(imported.stderr, "let op: regel 4 (a3) is dezelfde gebeurtenis als regel 3; één keer vastgelegd, overgeslagen\n")
        XCTAssertEqual(try terminal.events().map { $0["id"] as? String }, ["a1", "a2", "a3", "a4", "a5"])
        let json = try terminal.run(["import", "--json"], input: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(json.status, 0, json.stderr)
        XCTAssertEqual(agentJSON(json.stdout)["alAanwezig"] as? Int, 6)
    }

    func testTheSameIdWithOtherContentInOneFileIs65() throws {
        let terminal = AgentTerminal(self)
        let other = ImportLine.bericht("a3", versie: 3).replacingOccurrences(of: "Bericht a3", with: "Iets anders")
        let lines = [fiveLines[0], fiveLines[1], ImportLine.bericht("a3", versie: 3), other]
        let refused = try terminal.run(["import"], input: lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(refused.status, 65, refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertTrue(refused.stderr.hasPrefix("fout: regel 4 (a3, zaak \(ImportLine.zaak)): id a3 staat ook op regel 3, met een andere inhoud"), refused.stderr)
    }

    func testAKnownIdWithOtherContentIsSkippedAndSaidSo() throws {
        let terminal = AgentTerminal(self)
        XCTAssertEqual(try terminal.run(["import"], input: fiveLines.joined(separator: "\n") + "\n").status, 0)
        let changed = fiveLines[4].replacingOccurrences(of: "Container is geleegd", with: "Container is morgen aan de beurt")
        let imported = try terminal.unchanged { try terminal.run(["import"], input: changed + "\n") }
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.lines, ["batch 1: regels 1–1 vastgelegd t/m positie 5 (0 nieuw, 1 al aanwezig, 1 met een andere inhoud in het log)"])
        XCTAssertTrue(imported.stderr.hasPrefix("let op: regel 1: id a5 staat al in het log (positie 5) met een andere inhoud; overgeslagen"), imported.stderr)
        // The identical line is the plain idempotent case: nothing to warn about.
        let same = try terminal.run(["import"], input: fiveLines[4] + "\n")
        XCTAssertEqual(same.stderr, "")
        XCTAssertEqual(same.lines, ["batch 1: regels 1–1 vastgelegd t/m positie 5 (0 nieuw, 1 al aanwezig)"])
    }

    /// A log holding the opening and first message of the zaak (a1, a2).
    private func importedOpening() throws -> AgentTerminal {
        let terminal = AgentTerminal(self)
        let imported = try terminal.run(["import"], input: fiveLines[0] + "\n" + fiveLines[1] + "\n")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.lines, ["batch 1: regels 1–2 vastgelegd t/m positie 2 (2 nieuw, 0 al aanwezig)"])
        return terminal
    }
}

/// Import lines of one zaak, as `zaak log toon` prints them without positie and vastgelegdOp.
enum ImportLine {
    static let zaak = "Z-2026-000001"

    static func event(_ id: String, _ type: String, versie: Int, actor: String = #"{"soort":"medewerker","id":"kcc-1"}"#, data: String,
                      zaak: String = ImportLine.zaak, op: String = "2026-11-20T08:15:00.000Z") -> String {
        #"{"id":"\#(id)","zaak":"\#(zaak)","type":"\#(type)","schemaversie":1,"versie":\#(versie),"plaatsgevondenOp":"\#(op)","actor":\#(actor),"data":\#(data)}"#
    }

    static func opening(_ id: String, zaak: String = ImportLine.zaak) -> String {
        event(id, "ZaakGeopend", versie: 1, data: #"{"afdeling":"Stadsbeheer","afhandeltermijnWerkdagen":2,"archiefnominatie":"vernietigen","bewaartermijnJaren":2,"catalogusversie":"2026.1","heropenvensterDagen":14,"inwoner":{"ref":"inw-4821"},"kanaal":"whatsapp","omschrijving":"Container niet geleegd","onderwerp":"afval.container-niet-geleegd","uiterlijkAfgehandeldOp":"2026-11-24"}"#, zaak: zaak)
    }

    static func bericht(_ id: String, versie: Int, extra: String = "") -> String {
        event(id, "BerichtOntvangen", versie: versie, data: #"{"inhoud":"Bericht \#(id)","kanaal":"whatsapp"\#(extra)}"#)
    }

    static func doorverwezen(_ id: String, versie: Int, _ doorverwijzing: String) -> String {
        event(id, "Doorverwezen", versie: versie, data: #"{"afdeling":"Stadsbeheer","doorverwijzing":"\#(doorverwijzing)","gevraagdeHandeling":"afhandelen","soort":"warm","toelichting":"Container vol","uiterlijkOp":"2026-11-24"}"#)
    }

    static func terugkoppeling(_ id: String, versie: Int, _ doorverwijzing: String) -> String {
        event(id, "TerugkoppelingOntvangen", versie: versie, actor: #"{"soort":"afdeling","id":"Stadsbeheer"}"#,
              data: #"{"doorverwijzing":"\#(doorverwijzing)","toelichting":"Alsnog geleegd","uitkomst":"opgelost"}"#)
    }

    static func informeer(_ id: String, versie: Int) -> String {
        event(id, "InwonerGeinformeerd", versie: versie, data: #"{"kanaal":"whatsapp","toelichting":"Container is geleegd"}"#)
    }

    static func tevredenheid(_ id: String, versie: Int, opgelost: Bool) -> String {
        event(id, "TevredenheidGemeten", versie: versie, actor: #"{"soort":"systeem","id":"kto"}"#,
              data: #"{"opgelostVolgensInwoner":\#(opgelost),"score":3}"#)
    }

    static func heropend(_ id: String, versie: Int, aanleiding: String) -> String {
        event(id, "ZaakHeropend", versie: versie, actor: #"{"soort":"systeem","id":"echt-opgelost-controle"}"#,
              data: #"{"aanleiding":"\#(aanleiding)","reden":"regel 5: de inwoner zegt dat het niet is opgelost"}"#)
    }

    static func afgesloten(_ id: String, versie: Int, afwijking: String? = nil) -> String {
        event(id, "ZaakAfgesloten", versie: versie, data: #"{"direct":false,"resultaat":"opgelost"\#(afwijking.map { #","afwijking":"# + $0 } ?? "")}"#)
    }
}
