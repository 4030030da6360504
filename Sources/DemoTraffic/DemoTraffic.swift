import CivilTime
import Domain
import EventLog

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

/// A month of KCC traffic for a mid-size municipality: contacts on every kanaal, handoffs to
/// afdelingen with their terugkoppeling, callbacks, residents retrying on another kanaal, closures
/// and satisfaction scores. Mixes follow the seeds: phone dominant, WhatsApp growing, webformulier
/// meldingen going straight to the afdeling, the national baseline of ~39% settled directly.
/// Every event is made by the domain's deciders, exactly as an agent's command would be; the
/// generator only chooses what happens and when.
public struct DemoTraffic {
    static let onderwerpen: [(String, Int)] = [
        ("afval.container-niet-geleegd", 14), ("openbare-ruimte.stoeptegel", 10), ("openbare-ruimte.lantaarnpaal", 6),
        ("parkeren.vergunning", 10), ("burgerzaken.id-bewijs", 16), ("burgerzaken.verhuizing", 8),
        ("werk-en-inkomen.uitkering", 9), ("kredietbank.schuldhulp", 4), ("belastingen.ozb", 9),
        ("handhaving.overlast", 6), ("wmo.hulpmiddel", 8), ("kcc.algemene-vraag", 10),
    ]

    static let kanalen: [(Kanaal, Int)] = [
        (.telefoon, 58), (.whatsapp, 14), (.webformulier, 12), (.email, 8), (.balie, 5), (.socialeMedia, 2), (.post, 1),
    ]

