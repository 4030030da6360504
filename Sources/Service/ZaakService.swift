import Domain
import EventLog
import Projections
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The application layer: reads a zaak from the log, lets the domain decide, and appends the
/// events on the condition that the zaak did not change in between (optimistic concurrency). The
/// CLI and, later, the HTTP server share it, so both go through the same deciders.
public final class ZaakService {
    public let log: EventLog
    /// The data directory's one projector; the server's services share one.
    public let projector: Projector
    private var openedRegister: Leesmodel?
    public let catalogus: Catalogus
    /// The data directory's zaak keys (the projector's).
    public var sleutels: LogSleutels { projector.sleutels }

    /// Look for a command's events in the log before deciding, so that a retry with the same id
    /// basis reports the first attempt instead of deciding again. A caller whose id bases are
    /// freshly generated (never retried) switches it off and saves the lookup.
    public var herkenHerhalingen = true

    /// Attempts for an append whose zaak changed under it when the caller stated no version (a
    /// new zaak's number taken by another agent, a contact joining a busy zaak).
    static let maximumPogingen = 50

    public convenience init(dataDirectory: String, catalogus: Catalogus) throws {
        self.init(log: try EventLog(directory: dataDirectory + "/log"), projector: try Projector(dataDirectory: dataDirectory), catalogus: catalogus)
    }

    /// A service on a log and projector opened already: the server's services share them, so
    /// that their appends share the log's group commit and one projector applies them.
    public init(log: EventLog, projector: Projector, catalogus: Catalogus) {
        self.log = log
        self.projector = projector
        self.catalogus = catalogus
    }

    /// Brings the read models up to the log's end, through the one projector (nothing is written
    /// when they are). `voorkennis` spares reading back the zaken a command just decided on.
    @discardableResult
    public func bijwerken(voorkennis: [Projecties.Voorkennis] = []) throws -> Projecties.Bijwerking {
        try projector.bijwerken(uit: log.reader, voorkennis: voorkennis)
    }

    /// The read models as this service's commands look things up in them (a read-only connection,
    /// opened on first use, after a catch-up made sure the file exists).
    public func register() throws -> Leesmodel {
        if let openedRegister { return openedRegister }
        let register = try Leesmodel(alleenLezen: projector.pad)
        openedRegister = register
        return register
    }

    /// What a command did.
    public struct Uitkomst: Sendable {
        /// The zaak after the command.
        public let zaak: Zaak
        /// The command's events, with their log positions.
        public let gebeurtenissen: [ZaakGebeurtenis]
        /// True when these events were already in the log (a retry with the same --id).
        public let alVastgelegd: Bool
        /// The contact joined this inwoner's open zaak on the onderwerp instead of opening one.
        public let aangeslotenBijLopendeZaak: Bool
        /// Set when the events are durable but the read models could not be brought up to date
        /// (the next command catches up).
        public var projectieFout: String?
        /// The closure check's reopening of the inwoner's zaak closed as opgelost on the onderwerp
        /// (rule 4), when the contact was registered in a new zaak within that zaak's window.
        public var heropeningRegel4: ZaakGebeurtenis? = nil
    }

    /// The zaak as its events in the log say; nil when it has none.
    public func zaak(_ nummer: Zaaknummer) throws -> Zaak? {
        try herstel(try gebeurtenissen(van: nummer))
    }

    public func gebeurtenissen(van nummer: Zaaknummer) throws -> [ZaakGebeurtenis] {
        try log.reader.events(ofZaak: nummer.description).map { entry in
            do throws(ZaakFout) { return try ZaakGebeurtenis(logregel: entry.line, sleutels: sleutels) } catch where error.soort == .nietBeschikbaar {
                throw error
            } catch {
                throw ZaakFout(.ongeldig, "gebeurtenis op positie \(entry.position) van zaak \(nummer) is geen geldige zaakgebeurtenis: \(error.melding)")
            }
        }
    }

    func bestaandeZaak(_ nummer: Zaaknummer) throws -> Zaak {
        guard let zaak = try zaak(nummer) else {
            throw ZaakFout(.onbekend, "zaak \(nummer) bestaat niet; controleer het nummer")
        }
        return zaak
    }

