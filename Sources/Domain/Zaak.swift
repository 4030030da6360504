/// The state of one zaak, folded from its events by `evolve`. `evolve` is also the gatekeeper: an
/// event that could not have happened in this state (a terugkoppeling for a doorverwijzing that does
/// not exist, closing a closed zaak, closing against the closure rules without an afwijking) is
/// refused, whether it comes from a decider, an import or a replay.
public struct Zaak: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case open
        case gesloten(Resultaat)
        /// Folded into another zaak (`ZakenGekoppeld`); contacts go there.
        case gekoppeld(aan: Zaaknummer)
    }

    public struct Contactmoment: Sendable, Equatable {
        public let kanaal: Kanaal
        public let richting: Richting
        public let op: Tijdstip
        public let soort: Gebeurtenis.Soort
        /// The zaak's versie of the event.
        public let versie: Int
        /// The contact reached the inwoner: false only for a call with `indicatieContactGelukt` false
        /// (an outbound call nobody answered, `niet-bereikt`).
        public let gelukt: Bool
        /// A call's uitkomst (nil for other contacts).
        public let uitkomst: GesprekUitkomst?
    }

    /// A doorverwijzing (or terugbelverzoek) and the terugkoppelingen on it.
    public struct Overdracht: Sendable, Equatable {
        public let id: String
        public let afdeling: String
        public let soort: Doorverwijzingssoort
        public let gevraagdeHandeling: String
        public let uiterlijkOp: Datum
        public let aangemaaktOp: Tijdstip
        public let isTerugbelverzoek: Bool
        /// The zaak's versie of the event that made it.
        public let versie: Int
        public fileprivate(set) var terugkoppelingen: [Terugkoppeling] = []

        /// Still `te_verwerken` for the afdeling: no terugkoppeling yet.
        public var isOpen: Bool { terugkoppelingen.isEmpty }

        /// A later terugkoppeling is accepted only after "niet opgelost" (the afdeling solved it after all).
        var accepteertTerugkoppeling: Bool { terugkoppelingen.last.map { $0.uitkomst == .nietOpgelost } ?? true }
    }

    public struct Terugkoppeling: Sendable, Equatable {
        public let uitkomst: TerugkoppelingUitkomst
        public let op: Tijdstip
        /// The zaak's versie of the event: rules compare the order of events, not their clocks.
        public let versie: Int
    }

    public let nummer: Zaaknummer
    public let opening: ZaakGeopend
    public let geopendOp: Tijdstip
    public internal(set) var versie: Int
    /// The log position of the last event, when the events came from the log (0 otherwise).
    public internal(set) var laatstePositie: Int64
    public private(set) var status: Status = .open
    public private(set) var contacten: [Contactmoment] = []
    public private(set) var overdrachten: [Overdracht] = []
    /// Versie of the last event that informed the inwoner (`Gebeurtenis.informeertInwoner`): what
    /// rule 2 asks for and what answers a waiting question.
    public private(set) var laatstGeinformeerdVersie: Int?
    /// Set when a survey said "niet opgelost" within the window of a zaak closed as opgelost: rule 5
    /// then reopens the zaak, so its next event must be that reopening (the decider makes both in one
    /// batch; an import must carry both). Nil otherwise.
    public private(set) var vereisteHeropening: Heropenaanleiding?
    /// Versie of the last reopening by the closure check (rules 4 and 5).
    public private(set) var controleHeropendVersie: Int?
    /// Every closing, oldest first (a reopened zaak can be closed again).
    public private(set) var afsluitingen: [ZaakAfgesloten] = []
    public var afsluiting: ZaakAfgesloten? { afsluitingen.last }
    public private(set) var afgeslotenOp: Tijdstip?
    public private(set) var heropeningen: [ZaakHeropend] = []
    public private(set) var gekoppeldeZaken: [Zaaknummer] = []
    public private(set) var tevredenheid: [TevredenheidGemeten] = []
    /// Set once the zaak's personal data was erased: nothing can be added to it after that.
    public private(set) var gewist: GegevensGewist?

    public var isOpen: Bool { status == .open }
    /// `vernietigd` once destroyed under the Archiefwet (after an erasure on request too), else `nog_te_archiveren`.
    public var archiefstatus: Archiefstatus { gewist?.grondslag == .archiefwet ? .vernietigd : .nogTeArchiveren }
    public var inwoner: Inwoner { opening.inwoner }
    public var onderwerp: String { opening.onderwerp }
    public var openOverdrachten: [Overdracht] { overdrachten.filter(\.isOpen) }

    /// The id the next doorverwijzing of this zaak gets.
    public var volgendeDoorverwijzing: String { "D\(overdrachten.count + 1)" }

    public func overdracht(_ id: String) -> Overdracht? {
        overdrachten.first { $0.id.lowercased() == id.lowercased() }
    }

    /// Settled in the first contact: one inbound contact (the answer to it may follow), never
    /// handed off, never reopened.
    public var isDirectAfhandelbaar: Bool {
        contacten.count(where: { $0.richting == .inkomend }) <= 1 && overdrachten.isEmpty && heropeningen.isEmpty
    }

    /// The last local date on which the inwoner coming back on the onderwerp (rule 4) or a survey
    /// saying "not solved" (rule 5) reopens the zaak: the closing date plus the window the onderwerp
    /// had when the zaak was opened. Nil unless the zaak is closed as opgelost.
    public var heropenvensterTot: Datum? {
        guard case .gesloten(.opgelost) = status, let afgeslotenOp else { return nil }
        return Kalender.lokaleDatum(afgeslotenOp).plus(dagen: opening.heropenvensterDagen)
    }

    /// Whether the inwoner coming back at `moment` falls within the reopening window (rules 4 and 5).
    public func isInHeropenvenster(op moment: Tijdstip) -> Bool {
        heropenvensterTot.map { Kalender.lokaleDatum(moment) <= $0 } ?? false
    }

    /// The reopenings by the closure check (rules 4 and 5): each says a closure was not echt opgelost.
    public var nietEchtOpgelost: [ZaakHeropend] { heropeningen.filter { $0.aanleiding != .handmatig } }

    init(_ event: ZaakGebeurtenis, _ opening: ZaakGeopend) {
        nummer = event.zaak
        self.opening = opening
        geopendOp = event.plaatsgevondenOp
        versie = 1
        laatstePositie = event.positie ?? 0
    }
}

