import Foundation
import XCTest

/// One story, one set of verdicts: the agent's commands and an import of the same events give the
/// same log, the same `zaak toon` and the same `zaak kpi`; and on generated traffic `zaak kpi` equals
/// a count made here from the raw events of `zaak log toon`, not from the read models.
final class KPIConsistencyCLITests: XCTestCase {
    /// The program's clock for both terminals: the verdicts and the open handoffs depend on it.
    private static let nu = "2026-12-01T12:00:00+01:00"

    // MARK: Commands and NDJSON

    func testTheSameStoryThroughCommandsAndThroughAnImportGivesTheSameEventsVerdictsAndKPIs() throws {
        var agent = AgentTerminal(self)
        agent.nu = Self.nu
        let afval = ["--onderwerp", "afval.container-niet-geleegd"]
        let vraag = ["--onderwerp", "kcc.algemene-vraag"]
        // The terminals' clock is fixed in 2026, so the zaaknummers are 2026's whatever the runner's ZAAK_NU.
        let z = (1...5).map { agentNummer($0, jaar: 2026) }
        let steps: [[String]] = [
            // Z1: a warm transfer, answered a werkdag late, closed; back on WhatsApp within the window
            // (rule 4), answered within 20 minutes, closed again; then a survey says not solved (rule 5).
            ["gesprek", "--inwoner", "inw-1", "--uitkomst", "warm-doorverbonden", "--duur", "240", "--tijd", "2026-11-16 09:00", "--id", "s1"] + afval,
            // Z2: settled directly.
            ["gesprek", "--inwoner", "inw-2", "--uitkomst", "direct-beantwoord", "--duur", "120", "--afsluiten", "--tijd", "2026-11-17 10:00", "--id", "s2"] + vraag,
            // Z3: a webformulier melding, routed straight to Stadsbeheer, still open.
            ["melding", "--inwoner", "inw-3", "--onderwerp", "openbare-ruimte.stoeptegel", "--inhoud", "Losse tegel", "--tijd", "2026-11-18 08:00", "--id", "s3"],
            ["terugkoppeling", "2026-1", "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", "Geleegd",
             "--tijd", "2026-11-19 10:00", "--id", "s4"],
            ["informeer", "2026-1", "--kanaal", "telefoon", "--tijd", "2026-11-19 11:00", "--id", "s5"],
            ["sluit", "2026-1", "--resultaat", "opgelost", "--tijd", "2026-11-19 11:05", "--id", "s6"],
            // Z4: inw-2 again within Z2's window, knowingly as a new zaak: rule 4 reopens Z2.
            ["gesprek", "--inwoner", "inw-2", "--uitkomst", "direct-beantwoord", "--duur", "60", "--nieuwe-zaak", "--tijd", "2026-11-20 10:00", "--id", "s7"] + vraag,
            // Z5: a callback, due Tuesday 24 November, never answered.
            ["gesprek", "--inwoner", "inw-4", "--uitkomst", "terugbelverzoek", "--duur", "90", "--tijd", "2026-11-20 15:00", "--id", "s8"] + afval,
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1", "--inhoud", "Weer niet geleegd", "--tijd", "2026-11-23 09:00", "--id", "s9"] + afval,
            ["informeer", "2026-1", "--kanaal", "whatsapp", "--tijd", "2026-11-23 09:20", "--id", "s10"],
            ["sluit", "2026-1", "--resultaat", "opgelost", "--tijd", "2026-11-23 09:25", "--id", "s11"],
            ["tevredenheid", "2026-1", "--score", "3", "--opgelost", "nee", "--tijd", "2026-11-24 10:00", "--id", "s12"],
        ]
        for step in steps {
            let done = try agent.run(step)
            XCTAssertEqual(done.status, 0, "\(step): \(done.stderr)")
        }
        let logged = try agent.events()
        XCTAssertEqual(logged.filter { $0["type"] as? String == "ZaakHeropend" }.map { $0["zaak"] as? String }, [z[1], z[0], z[0]],
                       "rule 4 twice (Z2 by the new zaak, Z1 by the message), rule 5 once")

        // The same events as NDJSON lines, without the log's own fields, into another data directory.
        let ndjson = try logged.map { line -> String in
            var event = line
            event.removeValue(forKey: "positie")
            event.removeValue(forKey: "vastgelegdOp")
            return String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
        }
        var importer = AgentTerminal(self)
        importer.nu = Self.nu
        let imported = try importer.run(["import", "--batch", "5"], input: ndjson.joined(separator: "\n") + "\n")
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertEqual(imported.stderr, "")

        func withoutRecordingTime(_ events: [[String: Any]]) throws -> [String] {
            try events.map { line in
                var event = line
                event.removeValue(forKey: "vastgelegdOp")
                return String(decoding: try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys]), as: UTF8.self)
            }
        }
        XCTAssertEqual(try withoutRecordingTime(try importer.events()), try withoutRecordingTime(logged), "identical events")
        for nummer in z {
            let viaCommands = try agent.run(["toon", nummer, "--json"]), viaImport = try importer.run(["toon", nummer, "--json"])
            XCTAssertEqual(viaCommands.status, 0, viaCommands.stderr)
            XCTAssertEqual(viaImport.stdout, viaCommands.stdout, "verdict of \(nummer)")
        }
        let kpiArgs = ["kpi", "--van", "2026-11-01", "--tot", "2026-11-30", "--json"]
        let kpi = try agent.run(kpiArgs)
        XCTAssertEqual(kpi.status, 0, kpi.stderr)
        XCTAssertEqual(try importer.run(kpiArgs).stdout, kpi.stdout, "identical KPIs")
        XCTAssertEqual(try importer.run(kpiArgs + ["--per", "kanaal"]).stdout, try agent.run(kpiArgs + ["--per", "kanaal"]).stdout)

        // And those KPIs by hand. Zaken: Z1 transferred, Z2 and Z4 direct, Z3 routed (transferred), Z5 callback.
        let row = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])?.first, kpi.stdout)
        XCTAssertEqual(row["zaken"] as? Int, 5)
        XCTAssertEqual([row["directAfgehandeld"], row["doorverbonden"], row["terugbelverzoek"]].map { $0 as? Int }, [1, 2, 1],
                       "Z4 was not direct: its closing never happened; Z2's was")
        // Closings as opgelost: Z2 (17th), Z1 (19th), Z1 (23rd); every one reopened since.
        XCTAssertEqual([row["afsluitingenOpgelost"], row["gebleven"]].map { $0 as? Int }, [3, 0])
        // Handoffs due in November, all decided by 1 December and all late: Z1's D1 (due Wed 18th,
        // answered Thu 19th), Z3's D1 (stoeptegel, 5 werkdagen from Wed 18th: due Wed 25th, still
        // open) and Z5's callback (2 werkdagen from Fri 20th: due Tue 24th, still open).
        XCTAssertEqual([row["doorverwijzingen"], row["binnenTermijn"]].map { $0 as? Int }, [3, 0])
        // One WhatsApp question (Z1, 23rd 09:00), answered by informing at 09:20.
        XCTAssertEqual([row["whatsappVragen"], row["whatsappBinnenUur"]].map { $0 as? Int }, [1, 1])
    }

    // MARK: Generated traffic against an independent count

    func testGeneratedTrafficKPIsEqualACountFromTheRawEvents() throws {
        let data = temporaryDataDirectory(self)
        let clock = ["ZAAK_NU": "2026-10-15T12:00:00+02:00"]
        let generated = try zaak(["genereer", "--profiel", "assen", "--van", "2026-09-07", "--dagen", "21", "--seed", "15", "--data", data],
                                 environment: clock)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let kpi = try zaak(["kpi", "--van", "2026-09-07", "--tot", "2026-09-27", "--json", "--data", data], environment: clock)
        XCTAssertEqual(kpi.status, 0, kpi.stderr)
        let row = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])?.first, kpi.stdout)
        let events = try loggedLines(data)
        let count = RawCount(events: events, van: "2026-09-07", tot: "2026-09-27", vandaag: "2026-10-15")

        XCTAssertGreaterThan(count.zaken, 500, "enough traffic to mean something")
        XCTAssertEqual(row["zaken"] as? Int, count.zaken)
        XCTAssertEqual(row["doorverbonden"] as? Int, count.doorverbonden)
        XCTAssertEqual(row["afsluitingenOpgelost"] as? Int, count.afsluitingenOpgelost)
        XCTAssertEqual(row["gebleven"] as? Int, count.gebleven)
        XCTAssertEqual(row["doorverwijzingen"] as? Int, count.doorverwijzingen)
        XCTAssertEqual(row["binnenTermijn"] as? Int, count.binnenTermijn)
        XCTAssertGreaterThan(count.gebleven, 0)
        XCTAssertLessThan(count.gebleven, count.afsluitingenOpgelost, "some closings were reopened")
        XCTAssertLessThan(count.binnenTermijn, count.doorverwijzingen, "some handoffs were late")
        for (key, expected) in [("echtOpgelostProcent", count.echtOpgelostProcent), ("binnenTermijnProcent", count.binnenTermijnProcent),
                                ("doorverbondenProcent", count.doorverbondenProcent)] {
            XCTAssertEqual(try XCTUnwrap(row[key] as? Double, key), expected, accuracy: 1e-9, key)
        }
        print("generated traffic (assen, seed 15, 2026-09-07 + 21 days): zaken \(count.zaken); echt opgelost \(count.gebleven)/\(count.afsluitingenOpgelost) = "
              + "\(count.echtOpgelostProcent)%; binnen termijn \(count.binnenTermijn)/\(count.doorverwijzingen) = \(count.binnenTermijnProcent)%; "
              + "doorverbonden \(count.doorverbonden)/\(count.zaken) = \(count.doorverbondenProcent)%")
    }
}

