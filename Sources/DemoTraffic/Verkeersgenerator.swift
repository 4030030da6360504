import Domain
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A municipality's KCC traffic over a period, day by day, for a `Verkeersprofiel`. Every event is
/// made by the domain's deciders (`decide`, then `evolve`) exactly as an agent's command would be,
/// each command decided against the zaak's real state: reopenings after closure come from rules 4
/// and 5 in the decider, not from the generator. The generator only chooses what happens and when.
///
/// Streaming: each day's new contacts are drawn at the start of that day; every zaak's next step
/// waits in a time-ordered agenda, so a zaak spanning weeks costs memory only while it has steps to
/// come, and events leave in time order without a period's worth ever being held or sorted.
/// Deterministic: the same profile, seed and period give the same events, byte for byte.
public struct Verkeersgenerator {
    public let profiel: Verkeersprofiel
    public let van: Datum
    public let dagen: Int
    let catalogus: Catalogus
    let seed: UInt64
    /// Stop opening zaken after this many (a fixed-size sample; the rest of the period finishes them).
    let maximumZaken: Int?

    private var random: SeededRandom
    private var agenda = Agenda()
    private var volgendeDagIndex = 0
    private var volgnummers: [Int: Int] = [:]
    private var ingepland = 0
    /// Zaken opened so far.
    public private(set) var geopend = 0

    public init(profiel: Verkeersprofiel, seed: UInt64, van: Datum, dagen: Int, catalogus: Catalogus = .standaard, maximumZaken: Int? = nil) {
        self.profiel = profiel
        self.seed = seed
        self.van = van
        self.dagen = dagen
        self.catalogus = catalogus
        self.maximumZaken = maximumZaken
        random = SeededRandom(seed: seed)
    }

    /// The onderwerpen the profile uses that `catalogus` lacks (the generator needs them all).
    public static func ontbrekendeOnderwerpen(in catalogus: Catalogus) -> [String] {
        Verkeersprofiel.onderwerpen.map(\.0).filter { catalogus.onderwerp($0) == nil }
    }

    /// Generates the next day: hands its events to `emit` in time order and returns the day, or nil
    /// after the last one. Steps falling after the period are never taken (the zaken stay as they are).
    public mutating func volgendeDag(_ emit: (ZaakGebeurtenis) throws -> Void) rethrows -> Datum? {
        guard volgendeDagIndex < dagen else { return nil }
        let datum = van.plus(dagen: volgendeDagIndex)
        volgendeDagIndex += 1
        planNieuweContacten(op: datum)
        let einde = Self.moment(datum.plus(dagen: 1), minuut: 0)
        while let next = agenda.first, next.at < einde {
            agenda.removeFirst()
            try voerUit(next, emit)
        }
        return datum
    }

    // MARK: New contacts

    private mutating func planNieuweContacten(op datum: Datum) {
        for (kanaal, _) in profiel.kanalen {
            let count = random.poisson(profiel.verwachteZaken(kanaal, op: datum))
            let onderwerpen = profiel.onderwerpgewichten(kanaal, maand: datum.maand)
            for _ in 0..<count {
                if let maximumZaken, ingepland >= maximumZaken { return }
                ingepland += 1
                // Each zaak its own dice, seeded from the run's seed and its arrival number.
                var mixer = SeededRandom(seed: seed ^ (UInt64(ingepland) &* 0xD1B5_4A32_D192_ED03))
                var own = SeededRandom(seed: mixer.next())
                let at = aankomst(kanaal, op: datum, &own)
                let loop = Levensloop(random: own, kanaal: kanaal, onderwerp: random.pick(onderwerpen),
                                      agents: profiel.medewerkers)
                agenda.insert(at: at, loop, .openen)
            }
        }
    }

