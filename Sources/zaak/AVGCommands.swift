import ArgumentParser
import Domain
import EventLog
import Service

/// The AVG's rights of data subjects, for the privacy officer and the KCC's back office.
struct AVGCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "avg",
        abstract: "De rechten van inwoners onder de AVG: inzage in alles wat over hen is vastgelegd, en wissen.",
        subcommands: [Inzage.self, Wis.self])

    struct Wis: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wis",
            abstract: "Wist de persoonsgegevens van alle zaken van één inwoner (AVG art. 17), aantoonbaar.",
            discussion: """
                Wist de sleutel van elke zaak van de inwoner: hun woorden, contactgegevens, adressen en \
                de inwonerreferentie zijn daarna uit het log, de leesmodellen en elke export verdwenen \
                en lezen als [gewist]. Het log zelf verandert niet: elke zaak krijgt een gebeurtenis \
                GegevensGewist (wie, wanneer, waarom; zonder persoonsgegevens), en alle bewijzen en \
                KPI's blijven kloppen. Onomkeerbaar. docs/avg.md legt uit wat er overblijft.

                Voorbeeld:
                  zaak avg wis --inwoner inw-4821 --reden "verzoek van 2026-11-30, brief 2026-0412" --medewerker fg-01
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("De referentie van de inwoner uit het klantsysteem.", valueName: "ref")) var inwoner: String
        @Option(help: ArgumentHelp("Waarom (het verzoek, een kenmerk); zonder persoonsgegevens: dit blijft in het log staan.", valueName: "tekst"))
        var reden: String
        @Option(help: ArgumentHelp("Wie het wissen uitvoert (standaard $ZAAK_MEDEWERKER).", valueName: "id")) var medewerker: String?
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                if let reden = Domain.Inwoner.weigering(inwoner) { throw CLIFout(.ongeldig, "--inwoner '\(inwoner.citaat)' is ongeldig; \(reden)") }
                let door = try medewerkerActor(medewerker)
                let service = try ZaakService(dataDirectory: global.dataDirectory, catalogus: try laadCatalogus(global.dataDirectory))
                let wissing = try service.wis(inwoner: inwoner, grondslag: .avgArtikel17, reden: reden, door: door, nu: Tijdstip.nu())
                let document = wissing.document(inwoner: inwoner)
                if json { return try Console.json(document) }
                if let waarschuwing = document.waarschuwing { Console.warning(waarschuwing) }
                print("Gewist (verzoek \(wissing.verzoek)): de persoonsgegevens van \(wissing.gewist.count) \(wissing.gewist.count == 1 ? "zaak" : "zaken") van \(inwoner).")
                for item in wissing.gewist { print("  \(item.zaak)  GegevensGewist op positie \(item.positie)") }
                if !wissing.alGewist.isEmpty { print("Al eerder gewist: \(wissing.alGewist.map(\.description).joined(separator: ", "))") }
                print("Het log en zijn bewijzen zijn ongewijzigd; controleer met: zaak log verifieer")
            }
        }
    }

    struct Inzage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inzage",
            abstract: "Alles wat over één inwoner is vastgelegd (AVG art. 15): zaken, gebeurtenissen en wie hun gegevens las.",
            discussion: """
                Leest het log (ook wat de leesmodellen nog niet toepasten) en het verwerkingenlog \
                (Logboek Dataverwerkingen: elke inzage via de API); schrijft niets. Met --json één \
                JSON-object om aan de inwoner te geven of verder te verwerken: zaken met hun \
                gebeurtenissen zoals ze in het log staan, en de verwerkingen. docs/avg.md legt uit \
                wat erin staat.

                Voorbeelden:
                  zaak avg inzage --inwoner inw-4821
                  zaak avg inzage --inwoner inw-4821 --json > inzage-inw-4821.json
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("De referentie van de inwoner uit het klantsysteem.", valueName: "ref")) var inwoner: String
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                if let reden = Domain.Inwoner.weigering(inwoner) { throw CLIFout(.ongeldig, "--inwoner '\(inwoner.citaat)' is ongeldig; \(reden)") }
                let inzage = try Raadpleging(dataDirectory: global.dataDirectory).inzage(inwoner: inwoner)
                let now = Tijdstip.nu()
                if json { return try Console.json(inzage.document(opgesteldOp: now)) }
                let events = inzage.zaken.reduce(0) { $0 + $1.gebeurtenissen.count }
                print("Inzage voor \(inwoner), opgesteld \(tijdTekst(now)) uit het log t/m positie \(inzage.logPositie)")
                guard !inzage.zaken.isEmpty || !inzage.verwerkingen.isEmpty else {
                    return print("Over \(inwoner) is niets vastgelegd: geen zaken en geen verwerkingen.")
                }
                print("\(inzage.zaken.count) \(inzage.zaken.count == 1 ? "zaak" : "zaken"), \(events) gebeurtenis\(events == 1 ? "" : "sen"), \(inzage.verwerkingen.count) verwerking\(inzage.verwerkingen.count == 1 ? "" : "en") (inzage via de API)")
                for item in inzage.zaken {
                    print("")
                    print("\(item.zaak.nummer) — \(item.zaak.onderwerp), \(Service.Inzage.statusTekst(item.zaak.status)), geopend \(tijdTekst(item.zaak.geopendOp))")
                    for event in item.gebeurtenissen {
                        print("  #\(event.positie ?? 0)  \(tijdTekst(event.plaatsgevondenOp))  \(event.actor)  \(event.gebeurtenis.type)")
                        print("        \(event.beschrijving)")
                    }
                }
                guard !inzage.verwerkingen.isEmpty else { return }
                print("")
                print("Verwerkingen (wie las de gegevens van \(inwoner)):")
                for record in inzage.verwerkingen {
                    print("  \(record.tijdstip)  \(record.operatie)  \(record.verwerkingsactiviteit)  rol \(record.rol), token \(record.token)"
                        + (record.zaken.isEmpty ? "" : "  zaken \(record.zaken.joined(separator: ", "))"))
                }
            }
        }
    }
}
