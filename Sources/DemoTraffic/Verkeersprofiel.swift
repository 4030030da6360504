import Domain

/// What a municipality's KCC traffic looks like: volume, kanalen, onderwerpen, how first contacts end,
/// how fast the afdelingen answer and how residents behave. Figures marked "seed" come from the
/// articles in shared/seeds (see docs/generator.md for the table); the rest are stated assumptions.
/// Weights are relative (they need not add up to 100).
public struct Verkeersprofiel: Sendable {
    public let naam: String
    public let omschrijving: String
    /// Where the profile's key figures come from, for `zaak genereer --profielen`.
    public let bron: String

    /// Calls (new telefoon zaken) on an ordinary working day; the other kanalen scale from `kanalen`.
    public internal(set) var gesprekkenPerWerkdag: Double
    /// Shares of the new zaken per kanaal on an ordinary working day.
    public let kanalen: [(Kanaal, Double)]
    /// How a first call or desk visit ends (the Antwoord figures are per first contact).
    public let uitkomsten: Uitkomstmix
    /// Messages (WhatsApp, e-mail, social media, post) the KCC answers itself instead of handing off.
    public let berichtenDirect: Double
    /// WhatsApp questions answered within the hour.
    public let whatsappBinnenUur: Double
    /// Onderwerp weights on top of the shared base mix (codes of the standard catalogue).
    public let onderwerpAccenten: [String: Double]
    /// Multiplies every afdeling's share of late terugkoppelingen.
    public let teLaatFactor: Double
    /// A resident waiting for an answer tries another kanaal (seed 002, Assen).
    public let kanaalwissel: Double
    /// A resident comes back on the same problem after the zaak was closed (rule 4 reopens it).
    public let terugkeer: Double
    /// A closed zaak gets a satisfaction survey answer (seed 001: Utrecht asks "why a 3 or a 9?").
    public let enquete: Double
    /// KCC staff, for the agents' ids (seed 000: Groningen 76 people; seed 002: Assen 16 on a Monday morning).
    public let medewerkers: Int

    /// Shares of how a first conversation ends; `overig` is consultation or not handled right away.
    public struct Uitkomstmix: Sendable {
        public let direct, doorverbonden, warmDoorverbonden, terugbelverzoek, overig: Double

        /// The direct share as given, the rest split as in the national baseline (48 : 7 : 6).
        static func direct(_ direct: Double) -> Uitkomstmix {
            let rest = 100 - direct
            return Uitkomstmix(direct: direct, doorverbonden: rest * 24 / 61, warmDoorverbonden: rest * 24 / 61,
                               terugbelverzoek: rest * 7 / 61, overig: rest * 6 / 61)
        }
    }

    public static let alle: [Verkeersprofiel] = [.landelijk, .groningen, .utrecht, .assen]

    public static func named(_ naam: String) -> Verkeersprofiel? { alle.first { $0.naam == naam.lowercased() } }

    /// Seed 004 (programme Antwoord): over 50,000 registered contacts, 39% settled directly, ~48%
    /// transferred, 7% callback or follow-up, the rest consultation or not handled. Its volume is the
    /// baseline's sample: 50,000 calls a year (~198 a working day).
    public static let landelijk = Verkeersprofiel(
        naam: "landelijk", omschrijving: "landelijke nulmeting Antwoord: 39% direct, ~48% doorverbonden, 7% terugbellen",
        bron: "seed 004 (Antwoord): 50.000 geregistreerde contacten, 39 / 48 / 7%",
        gesprekkenPerWerkdag: 50_000 / 252,
        kanalen: [(.telefoon, 58), (.balie, 6), (.whatsapp, 9), (.webformulier, 13), (.email, 9), (.socialeMedia, 3), (.post, 2)],
        uitkomsten: Uitkomstmix(direct: 39, doorverbonden: 24, warmDoorverbonden: 24, terugbelverzoek: 7, overig: 6),
        berichtenDirect: 0.45, whatsappBinnenUur: 0.7, onderwerpAccenten: [:], teLaatFactor: 1.3,
        kanaalwissel: 0.12, terugkeer: 0.06, enquete: 0.1, medewerkers: 30)

    /// Seed 000: 260,000+ calls a year on 14050, menu parkeren / werk en inkomen / afval /
    /// ID-bewijzen en rijbewijs / Kredietbank, WhatsApp 90% within the hour, warm transfers. No
    /// published first-contact figure: assumed 60% direct (between the baseline and the 80% goal).
    public static let groningen = Verkeersprofiel(
        naam: "groningen", omschrijving: "KCC Groningen (14050): ruim 260.000 gesprekken per jaar",
        bron: "seed 000: 260.000 gesprekken/jaar, keuzemenu, WhatsApp 90% binnen het uur; 60% direct is een aanname",
        gesprekkenPerWerkdag: 260_000 / 252,
        kanalen: [(.telefoon, 56), (.balie, 6), (.whatsapp, 12), (.webformulier, 13), (.email, 8), (.socialeMedia, 3), (.post, 2)],
        uitkomsten: .direct(60), berichtenDirect: 0.6, whatsappBinnenUur: 0.9,
        onderwerpAccenten: ["parkeren.vergunning": 2, "parkeren.naheffing": 1.5, "werk-en-inkomen.uitkering": 1.8,
                            "afval.container-niet-geleegd": 1.3, "burgerzaken.id-bewijs": 1.5, "burgerzaken.rijbewijs": 1.5,
                            "kredietbank.schuldhulp": 2, "kcc.algemene-vraag": 1.3],
        teLaatFactor: 1, kanaalwissel: 0.08, terugkeer: 0.05, enquete: 0.1, medewerkers: 76)

