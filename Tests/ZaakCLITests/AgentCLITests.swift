import Foundation
import XCTest

/// The KCC agent's commands through the real `zaak` binary: what an agent sees on the terminal
/// (Dutch text, exit codes) and what ends up in the log.
final class AgentCLITests: XCTestCase {
    // MARK: The must-show

    /// Only what `zaak --help` shows: a WhatsApp message opens a zaak, it is handed off, closing
    /// too early is refused with the missing step named, and after terugkoppeling and informing
    /// the inwoner it closes as solved.
    func testMustShowFollowingOnlyTheTopLevelHelp() throws {
        // A wide terminal, so the example lines come out as written (see the report on 80 columns).
        let help = try runProcess(zaakBinary, ["--help"], environment: ["COLUMNS": "200"])
        XCTAssertEqual(help.status, 0, help.stderr)
        let script = helpExampleCommands(help.stdout)
        func example(_ word: String) throws -> [String] {
            let command = try XCTUnwrap(script.first { $0.count > 1 && $0[0] == "zaak" && $0[1] == word }, "`zaak --help` has no example of `zaak \(word)`:\n\(help.stdout)")
            // The example names this year's first zaak by its short form.
            return Array(command.dropFirst()).map { $0 == "2026-1" ? "\(agentJaar)-1" : $0 }
        }
        let export = try XCTUnwrap(script.first { $0.first == "export" }, "the help says how to set the medewerker")
        XCTAssertEqual(export, ["export", "ZAAK_MEDEWERKER=kcc-112"])
        let terminal = AgentTerminal(self, medewerker: "kcc-112")
        let z1 = agentNummer(1)

        // The inwoner writes on WhatsApp (on a Friday morning, so the deadline is a fixed date).
        let bericht = try example("bericht")
        XCTAssertTrue(bericht.contains("whatsapp"), "\(bericht)")
        let opened = try terminal.run(bericht + ["--tijd", "2026-11-20 09:15"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.lines.first, "Bericht vastgelegd — zaak \(z1), versie 2")
        XCTAssertTrue(opened.stdout.contains("versie 1: zaak geopend via whatsapp voor inw-4821: afval.container-niet-geleegd"), opened.stdout)
        XCTAssertTrue(opened.stdout.contains("Afdeling: Stadsbeheer; afhandelen uiterlijk di 24 nov 2026 (2 werkdagen)."), opened.stdout)
        XCTAssertEqual(opened.stderr, "")

        let handoff = try terminal.run(try example("doorverwijs"))
        XCTAssertEqual(handoff.status, 0, handoff.stderr)
        XCTAssertEqual(handoff.lines.first, "Doorverwezen — zaak \(z1), versie 3")
        XCTAssertTrue(handoff.stdout.contains("warm doorverwezen (D1) naar Stadsbeheer"), handoff.stdout)
        XCTAssertTrue(handoff.stdout.contains("Volgende stap: wacht op de terugkoppeling van Stadsbeheer (D1"), handoff.stdout)

        // Closing before the afdeling answered: refused, naming the step that is missing.
        let sluit = try example("sluit")
        let early = try terminal.unchanged { try terminal.run(sluit) }
        XCTAssertEqual(early.status, 67, early.stdout + early.stderr)
        XCTAssertTrue(early.stderr.hasPrefix("fout: zaak \(z1) kan nog niet gesloten worden als opgelost"), early.stderr)
        XCTAssertTrue(early.stderr.contains("doorverwijzing D1 aan Stadsbeheer heeft nog geen terugkoppeling"), early.stderr)
        XCTAssertTrue(early.stderr.contains("zaak terugkoppeling \(z1) --doorverwijzing D1"), "says what to do: \(early.stderr)")
        XCTAssertEqual(early.stdout, "")

        let feedback = try terminal.run(try example("terugkoppeling"))
        XCTAssertEqual(feedback.status, 0, feedback.stderr)
        XCTAssertTrue(feedback.stdout.contains("terugkoppeling op D1: opgelost"), feedback.stdout)

        // Still not: the inwoner has not been told yet.
        let uninformed = try terminal.unchanged { try terminal.run(sluit) }
        XCTAssertEqual(uninformed.status, 67)
        XCTAssertTrue(uninformed.stderr.contains("de inwoner is na de laatste terugkoppeling niet geïnformeerd"), uninformed.stderr)

        let informed = try terminal.run(try example("informeer"))
        XCTAssertEqual(informed.status, 0, informed.stderr)
        XCTAssertTrue(informed.stdout.contains("inwoner geïnformeerd via whatsapp"), informed.stdout)

        let closed = try terminal.run(sluit)
        XCTAssertEqual(closed.status, 0, closed.stderr)
        XCTAssertEqual(closed.lines.first, "Zaak gesloten — zaak \(z1), versie 6")
        XCTAssertTrue(closed.stdout.contains("gesloten: opgelost"), closed.stdout)

        let shown = try terminal.run(try example("toon"))
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(shown.lines.first, "Zaak \(z1) — versie 6, gesloten (opgelost)")
        let state = try terminal.zaakJSON(z1)
        XCTAssertEqual(state["status"] as? String, "gesloten")
        XCTAssertEqual(state["resultaat"] as? String, "opgelost")
        XCTAssertEqual(state["versie"] as? Int, 6)

        let events = try terminal.events()
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen", "Doorverwezen", "TerugkoppelingOntvangen", "InwonerGeinformeerd", "ZaakAfgesloten"])
        XCTAssertEqual(events.map { $0["versie"] as? Int }, Array(1...6))
        XCTAssertEqual(events.map { ($0["actor"] as? [String: Any])?["id"] as? String }, ["kcc-112", "kcc-112", "kcc-112", "Stadsbeheer", "kcc-112", "kcc-112"],
                       "the afdeling gives the terugkoppeling, the agent the rest")
        XCTAssertEqual(events[0]["plaatsgevondenOp"] as? String, "2026-11-20T08:15:00.000Z")
    }

    // MARK: One inwoner, one problem, one zaak

    func testSameInwonerOnAnotherChannelJoinsTheOpenZaak() throws {
        let terminal = AgentTerminal(self)
        let z1 = agentNummer(1), z2 = agentNummer(2), z3 = agentNummer(3)
        let container = ["--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd"]

        let whatsapp = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inhoud", "Mijn groene container is niet geleegd"] + container)
        XCTAssertEqual(whatsapp.status, 0, whatsapp.stderr)
        XCTAssertEqual(whatsapp.lines.first, "Bericht vastgelegd — zaak \(z1), versie 2")

        let facebook = try terminal.run(["bericht", "--kanaal", "sociale-media", "--inhoud", "Via Facebook: container nog steeds vol", "--extern-id", "fb-981"] + container)
        XCTAssertEqual(facebook.status, 0, facebook.stderr)
        XCTAssertEqual(facebook.lines.first, "Bericht vastgelegd — zaak \(z1), versie 3")
        XCTAssertTrue(facebook.stdout.contains("Toegevoegd aan de lopende zaak \(z1) van inw-4821 over afval.container-niet-geleegd"), facebook.stdout)
        XCTAssertTrue(facebook.stdout.contains("via whatsapp"), "names where the zaak started: \(facebook.stdout)")
        XCTAssertTrue(facebook.stdout.contains("--nieuwe-zaak"), "says how to split it off: \(facebook.stdout)")
        XCTAssertFalse(facebook.stdout.contains("zaak geopend"), facebook.stdout)

        var events = try terminal.events()
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen", "BerichtOntvangen"])
        XCTAssertEqual(Set(events.compactMap { $0["zaak"] as? String }), [z1])
        XCTAssertEqual((events[2]["data"] as? [String: Any])?["kanaal"] as? String, "sociale-media")
        XCTAssertEqual((events[2]["data"] as? [String: Any])?["externeId"] as? String, "fb-981")

        // The agent knows better: a second problem on the same onderwerp.
        let split = try terminal.run(["bericht", "--kanaal", "sociale-media", "--inhoud", "En de container van de buren ook", "--nieuwe-zaak"] + container)
        XCTAssertEqual(split.status, 0, split.stderr)
        XCTAssertEqual(split.lines.first, "Bericht vastgelegd — zaak \(z2), versie 2")
        XCTAssertTrue(split.stdout.contains("Let op: naast de lopende zaak \(z1) over hetzelfde onderwerp."), split.stdout)

        // Another onderwerp is another problem.
        let parking = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "parkeren.vergunning", "--inhoud", "Hoe vraag ik een bezoekersvergunning aan?"])
        XCTAssertEqual(parking.status, 0, parking.stderr)
        XCTAssertEqual(parking.lines.first, "Bericht vastgelegd — zaak \(z3), versie 2")
        XCTAssertTrue(parking.stdout.contains("Afdeling: Parkeren"), parking.stdout)
        XCTAssertFalse(parking.stdout.contains("lopende zaak"), parking.stdout)

