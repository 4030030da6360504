import ArgumentParser
import Domain
import EventLog
import Service
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Who records something: `--medewerker`, else $ZAAK_MEDEWERKER.
func medewerkerActor(_ medewerker: String?) throws -> Actor {
    let name = medewerker ?? environment("ZAAK_MEDEWERKER")
    guard let name, !name.isEmpty else {
        throw CLIFout(.gebruik, "wie legt dit vast? Geef --medewerker ID (bijv. --medewerker kcc-112) of zet ZAAK_MEDEWERKER")
    }
    guard Inwoner.isGeldigeRef(name) else { throw CLIFout(.ongeldig, "--medewerker '\(name)' is ongeldig; gebruik 1–64 tekens uit A-Z a-z 0-9 . _ : -") }
    return Actor(soort: .medewerker, id: name)
}

/// Options of every command that records something for a zaak.
struct AgentOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Wie dit vastlegt (standaard $ZAAK_MEDEWERKER).", valueName: "id"))
    var medewerker: String?

    @Option(help: ArgumentHelp("Wanneer het gebeurde: 2026-11-23T09:15:00.000Z of 2026-11-23 09:15 (Nederlandse tijd); standaard nu.", valueName: "tijdstip"))
    var tijd: String?

    @Option(help: ArgumentHelp("Unieke id van deze opdracht; opnieuw uitvoeren met dezelfde id legt niets dubbel vast.", valueName: "id"))
    var id: String?

    @Flag(help: "Uitvoer als JSON.") var json = false

    func medewerkerActor() throws -> Actor { try zaak.medewerkerActor(medewerker) }

    /// The moment of deciding, with a fresh id basis unless --id was given.
    func moment(_ catalogus: Catalogus, actor: Actor) throws -> Beslismoment {
        let now = Tijdstip.nu()
        let happened = try tijd.map { try parseTijdstip($0, nu: now) } ?? now
        if let id, !ZaakGebeurtenis.isGeldigeId(id + ".1") {
            throw CLIFout(.ongeldig, "--id '\(id.citaat)' is ongeldig; gebruik tot 120 tekens uit A-Z a-z 0-9 . _ : -")
        }
        let basis = id ?? "\(actor.idDeel)-\(now.milliseconden)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        return Beslismoment(nu: now, plaatsgevondenOp: happened, actor: actor, catalogus: catalogus, idBasis: basis)
    }

    func service() throws -> ZaakService {
        let catalogus = try laadCatalogus(global.dataDirectory)
        do {
            let service = try ZaakService(dataDirectory: global.dataDirectory, catalogus: catalogus)
            service.herkenHerhalingen = id != nil  // generated ids are new by construction
            return service
        } catch let error as LogError {
            throw error
        } catch {
            throw LogError(.unavailable, "kan de gegevens in \(global.dataDirectory) niet openen: \(error)")
        }
    }
}

func environment(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

/// `2026-11-23T09:15:00.000Z` (UTC), or `2026-11-23 09:15` / `2026-11-23T09:15` in Dutch local time.
/// With `heleDag`, a date alone means the end of that day (an auditor's "as of 20 November").
func parseTijdstip(_ text: String, nu: Tijdstip, optie: String = "--tijd", heleDag: Bool = false) throws -> Tijdstip {
    if let exact = Tijdstip(text) { return try check(exact) }
    if heleDag, let date = Datum(text), let midnight = lokaal(date.plus(dagen: 1), 0, 0) {
        return try check(Tijdstip(milliseconden: midnight.milliseconden - 1))
    }
    let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
    if parts.count == 2, let date = Datum(String(parts[0])) {
        let clock = parts[1].split(separator: ":")
        if clock.count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]), let moment = lokaal(date, hour, minute) {
            return try check(moment)
        }
    }
    throw CLIFout(.ongeldig, "\(optie) '\(text)' is geen tijdstip; gebruik bijv. 2026-11-23 09:15 (Nederlandse tijd) of 2026-11-23T08:15:00.000Z"
        + (heleDag ? ", of een datum (2026-11-23: tot het eind van die dag)" : ""))

    /// Local time is UTC+1 or UTC+2: take the offset whose local reading gives back the input.
    func lokaal(_ date: Datum, _ hour: Int, _ minute: Int) -> Tijdstip? {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else { return nil }
        for offset in [1, 2] {
            let candidate = Tijdstip(milliseconden: (date.dagnummer * 86_400 + Int64((hour - offset) * 3600 + minute * 60)) * 1000)
            let local = Kalender.lokaleTijd(candidate)
            if local.datum == date, local.uur == hour, local.minuut == minute { return candidate }
        }
        return nil
    }

    func check(_ moment: Tijdstip) throws -> Tijdstip {
        guard moment.milliseconden <= nu.milliseconden + 5 * 60_000 else {
            throw CLIFout(.ongeldig, "\(optie) \(text) ligt in de toekomst")
        }
        return moment
    }
}