    /// Seed 001: ~350,000 calls a year, ~80% settled directly, solution-oriented (agents raise what
    /// is not solved), satisfaction surveys ("why a 3 or a 9?").
    public static let utrecht = Verkeersprofiel(
        naam: "utrecht", omschrijving: "KCC Utrecht: ~350.000 gesprekken per jaar, ~80% direct afgehandeld",
        bron: "seed 001: 350.000 gesprekken/jaar, circa 80% direct, tevredenheidsonderzoek",
        gesprekkenPerWerkdag: 350_000 / 252,
        kanalen: [(.telefoon, 56), (.balie, 5), (.whatsapp, 12), (.webformulier, 15), (.email, 8), (.socialeMedia, 3), (.post, 1)],
        uitkomsten: .direct(80), berichtenDirect: 0.75, whatsappBinnenUur: 0.85,
        onderwerpAccenten: ["parkeren.vergunning": 1.5, "burgerzaken.verhuizing": 1.5, "handhaving.fietswrak": 3, "handhaving.overlast": 1.3],
        teLaatFactor: 0.7, kanaalwissel: 0.06, terugkeer: 0.04, enquete: 0.2, medewerkers: 120)

    /// Seed 002: ~300 calls a day, >80% answered by the KCC itself, 16 agents on Monday mornings,
    /// WhatsApp and social media, residents retrying on another kanaal when an answer is slow, web
    /// meldingen (stoeptegel, zwerfafval, container) often handled by the afdeling the same day.
    public static let assen = Verkeersprofiel(
        naam: "assen", omschrijving: "KCC Assen: ~300 gesprekken per dag, ruim 80% zelf beantwoord",
        bron: "seed 002: ~300 gesprekken/dag, >80% zelf beantwoord, maandagochtend druk, kanaalwissel",
        gesprekkenPerWerkdag: 300,
        kanalen: [(.telefoon, 58), (.balie, 3), (.whatsapp, 14), (.webformulier, 14), (.email, 5), (.socialeMedia, 5), (.post, 1)],
        uitkomsten: .direct(81), berichtenDirect: 0.75, whatsappBinnenUur: 0.75,
        onderwerpAccenten: ["afval.container-niet-geleegd": 2, "openbare-ruimte.stoeptegel": 1.5, "openbare-ruimte.lantaarnpaal": 1.5,
                            "openbare-ruimte.groen": 1.5, "parkeren.vergunning": 1.2, "burgerzaken.id-bewijs": 1.3],
        teLaatFactor: 0.8, kanaalwissel: 0.2, terugkeer: 0.05, enquete: 0.08, medewerkers: 20)

    // MARK: Shared behaviour (assumptions, the same for every profile)

    /// Base weights of the onderwerpen (standard catalogue codes), before a profile's accents.
    static let onderwerpen: [(String, Double)] = [
        ("kcc.algemene-vraag", 10), ("kcc.klacht", 1), ("afval.container-niet-geleegd", 9), ("afval.container-kapot", 3),
        ("afval.grofvuil", 5), ("openbare-ruimte.stoeptegel", 5), ("openbare-ruimte.lantaarnpaal", 3), ("openbare-ruimte.zwerfafval", 3),
        ("openbare-ruimte.groen", 3), ("parkeren.vergunning", 6), ("parkeren.naheffing", 2), ("parkeren.gehandicaptenparkeren", 1),
        ("burgerzaken.id-bewijs", 10), ("burgerzaken.rijbewijs", 5), ("burgerzaken.verhuizing", 5), ("burgerzaken.uittreksel", 2),
        ("burgerzaken.naturalisatie", 0.5), ("werk-en-inkomen.uitkering", 5), ("werk-en-inkomen.aanvraag-bijstand", 1.5),
        ("werk-en-inkomen.minimaregeling", 2), ("kredietbank.schuldhulp", 2), ("kredietbank.spoed", 0.5), ("handhaving.overlast", 3),
        ("handhaving.fietswrak", 1), ("handhaving.illegale-bouw", 0.5), ("belastingen.ozb", 4), ("belastingen.woz-bezwaar", 1.5),
        ("belastingen.kwijtschelding", 1.5), ("wmo.hulpmiddel", 3), ("wmo.wijkteam", 2), ("jeugd.jeugdhulp", 1.5),
        ("onderwijs.leerlingenvervoer", 0.5), ("vergunningen.omgevingsvergunning", 2), ("vergunningen.monument", 0.3),
        ("vergunningen.evenement", 0.5),
    ]

