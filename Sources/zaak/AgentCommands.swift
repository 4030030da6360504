import ArgumentParser
import Domain
import Service

/// Options of the three contact commands: who, about what, and which zaak.
struct ContactOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Referentie van de inwoner uit het klantsysteem (geen BSN).", valueName: "ref"))
    var inwoner: String

    @Option(help: ArgumentHelp("Onderwerp uit de catalogus, bijv. afval.container-niet-geleegd (zie `zaak catalogus toon`).", valueName: "code"))
    var onderwerp: String

    @Option(help: ArgumentHelp("Korte omschrijving van het probleem voor een nieuwe zaak.", valueName: "tekst"))
    var omschrijving: String?

    @Option(help: ArgumentHelp("Voeg toe aan deze zaak in plaats van zelf te zoeken.", valueName: "zaaknummer"))
    var zaak: String?

    @Flag(help: "Open een nieuwe zaak, ook als de inwoner al een open zaak over dit onderwerp heeft.")
    var nieuweZaak = false

    @Option(help: ArgumentHelp("Verwachte versie van de zaak (met --zaak): wijkt die af, dan wordt niets vastgelegd.", valueName: "n"))
    var versie: Int?

    @Option(help: ArgumentHelp("Naam van de inwoner (persoonsgegeven; alleen als nodig).", valueName: "naam")) var naam: String?
    @Option(help: ArgumentHelp("Telefoonnummer van de inwoner (persoonsgegeven).", valueName: "nummer")) var telefoon: String?
    @Option(help: ArgumentHelp("E-mailadres van de inwoner (persoonsgegeven).", valueName: "adres")) var email: String?

    func contact(_ soort: Contact.Soort, afsluiten: Bool) throws -> Contact {
        if let reden = Inwoner.weigering(inwoner) { throw CLIFout(.ongeldig, "--inwoner '\(inwoner.citaat)' is ongeldig; \(reden)") }
        let personal = Persoonsgegevens(naam: naam, telefoon: telefoon, email: email)
        return Contact(soort: soort, inwoner: Inwoner(ref: inwoner, persoonsgegevens: personal.isLeeg ? nil : personal),
                       onderwerp: onderwerp.lowercased(), omschrijving: omschrijving, afsluiten: afsluiten)
    }

    func register(_ soort: Contact.Soort, afsluiten: Bool, agent: AgentOptions, kop: String) throws {
        try reportingErrors(json: agent.json) {
            if zaak != nil, nieuweZaak { throw CLIFout(.gebruik, "--zaak en --nieuwe-zaak gaan niet samen; kies één") }
            if versie != nil, zaak == nil { throw CLIFout(.gebruik, "--versie hoort bij --zaak") }
            let actor = try agent.medewerkerActor()
            let service = try agent.service()
            let uitkomst = try service.registreerContact(try contact(soort, afsluiten: afsluiten), zaak: try zaak.map(zaaknummer),
                                                         nieuweZaak: nieuweZaak, verwachteVersie: versie,
                                                         moment: try agent.moment(service.catalogus, actor: actor))
            try meldUitkomst(uitkomst, kop: kop, json: agent.json)
        }
    }
}

struct MeldingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "melding",
        abstract: "Registreert een melding over de openbare ruimte (meestal via het webformulier).",
        discussion: """
            Een melding via het webformulier gaat direct door naar de afdeling van het onderwerp. \
            Heeft de inwoner al een open zaak over hetzelfde onderwerp, dan komt de melding daarin.

            Voorbeeld:
              zaak melding --inwoner inw-4821 --onderwerp openbare-ruimte.stoeptegel \\
                --inhoud "Losse stoeptegel voor de bakker" --straat Kerkstraat --huisnummer 12 --medewerker web
            """)

    @OptionGroup var agent: AgentOptions
    @OptionGroup var contact: ContactOptions
    @Option(help: ArgumentHelp("Wat de inwoner meldt.", valueName: "tekst")) var inhoud: String
    @Option(help: ArgumentHelp("Kanaal (standaard webformulier).", valueName: "kanaal")) var kanaal = "webformulier"
    @Option(help: "Straat van de locatie.") var straat: String?
    @Option(help: "Huisnummer van de locatie.") var huisnummer: String?
    @Option(help: "Postcode van de locatie.") var postcode: String?
    @Option(help: "Woonplaats van de locatie.") var woonplaats: String?
    @Option(help: ArgumentHelp("Locatie in woorden, bijv. \"bij de speeltuin\".", valueName: "tekst")) var locatie: String?
    @Option(help: "Aantal meegestuurde foto's of bijlagen.") var bijlagen = 0

    func run() throws {
        try reportingErrors(json: agent.json) {
            let place = MeldingOntvangen.Locatie(straat: straat, huisnummer: huisnummer, postcode: postcode, woonplaats: woonplaats, omschrijving: locatie)
            let hasPlace = [straat, huisnummer, postcode, woonplaats, locatie].contains { $0 != nil }
            let melding = MeldingOntvangen(kanaal: try keuze(kanaal, "--kanaal"), inhoud: inhoud, locatie: hasPlace ? place : nil, bijlagen: bijlagen)
            try contact.register(.melding(melding), afsluiten: false, agent: agent, kop: "Melding vastgelegd")
        }
    }
}