/// Folds one event into the state (nil before the zaak's first event), or refuses it.
public func evolve(_ zaak: Zaak?, _ event: ZaakGebeurtenis) throws(ZaakFout) -> Zaak {
    guard var zaak else {
        guard case let .zaakGeopend(opening) = event.gebeurtenis else {
            throw ZaakFout(.onbekend, "zaak \(event.zaak) bestaat niet; een zaak begint met ZaakGeopend")
        }
        guard event.versie == 1 else { throw ZaakFout(.ongeldig, "de eerste gebeurtenis van een zaak heeft versie 1, niet \(event.versie)") }
        try Validatie.opening(opening)
        return Zaak(event, opening)
    }
    guard event.zaak == zaak.nummer else { throw ZaakFout(.ongeldig, "gebeurtenis van zaak \(event.zaak) hoort niet bij zaak \(zaak.nummer)") }
    guard event.versie == zaak.versie + 1 else {
        throw ZaakFout(.conflict, "zaak \(zaak.nummer) staat op versie \(zaak.versie); deze gebeurtenis heeft versie \(event.versie), verwacht \(zaak.versie + 1)")
    }
    // Agents working at once, or noting the call that led to the zaak, give events a little before
    // its opening; a day before is a typo (1969 for 2026) or belongs to another zaak.
    guard event.plaatsgevondenOp.milliseconden >= zaak.geopendOp.milliseconden - voorOpeningMaximum else {
        throw ZaakFout(.ongeldig, "plaatsgevondenOp \(event.plaatsgevondenOp) ligt meer dan een dag vóór de opening van zaak \(zaak.nummer) "
            + "(\(zaak.geopendOp)); wat eerder gebeurde, hoort bij een eerdere zaak of opent een nieuwe")
    }
    try zaak.apply(event)
    zaak.versie = event.versie
    zaak.laatstePositie = event.positie ?? zaak.laatstePositie
    return zaak
}