    /// When a contact on `kanaal` arrives on `datum`: calls and desk visits while the KCC is open,
    /// Monday mornings busiest (seed 002); post is registered in the morning; the rest round the clock.
    private func aankomst(_ kanaal: Kanaal, op datum: Datum, _ random: inout SeededRandom) -> Int64 {
        let hour: Int
        switch kanaal {
        case .telefoon:
            hour = random.pick(Verkeersprofiel.gespreksuren.map { ($0.0, $0.1 * (datum.weekdag == 1 && $0.0 <= 10 ? 1.6 : 1)) })
        case .balie:
            hour = random.pick(Verkeersprofiel.gespreksuren.filter { (9...15).contains($0.0) })
        case .post:
            hour = 9 + random.below(3)
        default:
            hour = random.pick(Verkeersprofiel.berichturen)
        }
        return Self.moment(datum, minuut: hour * 60 + random.below(60)) + Int64(random.below(60_000))
    }

    // MARK: A zaak's life

    private mutating func voerUit(_ afspraak: Afspraak, _ emit: (ZaakGebeurtenis) throws -> Void) rethrows {
        let loop = afspraak.loop, at = afspraak.at
        var emitted: [ZaakGebeurtenis] = []
        func run(_ opdracht: Opdracht, by actor: Actor) {
            loop.stap += 1
            let moment = Beslismoment(nu: Tijdstip(milliseconden: at), actor: actor, catalogus: catalogus,
                                      idBasis: "\(loop.nummer!)-c\(loop.stap)", nieuwNummer: loop.zaak == nil ? loop.nummer : nil)
            do {
                let events = try decide(opdracht, loop.zaak, moment)
                for event in events { loop.zaak = try evolve(loop.zaak, event) }
                emitted += events
            } catch {
                // The generator only gives commands the rules allow; a refusal is a bug in the generator.
                preconditionFailure("generator: \(loop.nummer!) \(opdracht): \(error.melding)")
            }
        }
        let agent = Actor(soort: .medewerker, id: "kcc-\(101 + loop.random.below(loop.agents))")
        func contact(_ soort: Contact.Soort, afsluiten: Bool = false) -> Opdracht {
            .registreerContact(Contact(soort: soort, inwoner: loop.inwoner, onderwerp: loop.onderwerp, afsluiten: afsluiten))
        }
        func gesprek(_ kanaal: Kanaal, _ uitkomst: GesprekUitkomst, samenvatting: String? = nil) -> Contact.Soort {
            let busy = Kalender.lokaleDatum(Tijdstip(milliseconden: at)).weekdag == 1 ? 2 : 1
            return .gesprek(GesprekGevoerd(kanaal: kanaal, richting: .inkomend,
                                           wachttijdSeconden: kanaal == .telefoon ? 15 + loop.random.below(240 * busy) : nil,
                                           duurSeconden: 60 + loop.random.below(540), uitkomst: uitkomst, indicatieContactGelukt: true,
                                           samenvatting: samenvatting))
        }
        func plan(_ stap: Stap, _ when: Int64) { agenda.insert(at: max(when, at + 1), loop, stap) }
        func nieuweOverdracht() {
            guard let handoff = loop.zaak?.overdrachten.last, handoff.isOpen else { return }
            planTerugkoppeling(handoff, na: at, loop)
        }

        switch afspraak.stap {
        case .openen:
            let jaar = Kalender.lokaleDatum(Tijdstip(milliseconden: at)).jaar
            volgnummers[jaar, default: 0] += 1
            geopend += 1
            loop.nummer = Zaaknummer(jaar: jaar, volgnummer: volgnummers[jaar]!)
            switch loop.kanaal {
            case .telefoon, .balie:
                let mix = profiel.uitkomsten
                let uitkomst = loop.random.pick([(GesprekUitkomst.directBeantwoord, mix.direct), (.doorverbonden, mix.doorverbonden),
                                                 (.warmDoorverbonden, mix.warmDoorverbonden), (.terugbelverzoek, mix.terugbelverzoek),
                                                 (.nietOpgelost, mix.overig)])
                run(contact(gesprek(loop.kanaal, uitkomst), afsluiten: uitkomst == .directBeantwoord), by: agent)
                switch uitkomst {
                case .directBeantwoord: naAfsluiten(at, loop)
                case .nietOpgelost: plan(.doorverwijzen, werktijd(na: at, minuten: 30...240, &loop.random))  // consulting the backoffice
                default: nieuweOverdracht()
                }
            case .webformulier:
                let melding = MeldingOntvangen(
                    kanaal: .webformulier, inhoud: catalogus.onderwerp(loop.onderwerp)!.omschrijving,
                    locatie: .init(straat: loop.random.pick([("Kerkstraat", 3.0), ("Stationsweg", 2), ("Molenlaan", 2), ("Dorpsstraat", 1), ("Schoolstraat", 1)]),
                                   huisnummer: String(1 + loop.random.below(120))),
                    bijlagen: loop.random.below(3))
                run(contact(.melding(melding)), by: Actor(soort: .systeem, id: "webformulier"))
                nieuweOverdracht()
            default:
                run(contact(.berichtOntvangen(BerichtOntvangen(kanaal: loop.kanaal, inhoud: catalogus.onderwerp(loop.onderwerp)!.omschrijving))),
                    by: Actor(soort: .systeem, id: loop.kanaal.rawValue))
                let answer = antwoordmoment(loop.kanaal, na: at, &loop.random)
                plan(.beantwoorden, answer)
                // Nothing back yet: some residents try another kanaal about the same problem (seed 002).
                if answer - at > 45 * 60_000, loop.random.chance(profiel.kanaalwissel) {
                    plan(.kanaalwissel, at + Int64(20 + loop.random.below(Int(min(180, (answer - at) / 60_000 - 20)))) * 60_000)
                }
            }
        case .beantwoorden:
            guard loop.zaak!.isOpen else { break }
            if loop.random.chance(profiel.berichtenDirect) {
                run(contact(.berichtVerstuurd(BerichtVerstuurd(kanaal: loop.kanaal, inhoud: "Antwoord op uw vraag")), afsluiten: true), by: agent)
                naAfsluiten(at, loop)
            } else {
                let afdeling = loop.zaak!.opening.afdeling
                run(contact(.berichtVerstuurd(BerichtVerstuurd(kanaal: loop.kanaal, inhoud: "Uw vraag is doorgezet naar \(afdeling)"))), by: agent)
                run(.doorverwijs(afdeling: nil, soort: loop.random.chance(0.6) ? .warm : .koud, gevraagdeHandeling: "afhandelen",
                                 toelichting: "Vraag via \(loop.kanaal.rawValue); inwoner wacht op antwoord", toegewezenAanMedewerker: nil), by: agent)
                nieuweOverdracht()
            }
        case .kanaalwissel:
            guard loop.zaak!.isOpen else { break }
            let other: Kanaal = loop.random.pick(loop.kanaal == .whatsapp ? [(.socialeMedia, 2.0), (.email, 1), (.telefoon, 1)]
                                                 : [(.whatsapp, 2.0), (.socialeMedia, 1), (.email, 1)])
            if other == .telefoon {
                run(contact(gesprek(.telefoon, .directBeantwoord, samenvatting: "Vraagt of het bericht is gelezen")), by: agent)
            } else {
                run(contact(.berichtOntvangen(BerichtOntvangen(kanaal: other, inhoud: "Heeft iemand mijn bericht al gelezen?"))),
                    by: Actor(soort: .systeem, id: other.rawValue))
            }
        case .doorverwijzen:
            guard loop.zaak!.isOpen else { break }
            run(.doorverwijs(afdeling: nil, soort: loop.random.chance(0.5) ? .warm : .koud, gevraagdeHandeling: "afhandelen",
                             toelichting: "Graag oppakken; inwoner wacht op antwoord", toegewezenAanMedewerker: nil), by: agent)
            nieuweOverdracht()
        case let .terugkoppelen(id, uitkomst):
            guard let handoff = loop.zaak!.overdracht(id), handoff.isOpen else { break }
            let afdeling = Actor(soort: .afdeling, id: handoff.afdeling)
            switch uitkomst {
            case .doorgestuurd:
                let target = loop.random.pick(catalogus.afdelingen.map(\.naam).filter { $0 != handoff.afdeling && $0 != "KCC" }.map { ($0, 1.0) })
                run(.registreerTerugkoppeling(doorverwijzing: id, uitkomst: .doorgestuurd, toelichting: "Hoort bij \(target)", doorgestuurdNaar: target), by: afdeling)
                nieuweOverdracht()
            case .nietOpgelost:
                run(.registreerTerugkoppeling(doorverwijzing: id, uitkomst: .nietOpgelost, toelichting: "Meer informatie nodig van inwoner", doorgestuurdNaar: nil),
                    by: afdeling)
                // Solution-oriented agents raise it once more (seed 001); otherwise the inwoner hears it was not solved.
                if loop.opnieuwAangekaart == 0, loop.random.chance(0.5) {
                    loop.opnieuwAangekaart += 1
                    plan(.doorverwijzen, werktijd(na: at, minuten: 30...480, &loop.random))
                } else {
                    plan(.informeren(opgelost: false), werktijd(na: at, minuten: 10...240, &loop.random))
                }
            default:
                run(.registreerTerugkoppeling(doorverwijzing: id, uitkomst: .opgelost,
                                              toelichting: handoff.isTerugbelverzoek ? "Inwoner teruggebeld en geholpen" : "Afgehandeld door de afdeling",
                                              doorgestuurdNaar: nil), by: afdeling)
                if loop.zaak!.openOverdrachten.isEmpty { plan(.informeren(opgelost: true), werktijd(na: at, minuten: 10...240, &loop.random)) }
            }
        case let .informeren(opgelost):
            guard loop.zaak!.isOpen, loop.zaak!.openOverdrachten.isEmpty else { break }
            let kanaal: Kanaal = switch loop.kanaal { case .webformulier: .email; case .balie: .telefoon; default: loop.kanaal }
            run(.informeerInwoner(kanaal: kanaal, toelichting: nil), by: agent)
            let resultaat: Resultaat = opgelost ? .opgelost : .nietOpgelost
            guard loop.zaak!.afsluitbevindingen(resultaat: resultaat).isEmpty else { break }
            run(.sluit(resultaat: resultaat, toelichting: nil, afwijkingsreden: nil), by: agent)
            if opgelost { naAfsluiten(at, loop) }
        case .nabellen:
            guard loop.zaak!.isOpen, !loop.zaak!.openOverdrachten.isEmpty else { break }
            run(contact(gesprek(.telefoon, .directBeantwoord, samenvatting: "Inwoner vraagt naar de stand van zaken")), by: agent)
        case .enquete:
            guard !loop.zaak!.isOpen else { break }
            let satisfied = !loop.random.chance(0.12)
            let score = satisfied ? loop.random.pick([(6, 1.0), (7, 3), (8, 4), (9, 2), (10, 1)]) : 1 + loop.random.below(5)
            run(.meetTevredenheid(score: score, opgelostVolgensInwoner: satisfied, kanaal: .email, toelichting: nil), by: Actor(soort: .systeem, id: "kto"))
            // Rule 5 reopened it in the decider: the KCC takes it up again.
            if loop.zaak!.isOpen { plan(.doorverwijzen, werktijd(na: at, minuten: 60...480, &loop.random)) }
        case .terugkeer:
            let zaak = loop.zaak!
            guard zaak.isOpen || zaak.isInHeropenvenster(op: Tijdstip(milliseconden: at)) else { break }
            // The problem is back ("weer niet geleegd"): put through to the afdeling; rule 4 reopens a closed zaak.
            run(contact(gesprek(.telefoon, .doorverbonden, samenvatting: "Het probleem is terug")), by: agent)
            nieuweOverdracht()
        }
        for event in emitted { try emit(event) }
    }

