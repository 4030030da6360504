import ArgumentParser
import Domain
import Projections

/// The Archiefwet's side of a zaak: which zaken are due for destruction.
struct ArchiefCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archief",
        abstract: "Archivering (Archiefwet): de vernietigingslijst van zaken waarvan de archiefactiedatum is verstreken.",
        subcommands: [Lijst.self])

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
