/// The event catalogue (BRIEF §3, refined). Each type's `data` is one of these structs; its JSON
/// Schema is `schemas/events/<Type>.v<schemaversie>.schema.json`. Field names follow the VNG
/// standards where they fit (`kanaal`, `onderwerp`, `inhoud`, `toelichting`, `gevraagdeHandeling`,
/// `indicatieContactGelukt`, `resultaat`, `archiefnominatie`, `archiefactiedatum`).
public enum Gebeurtenis: Sendable, Equatable {
    case zaakGeopend(ZaakGeopend)
    case meldingOntvangen(MeldingOntvangen)
    case gesprekGevoerd(GesprekGevoerd)
    case berichtOntvangen(BerichtOntvangen)
    case berichtVerstuurd(BerichtVerstuurd)
    case doorverwezen(Doorverwezen)
    case terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt)
    case terugkoppelingOntvangen(TerugkoppelingOntvangen)
    case inwonerGeinformeerd(InwonerGeinformeerd)
    case zakenGekoppeld(ZakenGekoppeld)
    case zaakAfgesloten(ZaakAfgesloten)
    case zaakHeropend(ZaakHeropend)
    case tevredenheidGemeten(TevredenheidGemeten)
    case gegevensGewist(GegevensGewist)

    /// The one list of event types. The raw value is the type's name in the log, spelled nowhere
    /// else; encoding, both decoding modes and the schema file follow from it, each through a
    /// switch without `default`, so a type added here is a compile error until every one handles it.
    public enum Soort: String, CaseIterable, Sendable {
        case zaakGeopend = "ZaakGeopend"
        case meldingOntvangen = "MeldingOntvangen"
        case gesprekGevoerd = "GesprekGevoerd"
        case berichtOntvangen = "BerichtOntvangen"
        case berichtVerstuurd = "BerichtVerstuurd"
        case doorverwezen = "Doorverwezen"
        case terugbelverzoekAangemaakt = "TerugbelverzoekAangemaakt"
        case terugkoppelingOntvangen = "TerugkoppelingOntvangen"
        case inwonerGeinformeerd = "InwonerGeinformeerd"
        case zakenGekoppeld = "ZakenGekoppeld"
        case zaakAfgesloten = "ZaakAfgesloten"
        case zaakHeropend = "ZaakHeropend"
        case tevredenheidGemeten = "TevredenheidGemeten"
        case gegevensGewist = "GegevensGewist"

        /// The version of the type's `data` schema that this code writes and reads.
        public var schemaversie: Int {
            switch self {
            case .zaakGeopend, .meldingOntvangen, .gesprekGevoerd, .berichtOntvangen, .berichtVerstuurd, .doorverwezen,
                 .terugbelverzoekAangemaakt, .terugkoppelingOntvangen, .inwonerGeinformeerd, .zakenGekoppeld, .zaakAfgesloten,
                 .zaakHeropend, .tevredenheidGemeten, .gegevensGewist: 1
            }
        }

        /// The type's JSON Schema in `schemas/events/`.
        public var schemabestand: String { "\(rawValue).v\(schemaversie).schema.json" }
    }

    public var soort: Soort {
        switch self {
        case .zaakGeopend: .zaakGeopend
        case .meldingOntvangen: .meldingOntvangen
        case .gesprekGevoerd: .gesprekGevoerd
        case .berichtOntvangen: .berichtOntvangen
        case .berichtVerstuurd: .berichtVerstuurd
        case .doorverwezen: .doorverwezen
        case .terugbelverzoekAangemaakt: .terugbelverzoekAangemaakt
        case .terugkoppelingOntvangen: .terugkoppelingOntvangen
        case .inwonerGeinformeerd: .inwonerGeinformeerd
        case .zakenGekoppeld: .zakenGekoppeld
        case .zaakAfgesloten: .zaakAfgesloten
        case .zaakHeropend: .zaakHeropend
        case .tevredenheidGemeten: .tevredenheidGemeten
        case .gegevensGewist: .gegevensGewist
        }
    }

    /// The type's name in the log.
    public var type: String { soort.rawValue }

    /// An erasure under the Archiefwet: the zaak's destruction.
    public var isVernietiging: Bool {
        if case let .gegevensGewist(erasure) = self { erasure.grondslag == .archiefwet } else { false }
    }

    /// A contact moment with the inwoner (inbound or outbound), as the KCC counts them.
    public var contact: (kanaal: Kanaal, richting: Richting)? {
        switch self {
        case let .meldingOntvangen(melding): (melding.kanaal, .inkomend)
        case let .gesprekGevoerd(gesprek): (gesprek.kanaal, gesprek.richting)
        case let .berichtOntvangen(bericht): (bericht.kanaal, .inkomend)
        case let .berichtVerstuurd(bericht): (bericht.kanaal, .uitgaand)
        default: nil
        }
    }

    /// The contact reached the inwoner: every contact but a call with `indicatieContactGelukt` false.
    var isGeluktContact: Bool {
        if case let .gesprekGevoerd(gesprek) = self { return gesprek.indicatieContactGelukt }
        return contact != nil
    }

    /// The event tells the inwoner something: `InwonerGeinformeerd`, or an outbound contact that
    /// reached them (a `niet-bereikt` call did not). One definition for rule 2 ("informed after the
    /// last terugkoppeling") and for the answer to a waiting question (the WhatsApp KPI).
    public var informeertInwoner: Bool {
        if case .inwonerGeinformeerd = self { return true }
        return contact?.richting == .uitgaand && isGeluktContact
    }
}