    /// After a closing as opgelost: maybe a satisfaction survey, maybe the resident comes back
    /// within the reopening window (at most twice per zaak, or it would never end).
    private mutating func naAfsluiten(_ at: Int64, _ loop: Levensloop) {
        if loop.random.chance(profiel.enquete) {
            agenda.insert(at: at + Int64(1 + loop.random.below(3)) * 86_400_000 + Int64(loop.random.below(36_000_000)), loop, .enquete)
        }
        guard loop.terugkeren < 2, loop.random.chance(profiel.terugkeer), let window = loop.zaak?.opening.heropenvensterDagen else { return }
        loop.terugkeren += 1
        // A day within the window; moved to the next working day when it falls in a weekend, when the
        // step itself finds out whether the window still runs.
        let day = Kalender.lokaleDatum(Tijdstip(milliseconden: at)).plus(dagen: 1 + loop.random.below(window))
        agenda.insert(at: werktijd(na: Self.moment(day, minuut: 0), minuten: 0...0, &loop.random), loop, .terugkeer)
    }

    /// The afdeling's answer to `handoff`: within the catalogue's termijn, mostly early for fast
    /// afdelingen, or late by one to five working days; some "niet opgelost", a few passed on.
    private mutating func planTerugkoppeling(_ handoff: Zaak.Overdracht, na at: Int64, _ loop: Levensloop) {
        let gedrag = Verkeersprofiel.afdelingen[handoff.afdeling] ?? .init(teLaat: 0.1, nietOpgelost: 0.05, tempo: 0.6)
        let start = Kalender.lokaleDatum(Tijdstip(milliseconden: at))
        let termijn = Kalender.werkdagen(van: start, tot: handoff.uiterlijkOp)
        let late = loop.random.chance(min(0.9, gedrag.teLaat * profiel.teLaatFactor))
        // pow(u, 1/tempo) leans towards 0 (the same or the next day) for a fast afdeling.
        let werkdagen = late ? termijn + 1 + loop.random.below(5)
            : min(termijn, Int(Double(termijn + 1) * pow(loop.random.uniform(), 1 / gedrag.tempo)))
        let day = Kalender.plusWerkdagen(werkdagen, na: start)
        var when = Self.moment(day, minuut: 9 * 60 + loop.random.below(7 * 60))
        if when <= at + 15 * 60_000 { when = werktijd(na: at, minuten: 15...180, &loop.random) }
        let uitkomst: TerugkoppelingUitkomst = loop.random.chance(gedrag.nietOpgelost) ? .nietOpgelost
            : !handoff.isTerugbelverzoek && loop.random.chance(0.03) ? .doorgestuurd : .opgelost
        agenda.insert(at: when, loop, .terugkoppelen(handoff.id, uitkomst))
        // A late answer: some residents call to ask where it stays.
        if late, loop.random.chance(0.4) {
            let ask = werktijd(na: Self.moment(Kalender.plusWerkdagen(1, na: handoff.uiterlijkOp), minuut: 8 * 60), minuten: 0...240, &loop.random)
            if ask < when { agenda.insert(at: ask, loop, .nabellen) }
        }
    }

