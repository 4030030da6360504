import Domain
import EventLog
import SQLite

/// Applies log entries to the read models. Each event is folded into its zaak's state with the
/// domain's own `evolve`, so the projected status, closure findings and next step are exactly what
/// the deciders see. Per event it writes what the event alone determines (a contact, a closing);
/// per changed zaak it writes the zaak's row and its doorverwijzingen once per flush.
///
/// States are cached up to `capaciteit` zaken (memory stays bounded on a rebuild of any size); a
/// zaak not in the cache is read back from the log.
final class Toepasser {
    private let log: LogReader
    private let sleutels: LogSleutels
    /// Set when an applied event erased a zaak's data: the caller empties the WAL after committing.
    private(set) var wisteGegevens = false
    private var voorkennis: [Zaaknummer: Projecties.Voorkennis]
    private var cache: [Zaaknummer: (zaak: Zaak, gebruikt: Int)] = [:]
    private var gewijzigd: Set<Zaaknummer> = []
    private var klok = 0
    private let capaciteit: Int

    private let insertContact: Statement
    private let answerQuestions: Statement
    private let insertClosing: Statement
    private let reopenClosing: Statement
    private let forgetClosings: Statement
    private let upsertZaak: Statement
    private let upsertHandoff: Statement
    private let zakenOfInwoner: Statement