/// How long before its zaak's opening an event may have happened (milliseconds): one day.
public let voorOpeningMaximum: Int64 = 24 * 3_600_000

/// Folds a zaak's events in order; nil for none.
public func herstel(_ events: [ZaakGebeurtenis]) throws(ZaakFout) -> Zaak? {
    var zaak: Zaak?
    for event in events { zaak = try evolve(zaak, event) }
    return zaak
}

extension Zaak {
    fileprivate mutating func apply(_ event: ZaakGebeurtenis) throws(ZaakFout) {
        let gebeurtenis = event.gebeurtenis
        // After an erasure only the zaak's destruction may follow, once it is due: an erasure on
        // request does not take away the Archiefwet's record that the zaak was destroyed.
        if let gewist, !(gewist.grondslag != .archiefwet && gebeurtenis.isVernietiging) {
            throw ZaakFout(.regel, "de gegevens van zaak \(nummer) zijn gewist (\(gewist.grondslag.rawValue), \(gewist.verzoek)); "
                + "er kan niets meer aan worden toegevoegd")
        }
        // Erasure stands outside the zaak's course: allowed in every state, it changes none of it.
        if case let .gegevensGewist(erasure) = gebeurtenis {
            try Validatie.tekst(erasure.verzoek, veld: "verzoek", maximum: 128)
            try Validatie.tekst(erasure.reden, veld: "reden", maximum: 500)
            gewist = erasure
            return
        }
        if let vereist = vereisteHeropening {
            guard case let .zaakHeropend(reopening) = gebeurtenis, reopening.aanleiding == vereist else {
                throw ZaakFout(.regel, "regel 5: de inwoner zei in een tevredenheidsmeting binnen het heropenvenster dat het probleem niet is opgelost; "
                    + "dan volgt als volgende gebeurtenis van zaak \(nummer) de heropening (ZaakHeropend met aanleiding \(vereist.rawValue), "
                    + "actor systeem \(echtOpgelostControle.id)), niet \(gebeurtenis.type)", regels: [5])
            }
            vereisteHeropening = nil
        }
        try checkStatus(allows: gebeurtenis)
        if let contact = gebeurtenis.contact {
            var uitkomst: GesprekUitkomst?
            if case let .gesprekGevoerd(gesprek) = gebeurtenis { uitkomst = gesprek.uitkomst }
            contacten.append(Contactmoment(kanaal: contact.kanaal, richting: contact.richting, op: event.plaatsgevondenOp, soort: gebeurtenis.soort,
                                           versie: event.versie, gelukt: gebeurtenis.isGeluktContact, uitkomst: uitkomst))
        }
        if gebeurtenis.informeertInwoner { laatstGeinformeerdVersie = event.versie }
        switch gebeurtenis {
        case .zaakGeopend:
            throw ZaakFout(.regel, "zaak \(nummer) is al geopend; ZaakGeopend kan alleen de eerste gebeurtenis zijn")
        case let .meldingOntvangen(melding):
            try Validatie.melding(melding)
        case let .gesprekGevoerd(gesprek):
            try Validatie.gesprek(gesprek)
        case let .berichtOntvangen(bericht):
            try Validatie.bericht(bericht.kanaal, bericht.inhoud)
        case let .berichtVerstuurd(bericht):
            try Validatie.bericht(bericht.kanaal, bericht.inhoud)
        case let .doorverwezen(handoff):
            try checkNewHandoff(handoff.doorverwijzing, afdeling: handoff.afdeling)
            try Validatie.tekst(handoff.gevraagdeHandeling, veld: "gevraagdeHandeling", maximum: 200)
            try Validatie.tekst(handoff.toelichting, veld: "toelichting", maximum: 2000)
            overdrachten.append(Overdracht(id: handoff.doorverwijzing, afdeling: handoff.afdeling, soort: handoff.soort,
                                           gevraagdeHandeling: handoff.gevraagdeHandeling, uiterlijkOp: handoff.uiterlijkOp,
                                           aangemaaktOp: event.plaatsgevondenOp, isTerugbelverzoek: false, versie: event.versie))
        case let .terugbelverzoekAangemaakt(callback):
            try checkNewHandoff(callback.doorverwijzing, afdeling: callback.afdeling)
            try Validatie.tekst(callback.toelichting, veld: "toelichting", maximum: 2000)
            try Validatie.persoonsgegevens(callback.persoonsgegevens)
            overdrachten.append(Overdracht(id: callback.doorverwijzing, afdeling: callback.afdeling, soort: .warm,
                                           gevraagdeHandeling: TerugbelverzoekAangemaakt.gevraagdeHandeling, uiterlijkOp: callback.uiterlijkOp,
                                           aangemaaktOp: event.plaatsgevondenOp, isTerugbelverzoek: true, versie: event.versie))
        case let .terugkoppelingOntvangen(feedback):
            try acceptFeedback(feedback, event)
        case let .inwonerGeinformeerd(informed):
            try Validatie.optioneleTekst(informed.toelichting, veld: "toelichting", maximum: 2000)
        case let .zakenGekoppeld(link):
            try acceptLink(link)
        case let .zaakAfgesloten(closing):
            try acceptClosing(closing)
            status = .gesloten(closing.resultaat)
            afsluitingen.append(closing)
            afgeslotenOp = event.plaatsgevondenOp
        case let .zaakHeropend(reopening):
            try Validatie.tekst(reopening.reden, veld: "reden", maximum: 2000)
            status = .open
            heropeningen.append(reopening)
            if reopening.aanleiding != .handmatig { controleHeropendVersie = event.versie }
        case let .tevredenheidGemeten(measurement):
            guard (1...10).contains(measurement.score) else {
                throw ZaakFout(.ongeldig, "score \(measurement.score) ligt niet tussen 1 en 10")
            }
            try Validatie.optioneleTekst(measurement.toelichting, veld: "toelichting", maximum: 2000)
            if !measurement.opgelostVolgensInwoner, isInHeropenvenster(op: event.plaatsgevondenOp) { vereisteHeropening = .tevredenheid }
            tevredenheid.append(measurement)
        case .gegevensGewist:
            preconditionFailure("applied above")
        }
    }

