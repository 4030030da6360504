import ArgumentParser
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

    /// Events as `zaak import` reads them: the log line without the log's own fields.
    private func schrijfNDJSON(_ generator: inout Verkeersgenerator, naar path: String, period: String) throws {
        let toStdout = path == "-"
        let fd = toStdout ? STDOUT_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CLIFout(.ongeldig, "kan \(path) niet schrijven: \(String(cString: strerror(errno)))") }
        defer { if !toStdout { close(fd) } }
        let progress = Voortgang(naar: STDERR_FILENO)
        progress.line("▸ Genereren: profiel \(generator.profiel.naam), \(period), seed \(seed) → \(toStdout ? "standaarduitvoer" : path)")
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var events = 0
        while let day = try generator.volgendeDag({ event in
            buffer += Array(#"{"id":"#.utf8) + jsonString(event.id) + Array(#","zaak":"#.utf8) + jsonString(event.zaak.description) + [UInt8(ascii: ",")]
            buffer += event.logBody().dropFirst()
            buffer.append(0x0A)
            events += 1
            if buffer.count >= 1 << 20 {
                guard Console.write(buffer, to: fd) else { throw LogError(.io, "schrijven naar \(path) mislukt: \(String(cString: strerror(errno)))") }
                buffer.removeAll(keepingCapacity: true)
            }
        }) {
            progress.day(day, last: generator.van.plus(dagen: generator.dagen - 1), events: events, zaken: generator.geopend)
        }
        guard Console.write(buffer, to: fd) else { throw LogError(.io, "schrijven naar \(path) mislukt: \(String(cString: strerror(errno)))") }
        progress.line("Klaar: \(events) gebeurtenissen van \(generator.geopend) zaken in \(progress.elapsed) (\(progress.rate(events)) gebeurtenissen/s)")
    }

    private func vastleggen(_ generator: inout Verkeersgenerator, period: String) throws {
        let clock = SimulatedClock()
        var configuration = LogConfiguration()
        // The log records each batch at the simulated moment it was handed in, so a run is reproducible byte for byte.
        configuration.clock = { clock.milliseconds }
        let log = try EventLog(directory: global.logDirectory, configuration: configuration)
        for repair in log.repairs { Console.warning(repair.description) }
        let naam = generator.profiel.naam
        var existingFirst: LogEntry?
        if try log.lastPosition() > 0 { try log.read(from: 1) { existingFirst = $0; return false } }

        let progress = Voortgang(naar: STDOUT_FILENO)
        progress.line("▸ Genereren en vastleggen: profiel \(generator.profiel.naam), \(period), seed \(seed), in \(global.logDirectory)")
        var pending: [LogRecord] = []
        var bucket: Int64 = 0, lastAt: Int64 = 0
        var events = 0, fresh = 0, batches = 0
        func commit() throws {
            guard !pending.isEmpty else { return }
            // Only a run of the same traffic may continue a log: its first event must be ours, byte for byte.
            if let existingFirst, batches == 0, existingFirst.id != pending[0].id || !existingFirst.line.reversed().starts(with: pending[0].body.dropFirst().reversed()) {
                throw ZaakFout(.regel, "het log in \(global.logDirectory) bevat al gebeurtenissen die niet van deze opdracht komen (de eerste is \(existingFirst.id)); er is niets vastgelegd. Genereer in een lege map, bijv. --data /tmp/zaak-\(naam)")
            }
            clock.milliseconds = lastAt
            fresh += try log.append(pending).count { !$0.alreadyPresent }
            batches += 1
            pending.removeAll(keepingCapacity: true)
        }
        // Batches as the KCC's systems hand them in: everything of a quarter of an hour (at most 2000).
        while let day = try generator.volgendeDag({ event in
            let at = event.plaatsgevondenOp.milliseconden
            if at / 900_000 != bucket || pending.count >= 2000 {
                try commit()
                bucket = at / 900_000
            }
            lastAt = at
            pending.append(LogRecord(id: event.id, zaak: event.zaak.description, body: event.logBody()))
            events += 1
        }) {
            progress.day(day, last: generator.van.plus(dagen: generator.dagen - 1), events: events, zaken: generator.geopend)
        }
        try commit()
        progress.line("  \(events) gebeurtenissen van \(generator.geopend) zaken in \(batches) duurzame batches: \(fresh) nieuw, \(events - fresh) stonden er al (\(progress.elapsed), \(progress.rate(events)) gebeurtenissen/s)")

        progress.line("▸ Leesmodellen bijwerken…")
        let start = ContinuousClock.now
        let result = try Projector(dataDirectory: global.dataDirectory).bijwerken(uit: log.reader)
        progress.line("  \(result.toegepast) gebeurtenissen toegepast in \((ContinuousClock.now - start).secondsText); klaar. Bekijk: zaak kpi --van \(generator.van) --tot \(generator.van.plus(dagen: generator.dagen - 1)) --data \(global.dataDirectory)")
    }

    private func jsonString(_ text: String) -> [UInt8] {
        // Ids and zaaknummers are plain ASCII without quotes or backslashes (ZaakGebeurtenis.isGeldigeId).
        Array("\"\(text)\"".utf8)
    }
}

/// The log's clock during generation: the simulated time of the batch being appended.
private final class SimulatedClock: @unchecked Sendable {
    var milliseconds: Int64 = 0
}

/// Progress lines for a long generation: one per simulated week (and the last day), with the rate.
private struct Voortgang {
    let fd: Int32
    let start = ContinuousClock.now

    init(naar fd: Int32) { self.fd = fd }

    func line(_ text: String) {
        if fd == STDOUT_FILENO { print(text); Console.flush() } else { Console.write(text + "\n", to: fd) }
    }

    func day(_ day: Datum, last: Datum, events: Int, zaken: Int) {
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
