import ArgumentParser
import Domain
import EventLog
import Projections
import Service
#if canImport(Glibc)
import Glibc
#endif

struct ToonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "toon",
        abstract: "Toont een zaak: status, doorverwijzingen, het oordeel 'echt opgelost?' met redenen en de volgende stap.",
        discussion: """
            Met --per toont u de zaak zoals hij op dat moment in het log stond (alleen uit het log, \
            voor auditors). De hele tijdlijn staat in `zaak geschiedenis`.

            Voorbeelden:
              zaak toon Z-2026-000042
              zaak toon 2026-42 --json
              zaak toon 2026-42 --per "2026-11-20 17:00"
            """)

    @OptionGroup var lees: LeesOpties
    @Argument(help: ArgumentHelp("Het zaaknummer, bijv. Z-2026-000042 of kort 2026-42.", valueName: "zaaknummer")) var zaak: String
    @Option(help: ArgumentHelp("Toon de zaak zoals hij op dit moment was: 2026-11-20 17:00, 2026-11-20 (eind van de dag) of UTC.", valueName: "tijdstip"))
    var per: String?

    func run() throws {
        try reportingErrors(json: lees.json) {
            let nummer = try zaaknummer(zaak)
            let overzicht: ZaakOverzicht?
            if let per {
                guard lees.projecties == nil else { throw CLIFout(.gebruik, "--per en --projecties gaan niet samen: --per leest alleen het log") }
                let moment = try parseTijdstip(per, nu: Tijdstip.nu(), optie: "--per", heleDag: true)
                overzicht = try zaakPer(nummer, moment, nu: moment)
                guard overzicht != nil else { throw ZaakFout(.onbekend, "zaak \(nummer) bestond op \(tijdTekst(moment)) nog niet in het log") }
            } else {
                let (lezer, nu, loopAchter) = try lees.openen()
                // Read models behind the log (a full disk, a crash between append and catch-up): the
                // zaak from its own log lines, as current as the log.
                overzicht = loopAchter ? try zaakPer(nummer, nil, nu: nu) : try lezer.zaak(nummer, nu: nu)
            }
            guard let overzicht else { throw ZaakFout(.onbekend, "zaak \(nummer) bestaat niet; controleer het nummer") }
            if lees.json { return try Console.json(overzicht) }
            toonZaak(overzicht)
        }
    }

    /// The zaak from its log lines recorded up to `moment` (nil: all of them), projected in memory:
    /// the same rows, so the same answer, as a replay of the whole log to that moment would give.
    private func zaakPer(_ nummer: Zaaknummer, _ moment: Tijdstip?, nu: Tijdstip) throws -> ZaakOverzicht? {
        let log = try LogReader(directory: lees.global.logDirectory)
        let entries = try log.events(ofZaak: nummer.description).filter { moment == nil || $0.recordedAt <= moment!.milliseconden }
        let projecties = try Projecties(path: ":memory:", sleutels: try LogSleutels(dataDirectory: lees.global.dataDirectory))
        try projecties.projecteer(entries, log: log)
        return try projecties.lezer.zaak(nummer, nu: nu)
    }
}