    private func checkStatus(allows gebeurtenis: Gebeurtenis) throws(ZaakFout) {
        switch status {
        case .open:
            if case .zaakHeropend = gebeurtenis {
                throw ZaakFout(.regel, "zaak \(nummer) is niet gesloten; alleen een gesloten zaak kan heropend worden")
            }
        case let .gekoppeld(hoofdzaak):
            throw ZaakFout(.regel, "zaak \(nummer) is gekoppeld aan \(hoofdzaak); registreer alles op \(hoofdzaak)", acties: [Actie(.werkOpHoofdzaak, zaak: hoofdzaak)])
        case let .gesloten(resultaat):
            switch gebeurtenis {
            // After closing: a late terugkoppeling, telling the inwoner, a survey, or reopening.
            case .terugkoppelingOntvangen, .inwonerGeinformeerd, .tevredenheidGemeten, .zaakHeropend, .berichtVerstuurd:
                return
            case .zaakAfgesloten:
                throw ZaakFout(.regel, "zaak \(nummer) is al gesloten (resultaat \(resultaat.rawValue)); heropen hem eerst", acties: [Actie(.heropen, zaak: nummer)])
            default:
                throw ZaakFout(.regel, "zaak \(nummer) is gesloten (resultaat \(resultaat.rawValue)); heropen hem eerst of registreer een nieuwe zaak",
                               acties: [Actie(.heropen, zaak: nummer), Actie(.nieuweZaak)])
            }
        }
    }