    init(database: Database, log: LogReader, sleutels: LogSleutels, voorkennis: [Projecties.Voorkennis], capaciteit: Int = 50_000) throws {
        self.log = log
        self.sleutels = sleutels
        self.voorkennis = Dictionary(voorkennis.map { ($0.zaak.nummer, $0) }, uniquingKeysWith: { _, last in last })
        self.capaciteit = capaciteit
        insertContact = try database.prepare("INSERT INTO contacten VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)")
        answerQuestions = try database.prepare("""
            UPDATE contacten SET beantwoord_op = ?1,
                antwoord_seconden = CAST(round((julianday(?1) - julianday(plaatsgevonden_op)) * 86400) AS INTEGER)
            WHERE zaak = ?2 AND vraag = 1 AND beantwoord_op IS NULL
            """)
        insertClosing = try database.prepare("INSERT OR REPLACE INTO afsluitingen VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)")
        reopenClosing = try database.prepare("UPDATE afsluitingen SET heropend_op = ?, heropen_aanleiding = ?, heropen_reden = ? WHERE zaak = ? AND volgnummer = ?")
        forgetClosings = try database.prepare(
            "UPDATE afsluitingen SET afwijking_reden = iif(afwijking_reden IS NULL, NULL, ?1), heropen_reden = iif(heropen_reden IS NULL, NULL, ?1) WHERE zaak = ?2")
        upsertZaak = try database.prepare("""
            INSERT OR REPLACE INTO zaken(nummer, jaar, volgnummer, inwoner, onderwerp, kanaal, afdeling, status, versie, laatste_positie,
                geopend_op, omschrijving, geopend_dag, uiterlijk_afgehandeld_op, resultaat, afgesloten_op, heropen_tot, hoofdzaak,
                eerste_uitkomst, contacten, heropend, niet_echt_opgelost, bevindingen, volgende_stap, volgende_acties,
                archiefnominatie, archiefactiedatum, archiefstatus)
            VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        upsertHandoff = try database.prepare("INSERT OR REPLACE INTO doorverwijzingen VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        zakenOfInwoner = try database.prepare("SELECT nummer FROM zaken WHERE inwoner = ?")
    }

    /// Applies one entry with its decoded event; false when it is not a domain event this
    /// projection can apply (skipped).
    func pasToe(_ entry: LogEntry, _ decoded: ZaakGebeurtenis?) throws -> Bool {
        guard let event = decoded else { return false }
        let before: Zaak?
        if case .gegevensGewist = event.gebeurtenis {
            before = try forget(event.zaak, before: entry.position)
        } else if case .zaakGeopend = event.gebeurtenis {
            before = nil
        } else {
            guard let known = try state(of: event.zaak, before: entry.position) else { return false }
            before = known
        }
        guard let after = try? evolve(before, event) else { return false }
        klok += 1
        cache[event.zaak] = (after, klok)
        gewijzigd.insert(event.zaak)
        try writeEventRows(event, position: entry.position, before: before, after: after)
        if cache.count > capaciteit { try evict() }
        return true
    }

    /// Carries out an erasure as it is applied (again, after a crash: every step can be repeated):
    /// the zaak's key is deleted before the rows that forget commit, so that no read model is left
    /// with plaintext whose key is gone; then the zaak is read back from the log, its members now
    /// gewist, and the rows written from that state. Returns the state before the erasure event.
    /// The inwoner's pseudonym in the processing log goes with their last zaak that is not erased,
    /// before its key: once the key is gone the reference can no longer be read to find it.
    private func forget(_ nummer: Zaaknummer, before position: Int64) throws -> Zaak? {
        // One read of the zaak's lines, folded before the key goes (unless known) and after.
        let lines = try log.events(ofZaak: nummer.description, before: position)
        let known = try cache[nummer]?.zaak ?? voorkennis[nummer].flatMap { $0.voor == position ? $0.zaak : nil } ?? fold(lines)
        if let inwoner = known?.inwoner.ref, !Inwoner.isGewisteRef(inwoner), try !hasOtherZaak(of: inwoner, than: nummer) {
            try sleutels.keys.forgetSubject(inwoner)
        }
        try sleutels.keys.shred([nummer.description])
        cache.removeValue(forKey: nummer)
        voorkennis.removeValue(forKey: nummer)
        try forgetClosings.run { try $0.bind(1, gewisteTekst); try $0.bind(2, nummer.description) }
        wisteGegevens = true
        return try fold(lines)
    }

    /// Whether `inwoner` has a zaak other than `nummer` that is not erased, as the states applied so
    /// far say (a cached state is newer than its row).
    private func hasOtherZaak(of inwoner: String, than nummer: Zaaknummer) throws -> Bool {
        if cache.contains(where: { $0.key != nummer && $0.value.zaak.inwoner.ref == inwoner }) { return true }
        try zakenOfInwoner.bind(1, inwoner)
        defer { zakenOfInwoner.reset() }
        while try zakenOfInwoner.step() {
            if let other = Zaaknummer(zakenOfInwoner.string(0)), other != nummer, cache[other] == nil { return true }
        }
        return false
    }

    /// The zaak's state before `position`: cached, known from the command, or read from the log.
    private func state(of nummer: Zaaknummer, before position: Int64) throws -> Zaak? {
        if let cached = cache[nummer] { return cached.zaak }
        if let known = voorkennis.removeValue(forKey: nummer), known.voor == position { return known.zaak }
        return try fold(try log.events(ofZaak: nummer.description, before: position))
    }

    /// The state the zaak's `lines` give, decoded with the keys as they are now; nil when one is
    /// not an event this projection can apply.
    private func fold(_ lines: [LogEntry]) throws -> Zaak? {
        let decoded = try lines.map { entry throws(ZaakFout) in try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels) }
        guard !decoded.contains(where: { $0 == nil }) else { return nil }
        return try? herstel(decoded.compactMap(\.self))
    }

    private func writeEventRows(_ event: ZaakGebeurtenis, position: Int64, before: Zaak?, after: Zaak) throws {
        let nummer = event.zaak.description
        if let contact = event.gebeurtenis.contact {
            // An inbound message starts a question unless one is already waiting for an answer.
            let isMessage = event.gebeurtenis.soort == .berichtOntvangen
            let startsQuestion = isMessage && !(before.map(hasOpenQuestion) ?? false)
            try insertContact.run {
                try $0.bind(1, position)
                try $0.bind(2, nummer)
                try $0.bind(3, Int64(event.versie))
                try $0.bind(4, event.gebeurtenis.type)
                try $0.bind(5, contact.kanaal.rawValue)
                try $0.bind(6, contact.richting.rawValue)
                try $0.bind(7, event.plaatsgevondenOp.description)
                try $0.bind(8, Kalender.lokaleDatum(event.plaatsgevondenOp).description)
                if case let .gesprekGevoerd(gesprek) = event.gebeurtenis {
                    try $0.bind(9, gesprek.uitkomst.rawValue)
                    try $0.bind(10, gesprek.wachttijdSeconden.map(Int64.init))
                    try $0.bind(11, Int64(gesprek.duurSeconden))
                }
                try $0.bind(12, Int64(startsQuestion ? 1 : 0))
            }
        }
        if event.gebeurtenis.informeertInwoner, before.map(hasOpenQuestion) ?? false {
            try answerQuestions.run {
                try $0.bind(1, event.plaatsgevondenOp.description)
                try $0.bind(2, nummer)
            }
        }
        switch event.gebeurtenis {
        case let .zaakAfgesloten(closing):
            try insertClosing.run {
                try $0.bind(1, nummer)
                try $0.bind(2, Int64(after.afsluitingen.count))
                try $0.bind(3, event.plaatsgevondenOp.description)
                try $0.bind(4, Kalender.lokaleDatum(event.plaatsgevondenOp).description)
                try $0.bind(5, closing.resultaat.rawValue)
                try $0.bind(6, Int64(closing.direct ? 1 : 0))
                try $0.bind(7, (event.plaatsgevondenOp.milliseconden - after.geopendOp.milliseconden) / 1000)
                try $0.bind(8, closing.afwijking.map { $0.regels.map(String.init).joined(separator: ",") })
                try $0.bind(9, closing.afwijking?.reden)
            }
        case let .zaakHeropend(reopening):
            try reopenClosing.run {
                try $0.bind(1, event.plaatsgevondenOp.description)
                try $0.bind(2, reopening.aanleiding.rawValue)
                try $0.bind(3, reopening.reden)
                try $0.bind(4, nummer)
                try $0.bind(5, Int64(after.afsluitingen.count))
            }
        default:
            break
        }
    }

    /// An inbound message after the last event that informed the inwoner (the same events as rule
    /// 2 counts: `InwonerGeinformeerd` or an outbound contact that reached them, not a `niet-bereikt`
    /// call): the inwoner is waiting for an answer.
    private func hasOpenQuestion(_ zaak: Zaak) -> Bool {
        let answered = zaak.laatstGeinformeerdVersie ?? 0
        for contact in zaak.contacten.reversed() {
            if contact.versie <= answered { return false }
            if contact.soort == .berichtOntvangen { return true }
        }
        return false
    }

    /// Writes the row of every zaak changed since the last flush, with its doorverwijzingen.
    func flush() throws {
        for nummer in gewijzigd {
            guard let zaak = cache[nummer]?.zaak else { continue }
            try writeZaak(zaak)
            for handoff in zaak.overdrachten { try writeHandoff(handoff, of: zaak) }
        }
        gewijzigd.removeAll(keepingCapacity: true)
    }

    private func writeZaak(_ zaak: Zaak) throws {
        let status: String, resultaat: String?, hoofdzaak: String?
        switch zaak.status {
        case .open: (status, resultaat, hoofdzaak) = ("open", nil, nil)
        case let .gesloten(result): (status, resultaat, hoofdzaak) = ("gesloten", result.rawValue, nil)
        case let .gekoppeld(main): (status, resultaat, hoofdzaak) = ("gekoppeld", nil, main.description)
        }
        let findings = zaak.isOpen ? zaak.afsluitbevindingen(resultaat: .opgelost).map { "regel \($0.regel): \($0.melding)" } : []
        let next = zaak.volgendeStap
        try upsertZaak.run {
            try $0.bind(1, zaak.nummer.description)
            try $0.bind(2, Int64(zaak.nummer.jaar))
            try $0.bind(3, Int64(zaak.nummer.volgnummer))
            try $0.bind(4, zaak.inwoner.ref)
            try $0.bind(5, zaak.onderwerp)
            try $0.bind(6, zaak.opening.kanaal.rawValue)
            try $0.bind(7, zaak.opening.afdeling)
            try $0.bind(8, status)
            try $0.bind(9, Int64(zaak.versie))
            try $0.bind(10, zaak.laatstePositie)
            try $0.bind(11, zaak.geopendOp.description)
            try $0.bind(12, zaak.opening.omschrijving)
            try $0.bind(13, Kalender.lokaleDatum(zaak.geopendOp).description)
            try $0.bind(14, zaak.opening.uiterlijkAfgehandeldOp.description)
            try $0.bind(15, resultaat)
            try $0.bind(16, zaak.isOpen ? nil : zaak.afgeslotenOp?.description)
            try $0.bind(17, zaak.heropenvensterTot?.description)
            try $0.bind(18, hoofdzaak)
            try $0.bind(19, eersteUitkomst(zaak))
            try $0.bind(20, Int64(zaak.contacten.count))
            try $0.bind(21, Int64(zaak.heropeningen.count))
            try $0.bind(22, Int64(zaak.nietEchtOpgelost.count))
            try $0.bind(23, findings.joined(separator: "\n"))
            try $0.bind(24, next.tekst)
            try $0.bind(25, Actie.opslagvorm(next.acties))
            try $0.bind(26, zaak.opening.archiefnominatie.rawValue)
            // A reopened zaak has no archiefactiedatum until it is closed again.
            try $0.bind(27, zaak.isOpen ? nil : zaak.afsluiting?.archiefactiedatum?.description)
            try $0.bind(28, zaak.archiefstatus.rawValue)
        }
    }

    /// How the first contact ended (the Antwoord figures: direct, doorverbonden, terugbelverzoek), by
    /// the order and content of events, never by equal clocks: a call by its own uitkomst
    /// (`doorverbonden` or `warm-doorverbonden`, `terugbelverzoek`); another first contact (a
    /// webformulier melding routed to the afdeling) by a doorverwijzing or terugbelverzoek that is
    /// the zaak's very next event; else a first closing that was direct. docs/projections.md.
    private func eersteUitkomst(_ zaak: Zaak) -> String {
        if let first = zaak.contacten.first {
            if let uitkomst = first.uitkomst {
                switch uitkomst {
                case .doorverbonden, .warmDoorverbonden: return "doorverbonden"
                case .terugbelverzoek: return "terugbelverzoek"
                case .directBeantwoord, .nietOpgelost, .nietBereikt: break
                }
            } else if let handoff = zaak.overdrachten.first, handoff.versie == first.versie + 1 {
                return handoff.isTerugbelverzoek ? "terugbelverzoek" : "doorverbonden"
            }
        }
        return zaak.afsluitingen.first?.direct == true ? "direct" : "anders"
    }

    private func writeHandoff(_ handoff: Zaak.Overdracht, of zaak: Zaak) throws {
        let first = handoff.terugkoppelingen.first
        try upsertHandoff.run {
            try $0.bind(1, zaak.nummer.description)
            try $0.bind(2, handoff.id)
            try $0.bind(3, handoff.afdeling)
            try $0.bind(4, handoff.soort.rawValue)
            try $0.bind(5, Int64(handoff.isTerugbelverzoek ? 1 : 0))
            try $0.bind(6, handoff.gevraagdeHandeling)
            try $0.bind(7, handoff.aangemaaktOp.description)
            try $0.bind(8, handoff.uiterlijkOp.description)
            try $0.bind(9, handoff.isOpen ? "te_verwerken" : "verwerkt")
            try $0.bind(10, handoff.terugkoppelingen.last?.uitkomst.rawValue)
            try $0.bind(11, first?.op.description)
            // Late by the first terugkoppeling: the afdeling answered then, whatever it said.
            try $0.bind(12, first.map { Int64(Kalender.werkdagenTeLaat(uiterlijk: handoff.uiterlijkOp, op: Kalender.lokaleDatum($0.op))) })
        }
    }

    /// Keeps the cache within its limit: writes pending rows, then forgets the least recently used half.
    private func evict() throws {
        try flush()
        let keep = cache.sorted { $0.value.gebruikt > $1.value.gebruikt }.prefix(capaciteit / 2)
        cache = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
    }
}