/// Encodes as the event's `data` member: the payload alone, its type goes in the envelope.
extension Gebeurtenis: Encodable {
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case let .zaakGeopend(data): try data.encode(to: encoder)
        case let .meldingOntvangen(data): try data.encode(to: encoder)
        case let .gesprekGevoerd(data): try data.encode(to: encoder)
        case let .berichtOntvangen(data): try data.encode(to: encoder)
        case let .berichtVerstuurd(data): try data.encode(to: encoder)
        case let .doorverwezen(data): try data.encode(to: encoder)
        case let .terugbelverzoekAangemaakt(data): try data.encode(to: encoder)
        case let .terugkoppelingOntvangen(data): try data.encode(to: encoder)
        case let .inwonerGeinformeerd(data): try data.encode(to: encoder)
        case let .zakenGekoppeld(data): try data.encode(to: encoder)
        case let .zaakAfgesloten(data): try data.encode(to: encoder)
        case let .zaakHeropend(data): try data.encode(to: encoder)
        case let .tevredenheidGemeten(data): try data.encode(to: encoder)
        case let .gegevensGewist(data): try data.encode(to: encoder)
        }
    }
}

public enum Richting: String, Codable, Sendable, CaseIterable {
    case inkomend, uitgaand
}

/// A zaak is opened with what the catalogue said at that moment, so a replay never depends on
/// today's catalogue: the afdeling, the deadline, the re-contact window and the archive fields.
public struct ZaakGeopend: Codable, Sendable, Equatable {
    public var onderwerp: String
    public var omschrijving: String
    public var inwoner: Inwoner
    public var kanaal: Kanaal
    public var afdeling: String
    public var afhandeltermijnWerkdagen: Int
    public var uiterlijkAfgehandeldOp: Datum
    public var heropenvensterDagen: Int
    public var archiefnominatie: Archiefnominatie
    public var bewaartermijnJaren: Int?
    public var catalogusversie: String
    /// Set when the agent knowingly opened a new zaak beside an open one on the same onderwerp.
    public var naastLopendeZaak: Zaaknummer?

    public init(onderwerp: String, omschrijving: String, inwoner: Inwoner, kanaal: Kanaal, afdeling: String,
                afhandeltermijnWerkdagen: Int, uiterlijkAfgehandeldOp: Datum, heropenvensterDagen: Int,
                archiefnominatie: Archiefnominatie, bewaartermijnJaren: Int?, catalogusversie: String, naastLopendeZaak: Zaaknummer? = nil) {
        self.onderwerp = onderwerp
        self.omschrijving = omschrijving
        self.inwoner = inwoner
        self.kanaal = kanaal
        self.afdeling = afdeling
        self.afhandeltermijnWerkdagen = afhandeltermijnWerkdagen
        self.uiterlijkAfgehandeldOp = uiterlijkAfgehandeldOp
        self.heropenvensterDagen = heropenvensterDagen
        self.archiefnominatie = archiefnominatie
        self.bewaartermijnJaren = bewaartermijnJaren
        self.catalogusversie = catalogusversie
        self.naastLopendeZaak = naastLopendeZaak
    }
}