    private func checkNewHandoff(_ id: String, afdeling: String) throws(ZaakFout) {
        guard id == volgendeDoorverwijzing else {
            throw ZaakFout(.ongeldig, "doorverwijzing '\(id.citaat)' past niet; de volgende doorverwijzing van zaak \(nummer) heet \(volgendeDoorverwijzing)")
        }
        try Validatie.tekst(afdeling, veld: "afdeling", maximum: 100)
    }

    private mutating func acceptFeedback(_ feedback: TerugkoppelingOntvangen, _ event: ZaakGebeurtenis) throws(ZaakFout) {
        guard let index = overdrachten.firstIndex(where: { $0.id == feedback.doorverwijzing }) else {
            let known = overdrachten.map { "\($0.id) (\($0.afdeling))" }.joined(separator: ", ")
            throw ZaakFout(.onbekend, "zaak \(nummer) heeft geen doorverwijzing '\(feedback.doorverwijzing)'; "
                + (known.isEmpty ? "er is nog niet doorverwezen" : "wel: \(known)"))
        }
        let handoff = overdrachten[index]
        guard handoff.accepteertTerugkoppeling else {
            throw ZaakFout(.regel, "doorverwijzing \(handoff.id) (\(handoff.afdeling)) heeft al een terugkoppeling (\(handoff.terugkoppelingen.last!.uitkomst.rawValue))")
        }
        try Validatie.tekst(feedback.toelichting, veld: "toelichting", maximum: 2000)
        if feedback.uitkomst == .doorgestuurd {
            guard let target = feedback.doorgestuurdNaar, !target.isEmpty else {
                throw ZaakFout(.ongeldig, "bij uitkomst doorgestuurd hoort doorgestuurdNaar: de afdeling die het overneemt")
            }
            guard target.lowercased() != handoff.afdeling.lowercased() else {
                throw ZaakFout(.ongeldig, "doorgestuurdNaar is dezelfde afdeling (\(target)); kies een andere afdeling")
            }
        } else if feedback.doorgestuurdNaar != nil {
            throw ZaakFout(.ongeldig, "doorgestuurdNaar hoort alleen bij uitkomst doorgestuurd")
        }
        overdrachten[index].terugkoppelingen.append(Terugkoppeling(uitkomst: feedback.uitkomst, op: event.plaatsgevondenOp, versie: event.versie))
    }

    private mutating func acceptLink(_ link: ZakenGekoppeld) throws(ZaakFout) {
        guard link.hoofdzaak != link.gekoppeldeZaak else { throw ZaakFout(.ongeldig, "een zaak kan niet aan zichzelf gekoppeld worden") }
        try Validatie.tekst(link.reden, veld: "reden", maximum: 2000)
        if link.hoofdzaak == nummer {
            gekoppeldeZaken.append(link.gekoppeldeZaak)
        } else if link.gekoppeldeZaak == nummer {
            if let open = openOverdrachten.first {
                throw ZaakFout(.regel, "zaak \(nummer) heeft een open doorverwijzing (\(open.id), \(open.afdeling)); wacht op de terugkoppeling of koppel andersom")
            }
            status = .gekoppeld(aan: link.hoofdzaak)
        } else {
            throw ZaakFout(.ongeldig, "ZakenGekoppeld op zaak \(nummer) noemt deze zaak niet")
        }
    }