        events = try terminal.events()
        let openings = events.filter { $0["type"] as? String == "ZaakGeopend" }
        XCTAssertEqual(openings.map { $0["zaak"] as? String }, [z1, z2, z3])
        let naast = openings.map { ($0["data"] as? [String: Any])?["naastLopendeZaak"] as? String }
        XCTAssertEqual(naast, [nil, z1, nil], "only the knowingly split zaak records the open one beside it")
        XCTAssertEqual(try terminal.zaakJSON(z1)["versie"] as? Int, 3, "the first zaak got nothing of the others")
    }

    /// `--nieuwe-zaak` within the window of the inwoner's zaak closed as opgelost: the new zaak is
    /// opened, and rule 4 still holds for the old one (reopened by the closure check, recorded in the
    /// new zaak's opening); the old closing no longer counts as solved.
    func testNieuweZaakInsideTheWindowStillAppliesRule4() throws {
        let terminal = AgentTerminal(self)
        let z1 = agentNummer(1), z2 = agentNummer(2)
        let container = ["--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd"]
        let closed = try terminal.run(["gesprek", "--uitkomst", "direct-beantwoord", "--duur", "120", "--afsluiten", "--tijd", "2026-11-20 09:15"] + container)
        XCTAssertEqual(closed.status, 0, closed.stderr)
        let split = try terminal.run(["gesprek", "--uitkomst", "direct-beantwoord", "--duur", "60", "--nieuwe-zaak", "--tijd", "2026-11-23 10:00"] + container)
        XCTAssertEqual(split.status, 0, split.stderr)
        XCTAssertEqual(split.lines.first, "Gesprek vastgelegd — zaak \(z2), versie 2")
        XCTAssertTrue(split.stdout.contains("Let op: naast de lopende zaak \(z1) over hetzelfde onderwerp."), split.stdout)
        XCTAssertTrue(split.stdout.contains("Zaak \(z1) was gesloten als opgelost en het heropenvenster loopt nog"), split.stdout)

        let events = try terminal.events()
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "GesprekGevoerd", "ZaakAfgesloten", "ZaakHeropend", "ZaakGeopend", "GesprekGevoerd"])
        let reopening = events[3]
        XCTAssertEqual(reopening["zaak"] as? String, z1)
        XCTAssertEqual((reopening["actor"] as? [String: Any])?["id"] as? String, "echt-opgelost-controle")
        XCTAssertEqual((reopening["data"] as? [String: Any])?["aanleiding"] as? String, "opnieuw-contact")
        XCTAssertEqual((events[4]["data"] as? [String: Any])?["naastLopendeZaak"] as? String, z1, "the event records the closed zaak")
        XCTAssertEqual(try terminal.zaakJSON(z1)["status"] as? String, "open")
        let kpi = try terminal.run(["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--json"])
        let row = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])?.first, kpi.stdout)
        XCTAssertEqual(row["afsluitingenOpgelost"] as? Int, 1)
        XCTAssertEqual(row["gebleven"] as? Int, 0, "the old closing is not counted as solved")
    }

    /// Due Friday, answered Saturday: one werkdag late in `zaak toon`, not on time.
    func testToonCountsAnAnswerTheDayAfterTheDeadlineAsLate() throws {
        let terminal = AgentTerminal(self)
        let z1 = agentNummer(1)
        XCTAssertEqual(try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-7", "--onderwerp", "afval.container-niet-geleegd",
                                         "--inhoud", "Container vol", "--tijd", "2026-11-18 10:00"]).status, 0)
        XCTAssertEqual(try terminal.run(["doorverwijs", "\(agentJaar)-1", "--soort", "warm", "--toelichting", "Graag legen", "--tijd", "2026-11-18 10:05"]).status, 0)
        let feedback = try terminal.run(["terugkoppeling", "\(agentJaar)-1", "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", "Geleegd",
                                         "--tijd", "2026-11-21 10:00"])
        XCTAssertEqual(feedback.status, 0, feedback.stderr)
        let shown = try terminal.run(["toon", z1])
        XCTAssertTrue(shown.stdout.contains("1 werkdag te laat"), shown.stdout)
        let handoffs = try XCTUnwrap(try terminal.zaakJSON(z1)["doorverwijzingen"] as? [[String: Any]])
        XCTAssertEqual(handoffs.map { $0["teLaatWerkdagen"] as? Int }, [1])
        let kpi = try terminal.run(["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--json"])
        let row = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])?.first, kpi.stdout)
        XCTAssertEqual([row["doorverwijzingen"], row["binnenTermijn"]].map { $0 as? Int }, [1, 0])
    }

    // MARK: Every error class: exit code, a Dutch message that says what to do, nothing written

    func testUnknownZaakIs66() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z99 = agentNummer(99)
        let handoff = try terminal.unchanged { try terminal.run(["doorverwijs", "\(agentJaar)-99", "--soort", "warm", "--toelichting", "Graag oppakken"]) }
        XCTAssertEqual(handoff.status, 66)
        XCTAssertEqual(handoff.stderr, "fout: zaak \(z99) bestaat niet; controleer het nummer\n")
        XCTAssertEqual(handoff.stdout, "")
        let feedback = try terminal.unchanged { try terminal.run(["terugkoppeling", z99, "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", "Gedaan"]) }
        XCTAssertEqual(feedback.status, 66)
        XCTAssertTrue(feedback.stderr.contains("zaak \(z99) bestaat niet"), feedback.stderr)
        let shown = try terminal.run(["toon", z99])
        XCTAssertEqual(shown.status, 66)
        XCTAssertTrue(shown.stderr.contains("zaak \(z99) bestaat niet"), shown.stderr)
    }

    func testUnknownOnderwerpIs66WithASuggestion() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let outcome = try terminal.unchanged {
            try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-77", "--onderwerp", "afval.container-niet-geleed", "--inhoud", "Niet geleegd"])
        }
        XCTAssertEqual(outcome.status, 66)
        XCTAssertTrue(outcome.stderr.hasPrefix("fout: onderwerp 'afval.container-niet-geleed' staat niet in de catalogus; bedoelt u: afval.container-niet-geleegd"), outcome.stderr)
        XCTAssertEqual(outcome.stdout, "")
    }

    func testUnknownKanaalIs65AndListsTheValidOnes() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let outcome = try terminal.unchanged {
            try terminal.run(["bericht", "--kanaal", "fax", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Per fax"])
        }
        XCTAssertEqual(outcome.status, 65)
        XCTAssertEqual(outcome.stderr, "fout: --kanaal 'fax' bestaat niet; kies uit: telefoon, whatsapp, email, webformulier, balie, post, sociale-media, chat, video\n")
    }

    func testMissingRequiredOptionIs64AndPointsToHelp() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let noInwoner = try terminal.unchanged {
            try terminal.run(["bericht", "--kanaal", "whatsapp", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Niet geleegd"])
        }
        XCTAssertEqual(noInwoner.status, 64)
        XCTAssertEqual(noInwoner.stderr, "fout: de optie --inwoner ontbreekt\nZie `zaak bericht --help` voor de opties en een voorbeeld.\n")
        let noSoort = try terminal.unchanged { try terminal.run(["doorverwijs", agentNummer(1), "--toelichting", "Graag oppakken"]) }
        XCTAssertEqual(noSoort.status, 64)
        XCTAssertEqual(noSoort.stderr, "fout: de optie --soort ontbreekt\nZie `zaak doorverwijs --help` voor de opties en een voorbeeld.\n")
    }

    func testUnknownOptionIs64InDutch() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let outcome = try terminal.unchanged { try terminal.run(["sluit", agentNummer(1), "--resultaat", "opgelost", "--snel"]) }
        XCTAssertEqual(outcome.status, 64)
        XCTAssertEqual(outcome.stderr, "fout: onbekende optie '--snel'\nZie `zaak sluit --help` voor de opties en een voorbeeld.\n")
        let badValue = try terminal.unchanged { try terminal.run(["sluit", agentNummer(1), "--resultaat", "opgelost", "--versie", "twee"]) }
        XCTAssertEqual(badValue.status, 64)
        XCTAssertTrue(badValue.stderr.hasPrefix("fout: de waarde 'twee' is ongeldig voor --versie"), badValue.stderr)
    }

    func testTerugkoppelingForADoorverwijzingThatDoesNotExistIs66() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        let none = try terminal.unchanged {
            try terminal.run(["terugkoppeling", z1, "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", "Geleegd"])
        }
        XCTAssertEqual(none.status, 66)
        XCTAssertTrue(none.stderr.hasPrefix("fout: zaak \(z1) heeft geen doorverwijzing 'D1'; er is nog niet doorverwezen"), none.stderr)

        XCTAssertEqual(try terminal.run(["doorverwijs", z1, "--soort", "koud", "--toelichting", "Container vol"]).status, 0)
        let wrong = try terminal.unchanged {
            try terminal.run(["terugkoppeling", z1, "--doorverwijzing", "D7", "--uitkomst", "opgelost", "--toelichting", "Geleegd"])
        }
        XCTAssertEqual(wrong.status, 66)
        XCTAssertEqual(wrong.stderr, "fout: zaak \(z1) heeft geen doorverwijzing 'D7'; wel: D1 (Stadsbeheer)\n")
    }

    func testEveryAfdelingRecordsATerugkoppelingWithoutAnId() throws {
        // The event id is derived from the afdeling's name, which may hold spaces.
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        for (index, afdeling) in ["Werk en Inkomen", "Zorg en Welzijn", "Jeugd en Onderwijs"].enumerated() {
            let handoff = try terminal.run(["doorverwijs", z1, "--afdeling", afdeling, "--soort", "warm", "--toelichting", "Graag oppakken"])
            XCTAssertEqual(handoff.status, 0, handoff.stderr)
            let feedback = try terminal.run(["terugkoppeling", z1, "--doorverwijzing", "D\(index + 1)", "--uitkomst", "opgelost", "--toelichting", "Gedaan"])
            XCTAssertEqual(feedback.status, 0, feedback.stderr)
            let event = try XCTUnwrap(try terminal.events().last)
            XCTAssertEqual((event["actor"] as? [String: Any])?["id"] as? String, afdeling)
            XCTAssertTrue((event["id"] as? String ?? "").hasPrefix(afdeling.replacingOccurrences(of: " ", with: "_") + "-"), "\(event)")
        }
    }

    func testClosingAClosedZaakIs67() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        XCTAssertEqual(try terminal.run(["sluit", z1, "--resultaat", "ingetrokken"]).status, 0)
        let again = try terminal.unchanged { try terminal.run(["sluit", z1, "--resultaat", "opgelost"]) }
        XCTAssertEqual(again.status, 67)
        XCTAssertEqual(again.stderr, "fout: zaak \(z1) is al gesloten (resultaat ingetrokken); heropen hem eerst\n"
                       + "Volgende stap: `zaak heropen \(z1) --reden …`\n")

        // With --json the same error is one object on stderr: the values, the step and its command line.
        let json = try terminal.unchanged { try terminal.run(["sluit", z1, "--resultaat", "opgelost", "--json"]) }
        XCTAssertEqual(json.status, 67)
        XCTAssertEqual(json.stdout, "")
        let fout = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.stderr.utf8)) as? [String: Any])?["fout"] as? [String: Any], json.stderr)
        XCTAssertEqual(fout["soort"] as? String, "regel")
        XCTAssertEqual(fout["code"] as? Int, 67)
        XCTAssertEqual(fout["melding"] as? String, "zaak \(z1) is al gesloten (resultaat ingetrokken); heropen hem eerst")
        let actie = try XCTUnwrap((fout["acties"] as? [[String: Any]])?.first)
        XCTAssertEqual(actie["soort"] as? String, "heropen")
        XCTAssertEqual(actie["zaak"] as? String, z1)
        XCTAssertEqual(actie["opdracht"] as? String, "zaak heropen \(z1) --reden …")

        // A usage error with --json is an object too.
        let usage = try terminal.unchanged { try terminal.run(["sluit", z1, "--json"]) }
        XCTAssertEqual(usage.status, 64)
        XCTAssertTrue(usage.stderr.hasPrefix("{\"fout\":{"), usage.stderr)
    }

    func testClosingAgainstTheRulesIs67AndAfwijkenRecordsTheOverride() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        XCTAssertEqual(try terminal.run(["doorverwijs", z1, "--soort", "warm", "--toelichting", "Container vol"]).status, 0)
        let refused = try terminal.unchanged { try terminal.run(["sluit", z1, "--resultaat", "opgelost"]) }
        XCTAssertEqual(refused.status, 67)
        XCTAssertTrue(refused.stderr.contains("doorverwijzing D1 aan Stadsbeheer heeft nog geen terugkoppeling"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("Volgende stap: `zaak terugkoppeling \(z1) --doorverwijzing D1 …` of `zaak sluit \(z1) --resultaat opgelost --afwijken \"reden\"`"),
                      "says how to satisfy or override: \(refused.stderr)")

        let overridden = try terminal.run(["sluit", z1, "--resultaat", "opgelost", "--afwijken", "Stadsbeheer belde: container is geleegd"])
        XCTAssertEqual(overridden.status, 0, overridden.stderr)
        XCTAssertTrue(overridden.stdout.contains("gesloten: opgelost (afwijking van regel 1: Stadsbeheer belde: container is geleegd)"), overridden.stdout)
        let closing = try XCTUnwrap(try terminal.events().last)
        XCTAssertEqual(closing["type"] as? String, "ZaakAfgesloten")
        let data = try XCTUnwrap(closing["data"] as? [String: Any])
        XCTAssertEqual(data["resultaat"] as? String, "opgelost")
        let afwijking = try XCTUnwrap(data["afwijking"] as? [String: Any], "the override is in the event for auditors")
        XCTAssertEqual(afwijking["regels"] as? [Int], [1])
        XCTAssertEqual(afwijking["reden"] as? String, "Stadsbeheer belde: container is geleegd")
        XCTAssertEqual(try terminal.zaakJSON(z1)["status"] as? String, "gesloten")
    }

    func testRuleThreeNietOpgelostIsNamedAndOverriddenByNumber() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        XCTAssertEqual(try terminal.run(["doorverwijs", z1, "--soort", "warm", "--toelichting", "Container vol"]).status, 0)
        XCTAssertEqual(try terminal.run(["terugkoppeling", z1, "--doorverwijzing", "D1", "--uitkomst", "niet-opgelost", "--toelichting", "Wagen kapot"]).status, 0)
        XCTAssertEqual(try terminal.run(["informeer", z1, "--kanaal", "whatsapp", "--toelichting", "Wagen kapot, volgende week"]).status, 0)
        let refused = try terminal.unchanged { try terminal.run(["sluit", z1, "--resultaat", "opgelost"]) }
        XCTAssertEqual(refused.status, 67)
        XCTAssertTrue(refused.stderr.contains("een terugkoppeling zegt 'niet opgelost' en er is geen latere die 'opgelost' zegt"), refused.stderr)
        let overridden = try terminal.run(["sluit", z1, "--resultaat", "opgelost", "--afwijken", "Inwoner heeft zelf de container laten legen"])
        XCTAssertEqual(overridden.status, 0, overridden.stderr)
        let data = try XCTUnwrap(try terminal.events().last?["data"] as? [String: Any])
        XCTAssertEqual((data["afwijking"] as? [String: Any])?["regels"] as? [Int], [3])
    }

    func testMalformedZaaknummerIs65() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let outcome = try terminal.unchanged { try terminal.run(["sluit", "Z-20x6-1", "--resultaat", "opgelost"]) }
        XCTAssertEqual(outcome.status, 65)
        XCTAssertEqual(outcome.stderr, "fout: 'Z-20x6-1' is geen zaaknummer; een zaaknummer ziet eruit als Z-2026-000042 (of kort: 2026-42)\n")
        let contact = try terminal.unchanged {
            try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Nog steeds", "--zaak", "zaak-een"])
        }
        XCTAssertEqual(contact.status, 65)
        XCTAssertTrue(contact.stderr.hasPrefix("fout: 'zaak-een' is geen zaaknummer"), contact.stderr)
    }

    func testMissingMedewerkerIs64AndSaysHowToGiveOne() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        for arguments in [["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-5", "--onderwerp", "afval.grofvuil", "--inhoud", "Bank ophalen"],
                          ["sluit", agentNummer(1), "--resultaat", "ingetrokken"]] {
            let outcome = try terminal.unchanged { try terminal.runWithoutMedewerker(arguments) }
            XCTAssertEqual(outcome.status, 64, arguments[0])
            XCTAssertTrue(outcome.stderr.hasPrefix("fout: wie legt dit vast? Geef --medewerker ID (bijv. --medewerker kcc-112) of zet ZAAK_MEDEWERKER\n"), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("Zie `zaak \(arguments[0]) --help`"), outcome.stderr)
            XCTAssertEqual(outcome.stderr.components(separatedBy: "fout:").count, 2, "one error line: \(outcome.stderr)")
            XCTAssertEqual(outcome.stdout, "")
        }
        // With --medewerker instead of the environment it works, and the log names who did it.
        let given = try terminal.runWithoutMedewerker(["sluit", agentNummer(1), "--resultaat", "ingetrokken", "--medewerker", "kcc-7"])
        XCTAssertEqual(given.status, 0, given.stderr)
        XCTAssertEqual((try terminal.events().last?["actor"] as? [String: Any])?["id"] as? String, "kcc-7")
    }

    // MARK: Optimistic concurrency, idempotency, JSON, help

    func testTwoAgentsOnTheSameVersionTheSecondGets75AndWritesNothing() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        let seen = try XCTUnwrap(try terminal.zaakJSON(z1)["versie"] as? Int)
        XCTAssertEqual(seen, 2)

        let agentA = try terminal.run(["sluit", z1, "--versie", "\(seen)", "--resultaat", "ingetrokken", "--medewerker", "kcc-a"])
        XCTAssertEqual(agentA.status, 0, agentA.stderr)
        let agentB = try terminal.unchanged {
            try terminal.run(["doorverwijs", z1, "--versie", "\(seen)", "--soort", "warm", "--toelichting", "Graag legen", "--medewerker", "kcc-b", "--id", "kcc-b-42"])
        }
        XCTAssertEqual(agentB.status, 75)
        XCTAssertEqual(agentB.stdout, "")
        XCTAssertTrue(agentB.stderr.contains("zaak \(z1) staat nu op versie 3, u ging uit van versie 2"), agentB.stderr)
        XCTAssertTrue(agentB.stderr.contains("er is niets vastgelegd. Bekijk de zaak opnieuw"), agentB.stderr)
        XCTAssertTrue(agentB.stderr.hasSuffix("Volgende stap: `zaak toon \(z1)`\n"), agentB.stderr)
        XCTAssertEqual(agentB.stderr.components(separatedBy: "gewijzigd").count, 1, "the conflict is said once: \(agentB.stderr)")

        let events = try terminal.events()
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen", "ZaakAfgesloten"])
        XCTAssertFalse(events.contains { ($0["actor"] as? [String: Any])?["id"] as? String == "kcc-b" }, "nothing of agent B")
        XCTAssertFalse(events.contains { ($0["id"] as? String)?.hasPrefix("kcc-b-42") == true })
        XCTAssertEqual(try terminal.zaakJSON(z1)["versie"] as? Int, 3)
    }

    func testSameIdTwiceWritesOnceAndSaysSo() throws {
        let terminal = AgentTerminal(self)
        let z1 = agentNummer(1)
        let contact = ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd",
                       "--inhoud", "Container niet geleegd", "--id", "whatsapp-wamid-77"]
        let first = try terminal.run(contact)
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertFalse(first.stdout.contains("Al vastgelegd"))
        let retry = try terminal.run(contact)
        XCTAssertEqual(retry.status, 0, retry.stderr)
        XCTAssertEqual(retry.lines.first, "Al vastgelegd (deze --id is eerder gebruikt); er is niets dubbel geschreven.")
        XCTAssertTrue(retry.stdout.contains("zaak \(z1)"), retry.stdout)

        let handoff = ["doorverwijs", z1, "--soort", "warm", "--toelichting", "Container vol", "--id", "handoff-1"]
        XCTAssertEqual(try terminal.run(handoff).status, 0)
        let handoffRetry = try terminal.unchanged { try terminal.run(handoff + ["--json"]) }
        XCTAssertEqual(handoffRetry.status, 0, handoffRetry.stderr)
        let json = agentJSON(handoffRetry.stdout)
        XCTAssertEqual(json["alVastgelegd"] as? Bool, true)
        XCTAssertEqual(json["versie"] as? Int, 3)
        XCTAssertEqual((json["gebeurtenissen"] as? [[String: Any]])?.map { $0["id"] as? String }, ["handoff-1.1"])

        let events = try terminal.events()
        XCTAssertEqual(events.map { $0["id"] as? String }, ["whatsapp-wamid-77.1", "whatsapp-wamid-77.2", "handoff-1.1"])
        XCTAssertEqual(events.filter { $0["type"] as? String == "ZaakGeopend" }.count, 1)
    }

    func testJSONOutputOfACommand() throws {
        let terminal = AgentTerminal(self)
        let z1 = agentNummer(1)
        let opened = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd",
                                       "--inhoud", "Niet geleegd", "--tijd", "2026-11-20T08:15:00.000Z", "--json"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.lines.count, 1, "one JSON document: \(opened.stdout)")
        let json = agentJSON(opened.stdout)
        XCTAssertEqual(json["zaak"] as? String, z1)
        XCTAssertEqual(json["versie"] as? Int, 2)
        XCTAssertEqual(json["status"] as? String, "open")
        XCTAssertEqual(json["afdeling"] as? String, "Stadsbeheer")
        XCTAssertEqual(json["uiterlijkAfgehandeldOp"] as? String, "2026-11-24")
        XCTAssertEqual(json["alVastgelegd"] as? Bool, false)
        let events = try XCTUnwrap(json["gebeurtenissen"] as? [[String: Any]])
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen"])
        XCTAssertEqual(events.map { $0["positie"] as? Int }, [1, 2])
        XCTAssertEqual(events.map { $0["zaak"] as? String }, [z1, z1])

        let handoff = try terminal.run(["doorverwijs", z1, "--soort", "koud", "--toelichting", "Container vol", "--json"])
        XCTAssertEqual(handoff.status, 0, handoff.stderr)
        let after = agentJSON(handoff.stdout)
        XCTAssertEqual(after["versie"] as? Int, 3)
        XCTAssertEqual((after["gebeurtenissen"] as? [[String: Any]])?.map { $0["type"] as? String }, ["Doorverwezen"])
        XCTAssertEqual((after["openDoorverwijzingen"] as? [[String: Any]])?.map { $0["doorverwijzing"] as? String }, ["D1"])
    }

    func testHelpOfEveryAgentCommandHasAnExample() throws {
        let commands = [["bericht"], ["gesprek"], ["melding"], ["doorverwijs"], ["terugbelverzoek"], ["terugkoppeling"], ["informeer"],
                        ["koppel"], ["sluit"], ["heropen"], ["tevredenheid"], ["toon"], ["import"], ["catalogus", "toon"], ["catalogus", "controleer"]]
        for command in commands {
            let help = try runProcess(zaakBinary, command + ["--help"])
            let name = command.joined(separator: " ")
            XCTAssertEqual(help.status, 0, name)
            XCTAssertEqual(help.stderr, "", name)
            XCTAssertTrue(help.stdout.contains("Voorbeeld"), "`zaak \(name) --help` has no example")
            XCTAssertTrue(help.stdout.contains("  zaak \(name) "), "`zaak \(name) --help`: the example uses the command itself")
        }
        // The group lists its commands.
        let catalogus = try runProcess(zaakBinary, ["catalogus", "--help"])
        XCTAssertEqual(catalogus.status, 0)
        XCTAssertTrue(catalogus.stdout.contains("toon") && catalogus.stdout.contains("controleer"), catalogus.stdout)
    }
}