public enum Archiefnominatie: String, Codable, Sendable {
    case blijvendBewaren = "blijvend_bewaren"
    case vernietigen
}

/// Where a zaak is in its archiving: the VNG ZGW values, and `vernietigd`. ZGW deletes a destroyed
/// zaak; zaaklog keeps its structure without personal data (docs/avg.md), so it names that state.
/// Transfer (`overgedragen`) does not exist in zaaklog yet.
public enum Archiefstatus: String, Codable, Sendable {
    case nogTeArchiveren = "nog_te_archiveren"
    case gearchiveerd
    case gearchiveerdProcestermijnOnbekend = "gearchiveerd_procestermijn_onbekend"
    case overgedragen
    /// Destroyed under the Archiefwet: erased with grondslag `archiefwet`.
    case vernietigd
}

/// A melding about public space, usually through the webformulier.
public struct MeldingOntvangen: Codable, Sendable, Equatable {
    public struct Locatie: Codable, Sendable, Equatable {
        public var straat: String?
        public var huisnummer: String?
        public var postcode: String?
        public var woonplaats: String?
        /// Free text such as "bij de speeltuin achter de school".
        public var omschrijving: String?

        public init(straat: String? = nil, huisnummer: String? = nil, postcode: String? = nil, woonplaats: String? = nil, omschrijving: String? = nil) {
            self.straat = straat
            self.huisnummer = huisnummer
            self.postcode = postcode
            self.woonplaats = woonplaats
            self.omschrijving = omschrijving
        }
    }

    public var kanaal: Kanaal
    public var inhoud: String
    public var locatie: Locatie?
    public var bijlagen: Int

    public init(kanaal: Kanaal, inhoud: String, locatie: Locatie? = nil, bijlagen: Int = 0) {
        self.kanaal = kanaal
        self.inhoud = inhoud
        self.locatie = locatie
        self.bijlagen = bijlagen
    }
}

public enum GesprekUitkomst: String, Codable, Sendable, CaseIterable {
    case directBeantwoord = "direct-beantwoord"
    /// Transferred without announcing: a cold doorverwijzing.
    case doorverbonden
    /// Announced and explained to the colleague first: a warm doorverwijzing.
    case warmDoorverbonden = "warm-doorverbonden"
    case terugbelverzoek
    case nietOpgelost = "niet-opgelost"
    /// An outbound call nobody answered.
    case nietBereikt = "niet-bereikt"
}

/// A conversation: a call, a desk visit or a video call, with its wait time and outcome.
public struct GesprekGevoerd: Codable, Sendable, Equatable {
    public var kanaal: Kanaal
    public var richting: Richting
    public var wachttijdSeconden: Int?
    public var duurSeconden: Int
    public var uitkomst: GesprekUitkomst
    public var indicatieContactGelukt: Bool
    public var samenvatting: String?

    public init(kanaal: Kanaal, richting: Richting, wachttijdSeconden: Int?, duurSeconden: Int, uitkomst: GesprekUitkomst,
                indicatieContactGelukt: Bool, samenvatting: String? = nil) {
        self.kanaal = kanaal
        self.richting = richting
        self.wachttijdSeconden = wachttijdSeconden
        self.duurSeconden = duurSeconden
        self.uitkomst = uitkomst
        self.indicatieContactGelukt = indicatieContactGelukt
        self.samenvatting = samenvatting
    }
}

/// A message from the inwoner (WhatsApp, e-mail, social media, chat, post).
public struct BerichtOntvangen: Codable, Sendable, Equatable {
    public var kanaal: Kanaal
    public var inhoud: String
    /// The message's id in the channel's own system, for tracing.
    public var externeId: String?

