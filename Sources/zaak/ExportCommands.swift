import ArgumentParser
import Audit
import Domain
import EventLog
import Projections
import Service
#if canImport(Glibc)
import Glibc
#endif

/// Exports for analysts: the history as an OCEL 2.0 event log, and the check that an export is
/// complete and untouched (docs/process-mining.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Exporteert de geschiedenis voor procesanalyse (OCEL 2.0) en controleert zo'n export.",
        subcommands: [Ocel.self, Controleer.self])

    struct Ocel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ocel",
            abstract: "Schrijft de zaken die in de periode zijn geopend, met al hun gebeurtenissen, als OCEL 2.0-log (SQLite of JSON).",
            discussion: """
                Objecttypen zaak, klantcontact, doorverwijzing, afdeling, kanaal, onderwerp, medewerker en \
                inwoner; te lezen met pm4py (read_ocel2_sqlite, read_ocel2_json). Er gaat geen vrije tekst \
                en geen persoonsgegeven mee; inwoners en medewerkers krijgen pseudoniemen die alleen \
                binnen deze export gelijk zijn (--echte-ids: hun echte referentie, alleen voor de auditor). \
                De export loopt tot het nieuwste checkpoint; het manifest ernaast (<bestand>.zaaklog.json) \
                legt het checkpoint en de SHA-256 vast, voor `zaak export controleer`.

                Voorbeelden:
                  zaak export ocel --van 2026-11-01 --tot 2026-11-30 --formaat sqlite --naar november.sqlite
                  zaak export ocel --van 2026-11-01 --tot 2026-11-30 --formaat json --naar november.json
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var periode: PeriodeOpties
        @Option(help: ArgumentHelp("sqlite of json.", valueName: "formaat")) var formaat: String
        @Option(help: ArgumentHelp("Het nieuwe bestand (wordt niet overschreven).", valueName: "pad")) var naar: String
        @Flag(help: "Echte referenties van inwoners en medewerkers in plaats van pseudoniemen (alleen voor de auditor).") var echteIds = false
        @Flag(help: "Uitvoer als JSON (het manifest).") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                let (first, last) = try periode.dagen()
                let vorm: OCELFormaat = try keuze(formaat, "--formaat")
                if echteIds { Console.warning("--echte-ids: de export bevat de referenties van inwoners en medewerkers; alleen voor de auditor") }
                let (manifest, after) = try Raadpleging(dataDirectory: global.dataDirectory).exporteerOCEL(
                    van: first, tot: last, formaat: vorm, naar: naar, echteIds: echteIds, nu: .nu()
                ) { position in Console.write("  … t/m positie \(position)\n", to: STDERR_FILENO) }
                if after > 0 {
                    Console.warning("\(after) gebeurtenissen na het nieuwste checkpoint vallen buiten deze export; `zaak log checkpoint` schrijft er een")
                }
                if json { return try Console.json(manifest) }
                let export = manifest.export
                print("Export \(naar) (OCEL 2.0, \(vorm.rawValue)): zaken geopend \(datumTekst(first)) t/m \(datumTekst(last))")
                print("  gebeurtenissen: \(export.gebeurtenissen.values.reduce(0, +)), objecten: "
                    + export.objecten.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
                print("  uit het log t/m positie \(export.posities.tot), checkpoint \(export.checkpoint.root)"
                    + (export.checkpoint.signature.map { " (ondertekend, sleutel \($0.keyId))" } ?? " (niet ondertekend)"))
                print("  pseudoniemen: \(echteIds ? "uit (echte referenties)" : "alleen geldig binnen deze export")")
                print("  SHA-256 \(manifest.sha256), in \(OCELManifest.pad(bij: naar))")
            }
        }
    }

    struct Controleer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "controleer",
            abstract: "Controleert dat een export onaangeroerd en volledig is: SHA-256, checkpoint, en (met het log) dezelfde aantallen.",
            discussion: """
                Leest het manifest naast de export (<bestand>.zaaklog.json). Onaangeroerd: de SHA-256 van \
                het bestand klopt. Echt: de handtekening van het checkpoint klopt met --sleutel of \
                --vingerafdruk. Volledig: heeft --data het log van dat checkpoint, dan moet zijn wortel \
                gelijk zijn en geeft dezelfde toewijzing evenveel gebeurtenissen en objecten per type. \
                Klopt iets niet: exitcode 76.

                Voorbeeld: zaak export controleer november.sqlite --sleutel checkpoint-ed25519.pub
                """)

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("Het exportbestand.", valueName: "bestand")) var bestand: String
        @OptionGroup var trust: TrustOptions

        func run() throws {
            try reportingErrors {
                // Without a log here (an analyst's machine) only the file and the checkpoint are checked.
                let log = access(global.logDirectory, F_OK) == 0 ? try LogReader(directory: global.logDirectory) : nil
                let keys = try trust.trustedKeys(installation: log == nil ? nil : try KeyStore.publicKey(in: KeyStore.standardDirectory(forLog: global.logDirectory)))
                let controle = try Raadpleging.controleerOCEL(bestand, log: log, sleutels: log == nil ? ZonderSleutels() : try LogSleutels(dataDirectory: global.dataDirectory))
                try reportingArtefactErrors(OCELManifest.pad(bij: bestand)) { try AuditCheck.checkSignature(of: controle.checkpoint, keys: keys) }
                let export = controle.manifest.export
                print("Onaangeroerd: SHA-256 \(controle.manifest.sha256) klopt.")
                print(keys.isEmpty ? "Checkpoint \(controle.checkpoint.treeSize): handtekening niet gecontroleerd (geen --sleutel of --vingerafdruk)."
                    : "Checkpoint \(controle.checkpoint.treeSize): handtekening geldig (sleutel \(keys.map(\.keyId).joined(separator: ", "))).")
                if controle.vergelekenMetLog {
                    print("Volledig: het log heeft dit checkpoint en geeft dezelfde \(export.gebeurtenissen.values.reduce(0, +)) gebeurtenissen en "
                        + "\(export.objecten.values.reduce(0, +)) objecten voor de zaken geopend \(export.periode.van) t/m \(export.periode.tot).")
                } else {
                    print("Volledigheid niet gecontroleerd: " + (log == nil ? "er is geen log in \(global.dataDirectory)" : "het log in \(global.dataDirectory) heeft geen checkpoint van \(controle.checkpoint.treeSize) gebeurtenissen") + ".")
                }
            }
        }
    }
}