/// The three figures counted from `zaak log toon`'s lines alone, by the definitions in
/// docs/projections.md, with Foundation's Europe/Amsterdam calendar for local dates.
private struct RawCount {
    var zaken = 0, doorverbonden = 0
    var afsluitingenOpgelost = 0, gebleven = 0
    var doorverwijzingen = 0, binnenTermijn = 0

    var echtOpgelostProcent: Double { Double(gebleven) * 100 / Double(afsluitingenOpgelost) }
    var binnenTermijnProcent: Double { Double(binnenTermijn) * 100 / Double(doorverwijzingen) }
    var doorverbondenProcent: Double { Double(doorverbonden) * 100 / Double(zaken) }

    init(events: [[String: Any]], van: String, tot: String, vandaag: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func localDate(_ event: [String: Any]) -> String {
            let date = parser.date(from: event["plaatsgevondenOp"] as! String)!
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
        }
        func inPeriod(_ day: String) -> Bool { van <= day && day <= tot }
        func data(_ event: [String: Any]) -> [String: Any] { event["data"] as? [String: Any] ?? [:] }
        let contacts: Set<String> = ["MeldingOntvangen", "GesprekGevoerd", "BerichtOntvangen", "BerichtVerstuurd"]

        var perZaak: [String: [[String: Any]]] = [:]
        for event in events { perZaak[event["zaak"] as! String, default: []].append(event) }
        for (_, stream) in perZaak {
            let ordered = stream.sorted { ($0["versie"] as! Int) < ($1["versie"] as! Int) }
            // Doorverbonden: of the zaken opened in the period, the first contact was a call put
            // through, or another contact whose very next event is a doorverwijzing.
            if let opening = ordered.first, opening["type"] as? String == "ZaakGeopend", inPeriod(localDate(opening)) {
                zaken += 1
                if let index = ordered.firstIndex(where: { contacts.contains($0["type"] as! String) }) {
                    let first = ordered[index]
                    if first["type"] as? String == "GesprekGevoerd" {
                        if ["doorverbonden", "warm-doorverbonden"].contains(data(first)["uitkomst"] as? String) { doorverbonden += 1 }
                    } else if index + 1 < ordered.count, ordered[index + 1]["type"] as? String == "Doorverwezen" {
                        doorverbonden += 1
                    }
                }
            }
            // Echt opgelost: closings as opgelost in the period that no later reopening undid.
            for (index, event) in ordered.enumerated() where event["type"] as? String == "ZaakAfgesloten" {
                guard data(event)["resultaat"] as? String == "opgelost", inPeriod(localDate(event)) else { continue }
                afsluitingenOpgelost += 1
                if !ordered[(index + 1)...].contains(where: { $0["type"] as? String == "ZaakHeropend" }) { gebleven += 1 }
            }
            // Binnen termijn: handoffs due in the period whose outcome is known (answered, or open past
            // the deadline today); on time when the first terugkoppeling's local date is not after it.
            for event in ordered where ["Doorverwezen", "TerugbelverzoekAangemaakt"].contains(event["type"] as! String) {
                let due = data(event)["uiterlijkOp"] as! String, id = data(event)["doorverwijzing"] as! String
                guard inPeriod(due) else { continue }
                let answer = ordered.first { $0["type"] as? String == "TerugkoppelingOntvangen" && data($0)["doorverwijzing"] as? String == id }
                guard answer != nil || due < vandaag else { continue }
                doorverwijzingen += 1
                if let answer, localDate(answer) <= due { binnenTermijn += 1 }
            }
        }
    }
}
