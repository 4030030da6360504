import ArgumentParser
import Domain
import EventLog
import Projections
import Service
#if canImport(Glibc)
import Glibc
#endif

/// A period of whole days, both included.
struct PeriodeOpties: ParsableArguments {
    @Option(help: ArgumentHelp("Eerste dag (JJJJ-MM-DD).", valueName: "datum")) var van: String
    @Option(help: ArgumentHelp("Laatste dag (JJJJ-MM-DD).", valueName: "datum")) var tot: String

    func dagen() throws -> (van: Datum, tot: Datum) {
        let first = try parseDatum(van, optie: "--van"), last = try parseDatum(tot, optie: "--tot")
        guard first <= last else { throw CLIFout(.ongeldig, "--van \(van) ligt na --tot \(tot)") }
        return (first, last)
    }
}

/// Where a read command reads: the live read models as they stand (read-only; whoever appended
/// brought them up to date), or a point-in-time replay's database (`--projecties`), whose moment is
/// then "now".
struct LeesOpties: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Lees uit een database van `zaak audit replay` in plaats van de actuele leesmodellen.", valueName: "pad"))
    var projecties: String?

    @Flag(help: "Uitvoer als JSON.") var json = false

    /// The read models to answer from, the moment "now" for deadlines, and whether they trail the
    /// log (said on stderr; `toon` then reads its zaak from the log itself).
    func openen() throws -> (lezer: Leesmodel, nu: Tijdstip, loopAchter: Bool) {
        let now = Tijdstip.nu()
        if let projecties {
            guard access(projecties, R_OK) == 0 else {
                throw CLIFout(.ongeldig, "\(projecties) bestaat niet; maak hem met `zaak audit replay --tot … --naar \(projecties)`")
            }
            let lezer = try Leesmodel(alleenLezen: projecties)
            return (lezer, try lezer.peilmoment() ?? now, false)
        }
        let raadpleging = try Raadpleging(dataDirectory: global.dataDirectory)
        let behind = try raadpleging.achterstand()
        if let (applied, end) = behind {
            Console.warning("de leesmodellen lopen achter op het log (t/m positie \(applied) van \(end)); `zaak projecties bijwerken` werkt ze bij")
        }
        return (raadpleging.lezer, now, behind != nil)
    }
}

struct WerkvoorraadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "werkvoorraad",
        abstract: "De open doorverwijzingen van een afdeling, oudste termijn eerst, met wat over de termijn is.",
        discussion: """
            Termijnen tellen in werkdagen: weekenden en feestdagen (Algemene termijnenwet) tellen niet mee.

            Voorbeelden:
              zaak werkvoorraad --afdeling Stadsbeheer
              zaak werkvoorraad --afdeling "Werk en Inkomen" --json
            """)

    @OptionGroup var lees: LeesOpties
    @Option(help: ArgumentHelp("De afdeling, zoals in de catalogus (hoofdletters maken niet uit).", valueName: "naam")) var afdeling: String

    func run() throws {
        try reportingErrors(json: lees.json) {
            let catalogus = try laadCatalogus(lees.global.dataDirectory)
            let (lezer, nu, _) = try lees.openen()
            let known = Set(catalogus.afdelingen.map(\.naam)).union(try lezer.afdelingen())
            guard known.contains(where: { $0.lowercased() == afdeling.lowercased() }) else {
                throw ZaakFout(.onbekend, "afdeling '\(afdeling)' is onbekend; kies uit: \(known.sorted().joined(separator: ", "))")
            }
            let rows = try lezer.werkvoorraad(afdeling: afdeling, nu: nu)
            if lees.json { return try Console.json(rows) }
            let late = rows.filter { $0.teLaatWerkdagen > 0 }.count
            print("Werkvoorraad \(rows.first?.afdeling ?? afdeling) op \(datumTekst(Kalender.lokaleDatum(nu))): "
                + "\(rows.count) open doorverwijzing\(rows.count == 1 ? "" : "en")" + (late > 0 ? ", \(late) over de termijn" : ""))
            for row in rows {
                let due = Datum(row.uiterlijkOp)!
                let when = row.teLaatWerkdagen > 0 ? "! \(row.teLaatWerkdagen) werkdag\(row.teLaatWerkdagen == 1 ? "" : "en") te laat"
                    : row.werkdagenOver == 0 ? "  vandaag" : "  nog \(row.werkdagenOver) werkdag\(row.werkdagenOver == 1 ? "" : "en")"
                let kind = row.terugbelverzoek ? "terugbellen" : row.soort
                print("  \(when.padding(20)) uiterlijk \(datumTekst(due))  \(row.zaak) \(row.doorverwijzing) (\(kind))  \(row.onderwerp): \(row.gevraagdeHandeling)")
            }
        }
    }
}

