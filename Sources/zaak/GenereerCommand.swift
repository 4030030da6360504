import ArgumentParser
import DemoLoad
import DemoTraffic
import Domain
import EventLog
import Projections
import Service
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct GenereerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genereer",
        abstract: "Genereert het KCC-verkeer van een gemeente (profiel) over een periode en legt het vast in het log.",
        discussion: """
            Elke gebeurtenis komt uit dezelfde beslisregels als de opdrachten van een medewerker: \
            telefoon, WhatsApp, webformulier, e-mail, balie, sociale media en post; doorverwijzingen \
            met terugkoppelingen (soms te laat, soms niet opgelost), terugbelverzoeken, inwoners die \
            het via een ander kanaal proberen, terugkomen na het afsluiten (de controle heropent) en \
            tevredenheidsmetingen. Zelfde profiel, seed en periode: byte voor byte hetzelfde log.

            Vastleggen gebeurt in duurzame batches per kwartier gesimuleerde tijd, met die tijd als \
            vastgelegdOp, in een lege --data-map (of een eerdere, afgebroken run van dezelfde opdracht: \
            wat er al staat, wordt overgeslagen). Daarna worden de leesmodellen bijgewerkt. Met \
            --ndjson komen de gebeurtenissen als NDJSON (het formaat van `zaak import`) in een bestand \
            of op standaarduitvoer (-), en wordt niets vastgelegd.

            Voorbeelden:
              zaak genereer --profielen
              zaak genereer --profiel assen --van 2026-10-05 --dagen 28 --data /tmp/assen
              zaak genereer --profiel utrecht --van 2025-01-01 --dagen 365 --seed 1 --ndjson utrecht.ndjson
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Het profiel: \(Verkeersprofiel.alle.map(\.naam).joined(separator: ", ")) (zie --profielen).", valueName: "naam"))
    var profiel: String?
    @Option(help: ArgumentHelp("Eerste dag (JJJJ-MM-DD); standaard de maandag vier weken voor deze week.", valueName: "datum"))
    var van: String?
    @Option(help: "Aantal dagen.") var dagen = 28
    @Option(help: "Startwaarde van de toevalsgenerator (zelfde waarde, zelfde verkeer).") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Schrijf NDJSON naar dit bestand (- is standaarduitvoer) in plaats van vast te leggen.", valueName: "pad"))
    var ndjson: String?
    @Flag(help: "Toon de profielen met hun kerncijfers en bronnen.") var profielen = false

    func validate() throws {
        if profielen { return }
        guard let profiel else { throw ValidationError("de optie --profiel ontbreekt (of gebruik --profielen)") }
        guard Verkeersprofiel.named(profiel) != nil else {
            throw ValidationError("profiel '\(profiel)' bestaat niet; kies uit: \(Verkeersprofiel.alle.map(\.naam).joined(separator: ", "))")
        }
        guard (1...3660).contains(dagen) else { throw ValidationError("--dagen moet tussen 1 en 3660 liggen") }
    }

    func run() throws {
        try reportingErrors {
            if profielen { return toonProfielen() }
            let profiel = Verkeersprofiel.named(self.profiel!)!
            let first = try van.map { try parseDatum($0, optie: "--van") } ?? standaardBegin()
            let last = first.plus(dagen: dagen - 1)
            let catalogus = try laadCatalogus(global.dataDirectory)
            let missing = Verkeersgenerator.ontbrekendeOnderwerpen(in: catalogus)
            guard missing.isEmpty else {
                throw ZaakFout(.onbekend, "de catalogus van \(global.dataDirectory) mist onderwerpen die het profiel gebruikt: \(missing.joined(separator: ", ")); genereer in een map met de standaardcatalogus")
            }
            let today = Kalender.lokaleDatum(Tijdstip.nu())
            var generator = Verkeersgenerator(profiel: profiel, seed: seed, van: first, dagen: dagen, catalogus: catalogus)
            let period = "\(datumTekst(first)) t/m \(datumTekst(last))"
            if let ndjson {
                if last >= today {
                    Console.warning("de periode loopt tot \(last), vandaag is het \(today): `zaak import` weigert gebeurtenissen in de toekomst")
                }
                try schrijfNDJSON(&generator, naar: ndjson, period: period)
            } else {
                guard last < today else {
                    throw CLIFout(.gebruik, "de periode loopt tot \(last) en vandaag is het \(today): gebeurtenissen in de toekomst worden niet vastgelegd. Kies een eerdere --van of minder --dagen (of schrijf NDJSON met --ndjson)")
                }
                try vastleggen(&generator, period: period)
            }
        }
    }

    /// The Monday four weeks before this week's: the last four whole weeks.
    private func standaardBegin() -> Datum {
        let today = Kalender.lokaleDatum(Tijdstip.nu())
        return today.plus(dagen: -(today.weekdag - 1) - 28)
    }

    private func toonProfielen() {
        for profiel in Verkeersprofiel.alle {
            let mix = profiel.uitkomsten
            let total = mix.direct + mix.doorverbonden + mix.warmDoorverbonden + mix.terugbelverzoek + mix.overig
            let shares = profiel.kanalen.reduce(0) { $0 + $1.1 }
            func percent(_ value: Double, of whole: Double) -> String { (value * 100 / whole).dutchDecimal(places: 0) + "%" }
            print("\(profiel.naam): \(profiel.omschrijving)")
            print("  gesprekken per werkdag: \(Int(profiel.gesprekkenPerWerkdag.rounded())); eerste gesprek: direct \(percent(mix.direct, of: total)), doorverbonden \(percent(mix.doorverbonden + mix.warmDoorverbonden, of: total)), terugbelverzoek \(percent(mix.terugbelverzoek, of: total))")
            print("  kanalen: " + profiel.kanalen.map { "\($0.0.rawValue) \(percent($0.1, of: shares))" }.joined(separator: ", "))
            print("  bron: \(profiel.bron)")
        }
        print("Herkomst en aannames: docs/generator.md")
    }

    /// Events as `zaak import` reads them, to a file or standard output; progress goes to stderr.
    private func schrijfNDJSON(_ generator: inout Verkeersgenerator, naar path: String, period: String) throws {
        let toStdout = path == "-"
        let fd = toStdout ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CLIFout(.ongeldig, "kan \(path) niet schrijven: \(String(cString: strerror(errno)))") }
        defer { if !toStdout { close(fd) } }
        let progress = Voortgang(naar: STDERR_FILENO, last: generator.van.plus(dagen: generator.dagen - 1))
        progress.line("▸ Genereren: profiel \(generator.profiel.naam), \(period), seed \(seed) → \(toStdout ? "standaarduitvoer" : path)")
        let events = try DemoLoad.ndjson(&generator, write: { chunk in
            guard Console.write(chunk, to: fd) else { throw LogError(.io, "schrijven naar \(path) mislukt: \(String(cString: strerror(errno)))") }
        }, day: progress.day)
        progress.line("Klaar: \(events) gebeurtenissen van \(generator.geopend) zaken in \(progress.elapsed) (\(progress.rate(events)) gebeurtenissen/s)")
    }

    private func vastleggen(_ generator: inout Verkeersgenerator, period: String) throws {
        let load = try DemoLoad(dataDirectory: global.dataDirectory)
        let progress = Voortgang(naar: STDOUT_FILENO, last: generator.van.plus(dagen: generator.dagen - 1))
        progress.line("▸ Genereren en vastleggen: profiel \(generator.profiel.naam), \(period), seed \(seed), in \(global.logDirectory)")
        let appended: DemoLoad.Appended
        do { appended = try load.append(&generator, day: progress.day) } catch let error as DemoLoad.ForeignLog {
            throw ZaakFout(.regel, "het log in \(global.logDirectory) bevat al gebeurtenissen die niet van deze opdracht komen (de eerste is \(error.firstID)); er is niets vastgelegd. Genereer in een lege map, bijv. --data /tmp/zaak-\(generator.profiel.naam)")
        }
        let events = appended.events
        progress.line("  \(events) gebeurtenissen van \(generator.geopend) zaken in \(appended.batches) duurzame batches: \(appended.fresh) nieuw, \(events - appended.fresh) stonden er al (\(progress.elapsed), \(progress.rate(events)) gebeurtenissen/s)")

        progress.line("▸ Leesmodellen bijwerken…")
        let start = ContinuousClock.now
        let result = try load.updateReadModels(of: global.dataDirectory)
        progress.line("  \(result.toegepast) gebeurtenissen toegepast in \((ContinuousClock.now - start).secondsText); klaar. Bekijk: zaak kpi --van \(generator.van) --tot \(generator.van.plus(dagen: generator.dagen - 1)) --data \(global.dataDirectory)")
    }
}

/// Progress lines for a long generation: one per simulated week (and the last day), with the rate.
private struct Voortgang {
    let fd: Int32
    let last: Datum
    let start = ContinuousClock.now

    init(naar fd: Int32, last: Datum) {
        self.fd = fd
        self.last = last
    }

    func line(_ text: String) {
        if fd == STDOUT_FILENO { print(text); Console.flush() } else { Console.write(text + "\n", to: fd) }
    }

    func day(_ day: Datum, events: Int, zaken: Int) {
        guard day.weekdag == 7 || day == last else { return }
        line("  t/m \(datumTekst(day)): \(events) gebeurtenissen, \(zaken) zaken (\(rate(events))/s)")
    }

    var elapsed: String { (ContinuousClock.now - start).secondsText }

    func rate(_ events: Int) -> String {
        let duration = ContinuousClock.now - start
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds > 0 ? Int(Double(events) / seconds).description : "–"
    }
}
