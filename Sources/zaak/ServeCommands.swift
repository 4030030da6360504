import ArgumentParser
import Logging
import Dispatch
import Synchronization
import Domain
import Server
import Web
import Service
#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start de HTTP-API voor backofficesystemen: zaken, werkvoorraad, controle, KPI's, opdrachten en een live gebeurtenissenstroom.",
        discussion: """
            Dezelfde gegevens, beslisregels en leesmodellen als de opdrachtregel. Toegang met een \
            token per systeem (`zaak token maak`); elke inzage van persoonsgegevens komt in het \
            verwerkingenlog. Het contract staat in schemas/openapi.yaml, uitleg in docs/api.md.
            Op / staan de pagina's voor medewerkers van de backoffice (werkvoorraad, zaak, \
            terugkoppeling, afsluitcontrole, kerncijfers), met een account per medewerker \
            (`zaak gebruiker maak`); uitleg in docs/web.md.

            Voorbeeld:
              zaak token maak --rol afdeling:Stadsbeheer --omschrijving "Zaaksysteem Stadsbeheer"
              zaak serve --data /srv/zaakdata --poort 8080
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Adres om op te luisteren (standaard alleen deze machine).", valueName: "adres")) var host = "127.0.0.1"
    @Option(help: ArgumentHelp("Poort (0: kies een vrije en meld hem).", valueName: "n")) var poort = 8080
    @Option(name: .customLong("inactief-na"), help: ArgumentHelp("Sluit een verbinding die zoveel seconden niets stuurt (ook halverwege een verzoek).", valueName: "seconden"))
    var inactiefNa = 30
    @Option(help: ArgumentHelp("Een aanmelding op de webpagina's verloopt na zoveel seconden zonder verzoek (hooguit 12 uur na aanmelden).", valueName: "seconden"))
    var sessieduur = 3600

    func run() throws {
        try reportingErrors {
            guard (0...65_535).contains(poort) else { throw CLIFout(.ongeldig, "--poort moet tussen 0 en 65535 liggen") }
            guard (1...3_600).contains(inactiefNa) else { throw CLIFout(.ongeldig, "--inactief-na moet tussen 1 en 3600 seconden liggen") }
            guard (1...43_200).contains(sessieduur) else { throw CLIFout(.ongeldig, "--sessieduur moet tussen 1 en 43200 seconden (12 uur) liggen") }
        }
        if !["127.0.0.1", "::1", "localhost"].contains(host) {
            Console.warning("zaak serve spreekt geen TLS: tokens en persoonsgegevens gaan onversleuteld over \(host). Zet er een proxy met TLS voor en laat die alleen met deze machine praten (docs/api.md, TLS)")
        }
        let bron: Bron
        do { bron = try Bron(dataDirectory: global.dataDirectory) } catch {
            try reportingErrors { throw error }
            return
        }
        if (try? bron.tokens.lijst().isEmpty) ?? true, (try? Gebruikersbestand(dataDirectory: global.dataDirectory).lijst().isEmpty) ?? true {
            Console.warning("er zijn nog geen tokens of gebruikers; maak er een met `zaak token maak --rol kcc --omschrijving ...` of `zaak gebruiker maak --naam ... --rol ...`")
        }
        // One line per request and the cause of every 5xx on stderr (journald keeps it under systemd).
        let log = Logger(label: "zaaklog.serve", factory: { StreamLogHandler.standardError(label: $0) })
        let app = buildApplication(bron: bron, host: host, poort: poort, inactiefNa: .seconds(inactiefNa), toegangslog: log,
                                   paginas: Paginas.routes(sessieduur: .seconds(sessieduur))) { port in
            print("zaak serve luistert op http://\(host):\(port) (gegevens: \(global.dataDirectory)); de pagina's voor medewerkers staan op /")
            Console.flush()
        }
        // The root command is synchronous; the server runs on Swift's concurrency threads until a signal stops it.
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        Task {
            do { try await app.runService() } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        // A quiet log still gets its checkpoint within the maximum age (log-format §5): look every minute.
        let checkpoints = Task.detached {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
                do { try bron.log.checkpointUncoveredLines(onlyIfDue: true) } catch {
                    Console.warning("kan geen checkpoint schrijven: \(error)")
                }
            }
        }
        done.wait()
        checkpoints.cancel()
        if let error = failure.withLock({ $0 }) {
            Console.error("de server is gestopt: \(error)")
            throw ExitCode(ExitStatus.internalError)
        }
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Beheert de toegangstokens van de HTTP-API (rollen kcc, afdeling:<naam>, auditor, beheer).",
        subcommands: [Maak.self, Lijst.self, Intrek.self])

    struct Maak: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maak",
            abstract: "Maakt een token en toont het geheim één keer; bewaard wordt alleen de SHA-256.",
            discussion: "Voorbeeld:\n  zaak token maak --rol afdeling:Stadsbeheer --omschrijving \"Zaaksysteem Stadsbeheer\"")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("kcc, afdeling:<naam>, auditor of beheer.", valueName: "rol")) var rol: String
        @Option(help: ArgumentHelp("Voor welk systeem of wie het token is.", valueName: "tekst")) var omschrijving: String
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                let role = try bekendeRol(rol, dataDirectory: global.dataDirectory)
                let (token, geheim) = try Tokenbestand(dataDirectory: global.dataDirectory).maak(rol: role, omschrijving: omschrijving)
                if json { return try Console.json(["id": token.id, "rol": token.rol, "token": geheim]) }
                print("Token \(token.id) (\(token.rol)) voor \(token.omschrijving):")
                print("  \(geheim)")
                print("Bewaar het nu: het wordt niet nog eens getoond. Gebruik: Authorization: Bearer <token>")
            }
        }
    }

    struct Lijst: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lijst", abstract: "Toont de tokens (zonder geheimen).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                let tokens = try Tokenbestand(dataDirectory: global.dataDirectory).lijst()
                if json { return try Console.json(tokens) }
                print("\(tokens.count) token\(tokens.count == 1 ? "" : "s")")
                for token in tokens {
                    let state = token.ingetrokkenOp.map { "ingetrokken \($0)" } ?? "actief"
                    print("  \(token.id.padding(5)) \(token.rol.padding(28)) \(state.padding(36)) \(token.omschrijving)")
                }
            }
        }
    }

    struct Intrek: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "intrek", abstract: "Trekt een token in; de server weigert het bij het volgende verzoek.",
            discussion: "Voorbeeld:\n  zaak token intrek T3")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("De id van het token, bijv. T3 (zie `zaak token lijst`).", valueName: "id")) var id: String

        func run() throws {
            try reportingErrors {
                let token = try Tokenbestand(dataDirectory: global.dataDirectory).intrek(id)
                print("Token \(token.id) (\(token.rol)) is ingetrokken.")
            }
        }
    }
}

struct GebruikerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gebruiker",
        abstract: "Beheert de accounts van medewerkers voor de webpagina's van `zaak serve` (rollen als bij tokens).",
        subcommands: [Maak.self, Lijst.self, Intrek.self])

    struct Maak: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "maak",
            abstract: "Maakt een account; bewaard wordt alleen een bcrypt-hash van het wachtwoord.",
            discussion: """
                Zonder --wachtwoord-stdin wordt een wachtwoord gemaakt en één keer getoond. Met \
                --wachtwoord-stdin is de eerste regel van de invoer het wachtwoord (minstens \(Gebruikersbestand.minimaleLengte) tekens).

                Voorbeelden:
                  zaak gebruiker maak --naam j.devries --rol afdeling:Stadsbeheer
                  printf '%s\\n' "$WACHTWOORD" | zaak gebruiker maak --naam a.bakker --rol kcc --wachtwoord-stdin
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("De naam waarmee de medewerker zich aanmeldt en die bij wat hij vastlegt staat (bijv. j.devries).", valueName: "naam"))
        var naam: String
        @Option(help: ArgumentHelp("kcc, afdeling:<naam>, auditor of beheer.", valueName: "rol")) var rol: String
        @Flag(name: .customLong("wachtwoord-stdin"), help: "Lees het wachtwoord van de standaardinvoer.") var wachtwoordStdin = false
        @Flag(help: "Uitvoer als JSON.") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                let role = try bekendeRol(rol, dataDirectory: global.dataDirectory)
                let password: String
                if wachtwoordStdin {
                    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                        throw CLIFout(.ongeldig, "--wachtwoord-stdin: er kwam geen wachtwoord op de standaardinvoer")
                    }
                    password = line
                } else {
                    password = String(geheim().prefix(24))
                }
                let gebruiker = try Gebruikersbestand(dataDirectory: global.dataDirectory).maak(naam: naam, rol: role, wachtwoord: password)
                if json {
                    var out = ["id": gebruiker.id, "naam": gebruiker.naam, "rol": gebruiker.rol]
                    if !wachtwoordStdin { out["wachtwoord"] = password }
                    return try Console.json(out)
                }
                print("Gebruiker \(gebruiker.id) \(gebruiker.naam) (\(gebruiker.rol)) is gemaakt.")
                if !wachtwoordStdin {
                    print("Wachtwoord: \(password)")
                    print("Geef het veilig door: het wordt niet nog eens getoond.")
                }
            }
        }
    }

    struct Lijst: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "lijst", abstract: "Toont de accounts (zonder wachtwoorden).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Uitvoer als JSON.") var json = false

        struct Regel: Encodable {
            let id: String, naam: String, rol: String, aangemaaktOp: String, ingetrokkenOp: String?
        }

        func run() throws {
            try reportingErrors(json: json) {
                let gebruikers = try Gebruikersbestand(dataDirectory: global.dataDirectory).lijst()
                if json {
                    return try Console.json(gebruikers.map { Regel(id: $0.id, naam: $0.naam, rol: $0.rol, aangemaaktOp: $0.aangemaaktOp, ingetrokkenOp: $0.ingetrokkenOp) })
                }
                print("\(gebruikers.count) gebruiker\(gebruikers.count == 1 ? "" : "s")")
                for gebruiker in gebruikers {
                    let state = gebruiker.ingetrokkenOp.map { "ingetrokken \($0)" } ?? "actief"
                    print("  \(gebruiker.id.padding(5)) \(gebruiker.naam.padding(20)) \(gebruiker.rol.padding(28)) \(state)")
                }
            }
        }
    }

    struct Intrek: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "intrek", abstract: "Trekt een account in; een lopende sessie eindigt bij het volgende verzoek.",
            discussion: "Voorbeelden:\n  zaak gebruiker intrek j.devries\n  zaak gebruiker intrek G3")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("De naam of de id van de gebruiker (zie `zaak gebruiker lijst`).", valueName: "naam")) var naam: String

        func run() throws {
            try reportingErrors {
                let gebruiker = try Gebruikersbestand(dataDirectory: global.dataDirectory).intrek(naam)
                print("Gebruiker \(gebruiker.naam) (\(gebruiker.rol)) is ingetrokken.")
            }
        }
    }
}

/// A role as `--rol` gives it; an afdeling must be in the catalogue, since a misspelt one would
/// never match a handoff.
func bekendeRol(_ text: String, dataDirectory: String) throws -> Rol {
    let role = try Rol(text)
    if case let .afdeling(naam) = role {
        let known = try laadCatalogus(dataDirectory).afdelingen.map(\.naam)
        guard known.contains(naam) else {
            throw ZaakFout(.onbekend, "afdeling '\(naam)' staat niet in de catalogus; kies uit: \(known.sorted().joined(separator: ", "))")
        }
    }
    return role
}