struct GesprekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gesprek",
        abstract: "Registreert een telefoongesprek, baliegesprek of videogesprek met wachttijd en uitkomst.",
        discussion: """
            Uitkomst doorverbonden of warm-doorverbonden maakt een doorverwijzing naar de afdeling; \
            terugbelverzoek maakt een terugbelverzoek; met --afsluiten is de vraag direct opgelost.

            Voorbeelden:
              zaak gesprek --inwoner inw-4821 --onderwerp burgerzaken.id-bewijs --uitkomst direct-beantwoord \\
                --wachttijd 45 --duur 180 --afsluiten --medewerker kcc-112
              zaak gesprek --inwoner inw-77 --onderwerp werk-en-inkomen.uitkering --uitkomst warm-doorverbonden \\
                --duur 240 --samenvatting "Vraag over de betaaldatum" --medewerker kcc-112
            """)

    @OptionGroup var agent: AgentOptions
    @OptionGroup var contact: ContactOptions
    @Option(help: ArgumentHelp("direct-beantwoord, doorverbonden, warm-doorverbonden, terugbelverzoek, niet-opgelost of niet-bereikt.", valueName: "uitkomst"))
    var uitkomst: String
    @Option(help: ArgumentHelp("telefoon, balie of video (standaard telefoon).", valueName: "kanaal")) var kanaal = "telefoon"
    @Option(help: ArgumentHelp("inkomend of uitgaand (standaard inkomend).", valueName: "richting")) var richting = "inkomend"
    @Option(help: ArgumentHelp("Wachttijd in de wachtrij, in seconden.", valueName: "seconden")) var wachttijd: Int?
    @Option(help: ArgumentHelp("Duur van het gesprek, in seconden.", valueName: "seconden")) var duur = 0
    @Option(help: ArgumentHelp("Kort verslag van het gesprek.", valueName: "tekst")) var samenvatting: String?
    @Flag(help: "De vraag is in dit gesprek opgelost: sluit de zaak als opgelost.") var afsluiten = false

    func run() throws {
        try reportingErrors(json: agent.json) {
            let outcome: GesprekUitkomst = try keuze(uitkomst, "--uitkomst")
            if afsluiten, outcome != .directBeantwoord {
                throw CLIFout(.gebruik, "--afsluiten hoort bij --uitkomst direct-beantwoord")
            }
            let gesprek = GesprekGevoerd(kanaal: try keuze(kanaal, "--kanaal"), richting: try keuze(richting, "--richting"),
                                         wachttijdSeconden: wachttijd, duurSeconden: duur, uitkomst: outcome,
                                         indicatieContactGelukt: outcome != .nietBereikt, samenvatting: samenvatting)
            try contact.register(.gesprek(gesprek), afsluiten: afsluiten, agent: agent, kop: "Gesprek vastgelegd")
        }
    }
}