    public init(kanaal: Kanaal, inhoud: String, externeId: String? = nil) {
        self.kanaal = kanaal
        self.inhoud = inhoud
        self.externeId = externeId
    }
}

/// A message to the inwoner.
public struct BerichtVerstuurd: Codable, Sendable, Equatable {
    public var kanaal: Kanaal
    public var inhoud: String
    public var externeId: String?

    public init(kanaal: Kanaal, inhoud: String, externeId: String? = nil) {
        self.kanaal = kanaal
        self.inhoud = inhoud
        self.externeId = externeId
    }
}

public enum Doorverwijzingssoort: String, Codable, Sendable, CaseIterable {
    case warm, koud
}

/// A handoff to an afdeling: the KIC standard's *interne taak*, `te_verwerken` until its terugkoppeling.
public struct Doorverwezen: Codable, Sendable, Equatable {
    /// Numbered per zaak: `D1`, `D2`, …
    public var doorverwijzing: String
    public var afdeling: String
    public var soort: Doorverwijzingssoort
    public var gevraagdeHandeling: String
    public var toelichting: String
    /// The afhandeltermijn in working days, counted from the handoff's date.
    public var uiterlijkOp: Datum
    public var toegewezenAanMedewerker: String?

    public init(doorverwijzing: String, afdeling: String, soort: Doorverwijzingssoort, gevraagdeHandeling: String,
                toelichting: String, uiterlijkOp: Datum, toegewezenAanMedewerker: String? = nil) {
        self.doorverwijzing = doorverwijzing
        self.afdeling = afdeling
        self.soort = soort
        self.gevraagdeHandeling = gevraagdeHandeling
        self.toelichting = toelichting
        self.uiterlijkOp = uiterlijkOp
        self.toegewezenAanMedewerker = toegewezenAanMedewerker
    }
}

/// A callback request: a doorverwijzing whose gevraagde handeling is "contact opnemen met inwoner".
/// It needs a terugkoppeling like any handoff.
public struct TerugbelverzoekAangemaakt: Codable, Sendable, Equatable {
    public var doorverwijzing: String
    public var afdeling: String
    public var toelichting: String
    public var uiterlijkOp: Datum
    /// The number to call, if not the one the klantsysteem knows (personal data).
    public var persoonsgegevens: Persoonsgegevens?

    public init(doorverwijzing: String, afdeling: String, toelichting: String, uiterlijkOp: Datum, persoonsgegevens: Persoonsgegevens? = nil) {
        self.doorverwijzing = doorverwijzing
        self.afdeling = afdeling
        self.toelichting = toelichting
        self.uiterlijkOp = uiterlijkOp
        self.persoonsgegevens = persoonsgegevens
    }

    public static let gevraagdeHandeling = "contact opnemen met inwoner"
}

public enum TerugkoppelingUitkomst: String, Codable, Sendable, CaseIterable {
    case opgelost
    case nietOpgelost = "niet-opgelost"
    /// Not this afdeling's work.
    case afgewezen
    /// Passed on to another afdeling (`doorgestuurdNaar`), which gets a new doorverwijzing.
    case doorgestuurd
}

/// Feedback from the afdeling to the KCC on one doorverwijzing.
public struct TerugkoppelingOntvangen: Codable, Sendable, Equatable {
    public var doorverwijzing: String
    public var uitkomst: TerugkoppelingUitkomst
    public var toelichting: String
    public var doorgestuurdNaar: String?

    public init(doorverwijzing: String, uitkomst: TerugkoppelingUitkomst, toelichting: String, doorgestuurdNaar: String? = nil) {
        self.doorverwijzing = doorverwijzing
        self.uitkomst = uitkomst
        self.toelichting = toelichting
        self.doorgestuurdNaar = doorgestuurdNaar
    }
}

/// The KCC (or the afdeling) told the inwoner the outcome.
public struct InwonerGeinformeerd: Codable, Sendable, Equatable {
    public var kanaal: Kanaal
    public var toelichting: String?

    public init(kanaal: Kanaal, toelichting: String? = nil) {
        self.kanaal = kanaal
        self.toelichting = toelichting
    }
}