    /// Runs a command on an existing zaak. With `verwachteVersie` (what the agent saw), any change
    /// since is a conflict; without it, a change between reading and appending makes the domain
    /// decide again on the new state. `gelezen` is the zaak as the caller just read it (the API
    /// reads it to answer 404 and to check who may act): the first attempt decides on it rather than
    /// reading the log again; the append's condition still refuses it if it went stale.
    public func voerUit(_ opdracht: Opdracht, op nummer: Zaaknummer, verwachteVersie: Int?, moment: Beslismoment, gelezen: Zaak? = nil) throws -> Uitkomst {
        if let earlier = try eerderVastgelegd(moment) { return earlier }
        for attempt in 0..<Self.maximumPogingen {
            let zaak = try attempt == 0 && gelezen?.nummer == nummer ? gelezen! : bestaandeZaak(nummer)
            try controleerVersie(zaak, verwachteVersie)
            let events = try decide(opdracht, zaak, moment)
            if let uitkomst = try vastleggen(events, op: zaak, verwachteVersie: verwachteVersie, moment: moment) { return uitkomst }
        }
        throw drukte(nummer)
    }

    /// Registers a contact: on `zaak` when given; else on the inwoner's open zaak on the same
    /// onderwerp (whatever the kanaal); else on the zaak closed as opgelost whose window is still
    /// running, which the closure check reopens (rule 4); else, or with `nieuweZaak`, in a new zaak.
    /// With `nieuweZaak` inside such a window rule 4 holds too: the closed zaak is reopened and the
    /// new zaak records it beside it (`decideNieuweZaak`).
    public func registreerContact(_ contact: Contact, zaak nummer: Zaaknummer?, nieuweZaak: Bool, verwachteVersie: Int?, moment: Beslismoment,
                                  gelezen: Zaak? = nil) throws -> Uitkomst {
        if let earlier = try eerderVastgelegd(moment) { return earlier }
        if let nummer { return try voerUit(.registreerContact(contact), op: nummer, verwachteVersie: verwachteVersie, moment: moment, gelezen: gelezen) }
        for attempt in 0..<Self.maximumPogingen {
            var contact = contact
            var besideClosed: Zaak?
            if attempt > 0 { usleep(UInt32.random(in: 500...(2_000 * UInt32(min(attempt, 10))))) }
            try bijwerken()
            let register = try register()
            if let open = try register.openZaak(inwoner: contact.inwoner.ref, onderwerp: contact.onderwerp) {
                if !nieuweZaak {
                    let zaak = try bestaandeZaak(open)
                    guard zaak.isOpen else { continue }  // closed after the register's view: look again
                    let events = try decide(.registreerContact(contact), zaak, moment)
                    if let uitkomst = try vastleggen(events, op: zaak, verwachteVersie: nil, moment: moment, aangesloten: true) { return uitkomst }
                    continue
                }
                contact.naastLopendeZaak = open
            } else if let recent = try register.recentOpgelosteZaak(inwoner: contact.inwoner.ref, onderwerp: contact.onderwerp) {
                let zaak = try bestaandeZaak(recent)
                if zaak.isInHeropenvenster(op: moment.plaatsgevondenOp) {
                    guard nieuweZaak else {
                        let events = try decide(.registreerContact(contact), zaak, moment)
                        if let uitkomst = try vastleggen(events, op: zaak, verwachteVersie: nil, moment: moment) { return uitkomst }
                        continue
                    }
                    besideClosed = zaak
                }
            }
            // The next number in the year: any zaak opened meanwhile took it, so our conditional
            // append conflicts and we look again (and may then find the inwoner's zaak after all).
            var opening = moment
            let jaar = Kalender.lokaleDatum(moment.nu).jaar
            opening.nieuwNummer = Zaaknummer(jaar: jaar, volgnummer: try register.hoogsteVolgnummer(jaar: jaar) + 1)
            if let closed = besideClosed {
                if let uitkomst = try vastleggenNaast(closed, try decideNieuweZaak(contact, naast: closed, opening), moment: moment) { return uitkomst }
                continue
            }
            let events = try decide(.registreerContact(contact), nil, opening)
            if let uitkomst = try vastleggen(events, op: nil, verwachteVersie: nil, moment: moment) { return uitkomst }
        }
        throw ZaakFout(.conflict, "het lukte \(Self.maximumPogingen) keer niet om een zaaknummer te krijgen omdat steeds een ander net een zaak opende; probeer het opnieuw")
    }