    /// How an afdeling answers a doorverwijzing: the share answered after the catalogue's working-day
    /// termijn, the share "niet opgelost", and how early within the termijn it usually answers (1:
    /// spread over the termijn, small: mostly the same or next day, as Assen's web meldingen).
    struct Afdelingsgedrag: Sendable {
        let teLaat, nietOpgelost, tempo: Double
    }

    static let afdelingen: [String: Afdelingsgedrag] = [
        "KCC": .init(teLaat: 0.03, nietOpgelost: 0.03, tempo: 0.5),
        "Stadsbeheer": .init(teLaat: 0.06, nietOpgelost: 0.05, tempo: 0.25),
        "Parkeren": .init(teLaat: 0.08, nietOpgelost: 0.04, tempo: 0.6),
        "Burgerzaken": .init(teLaat: 0.04, nietOpgelost: 0.03, tempo: 0.4),
        "Werk en Inkomen": .init(teLaat: 0.14, nietOpgelost: 0.08, tempo: 0.8),
        "Kredietbank": .init(teLaat: 0.12, nietOpgelost: 0.06, tempo: 0.7),
        "Handhaving": .init(teLaat: 0.15, nietOpgelost: 0.12, tempo: 0.7),
        "Belastingen": .init(teLaat: 0.08, nietOpgelost: 0.04, tempo: 0.6),
        "Zorg en Welzijn": .init(teLaat: 0.14, nietOpgelost: 0.06, tempo: 0.8),
        "Jeugd en Onderwijs": .init(teLaat: 0.15, nietOpgelost: 0.06, tempo: 0.8),
        "Vergunningen": .init(teLaat: 0.2, nietOpgelost: 0.08, tempo: 0.9),
    ]

    /// Relative volume per weekday (1 = Monday): Monday busiest (seed 002), Friday quietest.
    static let weekdagen: [Double] = [1.3, 1.05, 1.0, 0.95, 0.75]

    /// Calls and desk visits per hour (local time) while the KCC is open, 08:00–17:00.
    static let gespreksuren: [(Int, Double)] = [(8, 8), (9, 14), (10, 13), (11, 11), (12, 7), (13, 9), (14, 9), (15, 7), (16, 5)]
    /// Messages and web forms arrive around the clock, with an evening bump on WhatsApp and social media.
    static let berichturen: [(Int, Double)] = [
        (0, 1), (1, 0.5), (2, 0.3), (3, 0.3), (4, 0.3), (5, 0.5), (6, 1.5), (7, 3), (8, 6), (9, 8), (10, 8), (11, 7),
        (12, 6), (13, 7), (14, 7), (15, 6), (16, 6), (17, 5), (18, 5), (19, 6), (20, 6), (21, 5), (22, 3), (23, 2),
    ]

    /// Expected new zaken on `kanaal` on `datum`: phones and desks are closed at weekends and on
    /// feestdagen; digital kanalen keep coming, at a quarter of a weekday's rate.
    func verwachteZaken(_ kanaal: Kanaal, op datum: Datum) -> Double {
        let telefoon = kanalen.first { $0.0 == .telefoon }!.1
        let share = (kanalen.first { $0.0 == kanaal }?.1 ?? 0) / telefoon
        let werkdag = Kalender.isWerkdag(datum)
        let factor: Double
        switch kanaal {
        case .telefoon, .balie: factor = werkdag ? Self.weekdagen[datum.weekdag - 1] : 0
        case .post: factor = werkdag ? 1 : 0
        default: factor = werkdag ? Self.weekdagen[datum.weekdag - 1] : 0.25
        }
        return gesprekkenPerWerkdag * share * factor
    }

    /// Onderwerp weights for a zaak on `kanaal` in `maand`: web forms are for meldingen about the
    /// street; privacy-sensitive questions go by phone (seed 000); tax questions peak when the
    /// assessments arrive (February–March), green maintenance in the growing season.
    func onderwerpgewichten(_ kanaal: Kanaal, maand: Int) -> [(String, Double)] {
        Self.onderwerpen.compactMap { code, base in
            var weight = base * (onderwerpAccenten[code] ?? 1)
            let melding = code.hasPrefix("afval.") || code.hasPrefix("openbare-ruimte.") || code == "handhaving.overlast" || code == "handhaving.fietswrak"
            let gevoelig = code.hasPrefix("werk-en-inkomen.") || code.hasPrefix("kredietbank.") || code.hasPrefix("jeugd.") || code.hasPrefix("wmo.")
            switch kanaal {
            case .webformulier: if !melding { return nil }
            case .whatsapp, .socialeMedia: weight *= melding ? 2 : gevoelig ? 0.3 : 1
            case .email, .post: weight *= gevoelig ? 0.7 : 1
            default: weight *= melding ? 0.7 : 1
            }
            if code.hasPrefix("belastingen."), (2...3).contains(maand) { weight *= 3 }
            if code == "openbare-ruimte.groen", (5...9).contains(maand) { weight *= 2.5 }
            return (code, weight)
        }
    }
}