/// The same problem arrived as two zaken (say WhatsApp and Facebook): the gekoppelde zaak is
/// folded into the hoofdzaak. Appended to both, in one atomic batch.
public struct ZakenGekoppeld: Codable, Sendable, Equatable {
    public var hoofdzaak: Zaaknummer
    public var gekoppeldeZaak: Zaaknummer
    public var reden: String

    public init(hoofdzaak: Zaaknummer, gekoppeldeZaak: Zaaknummer, reden: String) {
        self.hoofdzaak = hoofdzaak
        self.gekoppeldeZaak = gekoppeldeZaak
        self.reden = reden
    }
}

public enum Resultaat: String, Codable, Sendable, CaseIterable {
    case opgelost
    case nietOpgelost = "niet-opgelost"
    /// The inwoner withdrew the question.
    case ingetrokken
    /// Not the municipality's: referred to another organisation.
    case buitenGemeente = "buiten-gemeente"
}

/// Closing against the closure rules: the rules set aside and why, for auditors.
public struct Afwijking: Codable, Sendable, Equatable {
    public var regels: [Int]
    public var reden: String

    public init(regels: [Int], reden: String) {
        self.regels = regels
        self.reden = reden
    }
}

public struct ZaakAfgesloten: Codable, Sendable, Equatable {
    public var resultaat: Resultaat
    /// Settled in the first contact, without a handoff (the "direct afgehandeld" KPI).
    public var direct: Bool
    public var toelichting: String?
    public var afwijking: Afwijking?
    /// When the archive action (destruction) is due; absent for `blijvend_bewaren`.
    public var archiefactiedatum: Datum?

    public init(resultaat: Resultaat, direct: Bool, toelichting: String? = nil, afwijking: Afwijking? = nil, archiefactiedatum: Datum? = nil) {
        self.resultaat = resultaat
        self.direct = direct
        self.toelichting = toelichting
        self.afwijking = afwijking
        self.archiefactiedatum = archiefactiedatum
    }
}

public enum Heropenaanleiding: String, Codable, Sendable, CaseIterable {
    case handmatig
    /// The closure check: the inwoner came back on the same onderwerp within the window (rule 4).
    case opnieuwContact = "opnieuw-contact"
    /// The closure check: a satisfaction measurement said "not solved" (rule 5).
    case tevredenheid
}

public struct ZaakHeropend: Codable, Sendable, Equatable {
    public var reden: String
    public var aanleiding: Heropenaanleiding

    public init(reden: String, aanleiding: Heropenaanleiding) {
        self.reden = reden
        self.aanleiding = aanleiding
    }
}

/// A satisfaction measurement, like the KTO survey: a score and whether the inwoner says it is solved.
public struct TevredenheidGemeten: Codable, Sendable, Equatable {
    public var score: Int
    public var opgelostVolgensInwoner: Bool
    public var kanaal: Kanaal?
    public var toelichting: String?

    public init(score: Int, opgelostVolgensInwoner: Bool, kanaal: Kanaal? = nil, toelichting: String? = nil) {
        self.score = score
        self.opgelostVolgensInwoner = opgelostVolgensInwoner
        self.kanaal = kanaal
        self.toelichting = toelichting
    }
}

/// Why a zaak's personal data was erased.
public enum Wisgrondslag: String, Codable, Sendable, CaseIterable {
    /// The inwoner's request (AVG art. 17).
    case avgArtikel17 = "avg-art-17"
    /// The archiefactiedatum of a zaak to destroy passed and the vernietigingslijst was approved.
    case archiefwet
}

/// The zaak's data key was erased (docs/avg.md): its encrypted members read as gewist from now
/// on. Holds no personal data itself; structure, timings and verdicts of the zaak stay.
public struct GegevensGewist: Codable, Sendable, Equatable {
    public var grondslag: Wisgrondslag
    /// The request or list it carries out (one for all the zaken of one request).
    public var verzoek: String
    /// In the words of whoever carried it out; the schema and docs/avg.md ask for no personal data here.
    public var reden: String

    public init(grondslag: Wisgrondslag, verzoek: String, reden: String) {
        self.grondslag = grondslag
        self.verzoek = verzoek
        self.reden = reden
    }
}