struct BerichtCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bericht",
        abstract: "Registreert een bericht van of aan de inwoner (WhatsApp, e-mail, sociale media, chat, post).",
        discussion: """
            Schrijft de inwoner op een ander kanaal over hetzelfde onderwerp terwijl de zaak nog \
            open is, dan komt het bericht in die zaak: één inwoner, één probleem, één zaak.

            Voorbeeld:
              zaak bericht --kanaal whatsapp --inwoner inw-4821 --onderwerp afval.container-niet-geleegd \\
                --inhoud "Mijn groene container is niet geleegd" --medewerker kcc-112
            """)

    @OptionGroup var agent: AgentOptions
    @OptionGroup var contact: ContactOptions
    @Option(help: ArgumentHelp("whatsapp, email, sociale-media, chat, post of webformulier.", valueName: "kanaal")) var kanaal: String
    @Option(help: ArgumentHelp("De tekst van het bericht.", valueName: "tekst")) var inhoud: String
    @Option(help: ArgumentHelp("inkomend of uitgaand (standaard inkomend).", valueName: "richting")) var richting = "inkomend"
    @Option(help: ArgumentHelp("Id van het bericht in het systeem van het kanaal.", valueName: "id")) var externId: String?
    @Flag(help: "Met dit bericht is de vraag opgelost: sluit de zaak als opgelost.") var afsluiten = false

    func run() throws {
        try reportingErrors(json: agent.json) {
            let channel: Kanaal = try keuze(kanaal, "--kanaal")
            let direction: Richting = try keuze(richting, "--richting")
            let soort: Contact.Soort = direction == .inkomend
                ? .berichtOntvangen(BerichtOntvangen(kanaal: channel, inhoud: inhoud, externeId: externId))
                : .berichtVerstuurd(BerichtVerstuurd(kanaal: channel, inhoud: inhoud, externeId: externId))
            try contact.register(soort, afsluiten: afsluiten, agent: agent, kop: "Bericht vastgelegd")
        }
    }
}

/// Options of the commands on one existing zaak.
struct ZaakArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("Het zaaknummer, bijv. Z-2026-000042 of kort 2026-42.", valueName: "zaaknummer"))
    var zaak: String

    @Option(help: ArgumentHelp("De versie van de zaak die u zag: is die intussen veranderd, dan wordt niets vastgelegd.", valueName: "n"))
    var versie: Int?
}

/// Runs one command on an existing zaak and reports it.
func voerUit(_ argument: ZaakArgument, _ agent: AgentOptions, actor: ((ZaakService) throws -> Actor)? = nil, kop: String,
             _ opdracht: () throws -> Opdracht) throws {
    try reportingErrors(json: agent.json) {
        let nummer = try zaaknummer(argument.zaak)
        let command = try opdracht()
        let service = try agent.service()
        let who = try actor?(service) ?? agent.medewerkerActor()
        let uitkomst = try service.voerUit(command, op: nummer, verwachteVersie: argument.versie, moment: try agent.moment(service.catalogus, actor: who))
        try meldUitkomst(uitkomst, kop: kop, json: agent.json)
    }
}

struct DoorverwijsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doorverwijs",
        abstract: "Verwijst een zaak door naar een afdeling (warm: aangekondigd en uitgelegd; koud: zonder overleg).",
        discussion: """
            De termijn is die van het onderwerp, in werkdagen (weekends en feestdagen tellen niet).

            Voorbeeld:
              zaak doorverwijs Z-2026-000042 --afdeling Stadsbeheer --soort warm \\
                --toelichting "Container staat sinds maandag vol" --medewerker kcc-112
            """)

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("De afdeling (standaard die van het onderwerp).", valueName: "afdeling")) var afdeling: String?
    @Option(help: ArgumentHelp("warm of koud.", valueName: "soort")) var soort: String
    @Option(help: ArgumentHelp("Wat de afdeling moet doen en waarom.", valueName: "tekst")) var toelichting: String
    @Option(help: ArgumentHelp("Gevraagde handeling (standaard afhandelen).", valueName: "tekst")) var handeling = "afhandelen"
    @Option(help: ArgumentHelp("Medewerker van de afdeling die het oppakt.", valueName: "id")) var toegewezenAan: String?

    func run() throws {
        try voerUit(argument, agent, kop: "Doorverwezen") {
            .doorverwijs(afdeling: afdeling, soort: try keuze(soort, "--soort"), gevraagdeHandeling: handeling,
                         toelichting: toelichting, toegewezenAanMedewerker: toegewezenAan)
        }
    }
}

