import ArgumentParser
import Domain
import Service
#if canImport(Glibc)
import Glibc
#endif

struct KnelpuntenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knelpunten",
        abstract: "Waar zaken wachten: per schakel (contact → doorverwijzing → terugkoppeling → inwoner geïnformeerd, afsluiten → heropend) de wachttijd in kantooruren.",
        discussion: """
            Per schakel het aantal, de mediaan en het 90e percentiel van de wachttijd in kantooruren \
            (werkdagen 08:00–17:00, feestdagen tellen niet mee), en wanneer het wachten begon, per \
            weekdag en per uur. Een wachttijd telt mee als hij begon in de periode. Leest het log \
            zelf, van begin tot eind; schrijft niets. Definities: docs/process-mining.md.

            Voorbeelden:
              zaak knelpunten --van 2026-11-01 --tot 2026-11-30
              zaak knelpunten --van 2026-11-01 --tot 2026-11-30 --per afdeling --json
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var periode: PeriodeOpties
    @Option(help: ArgumentHelp("Uitsplitsen per kanaal, afdeling of onderwerp.", valueName: "indeling")) var per: String?
    @Flag(help: "Uitvoer als JSON.") var json = false

    func run() throws {
        try reportingErrors(json: json) {
            let (first, last) = try periode.dagen()
            let indeling: KnelpuntIndeling? = try per.map { try keuze($0, "--per") }
            let rows = try Raadpleging(dataDirectory: global.dataDirectory).knelpunten(van: first, tot: last, per: indeling) { position in
                Console.write("  … t/m positie \(position)\n", to: STDERR_FILENO)
            }
            if json { return try Console.json(rows) }
            func hours(_ value: Double?) -> String { (value.map { $0.dutchDecimal(places: 1) + " u" } ?? "–").padding(9, left: true) }
            print("Knelpunten \(datumTekst(first)) t/m \(datumTekst(last)): wachttijd in kantooruren (werkdagen 08:00–17:00)")
            print("schakel".padding(32) + " " + (indeling?.rawValue ?? "").padding(28) + " " + "aantal".padding(7, left: true) + " " + "mediaan".padding(9, left: true) + " " + "p90".padding(9, left: true))
            for row in rows {
                print(row.hop.naam.padding(32) + " " + (row.groep ?? "(alle)").padding(28) + " " + String(row.aantal).padding(7, left: true)
                    + " " + hours(row.mediaanWerkuren) + " " + hours(row.p90Werkuren))
            }
            let days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
            print("Begin van het wachten per weekdag:")
            for row in rows where row.groep == nil {
                print("  " + row.hop.naam.padding(33) + zip(days, row.perWeekdag).map { "\($0) \($1)" }.joined(separator: "  "))
            }
        }
    }
}