    /// Folds `gekoppeldeZaak` into `hoofdzaak`: one atomic batch with an event on each.
    public func koppel(hoofdzaak: Zaaknummer, gekoppeldeZaak: Zaaknummer, reden: String, moment: Beslismoment) throws -> [Uitkomst] {
        if let earlier = try eerderVastgelegd(moment) {
            return [earlier, Uitkomst(zaak: try bestaandeZaak(gekoppeldeZaak), gebeurtenissen: [], alVastgelegd: true, aangeslotenBijLopendeZaak: false)]
        }
        for _ in 0..<Self.maximumPogingen {
            let main = try bestaandeZaak(hoofdzaak), folded = try bestaandeZaak(gekoppeldeZaak)
            let events = try decideKoppeling(hoofdzaak: main, gekoppeldeZaak: folded, reden: reden, moment)
            let conditions = [main, folded].map { StreamCondition(zaak: $0.nummer.description, lastPosition: $0.laatstePositie) }
            guard let results = try append(events, conditions: conditions, stateVersion: nil) else { continue }
            if results.contains(where: \.alreadyPresent), let earlier = try eerderVastgelegd(moment, zeker: true) {
                return [earlier, Uitkomst(zaak: try bestaandeZaak(gekoppeldeZaak), gebeurtenissen: [], alVastgelegd: true, aangeslotenBijLopendeZaak: false)]
            }
            let positions = results.map(\.position)
            let fout = bijwerkenNa(zip([main, folded], positions).map { Projecties.Voorkennis(zaak: $0, voor: $1) })
            return try zip([main, folded], zip(events, positions)).map { zaak, pair in
                var event = pair.0
                event.positie = pair.1
                return Uitkomst(zaak: try evolve(zaak, event), gebeurtenissen: [event], alVastgelegd: false, aangeslotenBijLopendeZaak: false,
                                projectieFout: fout)
            }
        }
        throw drukte(hoofdzaak)
    }

    /// One event of an import, with the outcome for its acknowledgement.
    public struct Ingevoerd: Sendable {
        public let positie: Int64
        /// Not written now: in the log already (`afwijkend` says whether with this content), or the
        /// same line earlier in the batch (`dubbelVan`).
        public let alAanwezig: Bool
        /// The index in the batch of the identical event this one repeats (skipped: an idempotent duplicate).
        public let dubbelVan: Int?
        /// The id is in the log with other content: skipped, the log keeps what it has.
        public let afwijkend: Bool
    }

