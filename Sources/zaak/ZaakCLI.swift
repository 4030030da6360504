import ArgumentParser
import CivilTime
import EventLog
#if canImport(Glibc)
import Glibc
#endif

@main
struct ZaakCLI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zaak",
        abstract: "zaaklog: zaken van het KCC, vastgelegd in een onveranderlijk gebeurtenissenlog.",
        discussion: """
            Elk klantcontact, elke doorverwijzing en elke terugkoppeling is een gebeurtenis in een \
            append-only, LZ4-gecomprimeerd log met een Merkle-boom. Gegevens staan in --data \
            (standaard $ZAAK_DATA, anders ./zaakdata). Wie iets vastlegt: --medewerker of $ZAAK_MEDEWERKER. \
            De klok: $ZAAK_NU (bijv. 2026-11-20T09:00:00+01:00) zet 'nu' vast, anders de echte tijd.

            Een zaak van begin tot eind (2026-1 is kort voor Z-2026-000001):
              export ZAAK_MEDEWERKER=kcc-112
              zaak bericht --kanaal whatsapp --inwoner inw-4821 \\
                --onderwerp afval.container-niet-geleegd --inhoud "Niet geleegd"
              zaak doorverwijs 2026-1 --soort warm --toelichting "Staat vol"
              zaak terugkoppeling 2026-1 --doorverwijzing D1 \\
                --uitkomst opgelost --toelichting "Alsnog geleegd"
              zaak informeer 2026-1 --kanaal whatsapp
              zaak sluit 2026-1 --resultaat opgelost
              zaak toon 2026-1

            Elke opdracht heeft --help met een voorbeeld. Exitcodes: docs/exit-codes.md.
            """,
        subcommands: [
            BerichtCommand.self, GesprekCommand.self, MeldingCommand.self, DoorverwijsCommand.self, TerugbelverzoekCommand.self,
            TerugkoppelingCommand.self, InformeerCommand.self, KoppelCommand.self, SluitCommand.self, HeropenCommand.self,
            TevredenheidCommand.self, ToonCommand.self, WerkvoorraadCommand.self, ZoekCommand.self, ControleCommand.self, KPICommand.self,
            GeschiedenisCommand.self, ImportCommand.self, GenereerCommand.self, CatalogusCommand.self, ProjectiesCommand.self, Audit.self, LogCommand.self,
            KnelpuntenCommand.self, ExportCommand.self, ServeCommand.self, TokenCommand.self, GebruikerCommand.self, AVGCommand.self, ArchiefCommand.self,
        ]
    )

    static func main() {
        // Past a file-size limit, write(2) must fail with EFBIG (and be reported), not kill us.
        signal(SIGXFSZ, SIG_IGN)
        // A malformed ZAAK_NU is refused before anything is read or written.
        if case .failure(let error) = Clock.setting {
            Console.error(error.description)
            Glibc.exit(ExitStatus.usage)
        }
        // Swift would repair invalid UTF-8 in an argument to U+FFFD, and an inwoner's text would be
        // stored other than typed: refused before anything is read or written.
        for index in 1..<Int(CommandLine.argc) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = UnsafeRawBufferPointer(start: argument, count: strlen(argument))
            if String(validating: bytes, as: UTF8.self) == nil {
                let option = index > 1 ? CommandLine.arguments[index - 1] : ""
                let which = option.hasPrefix("--") ? "de waarde van \(option)" : "argument \(index)"
                Console.error("\(which) is geen geldige UTF-8 (de terminal of het script gebruikt een andere tekenset, "
                    + "bijv. Latin-1); er is niets vastgelegd. Zet LANG=nl_NL.UTF-8 of zet de tekst om met iconv")
                Glibc.exit(ExitStatus.invalidInput)
            }
        }
        do {
            var command = try parseAsRoot(nil)
            try command.run()
        } catch {
            // Our own errors were printed already; only the parser's need translating.
            if error is ExitCode || exitCode(for: error) == .success { exit(withError: error) }
            guard exitCode(for: error) == .validationFailure else {
                // Anything else is a bug: said in Dutch with its exit code, never the parser's English "Error:".
                Console.error("interne fout (\(error)); meld dit met de opdracht en haar uitvoer")
                Glibc.exit(ExitStatus.internalError)
            }
            // Parse errors in Dutch, with where to find help; as a JSON object when --json was asked for.
            let melding = ArgumentErrors.dutch(message(for: error))
            if CommandLine.arguments.contains("--json") {
                report(FoutJSON(soort: "gebruik", code: ExitStatus.usage, melding: melding), json: true, stap: nil)
            } else {
                Console.usageError(melding)
            }
            Glibc.exit(ExitStatus.usage)
        }
    }

    /// The subcommand words typed before the first option, for the help hint.
    static func helpPath() -> String {
        var words: [String] = []
        var level: [ParsableCommand.Type] = configuration.subcommands
        for argument in CommandLine.arguments.dropFirst() {
            guard let match = level.first(where: { $0._commandName == argument }) else { break }
            words.append(argument)
            level = match.configuration.subcommands
        }
        return words.map { $0 + " " }.joined()
    }
}

/// swift-argument-parser's messages are English; agents get Dutch ones.
enum ArgumentErrors {
    static func dutch(_ message: String) -> String {
        var text = message
        if text.hasPrefix("Error: ") { text.removeFirst(7) }
        let rules: [(prefix: String, dutch: (String) -> String)] = [
            ("Missing expected argument '--", { "de optie --\(name($0)) ontbreekt" }),
            ("Missing expected argument '", { "het argument \(name($0)) ontbreekt" }),
            ("Missing value for '", { "de optie \(name($0)) mist een waarde" }),
            ("Unknown option '", { "onbekende optie '\(name($0))'" }),
            ("Unexpected argument '", { "onverwacht argument '\(name($0))'" }),
            ("Unexpected arguments '", { "onverwachte argumenten '\(name($0))'" }),
        ]
        for rule in rules where text.hasPrefix(rule.prefix) {
            return rule.dutch(String(text.dropFirst(rule.prefix.count)))
        }
        if text.hasPrefix("The value '"), let end = text.dropFirst(11).firstIndex(of: "'") {
            let value = text[text.index(text.startIndex, offsetBy: 11)..<end]
            let option = text[end...].split(separator: "'").dropFirst().first.map { String($0).split(separator: " ").first.map(String.init) ?? "" } ?? ""
            return "de waarde '\(value)' is ongeldig voor \(option)"
        }
        return text
    }

    /// The option or argument name at the start of `rest` ("inwoner <inwoner>'" → "inwoner").
    private static func name(_ rest: String) -> String {
        String(rest.prefix { $0 != "'" && $0 != " " })
    }
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Map met de gegevens (standaard $ZAAK_DATA, anders ./zaakdata).", valueName: "map"))
    var data: String?

    var dataDirectory: String {
        if let data { return data }
        if let fromEnvironment = getenv("ZAAK_DATA"), fromEnvironment.pointee != 0 { return String(cString: fromEnvironment) }
        return "./zaakdata"
    }

    var logDirectory: String { dataDirectory + "/log" }
}
