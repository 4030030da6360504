import ArgumentParser
import Domain
import EventLog
import Projections
import Service
#if canImport(Glibc)
import Glibc
#endif

struct GeschiedenisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geschiedenis",
        abstract: "Elke gebeurtenis van een zaak uit het log: positie, tijd, actor, kanaal en de Merkle-bladhash.",
        discussion: """
            Leest alleen het log, niet de leesmodellen. De bladhash is SHA-256(0x00 ‖ regel) zoals in \
            schemas/log-format.md §6: daarmee toont een auditor dat deze regel in het log staat.

            Voorbeelden:
              zaak geschiedenis Z-2026-000042
              zaak geschiedenis 2026-42 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Het zaaknummer, bijv. Z-2026-000042 of kort 2026-42.", valueName: "zaaknummer")) var zaak: String
    @Flag(help: "Uitvoer als JSON.") var json = false

    struct Regel: Encodable {
        let positie: Int64, id: String, vastgelegdOp: String, plaatsgevondenOp: Tijdstip, actor: Actor, type: String
        let kanaal: String?, beschrijving: String, bladhash: String
    }

    func run() throws {
        try reportingErrors(json: json) {
            let nummer = try zaaknummer(zaak)
            let log = try LogReader(directory: global.logDirectory)
            let sleutels = try LogSleutels(dataDirectory: global.dataDirectory)
            let rows = try log.events(ofZaak: nummer.description).map { entry in
                let event = try ZaakGebeurtenis(logregel: entry.line, sleutels: sleutels)
                let leaf = entry.line.withUnsafeBytes { MerkleHash.leaf($0) }
                return Regel(positie: entry.position, id: entry.id, vastgelegdOp: entry.recordedAtText, plaatsgevondenOp: event.plaatsgevondenOp,
                             actor: event.actor, type: event.gebeurtenis.type, kanaal: event.gebeurtenis.kanaal?.rawValue,
                             beschrijving: event.beschrijving, bladhash: leaf.hex)
            }
            guard !rows.isEmpty else { throw ZaakFout(.onbekend, "zaak \(nummer) staat niet in het log; controleer het nummer") }
            if json { return try Console.json(rows) }
            print("Geschiedenis van \(nummer): \(rows.count) gebeurtenis\(rows.count == 1 ? "" : "sen"), uit het log")
            for row in rows {
                print("  #\(row.positie)  \(tijdTekst(row.plaatsgevondenOp))  \(row.actor)\(row.kanaal.map { "  [\($0)]" } ?? "")  \(row.type)")
                print("        \(row.beschrijving)")
                print("        vastgelegd \(row.vastgelegdOp), id \(row.id), blad \(row.bladhash)")
            }
        }
    }
}

struct ProjectiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projecties",
        abstract: "Beheer van de leesmodellen: bijwerken of opnieuw opbouwen uit het log, en hun vingerafdruk.",
        subcommands: [Herbouw.self, Bijwerken.self, Vingerafdruk.self])

    struct Herbouw: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "herbouw",
            abstract: "Bouwt alle leesmodellen opnieuw op uit het log (naast de oude; daarna vervangen ze die in één keer).",
            discussion: """
                De oude leesmodellen blijven tijdens het opbouwen gewoon leesbaar, ook voor een \
                draaiende `zaak serve`; die ziet daarna meteen de nieuwe.

                Voorbeeld: zaak projecties herbouw
                """)

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reportingErrors {
                let log = try LogReader(directory: global.logDirectory)
                let projector = try Projector(dataDirectory: global.dataDirectory)
                let clock = ContinuousClock(), start = clock.now
                let result = try projector.herbouw(uit: log) { position in
                    print("  … t/m positie \(position)")
                    Console.flush()
                }
                let seconds = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) / 1e18
                let rate = seconds > 0 ? Int(Double(result.toegepast + result.overgeslagen) / seconds) : 0
                print("Herbouwd: \(result.toegepast) gebeurtenissen toegepast, \(result.overgeslagen) overgeslagen, t/m positie \(result.positie), "
                    + "in \(seconds.dutchDecimal(places: 2)) s (\(rate) gebeurtenissen/s)")
                try printFingerprint(Leesmodel(alleenLezen: projector.pad))
            }
        }
    }

    struct Bijwerken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bijwerken",
            abstract: "Past toe wat het log meer heeft dan de leesmodellen (na een onderbroken opdracht, of `zaak log toevoegen`).",
            discussion: "Elke opdracht die iets vastlegt doet dit zelf; leesopdrachten melden wanneer het nodig is.\n\nVoorbeeld: zaak projecties bijwerken")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try reportingErrors {
                let result = try Projector(dataDirectory: global.dataDirectory).bijwerken(uit: try LogReader(directory: global.logDirectory))
                print("Bijgewerkt: \(result.toegepast) gebeurtenissen toegepast, \(result.overgeslagen) overgeslagen, t/m positie \(result.positie)")
            }
        }
    }

    struct Vingerafdruk: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vingerafdruk",
            abstract: "Een SHA-256 over de inhoud van elk leesmodel: gelijk na herbouwen en na bijwerken.",
            discussion: """
                Voorbeelden:
                  zaak projecties vingerafdruk
                  zaak projecties vingerafdruk --projecties replay.sqlite
                """)

        @OptionGroup var lees: LeesOpties

        func run() throws {
            try reportingErrors(json: lees.json) {
                let lezer = try lees.openen().lezer
                if lees.json {
                    struct Tabel: Encodable { let tabel: String, rijen: Int, hash: String }
                    struct Uitvoer: Encodable { let positie: Int64, vingerafdruk: String, tabellen: [Tabel] }
                    let print = try lezer.vingerafdruk()
                    return try Console.json(Uitvoer(positie: try lezer.positie(), vingerafdruk: print.totaal,
                                                    tabellen: print.perTabel.map { Tabel(tabel: $0.tabel, rijen: $0.rijen, hash: $0.hash) }))
                }
                try printFingerprint(lezer)
            }
        }
    }
}

private func printFingerprint(_ lezer: Leesmodel) throws {
    let print = try lezer.vingerafdruk()
    Swift.print("Vingerafdruk t/m positie \(try lezer.positie()): \(print.totaal)")
    for table in print.perTabel { Swift.print("  \(table.tabel.padding(17)) \(String(table.rijen).padding(9, left: true)) rijen  \(table.hash)") }
}

struct AuditReplay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Bouwt alle leesmodellen op zoals ze op een moment stonden, uit het log alleen, in een aparte database.",
        discussion: """
            Neemt elke gebeurtenis die het log vóór of op --tot vastlegde, en niets daarna. Lees de \\
            uitkomst met de gewone opdrachten en --projecties, dan is "nu" het moment van --tot:
              zaak audit replay --tot "2026-11-20 17:00" --naar /tmp/20nov.sqlite
              zaak toon 2026-42 --projecties /tmp/20nov.sqlite
              zaak werkvoorraad --afdeling Stadsbeheer --projecties /tmp/20nov.sqlite
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Het moment: 2026-11-20 17:00 (Nederlandse tijd), 2026-11-20 (eind van de dag) of UTC.", valueName: "tijdstip"))
    var tot: String
    @Option(help: ArgumentHelp("Nieuwe database voor het resultaat (mag nog niet bestaan).", valueName: "pad")) var naar: String
    @Option(help: ArgumentHelp("Toon daarna deze zaak zoals hij toen was.", valueName: "zaaknummer")) var zaak: String?

    func run() throws {
        try reportingErrors {
            let moment = try parseTijdstip(tot, nu: Tijdstip.nu(), optie: "--tot", heleDag: true)
            let nummer = try zaak.map(zaaknummer)
            guard access(naar, F_OK) != 0 else { throw CLIFout(.ongeldig, "\(naar) bestaat al; kies een nieuw pad (een replay overschrijft niets)") }
            let log = try LogReader(directory: global.logDirectory)
            let projecties = try Projecties(path: naar, sleutels: try LogSleutels(dataDirectory: global.dataDirectory))
            let result = try projecties.bouwNieuw(uit: log, tot: moment)
            try projecties.zetPeilmoment(moment)
            print("Herspeeld tot \(tijdTekst(moment)) (\(moment)): \(result.toegepast) gebeurtenissen, t/m positie \(result.positie), in \(naar)")
            try printFingerprint(projecties.lezer)
            guard let nummer else { return }
            guard let overzicht = try projecties.lezer.zaak(nummer, nu: moment) else {
                throw ZaakFout(.onbekend, "zaak \(nummer) bestond op \(tijdTekst(moment)) nog niet")
            }
            print("")
            toonZaak(overzicht)
        }
    }
}