    /// When the KCC answers a message that came in at `at`: WhatsApp mostly within the hour while
    /// staffed (seed 000: Groningen 90%), social media a little slower, e-mail and post in working days.
    private func antwoordmoment(_ kanaal: Kanaal, na at: Int64, _ random: inout SeededRandom) -> Int64 {
        switch kanaal {
        case .whatsapp, .socialeMedia:
            let quick = random.chance(kanaal == .whatsapp ? profiel.whatsappBinnenUur : profiel.whatsappBinnenUur * 0.7)
            let minutes = quick ? 2 + random.below(57) : 61 + random.below(300)
            return bemand(at + Int64(minutes) * 60_000 + Int64(random.below(60_000)), &random)
        case .post:
            let day = Kalender.plusWerkdagen(1 + random.below(5), na: Kalender.lokaleDatum(Tijdstip(milliseconden: at)))
            return werktijd(na: Self.moment(day, minuut: 8 * 60), minuten: 0...480, &random)
        default:
            return werktijd(na: at, minuten: 60...(60 * 24), &random)
        }
    }

    /// WhatsApp and social media are staffed 08:00–20:00 every day.
    private func bemand(_ at: Int64, _ random: inout SeededRandom) -> Int64 {
        let local = Kalender.lokaleTijd(Tijdstip(milliseconden: at))
        if (8..<20).contains(local.uur) { return at }
        let day = local.uur >= 20 ? local.datum.plus(dagen: 1) : local.datum
        return Self.moment(day, minuut: 8 * 60 + random.below(60)) + Int64(random.below(60_000))
    }