struct ZoekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoek",
        abstract: "Zoekt zaken op inwoner, onderwerp, afdeling, status, kanaal en periode (nieuwste eerst).",
        discussion: """
            Een onderwerpgroep vindt alle onderwerpen erin: --onderwerp afval vindt ook \
            afval.container-niet-geleegd. De periode gaat over de dag van openen (Nederlandse tijd).

            Voorbeelden:
              zaak zoek --inwoner inw-4821
              zaak zoek --onderwerp afval --status open --van 2026-11-01 --tot 2026-11-30
            """)

    @OptionGroup var lees: LeesOpties
    @Option(help: ArgumentHelp("Referentie van de inwoner.", valueName: "ref")) var inwoner: String?
    @Option(help: ArgumentHelp("Onderwerpcode of groep (bijv. afval).", valueName: "code")) var onderwerp: String?
    @Option(help: ArgumentHelp("Afdeling van de zaak.", valueName: "naam")) var afdeling: String?
    @Option(help: ArgumentHelp("open, gesloten of gekoppeld.", valueName: "status")) var status: String?
    @Option(help: ArgumentHelp("Kanaal van het eerste contact.", valueName: "kanaal")) var kanaal: String?
    @Option(help: ArgumentHelp("Geopend op of na deze datum (JJJJ-MM-DD).", valueName: "datum")) var van: String?
    @Option(help: ArgumentHelp("Geopend op of voor deze datum (JJJJ-MM-DD).", valueName: "datum")) var tot: String?
    @Option(help: "Hoogstens zoveel zaken.") var max = 50

    func run() throws {
        try reportingErrors(json: lees.json) {
            var vraag = Zoekvraag()
            vraag.inwoner = inwoner
            vraag.onderwerp = onderwerp
            vraag.afdeling = afdeling
            if let status {
                guard ["open", "gesloten", "gekoppeld"].contains(status) else {
                    throw CLIFout(.ongeldig, "--status '\(status)' bestaat niet; kies uit: open, gesloten, gekoppeld")
                }
                vraag.status = status
            }
            vraag.kanaal = try kanaal.map { (try keuze($0, "--kanaal") as Kanaal).rawValue }
            vraag.van = try van.map { try parseDatum($0, optie: "--van") }
            vraag.tot = try tot.map { try parseDatum($0, optie: "--tot") }
            guard (1...10_000).contains(max) else { throw CLIFout(.ongeldig, "--max moet tussen 1 en 10000 liggen") }
            vraag.limiet = max
            let rows = try lees.openen().lezer.zoek(vraag)
            if lees.json { return try Console.json(rows) }
            print("\(rows.count) \(rows.count == 1 ? "zaak" : "zaken")" + (rows.count == max ? " (de eerste \(max); verfijn of gebruik --max)" : ""))
            for row in rows {
                let status = row.resultaat.map { "\(row.status) (\($0))" } ?? row.status
                print("  \(row.zaak)  \(status.padding(24)) \(tijdTekst(Tijdstip(row.geopendOp)!))  \(row.kanaal.padding(13)) \(row.inwoner)  \(row.onderwerp) → \(row.afdeling)")
            }
        }
    }
}

struct ControleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "controle",
        abstract: "Is het probleem echt opgelost? Zaken die niet echt opgelost bleken, zaken klaar om te sluiten en doorverwijzingen over de termijn.",
        discussion: """
            Niet echt opgelost: als opgelost gesloten, maar binnen het heropenvenster kwam de inwoner \
            terug over hetzelfde onderwerp (regel 4) of zei in een tevredenheidsmeting dat het niet is \
            opgelost (regel 5); de controle heeft de zaak toen heropend.

            Voorbeeld: zaak controle
            """)

    @OptionGroup var lees: LeesOpties

    func run() throws {
        try reportingErrors(json: lees.json) {
            let (lezer, nu, _) = try lees.openen()
            let result = try lezer.controle(nu: nu)
            if lees.json { return try Console.json(result) }
            print("Niet echt opgelost (\(result.nietEchtOpgelost.count)):")
            for row in result.nietEchtOpgelost {
                print("  \(row.zaak)  gesloten \(tijdTekst(Tijdstip(row.afgeslotenOp)!)), heropend \(tijdTekst(Tijdstip(row.heropendOp)!)), nu \(row.statusNu)")
                print("    \(row.reden)")
            }
            print("Klaar om te sluiten (\(result.klaarOmTeSluiten.count)):")
            for row in result.klaarOmTeSluiten {
                print("  \(row.zaak)  \(row.onderwerp) (\(row.afdeling)); laatste terugkoppeling \(tijdTekst(Tijdstip(row.laatsteTerugkoppelingOp)!)) — zaak sluit \(row.zaak) --resultaat opgelost")
            }
            print("Over de termijn (\(result.termijnVerlopen.count)):")
            for row in result.termijnVerlopen {
                print("  \(row.zaak) \(row.doorverwijzing)  \(row.afdeling) (\(row.terugbelverzoek ? "terugbellen" : row.soort)), uiterlijk \(datumTekst(Datum(row.uiterlijkOp)!)): \(row.teLaatWerkdagen) werkdag\(row.teLaatWerkdagen == 1 ? "" : "en") te laat")
            }
        }
    }
}