/// A zaak as `zaak toon` prints it.
func toonZaak(_ zaak: ZaakOverzicht) {
    print("Zaak \(zaak.zaak) — versie \(zaak.versie), \(zaak.resultaat.map { "\(zaak.status) (\($0))" } ?? zaak.status)")
    print("  inwoner:   \(zaak.inwoner)")
    print("  onderwerp: \(zaak.onderwerp) — \(zaak.omschrijving)")
    print("  geopend:   \(tijdTekst(Tijdstip(zaak.geopendOp)!)) via \(zaak.kanaal); \(zaak.contacten) contact\(zaak.contacten == 1 ? "" : "en")")
    print("  afdeling:  \(zaak.afdeling); afhandelen uiterlijk \(datumTekst(Datum(zaak.uiterlijkAfgehandeldOp)!))")
    if let gesloten = zaak.afgeslotenOp { print("  gesloten:  \(tijdTekst(Tijdstip(gesloten)!))") }
    if let hoofdzaak = zaak.hoofdzaak { print("  gekoppeld: aan \(hoofdzaak)") }
    print("  archief:   \(zaak.archiefnominatie.replacingOccurrences(of: "_", with: " "))"
        + (zaak.archiefactiedatum.flatMap(Datum.init).map { " op \(datumTekst($0))" } ?? "") + " (\(zaak.archiefstatus.replacingOccurrences(of: "_", with: " ")))")
    if !zaak.doorverwijzingen.isEmpty { print("Doorverwijzingen:") }
    for handoff in zaak.doorverwijzingen {
        let kind = handoff.terugbelverzoek ? "terugbelverzoek" : handoff.soort
        var line = "  \(handoff.doorverwijzing) \(handoff.afdeling) (\(kind)), uiterlijk \(datumTekst(Datum(handoff.uiterlijkOp)!)): "
        if let op = handoff.teruggekoppeldOp {
            line += "\(handoff.uitkomst ?? "?") op \(tijdTekst(Tijdstip(op)!))"
        } else {
            line += "open"
        }
        if handoff.teLaatWerkdagen > 0 { line += " — \(handoff.teLaatWerkdagen) werkdag\(handoff.teLaatWerkdagen == 1 ? "" : "en") te laat" }
        print(line)
    }
    print("Echt opgelost? \(zaak.oordeel.tekst)")
    for reden in zaak.oordeel.redenen { print("  - \(reden)") }
    printVolgendeStap(zaak.volgendeStap, zaak.volgendeActies)
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Voegt zaakgebeurtenissen (NDJSON) toe met dezelfde controles als de KCC-opdrachten, per batch atomair.",
        discussion: """
            Elke regel is één gebeurtenis zoals in schemas/events/ (met id, zaak, type, schemaversie, \
            versie, plaatsgevondenOp, actor en data); positie en vastgelegdOp van een export vult het \
            log zelf opnieuw (dat wordt gemeld). Een veld twee keer in één object, een breuk als \
            geheel getal en een BSN als inwoner worden geweigerd (65). Elke batch wordt in zijn geheel gecontroleerd en \
            vastgelegd, of helemaal niet. Na elke duurzaam vastgelegde batch volgt één bevestigingsregel \
            met de laatste positie: wat niet bevestigd is, staat niet in het log. Een gebeurtenis waarvan \
            de id al in het log staat, wordt overgeslagen, dus een afgebroken import kan gewoon opnieuw; \
            staat die id er met een andere inhoud, dan wordt dat gemeld. Dezelfde regel twee keer wordt \
            één keer vastgelegd (en gemeld); dezelfde id met een andere inhoud is ongeldige invoer (65).

            Voorbeelden:
              zaak import gebeurtenissen.ndjson
              cat export.ndjson | zaak import - --batch 500 --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "NDJSON-bestand; zonder bestand of met - wordt standaardinvoer gelezen.") var bestand: String?
    @Option(help: "Regels per batch (elke batch is atomair); 1 tot en met 10000.") var batch = 1000
    @Flag(help: "Bevestigingen als JSON Lines.") var json = false

    func validate() throws {
        guard (1...10_000).contains(batch) else { throw ValidationError("--batch moet tussen 1 en 10000 liggen") }
    }

    func run() throws {
        try reportingErrors(json: json) {
            let input = try openInput(bestand)
            let service = try ZaakService(dataDirectory: global.dataDirectory, catalogus: try laadCatalogus(global.dataDirectory))
            var reader = LineReader(fd: input, maxLineBytes: 1 << 20)
            var pending: [(regel: Int, gebeurtenis: ZaakGebeurtenis)] = []
            var batchNumber = 0
            var lineNumber = 0
            /// Zaken whose last line is a survey saying "niet opgelost": rule 5's reopening, if any,
            /// comes next for that zaak, so the batch does not end before it does (`importeer`).
            var surveysAwaitingReopening: Set<Zaaknummer> = []
            /// Lines that carried `positie` or `vastgelegdOp` (an export): the log fills those itself.
            var fromExport = 0
            func commit() throws {
                guard !pending.isEmpty else { return }
                batchNumber += 1
                let now = Tijdstip.nu()
                let results: [ZaakService.Ingevoerd]
                do { results = try service.importeer(pending, nu: now) } catch let error as ZaakFout {
                    throw ZaakFout(error.soort, "\(error.melding.zonderSlotpunt). Batch \(batchNumber) (regels \(pending[0].regel)–\(pending.last!.regel)) is niet geschreven"
                        + (batchNumber > 1 ? "; de bevestigde batches ervoor staan in het log." : "."), regels: error.regels, acties: error.acties)
                }
                for (line, result) in zip(pending, results) {
                    let event = line.gebeurtenis
                    if let first = result.dubbelVan {
                        Console.warning("regel \(line.regel) (\(event.id)) is dezelfde gebeurtenis als regel \(pending[first].regel); één keer vastgelegd, overgeslagen")
                    } else if result.afwijkend {
                        Console.warning("regel \(line.regel): id \(event.id) staat al in het log (positie \(result.positie)) met een andere inhoud; "
                            + "overgeslagen, het log houdt wat er staat. Geef deze gebeurtenis een eigen id als het een andere is")
                    }
                }
                let fresh = results.filter { !$0.alAanwezig }.count
                let last = results.map(\.positie).max() ?? 0
                try BatchAck(batch: batchNumber, regels: [pending[0].regel, pending.last!.regel], laatstePositie: last, nieuw: fresh,
                             alAanwezig: results.count - fresh, dubbel: results.count { $0.dubbelVan != nil },
                             afwijkend: results.count { $0.afwijkend }).print(json: json)
                pending.removeAll(keepingCapacity: true)
                surveysAwaitingReopening.removeAll()
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
                let event = pending.last!.gebeurtenis
                if event.positie != nil || event.vastgelegdOp != nil { fromExport += 1 }
                if case let .tevredenheidGemeten(survey) = event.gebeurtenis, !survey.opgelostVolgensInwoner {
                    surveysAwaitingReopening.insert(event.zaak)
                } else {
                    surveysAwaitingReopening.remove(event.zaak)
                }
                // A batch may grow past --batch to keep a survey and the zaak's next line together, up to twice its size.
                if pending.count >= batch, surveysAwaitingReopening.isEmpty || pending.count >= 2 * batch { try commit() }
            }
            try commit()
            if batchNumber == 0 { Console.warning("de invoer bevatte geen gebeurtenissen; er is niets vastgelegd") }
            if fromExport > 0 {
                Console.warning("\(fromExport) regel\(fromExport == 1 ? "" : "s") had\(fromExport == 1 ? "" : "den") positie of vastgelegdOp (uit een export): die vult het log zelf; de gebeurtenissen kregen de posities en tijden van dit log")
            }
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
            try reportingErrors(json: json) {
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