    /// Appends events that arrive whole (NDJSON from another system) as one atomic batch, each
    /// checked as if a decider had made it (`controleer`, and `controleerOpening` for rule 4 across
    /// zaken). An event whose id is already in the log is not checked or written again, so re-running
    /// an interrupted import is safe; one whose content differs from the logged one is reported
    /// (`afwijkend`). The same event twice in the batch is written once (`dubbelVan`); the same id with
    /// other content is invalid input. `regel` says where an event came from, for the error message.
    public func importeer(_ events: [(regel: Int, gebeurtenis: ZaakGebeurtenis)], nu: Tijdstip) throws -> [Ingevoerd] {
        func fout(_ regel: Int, _ event: ZaakGebeurtenis, _ error: ZaakFout) -> ZaakFout {
            ZaakFout(error.soort, "regel \(regel) (\(event.id), zaak \(event.zaak)): \(error.melding)", regels: error.regels, acties: error.acties)
        }
        let known = try log.positions(ofIds: events.map(\.gebeurtenis.id))
        var outcomes: [Ingevoerd?] = Array(repeating: nil, count: events.count)
        var firstOfId: [String: Int] = [:]
        var before: [Zaaknummer: Zaak?] = [:]
        var states: [Zaaknummer: Zaak?] = [:]
        /// Per zaak, the line of its last event in this batch (for rule 5's message).
        var lastLine: [Zaaknummer: Int] = [:]
        var fresh: [Int] = []
        /// The batch's zaken per inwoner and onderwerp, for rule 4 across zaken.
        var perOnderwerp: [String: [Zaaknummer]] = [:]
        func state(_ nummer: Zaaknummer) throws -> Zaak? {
            if let known = states[nummer] { return known }
            let zaak = try importStaten.removeValue(forKey: nummer) ?? zaak(nummer)
            before[nummer] = .some(zaak)
            states[nummer] = .some(zaak)
            if let zaak { perOnderwerp[Self.sleutel(zaak.opening), default: []].append(nummer) }
            return zaak
        }
        for (index, (regel, event)) in events.enumerated() {
            if let position = known[index] {
                let stored = try storedEvent(at: position)
                outcomes[index] = Ingevoerd(positie: position, alAanwezig: true, dubbelVan: nil, afwijkend: stored != Self.inhoud(event))
                continue
            }
            if let first = firstOfId[event.id] {
                guard events[first].gebeurtenis == event else {
                    throw fout(regel, event, ZaakFout(.ongeldig, "id \(event.id) staat ook op regel \(events[first].regel), met een andere inhoud; "
                        + "één id hoort bij één gebeurtenis: geef een van beide een eigen id"))
                }
                outcomes[index] = Ingevoerd(positie: 0, alAanwezig: true, dubbelVan: first, afwijkend: false)
                continue
            }
            firstOfId[event.id] = index
            if case .gegevensGewist = event.gebeurtenis {
                throw fout(regel, event, ZaakFout(.ongeldig, "GegevensGewist wordt niet ingevoerd: wissen gaat met zaak avg wis, dat eerst nagaat of "
                    + "het log de gegevens kan vergeten (docs/avg.md)"))
            }
            if case let .zaakGeopend(opening) = event.gebeurtenis, let reden = Inwoner.weigering(opening.inwoner.ref) {
                throw fout(regel, event, ZaakFout(.ongeldig, "inwoner.ref '\(opening.inwoner.ref.citaat)' is ongeldig; \(reden)"))
            }
            let current = try state(event.zaak)
            var others: [Zaak] = []
            if case let .zaakGeopend(opening) = event.gebeurtenis, current == nil {
                let batch = (perOnderwerp[Self.sleutel(opening)] ?? []).compactMap { states[$0] ?? nil }
                others = try batch + recentOpgelost(opening, naast: event.zaak, behalve: Set(batch.map(\.nummer)))
                perOnderwerp[Self.sleutel(opening), default: []].append(event.zaak)
            }
            do throws(ZaakFout) {
                for other in others { try controleerOpening(event, naast: other) }
                states[event.zaak] = .some(try controleer(event, current, catalogus: catalogus, nu: nu))
            } catch {
                throw fout(regel, event, error)
            }
            lastLine[event.zaak] = regel
            fresh.append(index)
        }
        // Rule 5's reopening follows its survey within the batch (the CLI keeps them together).
        for case let (nummer, zaak?) in states where zaak.vereisteHeropening != nil {
            let regel = lastLine[nummer] ?? 0
            throw ZaakFout(.regel, "regel \(regel) (zaak \(nummer)): regel 5: de tevredenheidsmeting zegt binnen het heropenvenster dat het probleem niet is "
                + "opgelost, en de heropening door de controle volgt niet: zet ZaakHeropend (aanleiding \(Heropenaanleiding.tevredenheid.rawValue), "
                + "actor systeem \(echtOpgelostControle.id)) direct na de meting", regels: [5])
        }
        let records = try sleutels.records(fresh.map { events[$0].gebeurtenis })
        let conditions = before.map { StreamCondition(zaak: $0.key.description, lastPosition: $0.value?.laatstePositie ?? 0) }
        let results: [AppendResult]
        do {
            results = records.isEmpty ? [] : try log.append(records, conditions: conditions)
        } catch let error as LogError where error.kind == .conflict {
            let nummer = error.conflict.flatMap { Zaaknummer($0.zaak) }
            throw ZaakFout(.conflict, "zaak \(nummer?.description ?? "?") is tijdens de import door een ander gewijzigd; deze batch is niet geschreven. Draai de import opnieuw: wat al bevestigd is, wordt overgeslagen.")
        }
        for (index, result) in zip(fresh, results) {
            outcomes[index] = Ingevoerd(positie: result.position, alAanwezig: result.alreadyPresent, dubbelVan: nil, afwijkend: false)
        }
        // The zaken as they now stand in the log, for the catch-up below and the next batch: an
        // import sends a zaak's events over many batches, and reading each zaak back from the log
        // for every batch made it ten times slower than the append itself.
        var after = before
        var voorkennis: [Zaaknummer: Projecties.Voorkennis] = [:]
        for (index, result) in zip(fresh, results) where !result.alreadyPresent {
            let event = events[index].gebeurtenis
            var stored = event
            stored.positie = result.position
            if voorkennis[event.zaak] == nil, let known = before[event.zaak] ?? nil {
                voorkennis[event.zaak] = Projecties.Voorkennis(zaak: known, voor: result.position)
            }
            after[event.zaak] = .some(try evolve(after[event.zaak] ?? nil, stored))
        }
        if importStaten.count + after.count > Self.importStatenMaximum { importStaten.removeAll(keepingCapacity: true) }
        for case let (nummer, zaak?) in after { importStaten[nummer] = zaak }
        _ = bijwerkenNa(Array(voorkennis.values))
        return outcomes.map { outcome in
            let outcome = outcome!
            guard let first = outcome.dubbelVan else { return outcome }
            return Ingevoerd(positie: outcomes[first]!.positie, alAanwezig: true, dubbelVan: first, afwijkend: false)
        }
    }