/// A local date such as 2026-11-23.
func parseDatum(_ text: String, optie: String) throws -> Datum {
    guard let datum = Datum(text) else { throw CLIFout(.ongeldig, "\(optie) '\(text.citaat)' is geen datum; gebruik JJJJ-MM-DD, bijv. 2026-11-23") }
    return datum
}

/// An error of the command line itself, with its exit code class.
struct CLIFout: Error, CustomStringConvertible {
    enum Soort { case gebruik, ongeldig }
    let soort: Soort
    let melding: String
    init(_ soort: Soort, _ melding: String) {
        self.soort = soort
        self.melding = melding
    }
    var description: String { melding }
}

func zaaknummer(_ text: String) throws -> Zaaknummer {
    guard let nummer = Zaaknummer(text) else {
        throw CLIFout(.ongeldig, "'\(text)' is geen zaaknummer; een zaaknummer ziet eruit als Z-2026-000042 (of kort: 2026-42)")
    }
    return nummer
}

// MARK: Output

/// The agent's acknowledgement of a command.
func meldUitkomst(_ uitkomst: ZaakService.Uitkomst, kop: String, json: Bool) throws {
    let zaak = uitkomst.zaak
    if let fout = uitkomst.projectieFout {
        Console.warning("vastgelegd, maar de leesmodellen zijn niet bijgewerkt (\(fout)); de volgende opdracht werkt ze bij")
    }
    if json {
        try Console.json(UitkomstJSON(uitkomst))
        return
    }
    if uitkomst.alVastgelegd { print("Al vastgelegd (deze --id is eerder gebruikt); er is niets dubbel geschreven.") }
    print("\(kop) — zaak \(zaak.nummer), versie \(zaak.versie)")
    if uitkomst.aangeslotenBijLopendeZaak {
        print("  Toegevoegd aan de lopende zaak \(zaak.nummer) van \(zaak.inwoner.ref) over \(zaak.onderwerp) (geopend \(tijdTekst(zaak.geopendOp)) via \(zaak.opening.kanaal.rawValue)).")
        print("  Was dit een ander probleem? Registreer het dan opnieuw met --nieuwe-zaak.")
    }
    for event in uitkomst.gebeurtenissen {
        // The versie, which `--versie` takes; the log position is the auditor's (`zaak geschiedenis`).
        print("  versie \(event.versie): \(event.beschrijving)")
    }
    if case .zaakGeopend = uitkomst.gebeurtenissen.first?.gebeurtenis {
        print("  Afdeling: \(zaak.opening.afdeling); afhandelen uiterlijk \(datumTekst(zaak.opening.uiterlijkAfgehandeldOp)) (\(zaak.opening.afhandeltermijnWerkdagen) werkdagen).")
        if let besides = zaak.opening.naastLopendeZaak { print("  Let op: naast de lopende zaak \(besides) over hetzelfde onderwerp.") }
        if let reopening = uitkomst.heropeningRegel4 {
            print("  Zaak \(reopening.zaak) was gesloten als opgelost en het heropenvenster loopt nog: die zaak is niet echt opgelost "
                + "en is heropend door de controle (\(reopening.positie.map { "#\($0) " } ?? "")regel 4).")
        }
    }
    printVolgendeStap(zaak.volgendeStap.tekst, zaak.volgendeStap.acties)
}

/// "Volgende stap: <what>", and the command lines for it, one per line.
func printVolgendeStap(_ tekst: String, _ acties: [Actie]) {
    print("Volgende stap: \(tekst)")
    for actie in acties { print("  \(actie.opdracht)") }
}
