import ArgumentParser
import EventLog
#if canImport(Glibc)
import Glibc
#endif

@main
struct Zaak: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zaak",
        abstract: "zaaklog: het onveranderlijke gebeurtenissenlog van het KCC.",
        discussion: """
            Elke klantinteractie is een gebeurtenis in een append-only, LZ4-gecomprimeerd log met een \
            Merkle-boom. Gegevens staan in --data (standaard $ZAAK_DATA, anders ./zaakdata).

            Voorbeelden:
              zaak demo --data /tmp/demo
              zaak log status
              zaak log verifieer --json
            """,
        subcommands: [LogCommand.self, Demo.self]
    )

    static func main() {
        // Past a file-size limit, write(2) must fail with EFBIG (and be reported), not kill us.
        signal(SIGXFSZ, SIG_IGN)
        Self.main(nil)
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