    /// A moment `minuten` after `at`, moved into the KCC's working hours (working days, 08:00–17:00).
    private func werktijd(na at: Int64, minuten: ClosedRange<Int>, _ random: inout SeededRandom) -> Int64 {
        let target = at + Int64(minuten.lowerBound + random.below(minuten.count)) * 60_000 + Int64(random.below(60_000))
        let local = Kalender.lokaleTijd(Tijdstip(milliseconden: target))
        if Kalender.isWerkdag(local.datum), (8..<17).contains(local.uur) { return target }
        var day = local.uur < 8 ? local.datum : local.datum.plus(dagen: 1)
        while !Kalender.isWerkdag(day) { day = day.plus(dagen: 1) }
        return Self.moment(day, minuut: 8 * 60 + random.below(90)) + Int64(random.below(60_000))
    }

    static func moment(_ datum: Datum, minuut: Int) -> Int64 { Kalender.tijdstip(datum, minuut: minuut).milliseconden }
}

/// One zaak's generator state: what it is about, its state as the deciders left it, and its dice.
final class Levensloop {
    var random: SeededRandom
    let kanaal: Kanaal
    let onderwerp: String
    let inwoner: Inwoner
    let agents: Int
    var nummer: Zaaknummer?
    var zaak: Zaak?
    var stap = 0
    var opnieuwAangekaart = 0
    var terugkeren = 0