struct TerugbelverzoekCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terugbelverzoek",
        abstract: "Maakt een terugbelverzoek: een afdeling (of het KCC) belt de inwoner binnen 2 werkdagen terug.",
        discussion: """
            Voorbeeld:
              zaak terugbelverzoek Z-2026-000042 --afdeling "Werk en Inkomen" \\
                --toelichting "Wil weten waarom de uitkering later komt" --telefoon "06 12345678" --medewerker kcc-112
            """)

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("Wie terugbelt (standaard de afdeling van het onderwerp).", valueName: "afdeling")) var afdeling: String?
    @Option(help: ArgumentHelp("Waarover de inwoner teruggebeld wil worden.", valueName: "tekst")) var toelichting: String
    @Option(help: ArgumentHelp("Terugbelnummer, als dat afwijkt (persoonsgegeven).", valueName: "nummer")) var telefoon: String?

    func run() throws {
        try voerUit(argument, agent, kop: "Terugbelverzoek gemaakt") {
            .vraagTerugbellen(afdeling: afdeling, toelichting: toelichting, telefoon: telefoon)
        }
    }
}

struct TerugkoppelingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terugkoppeling",
        abstract: "Legt de terugkoppeling van een afdeling op een doorverwijzing vast.",
        discussion: """
            Uitkomst: opgelost, niet-opgelost, afgewezen (niet voor deze afdeling) of doorgestuurd \
            (met --doorgestuurd-naar: die afdeling krijgt een nieuwe doorverwijzing). Na 'niet-opgelost' \
            mag later nog een terugkoppeling 'opgelost' volgen.

            Voorbeeld:
              zaak terugkoppeling Z-2026-000042 --doorverwijzing D1 --uitkomst opgelost \\
                --toelichting "Container vandaag alsnog geleegd"
            """)

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("De doorverwijzing, bijv. D1 (zie `zaak toon`).", valueName: "id")) var doorverwijzing: String
    @Option(help: ArgumentHelp("opgelost, niet-opgelost, afgewezen of doorgestuurd.", valueName: "uitkomst")) var uitkomst: String
    @Option(help: ArgumentHelp("Wat de afdeling deed of waarom niet.", valueName: "tekst")) var toelichting: String
    @Option(help: ArgumentHelp("Bij doorgestuurd: de afdeling die het overneemt.", valueName: "afdeling")) var doorgestuurdNaar: String?

    func run() throws {
        // The afdeling of the doorverwijzing is the actor: it gives the feedback, whoever types it.
        try voerUit(argument, agent, actor: afdelingActor, kop: "Terugkoppeling vastgelegd") {
            .registreerTerugkoppeling(doorverwijzing: doorverwijzing.uppercased(), uitkomst: try keuze(uitkomst, "--uitkomst"),
                                      toelichting: toelichting, doorgestuurdNaar: doorgestuurdNaar)
        }
    }

    /// The afdeling of the doorverwijzing. When the zaak or the doorverwijzing does not exist, the
    /// decider refuses the command with its own message, so no placeholder ever reaches the log.
    private func afdelingActor(_ service: ZaakService) throws -> Actor {
        let afdeling = try service.zaak(try zaaknummer(argument.zaak))?.overdracht(doorverwijzing)?.afdeling
        return Actor(soort: .afdeling, id: afdeling ?? "onbekend")
    }
}

struct InformeerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "informeer",
        abstract: "Legt vast dat de inwoner over de uitkomst is geïnformeerd.",
        discussion: """
            Voorbeeld:
              zaak informeer Z-2026-000042 --kanaal whatsapp --toelichting "Laten weten dat de container is geleegd" --medewerker kcc-112
            """)

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("Hoe de inwoner is geïnformeerd.", valueName: "kanaal")) var kanaal: String
    @Option(help: ArgumentHelp("Wat er is verteld.", valueName: "tekst")) var toelichting: String?

    func run() throws {
        try voerUit(argument, agent, kop: "Inwoner geïnformeerd") { .informeerInwoner(kanaal: try keuze(kanaal, "--kanaal"), toelichting: toelichting) }
    }
}

struct SluitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluit",
        abstract: "Sluit een zaak met een resultaat, als de afsluitregels het toelaten.",
        discussion: """
            Als opgelost sluiten kan pas als (1) elke doorverwijzing een terugkoppeling heeft, (2) de \
            inwoner daarna is geïnformeerd en (3) geen terugkoppeling 'niet opgelost' openstaat. Met \
            --afwijken "reden" kan het toch; de reden en de regels worden vastgelegd voor de auditor.

            Voorbeeld:
              zaak sluit Z-2026-000042 --resultaat opgelost --medewerker kcc-112
            """)

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("opgelost, niet-opgelost, ingetrokken of buiten-gemeente.", valueName: "resultaat")) var resultaat: String
    @Option(help: ArgumentHelp("Toelichting bij het resultaat.", valueName: "tekst")) var toelichting: String?
    @Option(help: ArgumentHelp("Sluit toch, tegen de afsluitregels in, om deze reden.", valueName: "reden")) var afwijken: String?

    func run() throws {
        try voerUit(argument, agent, kop: "Zaak gesloten") {
            .sluit(resultaat: try keuze(resultaat, "--resultaat"), toelichting: toelichting, afwijkingsreden: afwijken)
        }
    }
}