    var random: SeededRandom
    let startMilliseconds: Int64
    let days: Int
    let catalogus = Catalogus.standaard

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
            for event in zaakEvents(Zaaknummer(jaar: 2026, volgnummer: number)) {
                let record = LogRecord(id: event.id, zaak: event.zaak.description, body: event.logBody())
                timed.append((event.plaatsgevondenOp.milliseconden, timed.count, record))
            }
        }
        return timed.sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }.map(\.record)
    }

    private mutating func contactMoment() -> Int64 {
        // Weekdays only, busiest on Monday morning (seed 002: Assen's 16 agents on a Monday).
        var day: Int
        repeat { day = random.below(days) } while day % 7 >= 5  // day 0 is a Monday
        let monday = day % 7 == 0 ? 2 : 1
        let hour = random.pick([(8, 8 * monday), (9, 14 * monday), (10, 13 * monday), (11, 11), (12, 7), (13, 9), (14, 9), (15, 7), (16, 5)])
        let minute = Int64(random.below(60)), second = Int64(random.below(60))
        // Local hours; November is CET (UTC+1).
        return startMilliseconds + Int64(day) * 86_400_000 + (Int64(hour - 1) * 3600 + minute * 60 + second) * 1000
    }

    /// One zaak's life, as a sequence of commands given to the deciders.
    private mutating func zaakEvents(_ nummer: Zaaknummer) -> [ZaakGebeurtenis] {
        let onderwerp = random.pick(Self.onderwerpen)
        let fysiek = onderwerp.hasPrefix("openbare-ruimte") || onderwerp.hasPrefix("afval")
        let kanaal: Kanaal = fysiek
            ? random.pick([(.webformulier, 45), (.telefoon, 35), (.whatsapp, 15), (.socialeMedia, 5)])
            : random.pick(Self.kanalen)
        let agent = Actor(soort: .medewerker, id: "kcc-\(100 + random.below(40))")
        let inwoner = Inwoner(ref: "inw-\(String(random.next() % 1_000_000_000, radix: 36))")
        var at = contactMoment()
        var zaak: Zaak?
        var events: [ZaakGebeurtenis] = []
        var step = 0
        func run(_ opdracht: Opdracht, by actor: Actor, after minutes: Int64) {
            at += minutes * 60_000 + Int64(random.below(60_000))
            step += 1
            let moment = Beslismoment(nu: Tijdstip(milliseconden: at), actor: actor, catalogus: catalogus,
                                      idBasis: "\(nummer)-c\(step)", nieuwNummer: zaak == nil ? nummer : nil)
            // The generator only issues commands the rules allow; a refusal is a bug in the generator.
            let decided = try! decide(opdracht, zaak, moment)
            for event in decided { zaak = try! evolve(zaak, event) }
            events += decided
        }
        func contact(_ soort: Contact.Soort, afsluiten: Bool = false) -> Opdracht {
            .registreerContact(Contact(soort: soort, inwoner: inwoner, onderwerp: onderwerp, afsluiten: afsluiten))
        }

        switch kanaal {
        case .telefoon, .balie:
            let outcome = random.pick([(GesprekUitkomst.directBeantwoord, 39), (.doorverbonden, 24), (.warmDoorverbonden, 24),
                                       (.terugbelverzoek, 7), (.nietOpgelost, 6)])
            let gesprek = GesprekGevoerd(kanaal: kanaal, richting: .inkomend, wachttijdSeconden: kanaal == .telefoon ? 20 + random.below(400) : nil,
                                         duurSeconden: 60 + random.below(540), uitkomst: outcome, indicatieContactGelukt: true)
            run(contact(.gesprek(gesprek), afsluiten: outcome == .directBeantwoord), by: agent, after: 0)
            if outcome == .directBeantwoord { return events }
            if outcome == .nietOpgelost {
                run(.doorverwijs(afdeling: nil, soort: .koud, gevraagdeHandeling: "afhandelen", toelichting: "Vraag kon niet direct beantwoord worden",
                                 toegewezenAanMedewerker: nil), by: agent, after: 2)
            }
        case .webformulier:
            let melding = MeldingOntvangen(kanaal: .webformulier, inhoud: catalogus.onderwerp(onderwerp)!.omschrijving,
                                           locatie: .init(straat: random.pick([("Kerkstraat", 3), ("Stationsweg", 2), ("Molenlaan", 2), ("Dorpsstraat", 1)]),
                                                          huisnummer: String(1 + random.below(120))),
                                           bijlagen: random.below(3))
            run(contact(.melding(melding)), by: Actor(soort: .systeem, id: "webformulier"), after: 0)
        default:
            run(contact(.berichtOntvangen(BerichtOntvangen(kanaal: kanaal, inhoud: catalogus.onderwerp(onderwerp)!.omschrijving))),
                by: Actor(soort: .systeem, id: kanaal.rawValue), after: 0)
            if random.chance(0.4) {
                run(contact(.berichtVerstuurd(BerichtVerstuurd(kanaal: kanaal, inhoud: "Antwoord op uw vraag")), afsluiten: true),
                    by: agent, after: Int64(5 + random.below(50)))
                return events
            }
            run(.doorverwijs(afdeling: nil, soort: random.chance(0.6) ? .warm : .koud, gevraagdeHandeling: "afhandelen",
                             toelichting: "Graag oppakken; inwoner wacht op antwoord", toegewezenAanMedewerker: nil), by: agent, after: 2)
        }
        // Residents who hear nothing quickly try another kanaal about the same problem (seed 002).
        if random.chance(0.1) {
            run(contact(.berichtOntvangen(BerichtOntvangen(kanaal: random.pick([(.whatsapp, 2), (.email, 1), (.socialeMedia, 1)]),
                                                           inhoud: "Is er al iets gebeurd met mijn melding?"))),
                by: Actor(soort: .systeem, id: "kanaal"), after: Int64(60 * (2 + random.below(48))))
        }
        guard let handoff = zaak?.openOverdrachten.first else { return events }
        let solved = random.chance(0.85)
        run(.registreerTerugkoppeling(doorverwijzing: handoff.id, uitkomst: solved ? .opgelost : .nietOpgelost,
                                      toelichting: solved ? "Afgehandeld door de afdeling" : "Meer informatie nodig van inwoner", doorgestuurdNaar: nil),
            by: Actor(soort: .afdeling, id: handoff.afdeling), after: Int64(60 * (4 + random.below(120))))
        guard solved else { return events }
        run(.informeerInwoner(kanaal: kanaal == .webformulier ? .email : kanaal, toelichting: nil), by: agent, after: Int64(10 + random.below(240)))
        run(.sluit(resultaat: .opgelost, toelichting: nil, afwijkingsreden: nil), by: agent, after: 1)
        if random.chance(0.2) {
            let score = 4 + random.below(7)
            run(.meetTevredenheid(score: score, opgelostVolgensInwoner: score >= 6, kanaal: .email, toelichting: nil),
                by: Actor(soort: .systeem, id: "kto"), after: 60 * 24)
        }
        return events
    }
}