    init(random: SeededRandom, kanaal: Kanaal, onderwerp: String, agents: Int) {
        self.random = random
        self.kanaal = kanaal
        self.onderwerp = onderwerp
        self.agents = agents
        inwoner = Inwoner(ref: "inw-\(String(self.random.next() % 2_000_000_000, radix: 36))")
    }
}

enum Stap {
    case openen, beantwoorden, kanaalwissel, doorverwijzen, nabellen, enquete, terugkeer
    case terugkoppelen(String, TerugkoppelingUitkomst)
    case informeren(opgelost: Bool)
}

struct Afspraak {
    let at: Int64
    let volgorde: Int
    let loop: Levensloop
    let stap: Stap

    func isBefore(_ other: Afspraak) -> Bool { at != other.at ? at < other.at : volgorde < other.volgorde }
}

/// The steps to come, earliest first (a binary min-heap; ties in insertion order, for determinism).
struct Agenda {
    private var heap: [Afspraak] = []
    private var volgorde = 0

    var first: Afspraak? { heap.first }

    mutating func insert(at: Int64, _ loop: Levensloop, _ stap: Stap) {
        volgorde += 1
        heap.append(Afspraak(at: at, volgorde: volgorde, loop: loop, stap: stap))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].isBefore(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].isBefore(heap[smallest]) { smallest = left }
            if right < heap.count, heap[right].isBefore(heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