struct HeropenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heropen",
        abstract: "Heropent een gesloten zaak, met de reden.",
        discussion: "Voorbeeld:\n  zaak heropen Z-2026-000042 --reden \"Container opnieuw niet geleegd\" --medewerker kcc-112")

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("Waarom de zaak weer open moet.", valueName: "tekst")) var reden: String

    func run() throws {
        try voerUit(argument, agent, kop: "Zaak heropend") { .heropen(reden: reden) }
    }
}

struct TevredenheidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tevredenheid",
        abstract: "Legt een tevredenheidsmeting vast (zoals het KTO): een score en of het probleem volgens de inwoner is opgelost.",
        discussion: "Voorbeeld:\n  zaak tevredenheid Z-2026-000042 --score 8 --opgelost ja --kanaal email")

    @OptionGroup var argument: ZaakArgument
    @OptionGroup var agent: AgentOptions
    @Option(help: ArgumentHelp("Score van 1 tot en met 10.", valueName: "1-10")) var score: Int
    @Option(help: ArgumentHelp("Is het probleem volgens de inwoner opgelost: ja of nee.", valueName: "ja|nee")) var opgelost: String
    @Option(help: ArgumentHelp("Kanaal van de meting.", valueName: "kanaal")) var kanaal: String?
    @Option(help: ArgumentHelp("Wat de inwoner erbij zei.", valueName: "tekst")) var toelichting: String?

    func run() throws {
        // Without --medewerker the survey system records it.
        let actor = { (_: ZaakService) in
            agent.medewerker == nil && environment("ZAAK_MEDEWERKER") == nil ? Actor(soort: .systeem, id: "kto") : try agent.medewerkerActor()
        }
        try voerUit(argument, agent, actor: actor, kop: "Tevredenheid vastgelegd") {
            guard ["ja", "nee"].contains(opgelost.lowercased()) else { throw CLIFout(.ongeldig, "--opgelost '\(opgelost)': antwoord ja of nee") }
            return .meetTevredenheid(score: score, opgelostVolgensInwoner: opgelost.lowercased() == "ja",
                                     kanaal: try kanaal.map { try keuze($0, "--kanaal") }, toelichting: toelichting)
        }
    }
}

struct KoppelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "koppel",
        abstract: "Voegt een dubbele zaak van dezelfde inwoner samen met de hoofdzaak.",
        discussion: """
            Voor hetzelfde probleem dat toch twee zaken werd (bijv. via WhatsApp en Facebook). De \
            gekoppelde zaak gaat op in de hoofdzaak; beide krijgen een gebeurtenis, in één keer vastgelegd.

            Voorbeeld:
              zaak koppel Z-2026-000042 --met Z-2026-000057 --reden "Zelfde container, ook via Facebook gemeld" --medewerker kcc-112
            """)

    @OptionGroup var agent: AgentOptions
    @Argument(help: ArgumentHelp("De hoofdzaak.", valueName: "zaaknummer")) var zaak: String
    @Option(help: ArgumentHelp("De zaak die in de hoofdzaak opgaat.", valueName: "zaaknummer")) var met: String
    @Option(help: ArgumentHelp("Waarom het hetzelfde probleem is.", valueName: "tekst")) var reden: String

    func run() throws {
        try reportingErrors(json: agent.json) {
            let main = try zaaknummer(zaak), folded = try zaaknummer(met)
            let actor = try agent.medewerkerActor()
            let service = try agent.service()
            let results = try service.koppel(hoofdzaak: main, gekoppeldeZaak: folded, reden: reden, moment: try agent.moment(service.catalogus, actor: actor))
            try meldUitkomst(results[0], kop: "Zaken gekoppeld (\(folded) gaat op in \(main))", json: agent.json)
        }
    }
}