    /// An event as its content compares: without the log's own fields.
    private static func inhoud(_ event: ZaakGebeurtenis) -> ZaakGebeurtenis {
        var event = event
        event.positie = nil
        event.vastgelegdOp = nil
        return event
    }

    /// The domain event at `position`, without the log's fields; nil when that line is not one.
    private func storedEvent(at position: Int64) throws -> ZaakGebeurtenis? {
        var found: ZaakGebeurtenis?
        try log.reader.read(from: position) { entry in
            found = try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels).map(Self.inhoud)
            return false
        }
        return found
    }

    static func sleutel(_ opening: ZaakGeopend) -> String { opening.inwoner.ref + "\u{0}" + opening.onderwerp }

    /// The zaak the read models know as the inwoner's most recently closed as opgelost on the
    /// opening's onderwerp (from earlier batches and commands), unless it is one of `behalve`.
    private func recentOpgelost(_ opening: ZaakGeopend, naast nummer: Zaaknummer, behalve: Set<Zaaknummer>) throws -> [Zaak] {
        if openedRegister == nil { try bijwerken() }
        guard let recent = try register().recentOpgelosteZaak(inwoner: opening.inwoner.ref, onderwerp: opening.onderwerp),
              recent != nummer, !behalve.contains(recent), let zaak = try importStaten[recent] ?? zaak(recent) else { return [] }
        return [zaak]
    }

    /// Zaken as the last import batch left them in the log. Safe to reuse: the next batch appends
    /// on the condition that each zaak's last position is still this state's, so a zaak another
    /// process changed in between is refused, not silently overwritten.
    private var importStaten: [Zaaknummer: Zaak] = [:]
    static let importStatenMaximum = 100_000

    // MARK: Appending

    private func controleerVersie(_ zaak: Zaak, _ verwachteVersie: Int?) throws {
        guard let verwachteVersie, verwachteVersie != zaak.versie else { return }
        throw Self.conflict(zaak.nummer, verwacht: verwachteVersie, werkelijk: zaak.versie)
    }

    static func conflict(_ nummer: Zaaknummer, verwacht: Int, werkelijk: Int?) -> ZaakFout {
        let now = werkelijk.map { "staat nu op versie \($0)" } ?? "is intussen gewijzigd"
        return ZaakFout(.conflict, "zaak \(nummer) \(now), u ging uit van versie \(verwacht); er is niets vastgelegd. "
            + "Bekijk de zaak opnieuw en voer de opdracht dan opnieuw uit", acties: [Actie(.bekijk, zaak: nummer)])
    }

    private func drukte(_ nummer: Zaaknummer) -> ZaakFout {
        ZaakFout(.conflict, "zaak \(nummer) werd \(Self.maximumPogingen) keer gewijzigd terwijl deze opdracht liep; er is niets vastgelegd, probeer het opnieuw")
    }

    /// Appends a decided batch if the zaak is still as read; nil when it changed and the caller
    /// may decide again.
    private func vastleggen(_ events: [ZaakGebeurtenis], op zaak: Zaak?, verwachteVersie: Int?, moment: Beslismoment,
                            aangesloten: Bool = false) throws -> Uitkomst? {
        let nummer = events[0].zaak
        let condition = StreamCondition(zaak: nummer.description, lastPosition: zaak?.laatstePositie ?? 0)
        guard let results = try append(events, conditions: [condition], stateVersion: verwachteVersie) else { return nil }
        // Another process with the same id basis got there first: report what it wrote.
        if results.contains(where: \.alreadyPresent) { return try eerderVastgelegd(moment, zeker: true) }
        let positions = results.map(\.position)
        var state = zaak
        var stored: [ZaakGebeurtenis] = []
        for (event, position) in zip(events, positions) {
            var event = event
            event.positie = position
            state = try evolve(state, event)
            stored.append(event)
        }
        let voorkennis = zaak.map { [Projecties.Voorkennis(zaak: $0, voor: positions[0])] } ?? []
        return Uitkomst(zaak: state!, gebeurtenissen: stored, alVastgelegd: false, aangeslotenBijLopendeZaak: aangesloten,
                        projectieFout: bijwerkenNa(voorkennis))
    }

    /// Appends a new zaak's events together with the reopening (rule 4) of `closed` that
    /// `decideNieuweZaak` put first, on the condition that neither zaak changed; nil when one did.
    private func vastleggenNaast(_ closed: Zaak, _ events: [ZaakGebeurtenis], moment: Beslismoment) throws -> Uitkomst? {
        guard events.first?.zaak == closed.nummer, events.count > 1 else {
            return try vastleggen(events, op: nil, verwachteVersie: nil, moment: moment)
        }
        let conditions = [StreamCondition(zaak: closed.nummer.description, lastPosition: closed.laatstePositie),
                          StreamCondition(zaak: events[1].zaak.description, lastPosition: 0)]
        guard let results = try append(events, conditions: conditions, stateVersion: nil) else { return nil }
        if results.contains(where: \.alreadyPresent) { return try eerderVastgelegd(moment, zeker: true) }
        var stored = zip(events, results).map { event, result in
            var event = event
            event.positie = result.position
            return event
        }
        let reopening = stored.removeFirst()
        _ = try evolve(closed, reopening)
        let zaak = try herstel(stored)!
        return Uitkomst(zaak: zaak, gebeurtenissen: stored, alVastgelegd: false, aangeslotenBijLopendeZaak: false,
                        projectieFout: bijwerkenNa([Projecties.Voorkennis(zaak: closed, voor: results[0].position)]), heropeningRegel4: reopening)
    }

    /// Catches the read models up after an append. The events are durable whatever happens here, so
    /// a failure is reported, not thrown; the next command catches up.
    private func bijwerkenNa(_ voorkennis: [Projecties.Voorkennis]) -> String? {
        do {
            try bijwerken(voorkennis: voorkennis)
            return nil
        } catch {
            return "\(LogError(storage: error) ?? error)"
        }
    }

    /// The log's results, or nil on a conflict the caller may retry. When the caller stated a
    /// version (`stateVersion` is the one it saw), the conflict is reported instead.
    private func append(_ events: [ZaakGebeurtenis], conditions: [StreamCondition], stateVersion: Int?) throws -> [AppendResult]? {
        let records = try sleutels.records(events)
        do {
            return try log.append(records, conditions: conditions)
        } catch let error as LogError where error.kind == .conflict {
            guard let stateVersion else { return nil }
            throw Self.conflict(events[0].zaak, verwacht: stateVersion, werkelijk: nil)
        }
    }

    /// A command retried with the same id basis: its events are in the log already. `zeker`: the
    /// log just reported them present, so look even when retries are not expected.
    private func eerderVastgelegd(_ moment: Beslismoment, zeker: Bool = false) throws -> Uitkomst? {
        guard herkenHerhalingen || zeker, try log.position(ofId: moment.idBasis + ".1") != nil else { return nil }
        var events: [ZaakGebeurtenis] = []
        var nummer: Zaaknummer?
        for index in 1... {
            guard let position = try log.position(ofId: "\(moment.idBasis).\(index)") else { break }
            var found: ZaakGebeurtenis?
            try log.reader.read(from: position) { entry in
                found = try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels)
                return false
            }
            guard let event = found else { break }
            nummer = nummer ?? event.zaak
            if event.zaak == nummer { events.append(event) }
        }
        guard let nummer, let zaak = try zaak(nummer) else { return nil }
        return Uitkomst(zaak: zaak, gebeurtenissen: events, alVastgelegd: true, aangeslotenBijLopendeZaak: false)
    }
}
