import EventLog
import CivilTime

/// SplitMix64: small, fast and the same on every machine, so a seed always gives the same traffic.
public struct SeededRandom {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    public mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }

    public mutating func pick<T>(_ weighted: [(T, Int)]) -> T {
        var roll = below(weighted.reduce(0) { $0 + $1.1 })
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[0].0
    }
}

/// A month of KCC traffic for a mid-size municipality, as raw log records: contacts on every kanaal,
/// handoffs to afdelingen with their terugkoppeling, callbacks, closures and satisfaction scores.
/// Mixes follow the seeds: phone dominant, WhatsApp growing, webformulier meldingen going straight to
/// the afdeling, the national baseline of ~39% settled directly and ~48% transferred.
/// This is the log layer's demo traffic; the domain (issue 3) will validate events like these.
public struct DemoTraffic {
    struct Onderwerp {
        let code: String
        let afdeling: String
        let omschrijving: String
    }

    static let onderwerpen: [(Onderwerp, Int)] = [
        (Onderwerp(code: "afval.container-niet-geleegd", afdeling: "Stadsbeheer", omschrijving: "Container niet geleegd"), 14),
        (Onderwerp(code: "openbare-ruimte.stoeptegel", afdeling: "Stadsbeheer", omschrijving: "Losliggende stoeptegel"), 10),
        (Onderwerp(code: "openbare-ruimte.lantaarnpaal", afdeling: "Stadsbeheer", omschrijving: "Lantaarnpaal defect"), 6),
        (Onderwerp(code: "parkeren.vergunning", afdeling: "Parkeren", omschrijving: "Parkeervergunning aanvragen of wijzigen"), 10),
        (Onderwerp(code: "burgerzaken.id-bewijs", afdeling: "Burgerzaken", omschrijving: "Paspoort of ID-kaart"), 16),
        (Onderwerp(code: "burgerzaken.verhuizing", afdeling: "Burgerzaken", omschrijving: "Verhuizing doorgeven"), 8),
        (Onderwerp(code: "werk-en-inkomen.uitkering", afdeling: "Werk en Inkomen", omschrijving: "Vraag over bijstandsuitkering"), 9),
        (Onderwerp(code: "kredietbank.schuldhulp", afdeling: "Kredietbank", omschrijving: "Hulp bij schulden"), 4),
        (Onderwerp(code: "belastingen.ozb", afdeling: "Belastingen", omschrijving: "Vraag over aanslag OZB"), 9),
        (Onderwerp(code: "handhaving.overlast", afdeling: "Handhaving", omschrijving: "Overlast of foutparkeren"), 6),
        (Onderwerp(code: "wmo.hulpmiddel", afdeling: "Zorg en Welzijn", omschrijving: "Wmo-hulpmiddel of huishoudelijke hulp"), 8),
    ]

    static let kanalen: [(String, Int)] = [
        ("telefoon", 58), ("whatsapp", 14), ("webformulier", 12), ("email", 8), ("balie", 5), ("sociale-media", 2), ("post", 1),
    ]

    var random: SeededRandom
    let startMilliseconds: Int64
    let days: Int

    /// A month starting on Monday 2 November 2026, the demo's and benchmarks' default.
    public static let november2026 = Timestamp.days(fromCivil: 2026, 11, 2) * 86_400_000

    public init(seed: UInt64, startMilliseconds: Int64, days: Int) {
        random = SeededRandom(seed: seed)
        self.startMilliseconds = startMilliseconds
        self.days = days
    }