    private func acceptClosing(_ closing: ZaakAfgesloten) throws(ZaakFout) {
        try Validatie.optioneleTekst(closing.toelichting, veld: "toelichting", maximum: 2000)
        if closing.archiefactiedatum != nil, opening.archiefnominatie == .blijvendBewaren {
            throw ZaakFout(.ongeldig, "zaak \(nummer) wordt blijvend bewaard; een archiefactiedatum hoort daar niet bij")
        }
        if closing.direct, !isDirectAfhandelbaar {
            throw ZaakFout(.ongeldig, "direct klopt niet: zaak \(nummer) had meer dan één contact of een doorverwijzing")
        }
        let broken = afsluitbevindingen(resultaat: closing.resultaat)
        let overridden = Set(closing.afwijking?.regels ?? [])
        let unexcused = broken.filter { !overridden.contains($0.regel) }
        if let afwijking = closing.afwijking {
            try Validatie.tekst(afwijking.reden, veld: "afwijking.reden", maximum: 2000)
            guard afwijking.regels.allSatisfy((1...3).contains) else { throw ZaakFout(.ongeldig, "afwijking.regels mag alleen 1, 2 en 3 bevatten") }
        }
        guard unexcused.isEmpty else {
            let rules = Array(Set(unexcused.map(\.regel))).sorted()
            throw ZaakFout(.regel, "zaak \(nummer) kan nog niet gesloten worden als \(closing.resultaat.rawValue): "
                + unexcused.map(\.melding).joined(separator: "; ") + ". Moet het toch, sluit dan af met een afwijking en de reden (wordt vastgelegd)",
                regels: rules, acties: unexcused.compactMap(\.actie) + [Actie(.sluitMetAfwijking, zaak: nummer, resultaat: closing.resultaat)])
        }
    }
}

/// The named system actor that reopens a zaak under the closure check's rules 4 and 5, so the
/// history says the system, not an agent, decided it was not echt opgelost.
public let echtOpgelostControle = Actor(soort: .systeem, id: "echt-opgelost-controle")

/// A closure rule (BRIEF §4) that does not hold now, with what is missing.
public struct Afsluitbevinding: Sendable, Equatable {
    public let regel: Int
    public let melding: String
    /// The step that makes the rule hold, where one does.
    public let actie: Actie?

    public init(regel: Int, melding: String, actie: Actie? = nil) {
        self.regel = regel
        self.melding = melding
        self.actie = actie
    }
}

extension Zaak {
    /// The closure rules 1–3 that closing with `resultaat` now would break. Rule 1 holds for every
    /// resultaat (an open handoff would stay in an afdeling's queue forever); rules 2 and 3 are what
    /// "opgelost" means.
    public func afsluitbevindingen(resultaat: Resultaat) -> [Afsluitbevinding] {
        var found: [Afsluitbevinding] = []
        for handoff in openOverdrachten {
            let what = handoff.isTerugbelverzoek ? "terugbelverzoek" : "doorverwijzing"
            found.append(Afsluitbevinding(regel: 1, melding: "\(what) \(handoff.id) aan \(handoff.afdeling) heeft nog geen terugkoppeling",
                                          actie: Actie(.terugkoppeling, zaak: nummer, doorverwijzing: handoff.id)))
        }
        guard resultaat == .opgelost else { return found }
        let feedback = overdrachten.flatMap(\.terugkoppelingen).sorted { $0.versie < $1.versie }
        // After the closure check reopened the zaak, the inwoner must hear what was done since.
        let informed = laatstGeinformeerdVersie ?? 0
        if let last = feedback.last, last.versie > informed, last.versie > controleHeropendVersie ?? 0 {
            found.append(Afsluitbevinding(regel: 2, melding: "de inwoner is na de laatste terugkoppeling niet geïnformeerd", actie: Actie(.informeer, zaak: nummer)))
        } else if let reopened = controleHeropendVersie, informed < reopened {
            found.append(Afsluitbevinding(regel: 2, melding: "de inwoner is na de heropening door de controle niet geïnformeerd", actie: Actie(.informeer, zaak: nummer)))
        }
        for failure in feedback where failure.uitkomst == .nietOpgelost {
            if !feedback.contains(where: { $0.uitkomst == .opgelost && $0.versie > failure.versie }) {
                found.append(Afsluitbevinding(regel: 3, melding: "een terugkoppeling zegt 'niet opgelost' en er is geen latere die 'opgelost' zegt"))
                break
            }
        }
        return found
    }

}