struct KPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "Kerncijfers over een periode: direct afgehandeld, doorverbonden, terugbellen, echt opgelost, doorlooptijd, termijnen, WhatsApp binnen het uur.",
        discussion: """
            Direct afgehandeld, doorverbonden en terugbelverzoek: hoe het eerste contact van de zaken \
            die in de periode geopend zijn afliep. Echt opgelost: het deel van de afsluitingen als \
            opgelost in de periode dat niet heropend is. Binnen termijn: doorverwijzingen met hun \
            termijn in de periode. WhatsApp: vragen in de periode met een eerste antwoord binnen een \
            uur. Definities: docs/projections.md.

            Voorbeelden:
              zaak kpi --van 2026-11-01 --tot 2026-11-30
              zaak kpi --van 2026-11-01 --tot 2026-11-30 --per kanaal --json
            """)

    @OptionGroup var lees: LeesOpties
    @OptionGroup var periode: PeriodeOpties
    @Option(help: ArgumentHelp("Uitsplitsen per kanaal, onderwerp, afdeling of week.", valueName: "indeling")) var per: String?

    func run() throws {
        try reportingErrors(json: lees.json) {
            let (first, last) = try periode.dagen()
            let indeling: KPIIndeling? = try per.map { try keuze($0, "--per") }
            let (lezer, nu, _) = try lees.openen()
            let rows = try lezer.kpi(van: first, tot: last, per: indeling, nu: nu)
            if lees.json { return try Console.json(rows) }
            // Every share with the count it is of, and the count it is a share of in its own column.
            func share(_ value: Double?, _ count: Int) -> String {
                (value.map { $0.dutchDecimal(places: 1) + "% (\(count))" } ?? "–").padding(13, left: true)
            }
            func days(_ seconds: Int64?) -> String { (seconds.map { (Double($0) / 86_400).dutchDecimal(places: 1) + " d" } ?? "–").padding(8, left: true) }
            func count(_ value: Int) -> String { String(value).padding(6, left: true) }
            print("Kerncijfers \(datumTekst(first)) t/m \(datumTekst(last))" + (indeling.map { ", per \($0.rawValue)" } ?? ""))
            print("".padding(30) + " " + ["zaken".padding(6, left: true), "direct".padding(13, left: true), "doorverb".padding(13, left: true),
                  "terugbel".padding(13, left: true), "afsl opl".padding(8, left: true), "echt opl".padding(13, left: true),
                  "doorloop".padding(8, left: true), "doorverw".padding(8, left: true), "termijn".padding(13, left: true),
                  "WA-vragen".padding(9, left: true), "WA < 1u".padding(13, left: true)].joined(separator: " "))
            // With --per, the period as a whole follows the groups.
            let total: [KPIRegel] = indeling == nil ? [] : try lezer.kpi(van: first, tot: last, per: nil, nu: nu).map { row in
                var row = row
                row.groep = "totaal"
                return row
            }
            for row in rows + total {
                print(row.groep.padding(30) + " " + [count(row.zaken), share(row.directAfgehandeldProcent, row.directAfgehandeld),
                      share(row.doorverbondenProcent, row.doorverbonden), share(row.terugbelProcent, row.terugbelverzoek),
                      count(row.afsluitingenOpgelost).padding(8, left: true), share(row.echtOpgelostProcent, row.gebleven),
                      days(row.mediaanDoorlooptijdSeconden), count(row.doorverwijzingen).padding(8, left: true),
                      share(row.binnenTermijnProcent, row.binnenTermijn), count(row.whatsappVragen).padding(9, left: true),
                      share(row.whatsappBinnenUurProcent, row.whatsappBinnenUur)].joined(separator: " "))
            }
            print("Tussen haakjes het aantal. direct/doorverb/terugbel: eerste contact van de geopende zaken; afsl opl: afsluitingen als opgelost;")
            print("echt opl: daarvan niet heropend; doorloop: mediaan openen → sluiten; doorverw: doorverwijzingen met hun termijn in de periode;")
            print("termijn: daarvan op tijd beantwoord; WA-vragen: WhatsApp-vragen; WA < 1u: daarvan binnen een uur beantwoord.")
        }
    }
}

extension String {
    /// Pads with spaces to `width` characters (on the left for numbers), never truncating.
    func padding(_ width: Int, left: Bool = false) -> String {
        let fill = String(repeating: " ", count: Swift.max(0, width - count))
        return left ? fill + self : self + fill
    }
}