    /// Events of `zaakCount` zaken, in the order they happened.
    public mutating func records(zaakCount: Int) -> [LogRecord] {
        var timed: [(at: Int64, sequence: Int, record: LogRecord)] = []
        for number in 1...zaakCount {
            let zaak = "Z-2026-" + String(repeating: "0", count: max(0, 6 - String(number).count)) + String(number)
            for (offset, event) in zaakEvents(zaak: zaak).enumerated() {
                timed.append((event.at, timed.count, record(zaak: zaak, versie: offset + 1, event: event)))
            }
        }
        return timed.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }.map(\.record)
    }

    private struct Event {
        let at: Int64
        let type: String
        let actor: String
        let data: String
    }

    private mutating func contactMoment() -> Int64 {
        // Weekdays only, busiest on Monday morning (seed 002: Assen's 16 agents on a Monday).
        var day: Int
        repeat { day = random.below(days) } while day % 7 >= 5  // day 0 is a Monday
        let monday = day % 7 == 0 ? 2 : 1
        let hour = random.pick([(8, 8 * monday), (9, 14 * monday), (10, 13 * monday), (11, 11), (12, 7), (13, 9), (14, 9), (15, 7), (16, 5)])
        let minute = Int64(random.below(60)), second = Int64(random.below(60))
        return startMilliseconds + Int64(day) * 86_400_000 + (Int64(hour - 1) * 3600 + minute * 60 + second) * 1000
    }

    private mutating func zaakEvents(zaak: String) -> [Event] {
        let onderwerp = random.pick(Self.onderwerpen)
        let kanaal = onderwerp.code.hasPrefix("openbare-ruimte") || onderwerp.code.hasPrefix("afval")
            ? random.pick([("webformulier", 45), ("telefoon", 35), ("whatsapp", 15), ("sociale-media", 5)])
            : random.pick(Self.kanalen)
        let agent = "kcc-\(100 + random.below(40))"
        let inwoner = "inw-\(String(random.next() % 1_000_000_000, radix: 36))"
        var at = contactMoment()
        var events: [Event] = []
        func add(_ type: String, _ actor: String, _ data: String, after minutes: Int64) {
            at += minutes * 60_000 + Int64(random.below(60_000))
            events.append(Event(at: at, type: type, actor: actor, data: data))
        }
        let opening = #"{"kanaal":"\#(kanaal)","onderwerp":"\#(onderwerp.code)","inwoner":{"ref":"\#(inwoner)"},"omschrijving":"\#(onderwerp.omschrijving)"}"#
        events.append(Event(at: at, type: "ZaakGeopend", actor: "medewerker:\(agent)", data: opening))
        switch kanaal {
        case "telefoon":
            let wait = 20 + random.below(400), duration = 60 + random.below(540)
            let outcome = random.pick([("direct beantwoord", 39), ("doorverbonden", 24), ("warm doorverbonden", 24), ("terugbelverzoek", 7), ("niet opgelost", 6)])
            add("GesprekGevoerd", "medewerker:\(agent)",
                #"{"kanaal":"telefoon","richting":"inkomend","wachttijdSeconden":\#(wait),"duurSeconden":\#(duration),"uitkomst":"\#(outcome)"}"#, after: 0)
            if outcome == "direct beantwoord" {
                add("ZaakAfgesloten", "medewerker:\(agent)", #"{"resultaat":"opgelost","direct":true}"#, after: Int64(duration / 60))
                return events
            }
        case "webformulier":
            add("MeldingOntvangen", "systeem:webformulier",
                #"{"kanaal":"webformulier","locatie":{"straat":"Kerkstraat","huisnummer":"\#(1 + random.below(120))"},"fotos":\#(random.below(3))}"#, after: 0)
        default:
            add("BerichtOntvangen", "systeem:\(kanaal)", #"{"kanaal":"\#(kanaal)","inhoudLengte":\#(40 + random.below(600))}"#, after: 0)
            if random.chance(0.4) {
                add("BerichtVerstuurd", "medewerker:\(agent)", #"{"kanaal":"\#(kanaal)","inhoudLengte":\#(80 + random.below(400))}"#, after: Int64(5 + random.below(50)))
                add("ZaakAfgesloten", "medewerker:\(agent)", #"{"resultaat":"opgelost","direct":true}"#, after: 1)
                return events
            }
        }
        let warm = random.chance(0.6)
        add("Doorverwezen", "medewerker:\(agent)",
            #"{"afdeling":"\#(onderwerp.afdeling)","soort":"\#(warm ? "warm" : "koud")","gevraagdeHandeling":"\#(random.chance(0.15) ? "contact opnemen met inwoner" : "afhandelen")","doorverwijzing":"\#(zaak)-d1"}"#,
            after: 2)
        let solved = random.chance(0.85)
        add("TerugkoppelingOntvangen", "afdeling:\(onderwerp.afdeling)",
            #"{"doorverwijzing":"\#(zaak)-d1","uitkomst":"\#(solved ? "opgelost" : "niet opgelost")","toelichting":"\#(solved ? "Afgehandeld door de afdeling" : "Meer informatie nodig van inwoner")"}"#,
            after: Int64(60 * (4 + random.below(120))))
        guard solved else { return events }
        add("InwonerGeinformeerd", "medewerker:\(agent)", #"{"kanaal":"\#(kanaal == "webformulier" ? "email" : kanaal)"}"#, after: Int64(10 + random.below(240)))
        add("ZaakAfgesloten", "medewerker:\(agent)", #"{"resultaat":"opgelost","direct":false}"#, after: 1)
        if random.chance(0.2) {
            let score = 4 + random.below(7)
            add("TevredenheidGemeten", "systeem:kto", #"{"score":\#(score),"opgelostVolgensInwoner":\#(score >= 6)}"#, after: 60 * 24)
        }
        return events
    }

    private func record(zaak: String, versie: Int, event: Event) -> LogRecord {
        let actor = event.actor.split(separator: ":", maxSplits: 1)
        let body = #"{"type":"\#(event.type)","versie":\#(versie),"plaatsgevondenOp":"\#(Timestamp.format(millisecondsSinceEpoch: event.at))","actor":{"soort":"\#(actor[0])","id":"\#(actor[1])"},"data":\#(event.data)}"#
        return LogRecord(id: "\(zaak)-e\(versie)", zaak: zaak, json: body)
    }
}
