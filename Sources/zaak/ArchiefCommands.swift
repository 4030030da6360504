import ArgumentParser
import Domain
import Projections
import Service

/// The Archiefwet's side of a zaak: which zaken are due for destruction.
struct ArchiefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archief",
        abstract: "Archivering (Archiefwet): de vernietigingslijst opstellen, goedkeuren en uitvoeren, met een verklaring van vernietiging.",
        subcommands: [Lijst.self, Keur.self, Vernietig.self])

    struct Keur: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keur",
            abstract: "Keurt een vernietigingslijst goed op naam van iemand met de rol beheer.",
            discussion: """
                Controleert elke zaak op de lijst (archiefnominatie vernietigen, gesloten, archiefactiedatum \
                verstreken) en legt de lijst vast zoals hij nu is (SHA-256) in LIJST.goedkeuring.json. Een lijst \
                die daarna verandert, wordt niet uitgevoerd.

                Voorbeeld:
                  zaak archief lijst --tot 2026-12-31 --json > vernietigingslijst-2026.json
                  zaak archief keur vernietigingslijst-2026.json --door dia-03
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("De vernietigingslijst (JSON van zaak archief lijst).", valueName: "lijst")) var lijst: String
        @Option(help: ArgumentHelp("Wie goedkeurt (rol beheer).", valueName: "id")) var door: String
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                guard Domain.Inwoner.isGeldigeRef(door) else { throw CLIFout(.ongeldig, "--door '\(door.citaat)' is ongeldig; gebruik 1–64 tekens uit A-Z a-z 0-9 . _ : -") }
                let service = try ZaakService(dataDirectory: global.dataDirectory, catalogus: try laadCatalogus(global.dataDirectory))
                let goedkeuring = try service.keur(lijst, door: door, nu: Tijdstip.nu())
                if json { return try Console.json(goedkeuring) }
                print("Goedgekeurd door \(door): \(goedkeuring.lijst), \(goedkeuring.zaken) \(goedkeuring.zaken == 1 ? "zaak" : "zaken") (SHA-256 \(goedkeuring.sha256)).")
                print("Vastgelegd in \(Vernietigingslijst.goedkeuringPad(lijst)). Uitvoeren: zaak archief vernietig \(lijst) --medewerker …")
            }
        }
    }

    struct Vernietig: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vernietig",
            abstract: "Voert een goedgekeurde vernietigingslijst uit en schrijft de verklaring van vernietiging.",
            discussion: """
                Wist van elke zaak op de lijst de sleutel (GegevensGewist met grondslag archiefwet, zoals \
                zaak avg wis), schrijft een checkpoint over die gebeurtenissen en zet de verklaring van \
                vernietiging in LIJST.verklaring.json: zaaknummers, onderwerpen, data, wie goedkeurde en het \
                ondertekende checkpoint. Structuur, tijden en KPI's van de zaken blijven. Opnieuw uitvoeren na \
                een onderbreking maakt het af zonder iets dubbel te doen.

                Voorbeeld:
                  zaak archief vernietig vernietigingslijst-2026.json --medewerker dia-07
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("De goedgekeurde vernietigingslijst.", valueName: "lijst")) var lijst: String
        @Option(help: ArgumentHelp("Wie de vernietiging uitvoert (standaard $ZAAK_MEDEWERKER).", valueName: "id")) var medewerker: String?
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                let door = try medewerkerActor(medewerker)
                let service = try ZaakService(dataDirectory: global.dataDirectory, catalogus: try laadCatalogus(global.dataDirectory))
                let verklaring = try service.vernietig(lijst, door: door, nu: Tijdstip.nu())
                if json { return try Console.json(verklaring) }
                print("Vernietigd: \(verklaring.zaken.count) \(verklaring.zaken.count == 1 ? "zaak" : "zaken") van \(verklaring.lijst), goedgekeurd door \(verklaring.goedgekeurdDoor).")
                print("Verklaring van vernietiging: \(Vernietigingslijst.verklaringPad(lijst)) (checkpoint van \(verklaring.checkpoint.checkpoint.treeSize) gebeurtenissen).")
            }
        }
    }

    struct Lijst: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lijst",
            abstract: "De vernietigingslijst: gesloten zaken met archiefnominatie vernietigen en een archiefactiedatum tot en met --tot.",
            discussion: """
                De archiefactiedatum is de sluitdatum plus de bewaartermijn van het onderwerp in de \
                catalogus; een zaak met blijvend_bewaren of een open zaak staat er nooit op. Leest de \
                leesmodellen; schrijft niets.

                Voorbeelden:
                  zaak archief lijst --tot 2027-12-31
                  zaak archief lijst --tot 2027-12-31 --json > vernietigingslijst.json
                """)

        @OptionGroup var lees: LeesOpties
        @Option(help: ArgumentHelp("Tot en met deze datum (JJJJ-MM-DD).", valueName: "datum")) var tot: String

        struct LijstJSON: Encodable {
            let tot: String, opgesteldOp: Tijdstip
            let zaken: [ArchiefRegel]
        }

        func run() throws {
            try reportingErrors(json: lees.json) {
                let datum = try parseDatum(tot, optie: "--tot")
                let zaken = try lees.openen().lezer.teVernietigen(tot: datum)
                if lees.json { return try Console.json(LijstJSON(tot: datum.description, opgesteldOp: Tijdstip.nu(), zaken: zaken)) }
                print("Vernietigingslijst t/m \(datumTekst(datum)): \(zaken.count) \(zaken.count == 1 ? "zaak" : "zaken")")
                for zaak in zaken {
                    print("  \(zaak.zaak)  \(zaak.onderwerp)  \(zaak.afdeling)  gesloten \(datumTekst(Kalender.lokaleDatum(Tijdstip(zaak.afgeslotenOp)!))) (\(zaak.resultaat)), "
                        + "vernietigen vanaf \(datumTekst(Datum(zaak.archiefactiedatum)!))")
                }
            }
        }
    }
}