// MARK: Helpers shared by the agent, import and agent-concurrency tests

/// The year of new zaaknummers: this year in the Netherlands, by the clock the binary runs under
/// (the runner's ZAAK_NU when set, else the real date). Tests that set their own clock use its year.
let agentJaar: Int = {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
    return calendar.component(.year, from: testRunnerNow)
}()

/// The n-th zaak of this year (or of `jaar`, under a clock a test set): Z-2026-000001.
func agentNummer(_ volgnummer: Int, jaar: Int = agentJaar) -> String {
    "Z-\(jaar)-" + String(repeating: "0", count: 6 - String(volgnummer).count) + String(volgnummer)
}

func agentJSON(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

/// An agent at a terminal: one data directory, one medewerker (ZAAK_MEDEWERKER), the real binary.
struct AgentTerminal {
    let data: String
    let medewerker: String
    /// The program's clock for the commands run from here on (ZAAK_NU); nil leaves the runner's.
    var nu: String?

    init(_ test: XCTestCase, medewerker: String = "kcc-112") {
        self.init(data: temporaryDataDirectory(test), medewerker: medewerker)
    }

    init(data: String, medewerker: String = "kcc-112") {
        self.data = data
        self.medewerker = medewerker
    }

    /// A terminal whose log holds one open zaak (Z-…-000001, versie 2) of inw-4821 on afval.container-niet-geleegd.
    static func withOpenZaak(_ test: XCTestCase) throws -> AgentTerminal {
        let terminal = AgentTerminal(test)
        let opened = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd",
                                       "--inhoud", "Mijn groene container is niet geleegd"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.lines.first, "Bericht vastgelegd — zaak \(agentNummer(1)), versie 2")
        return terminal
    }

    func run(_ arguments: [String], input: String = "") throws -> Outcome {
        var environment = ["ZAAK_MEDEWERKER": medewerker]
        if let nu { environment["ZAAK_NU"] = nu }
        return try runProcess(zaakBinary, arguments + ["--data", data], input: Data(input.utf8), environment: environment)
    }

    /// The same terminal (medewerker, clock) on a copy of its data directory (the key store inside),
    /// removed after the test.
    func copied(_ test: XCTestCase) throws -> AgentTerminal {
        var copy = AgentTerminal(data: temporaryDataDirectory(test) + "/kopie", medewerker: medewerker)
        copy.nu = nu
        try FileManager.default.copyItem(atPath: data, toPath: copy.data)
        return copy
    }

    /// Starts `zaak` as `run` would, without waiting for it and with its output discarded: for a test
    /// that kills it.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zaakBinary)
        process.arguments = arguments + ["--data", data]
        var environment = ["ZAAK_MEDEWERKER": medewerker]
        if let nu { environment["ZAAK_NU"] = nu }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Without ZAAK_MEDEWERKER, whatever the test runner's environment holds.
    func runWithoutMedewerker(_ arguments: [String]) throws -> Outcome {
        try runProcess("/usr/bin/env", ["-u", "ZAAK_MEDEWERKER", zaakBinary] + arguments + ["--data", data])
    }

    /// Every event in the log, as `zaak log toon` prints them.
    func events() throws -> [[String: Any]] { try loggedLines(data) }

    func zaakJSON(_ nummer: String) throws -> [String: Any] {
        let shown = try run(["toon", nummer, "--json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        return agentJSON(shown.stdout)
    }

    /// The log's text and last position, as the CLI reports them.
    func logState() throws -> (text: String, laatstePositie: Int) {
        let shown = try runProcess(zaakBinary, ["log", "toon", "--data", data])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let status = try runProcess(zaakBinary, ["log", "status", "--json", "--data", data])
        XCTAssertEqual(status.status, 0, status.stderr)
        return (shown.stdout, try XCTUnwrap(agentJSON(status.stdout)["laatstePositie"] as? Int, status.stdout))
    }

    /// Runs `body` and asserts that the log is byte for byte as before.
    func unchanged(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Outcome) throws -> Outcome {
        let before = try logState()
        let outcome = try body()
        let after = try logState()
        XCTAssertEqual(after.laatstePositie, before.laatstePositie, "something was written: \(outcome.stderr)", file: file, line: line)
        XCTAssertEqual(after.text, before.text, "the log changed", file: file, line: line)
        return outcome
    }
}

/// The example commands in a help text, split into words as a shell would: lines that start with
/// `zaak ` or `export `, continued over a trailing backslash, without a trailing `# comment`.
func helpExampleCommands(_ help: String) -> [[String]] {
    var commands: [String] = []
    var pending: String?
    for raw in help.split(separator: "\n", omittingEmptySubsequences: false) {
        var line = raw.trimmingCharacters(in: .whitespaces)
        let continues = line.hasSuffix("\\")
        if continues { line.removeLast() }
        if let start = pending {
            pending = start + " " + line
        } else if line.hasPrefix("zaak ") || line.hasPrefix("export ") {
            pending = line
        } else {
            continue
        }
        if !continues, let done = pending {
            commands.append(done)
            pending = nil
        }
    }
    return commands.map(shellWords)
}

/// Words of a command line: whitespace separates, single and double quotes group, an unquoted `#`
/// at the start of a word begins a comment.
func shellWords(_ line: String) -> [String] {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    for character in line {
        if let open = quote {
            if character == open { quote = nil } else { word.append(character) }
        } else if character == "\"" || character == "'" {
            quote = character
            inWord = true
        } else if character == " " || character == "\t" {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        } else if character == "#", !inWord {
            break
        } else {
            word.append(character)
            inWord = true
        }
    }
    if inWord { words.append(word) }
    return words
}
