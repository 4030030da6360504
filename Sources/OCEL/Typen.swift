import Domain

/// The OCEL 2.0 attribute types (ocel-standard.org): the JSON form names them, the SQLite form
/// stores them as the column types below.
public enum OCELAttribuutsoort: String, Sendable {
    case string, integer, float, boolean, time

    var sqliteType: String {
        switch self {
        case .string: "TEXT"
        case .integer: "INTEGER"
        case .float: "REAL"
        case .boolean: "BOOLEAN"
        case .time: "TIMESTAMP"
        }
    }
}

public enum OCELWaarde: Sendable, Equatable {
    case tekst(String), geheel(Int64), waarheid(Bool), tijd(Tijdstip)
}

/// An event or object type with its attributes, in the order the SQLite form's columns follow.
public struct OCELType: Sendable {
    public let naam: String
    public let attributen: [(naam: String, soort: OCELAttribuutsoort)]

    /// The name's letters and digits, each part capitalised: the suffix of its SQLite table
    /// (`GesprekGevoerd:doorverbonden` → `event_GesprekGevoerdDoorverbonden`).
    var tabelnaam: String {
        naam.split(whereSeparator: { !($0.isLetter || $0.isNumber) || !$0.isASCII })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// The object and event types of a zaaklog export (docs/process-mining.md). Event types are the
/// log's gebeurtenis types; for the ones whose outcome is what an analyst follows (a call, a
/// terugkoppeling, a closing, a reopening) the outcome is part of the name.
///
/// Only `status` changes over time (of a zaak: open, gesloten, gekoppeld; of a doorverwijzing:
/// te_verwerken, verwerkt); outcomes are in the event types, so an attribute never starts empty
/// (which OCEL's JSON and SQLite forms would read differently).
public enum OCELTypen {
    public static let objecten: [OCELType] = [
        OCELType(naam: "zaak", attributen: [("onderwerp", .string), ("afdeling", .string), ("kanaal", .string),
                                            ("archiefnominatie", .string), ("status", .string)]),
        OCELType(naam: "klantcontact", attributen: [("soort", .string), ("kanaal", .string), ("richting", .string), ("uitkomst", .string)]),
        OCELType(naam: "doorverwijzing", attributen: [("soort", .string), ("afdeling", .string), ("status", .string)]),
        OCELType(naam: "afdeling", attributen: []),
        OCELType(naam: "kanaal", attributen: []),
        OCELType(naam: "onderwerp", attributen: []),
        OCELType(naam: "medewerker", attributen: []),
        OCELType(naam: "inwoner", attributen: []),
    ]

    static let gemeenschappelijk: [(naam: String, soort: OCELAttribuutsoort)] = [("positie", .integer), ("versie", .integer)]

    public static let gebeurtenissen: [OCELType] = Gebeurtenis.Soort.allCases.flatMap { soort -> [OCELType] in
        let eigen = attributen(soort)
        return varianten(soort).map { OCELType(naam: $0, attributen: gemeenschappelijk + eigen) }
    }

    /// The event type names of `soort`: its name, or one per outcome.
    static func varianten(_ soort: Gebeurtenis.Soort) -> [String] {
        let naam = soort.rawValue
        switch soort {
        case .gesprekGevoerd: return GesprekUitkomst.allCases.map { naam + ":" + $0.rawValue }
        case .terugkoppelingOntvangen: return TerugkoppelingUitkomst.allCases.map { naam + ":" + $0.rawValue }
        case .zaakAfgesloten: return Resultaat.allCases.map { naam + ":" + $0.rawValue }
        case .zaakHeropend: return Heropenaanleiding.allCases.map { naam + ":" + $0.rawValue }
        case .zaakGeopend, .meldingOntvangen, .berichtOntvangen, .berichtVerstuurd, .doorverwezen, .terugbelverzoekAangemaakt,
             .inwonerGeinformeerd, .zakenGekoppeld, .tevredenheidGemeten, .gegevensGewist: return [naam]
        }
    }

    /// The attributes an event of `soort` carries: structure and timings, never free text or
    /// persoonsgegevens.
    static func attributen(_ soort: Gebeurtenis.Soort) -> [(naam: String, soort: OCELAttribuutsoort)] {
        switch soort {
        case .zaakGeopend:
            [("kanaal", .string), ("onderwerp", .string), ("afdeling", .string), ("afhandeltermijnWerkdagen", .integer),
             ("uiterlijkAfgehandeldOp", .string), ("archiefnominatie", .string)]
        case .meldingOntvangen: [("kanaal", .string), ("bijlagen", .integer)]
        case .gesprekGevoerd:
            [("kanaal", .string), ("richting", .string), ("wachttijdSeconden", .integer), ("duurSeconden", .integer), ("indicatieContactGelukt", .boolean)]
        case .berichtOntvangen, .berichtVerstuurd, .inwonerGeinformeerd: [("kanaal", .string)]
        case .doorverwezen: [("afdeling", .string), ("soort", .string), ("uiterlijkOp", .string)]
        case .terugbelverzoekAangemaakt: [("afdeling", .string), ("uiterlijkOp", .string)]
        case .terugkoppelingOntvangen: [("afdeling", .string), ("doorgestuurdNaar", .string)]
        case .zakenGekoppeld: [("hoofdzaak", .string), ("gekoppeldeZaak", .string)]
        case .zaakAfgesloten: [("direct", .boolean), ("afwijking", .boolean), ("archiefactiedatum", .string)]
        case .zaakHeropend: []
        case .tevredenheidGemeten: [("score", .integer), ("opgelostVolgensInwoner", .boolean), ("kanaal", .string)]
        case .gegevensGewist: [("grondslag", .string)]
        }
    }
}
