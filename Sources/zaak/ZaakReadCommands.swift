import ArgumentParser
import Domain
import EventLog
import Service
#if canImport(Glibc)
import Glibc
#endif

struct ToonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toon",
        abstract: "Toont een zaak: status, versie, doorverwijzingen, afsluitregels, tijdlijn en de volgende stap.",
        discussion: "Voorbeeld:\n  zaak toon Z-2026-000042\n  zaak toon 2026-42 --json")

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Het zaaknummer, bijv. Z-2026-000042 of kort 2026-42.", valueName: "zaaknummer")) var zaak: String
    @Flag(help: "Uitvoer als JSON.") var json = false

    struct Report: Encodable {
        let zaak: String, versie: Int, status: String, resultaat: String?, inwoner: String, onderwerp: String, afdeling: String
        let uiterlijkAfgehandeldOp: Datum, openDoorverwijzingen: [OverdrachtJSON], afsluitbevindingen: [String]
        let volgendeStap: String, gebeurtenissen: [ZaakGebeurtenis]
    }

    func run() throws {
        try reportingErrors {
            let nummer = try zaaknummer(zaak)
            let log = try EventLog(directory: global.logDirectory, forWriting: false)
            let events = try log.events(ofZaak: nummer.description).map { entry throws in try ZaakGebeurtenis(logregel: entry.line) }
            guard let state = try herstel(events) else { throw ZaakFout(.onbekend, "zaak \(nummer) bestaat niet; controleer het nummer") }
            let findings = state.isOpen ? state.afsluitbevindingen(resultaat: .opgelost).map { "regel \($0.regel): \($0.melding)" } : []
            if json {
                var resultaat: String?
                if case let .gesloten(result) = state.status { resultaat = result.rawValue }
                try Console.json(Report(zaak: nummer.description, versie: state.versie, status: statusTekst(state.status), resultaat: resultaat,
                                        inwoner: state.inwoner.ref, onderwerp: state.onderwerp, afdeling: state.opening.afdeling,
                                        uiterlijkAfgehandeldOp: state.opening.uiterlijkAfgehandeldOp,
                                        openDoorverwijzingen: state.openOverdrachten.map(OverdrachtJSON.init), afsluitbevindingen: findings,
                                        volgendeStap: state.volgendeStap, gebeurtenissen: events))
                return
            }
            var status = statusTekst(state.status)
            if case let .gesloten(result) = state.status { status += " (\(result.rawValue))" }
            print("Zaak \(nummer) — versie \(state.versie), \(status)")
            print("  inwoner:   \(state.inwoner.ref)")
            print("  onderwerp: \(state.onderwerp) — \(state.opening.omschrijving)")
            print("  afdeling:  \(state.opening.afdeling); afhandelen uiterlijk \(datumTekst(state.opening.uiterlijkAfgehandeldOp))")
            for handoff in state.openOverdrachten {
                print("  open:      \(handoff.id) bij \(handoff.afdeling) (\(handoff.isTerugbelverzoek ? "terugbelverzoek" : handoff.soort.rawValue)), uiterlijk \(datumTekst(handoff.uiterlijkOp))")
            }
            print("Tijdlijn:")
            for event in events {
                print("  #\(event.positie ?? 0)  \(tijdTekst(event.plaatsgevondenOp))  \(event.actor)  \(beschrijving(event))")
            }
            if !findings.isEmpty {
                print("Nog niet als opgelost te sluiten:")
                for finding in findings { print("  - \(finding)") }
            }
            print("Volgende stap: \(state.volgendeStap)")
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Voegt zaakgebeurtenissen (NDJSON) toe met dezelfde controles als de KCC-opdrachten, per batch atomair.",
        discussion: """
            Elke regel is één gebeurtenis zoals in schemas/events/ (met id, zaak, type, schemaversie, \
            versie, plaatsgevondenOp, actor en data). Elke batch wordt in zijn geheel gecontroleerd en \
            vastgelegd, of helemaal niet. Na elke duurzaam vastgelegde batch volgt één bevestigingsregel \
            met de laatste positie: wat niet bevestigd is, staat niet in het log. Een gebeurtenis waarvan \
            de id al in het log staat, wordt overgeslagen, dus een afgebroken import kan gewoon opnieuw.

            Voorbeelden:
              zaak import gebeurtenissen.ndjson
              cat export.ndjson | zaak import - --batch 500 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "NDJSON-bestand; zonder bestand of met - wordt standaardinvoer gelezen.") var bestand: String?
    @Option(help: "Regels per batch (elke batch is atomair).") var batch = 1000
    @Flag(help: "Bevestigingen als JSON Lines.") var json = false

    func validate() throws {
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch moet tussen 1 en 10000 liggen") }
    }

    func run() throws {
        try reportingErrors {
            let input = try openInput(bestand)
            let service = try ZaakService(dataDirectory: global.dataDirectory, catalogus: try laadCatalogus(global.dataDirectory))
            for repair in service.log.repairs { Console.warning(repair.description) }
            var reader = LineReader(fd: input, maxLineBytes: 1 << 20)
            var pending: [(regel: Int, gebeurtenis: ZaakGebeurtenis)] = []
            var batchNumber = 0
            var lineNumber = 0
            func commit() throws {
                guard !pending.isEmpty else { return }
                batchNumber += 1
                let now = Tijdstip(milliseconden: currentMilliseconds())
                let results: [ZaakService.Ingevoerd]
                do { results = try service.importeer(pending, nu: now) } catch let error as ZaakFout {
                    throw ZaakFout(error.soort, "\(error.melding.zonderSlotpunt). Batch \(batchNumber) (regels \(pending[0].regel)–\(pending.last!.regel)) is niet geschreven"
                        + (batchNumber > 1 ? "; de bevestigde batches ervoor staan in het log." : "."))
                }
                let fresh = results.filter { !$0.alAanwezig }.count
                let last = results.map(\.positie).max() ?? 0
                try BatchAck(batch: batchNumber, regels: [pending[0].regel, pending.last!.regel], laatstePositie: last, nieuw: fresh,
                             alAanwezig: results.count - fresh).print(json: json)
                pending.removeAll(keepingCapacity: true)
            }
            while true {
                let line: [UInt8]
                do {
                    guard let next = try reader.next() else { break }
                    line = next
                } catch let error as LogError {
                    throw CLIFout(.ongeldig, "\(error.message). Batch \(batchNumber + 1) is niet geschreven.")
                }
                lineNumber += 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                do throws(ZaakFout) {
                    pending.append((lineNumber, try ZaakGebeurtenis(json: line.last == 0x0D ? Array(line.dropLast()) : line)))
                } catch {
                    throw ZaakFout(.ongeldig, "regel \(lineNumber): \(error.melding.zonderSlotpunt). Batch \(batchNumber + 1) is niet geschreven.")
                }
                if pending.count == batch { try commit() }
            }
            try commit()
            if batchNumber == 0 { Console.warning("de invoer bevatte geen gebeurtenissen; er is niets vastgelegd") }
        }
    }
}

struct CatalogusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogus",
        abstract: "De onderwerpen met hun afdeling, afhandeltermijn, heropenvenster en archiefgegevens.",
        subcommands: [Toon.self, Controleer.self])

    struct Toon: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "toon",
            abstract: "Toont de catalogus die de opdrachten gebruiken (<data>/catalogus.json, anders de standaard).",
            discussion: "Voorbeeld:\n  zaak catalogus toon\n  zaak catalogus toon --json > catalogus.json")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "De catalogus als JSON (het bestandsformaat van schemas/catalogus.schema.json).") var json = false

        func run() throws {
            try reportingErrors {
                let catalogus = try laadCatalogus(global.dataDirectory)
                if json {
                    try Console.json(catalogus)
                    return
                }
                print("Catalogus \(catalogus.gemeente), versie \(catalogus.versie)")
                for afdeling in catalogus.afdelingen {
                    print("\(afdeling.naam)")
                    for onderwerp in catalogus.onderwerpen where onderwerp.afdeling == afdeling.naam {
                        let archive = onderwerp.bewaartermijnJaren.map { "vernietigen na \($0) jaar" } ?? "blijvend bewaren"
                        print("  \(onderwerp.code) — \(onderwerp.omschrijving): \(onderwerp.afhandeltermijnWerkdagen) werkdagen, heropenvenster \(onderwerp.heropenvensterDagen) dagen, \(archive)")
                    }
                }
            }
        }
    }

    struct Controleer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "controleer",
            abstract: "Controleert een catalogusbestand voordat u het als <data>/catalogus.json gebruikt.",
            discussion: "Voorbeeld:\n  zaak catalogus controleer mijn-catalogus.json")

        @Argument(help: "Het catalogusbestand (JSON).") var bestand: String

        func run() throws {
            try reportingErrors {
                guard let bytes = try leesBestand(bestand) else { throw CLIFout(.ongeldig, "\(bestand) bestaat niet") }
                let catalogus: Catalogus
                do { catalogus = try Catalogus(json: bytes) } catch { throw CLIFout(.ongeldig, "\(bestand): \(error)") }
                print("\(bestand) is in orde: \(catalogus.onderwerpen.count) onderwerpen bij \(catalogus.afdelingen.count) afdelingen.")
            }
        }
    }
}

extension String {
    /// Without a final full stop, to append another sentence after it.
    var zonderSlotpunt: String { hasSuffix(".") ? String(dropLast()) : self }
}
