/// What the domain needs from outside to decide: time, who, the catalogue and ids all come in as
/// arguments, so a decision is a pure function and a replay gives the same answer.
public struct Beslismoment: Sendable {
    /// The clock when deciding (deadlines are counted from `plaatsgevondenOp`).
    public var nu: Tijdstip
    /// When it happened, as the agent or channel says; `nu` unless given.
    public var plaatsgevondenOp: Tijdstip
    public var actor: Actor
    public var catalogus: Catalogus
    /// Event ids are `<idBasis>.1`, `<idBasis>.2`, …: a retry with the same basis is idempotent.
    public var idBasis: String
    /// The number a new zaak gets, when the command opens one.
    public var nieuwNummer: Zaaknummer?

    public init(nu: Tijdstip, plaatsgevondenOp: Tijdstip? = nil, actor: Actor, catalogus: Catalogus, idBasis: String, nieuwNummer: Zaaknummer? = nil) {
        self.nu = nu
        self.plaatsgevondenOp = plaatsgevondenOp ?? nu
        self.actor = actor
        self.catalogus = catalogus
        self.idBasis = idBasis
        self.nieuwNummer = nieuwNummer
    }
}

/// A contact moment an agent registers: it opens a zaak, or joins the zaak it is given.
public struct Contact: Sendable {
    public enum Soort: Sendable {
        case melding(MeldingOntvangen)
        case gesprek(GesprekGevoerd)
        case berichtOntvangen(BerichtOntvangen)
        case berichtVerstuurd(BerichtVerstuurd)
    }

    public var soort: Soort
    public var inwoner: Inwoner
    public var onderwerp: String
    /// A short description of the problem for a new zaak; the onderwerp's own when absent.
    public var omschrijving: String?
    /// Settled in this contact: close the zaak as opgelost right away.
    public var afsluiten: Bool
    /// The agent knowingly opens a new zaak beside this open one (recorded in `ZaakGeopend`).
    public var naastLopendeZaak: Zaaknummer?

    public init(soort: Soort, inwoner: Inwoner, onderwerp: String, omschrijving: String? = nil, afsluiten: Bool = false, naastLopendeZaak: Zaaknummer? = nil) {
        self.soort = soort
        self.inwoner = inwoner
        self.onderwerp = onderwerp
        self.omschrijving = omschrijving
        self.afsluiten = afsluiten
        self.naastLopendeZaak = naastLopendeZaak
    }

    var kanaal: Kanaal {
        switch soort {
        case let .melding(melding): melding.kanaal
        case let .gesprek(gesprek): gesprek.kanaal
        case let .berichtOntvangen(bericht): bericht.kanaal
        case let .berichtVerstuurd(bericht): bericht.kanaal
        }
    }

    var gebeurtenis: Gebeurtenis {
        switch soort {
        case let .melding(melding): .meldingOntvangen(melding)
        case let .gesprek(gesprek): .gesprekGevoerd(gesprek)
        case let .berichtOntvangen(bericht): .berichtOntvangen(bericht)
        case let .berichtVerstuurd(bericht): .berichtVerstuurd(bericht)
        }
    }
}

/// The commands of one zaak. (Linking two zaken is `decideKoppeling`: it touches two.)
public enum Opdracht: Sendable {
    case registreerContact(Contact)
    case doorverwijs(afdeling: String?, soort: Doorverwijzingssoort, gevraagdeHandeling: String, toelichting: String, toegewezenAanMedewerker: String?)
    case vraagTerugbellen(afdeling: String?, toelichting: String, telefoon: String?)
    case registreerTerugkoppeling(doorverwijzing: String, uitkomst: TerugkoppelingUitkomst, toelichting: String, doorgestuurdNaar: String?)
    case informeerInwoner(kanaal: Kanaal, toelichting: String?)
    case sluit(resultaat: Resultaat, toelichting: String?, afwijkingsreden: String?)
    case heropen(reden: String)
    case meetTevredenheid(score: Int, opgelostVolgensInwoner: Bool, kanaal: Kanaal?, toelichting: String?)
}

/// A callback is due within this many working days (the KCC's own promise to the inwoner).
public let terugbeltermijnWerkdagen = 2

/// Decides what `opdracht` means for the zaak in state `zaak` (nil: no zaak yet): the events to
/// append, each already checked by `evolve`, or why not.
public func decide(_ opdracht: Opdracht, _ zaak: Zaak?, _ moment: Beslismoment) throws(ZaakFout) -> [ZaakGebeurtenis] {
    var planned: [Gebeurtenis] = []
    /// Indexes into `planned` of the closure check's own events (rules 4 and 5).
    var bySystem: Set<Int> = []
    let datum = Kalender.lokaleDatum(moment.plaatsgevondenOp)
    /// Rules 4 and 5: a zaak closed as opgelost is reopened by the system when the inwoner comes
    /// back within the window; outside it, the closed zaak refuses the event as before.
    func reopenWithinWindow(_ zaak: Zaak, aanleiding: Heropenaanleiding, _ reden: String) {
        guard zaak.isInHeropenvenster(op: moment.plaatsgevondenOp) else { return }
        bySystem.insert(planned.count)
        planned.append(.zaakHeropend(ZaakHeropend(reden: reden, aanleiding: aanleiding)))
    }
    func existing() throws(ZaakFout) -> Zaak {
        guard let zaak else { throw ZaakFout(.onbekend, "deze opdracht hoort bij een bestaande zaak; geef het zaaknummer op") }
        return zaak
    }
    func knownAfdeling(_ name: String) throws(ZaakFout) -> String {
        guard let afdeling = moment.catalogus.afdeling(name) else {
            let known = moment.catalogus.afdelingen.map(\.naam).joined(separator: ", ")
            throw ZaakFout(.onbekend, "afdeling '\(name.citaat)' staat niet in de catalogus; kies uit: \(known)")
        }
        return afdeling.naam
    }
    switch opdracht {
    case let .registreerContact(contact):
        guard let onderwerp = moment.catalogus.onderwerp(contact.onderwerp) else {
            let hints = moment.catalogus.suggesties(voor: contact.onderwerp).map(\.code)
            throw ZaakFout(.onbekend, "onderwerp '\(contact.onderwerp.citaat)' staat niet in de catalogus"
                + (hints.isEmpty ? "; de catalogus noemt ze alle" : "; bedoelt u: \(hints.joined(separator: ", "))?"),
                acties: hints.isEmpty ? [Actie(.catalogusTonen)] : [])
        }
        if let zaak {
            guard zaak.onderwerp == onderwerp.code else {
                throw ZaakFout(.regel, "zaak \(zaak.nummer) gaat over \(zaak.onderwerp), niet over \(onderwerp.code); registreer een nieuwe zaak",
                               acties: [Actie(.nieuweZaak)])
            }
            guard zaak.inwoner.ref == contact.inwoner.ref else {
                throw ZaakFout(.regel, "zaak \(zaak.nummer) is van een andere inwoner dan \(contact.inwoner.ref)")
            }
            if zaak.afgeslotenOp != nil {
                reopenWithinWindow(zaak, aanleiding: .opnieuwContact, regel4Reden(zaak, contact: contact, op: datum))
            }
        } else {
            precondition(moment.nieuwNummer != nil, "a new zaak needs nieuwNummer")
            let opening = ZaakGeopend(
                onderwerp: onderwerp.code, omschrijving: contact.omschrijving ?? onderwerp.omschrijving, inwoner: contact.inwoner,
                kanaal: contact.kanaal, afdeling: onderwerp.afdeling, afhandeltermijnWerkdagen: onderwerp.afhandeltermijnWerkdagen,
                uiterlijkAfgehandeldOp: Kalender.plusWerkdagen(onderwerp.afhandeltermijnWerkdagen, na: datum),
                heropenvensterDagen: onderwerp.heropenvensterDagen, archiefnominatie: onderwerp.archiefnominatie,
                bewaartermijnJaren: onderwerp.bewaartermijnJaren, catalogusversie: moment.catalogus.versie,
                naastLopendeZaak: contact.naastLopendeZaak)
            planned.append(.zaakGeopend(opening))
        }
        planned.append(contact.gebeurtenis)
        // An existing zaak keeps the termijn it was opened with, whatever today's catalogue says.
        let handoffTime = Kalender.plusWerkdagen(zaak?.opening.afhandeltermijnWerkdagen ?? onderwerp.afhandeltermijnWerkdagen, na: datum)
        let next = zaak?.volgendeDoorverwijzing ?? "D1"
        switch contact.soort {
        case let .melding(melding) where melding.kanaal == .webformulier && zaak == nil:
            // Webformulier meldingen go straight to the afdeling (seed 002, Assen).
            planned.append(.doorverwezen(Doorverwezen(doorverwijzing: next, afdeling: onderwerp.afdeling, soort: .koud,
                                                      gevraagdeHandeling: "afhandelen", toelichting: String(melding.inhoud.prefix(2000)),
                                                      uiterlijkOp: handoffTime)))
        case let .gesprek(gesprek) where gesprek.uitkomst == .doorverbonden || gesprek.uitkomst == .warmDoorverbonden:
            planned.append(.doorverwezen(Doorverwezen(doorverwijzing: next, afdeling: zaak?.opening.afdeling ?? onderwerp.afdeling,
                                                      soort: gesprek.uitkomst == .warmDoorverbonden ? .warm : .koud, gevraagdeHandeling: "afhandelen",
                                                      toelichting: gesprek.samenvatting ?? "doorverbonden tijdens het gesprek", uiterlijkOp: handoffTime)))
        case let .gesprek(gesprek) where gesprek.uitkomst == .terugbelverzoek:
            planned.append(.terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(
                doorverwijzing: next, afdeling: zaak?.opening.afdeling ?? onderwerp.afdeling,
                toelichting: gesprek.samenvatting ?? "inwoner wil teruggebeld worden",
                uiterlijkOp: Kalender.plusWerkdagen(terugbeltermijnWerkdagen, na: datum))))
        default:
            break
        }
        if contact.afsluiten {
            planned.append(.zaakAfgesloten(ZaakAfgesloten(resultaat: .opgelost, direct: false, archiefactiedatum: nil)))
        }
    case let .doorverwijs(afdeling, soort, gevraagdeHandeling, toelichting, toegewezenAan):
        let zaak = try existing()
        let target = try knownAfdeling(afdeling ?? zaak.opening.afdeling)
        planned.append(.doorverwezen(Doorverwezen(
            doorverwijzing: zaak.volgendeDoorverwijzing, afdeling: target, soort: soort, gevraagdeHandeling: gevraagdeHandeling,
            toelichting: toelichting, uiterlijkOp: Kalender.plusWerkdagen(zaak.opening.afhandeltermijnWerkdagen, na: datum),
            toegewezenAanMedewerker: toegewezenAan)))
    case let .vraagTerugbellen(afdeling, toelichting, telefoon):
        let zaak = try existing()
        let target = try knownAfdeling(afdeling ?? zaak.opening.afdeling)
        planned.append(.terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(
            doorverwijzing: zaak.volgendeDoorverwijzing, afdeling: target, toelichting: toelichting,
            uiterlijkOp: Kalender.plusWerkdagen(terugbeltermijnWerkdagen, na: datum),
            persoonsgegevens: telefoon.map { Persoonsgegevens(telefoon: $0) })))
    case let .registreerTerugkoppeling(id, uitkomst, toelichting, doorgestuurdNaar):
        let zaak = try existing()
        guard let handoff = zaak.overdracht(id) else {
            let known = zaak.overdrachten.map { "\($0.id) (\($0.afdeling))" }.joined(separator: ", ")
            throw ZaakFout(.onbekend, "zaak \(zaak.nummer) heeft geen doorverwijzing '\(id.citaat)'; " + (known.isEmpty ? "er is nog niet doorverwezen" : "wel: \(known)"),
                           acties: known.isEmpty ? [Actie(.doorverwijs, zaak: zaak.nummer)] : [])
        }
        if moment.actor.soort == .afdeling, moment.actor.id.lowercased() != handoff.afdeling.lowercased() {
            throw ZaakFout(.regel, "doorverwijzing \(handoff.id) is aan \(handoff.afdeling), niet aan \(moment.actor.id); alleen die afdeling koppelt terug")
        }
        let target = try doorgestuurdNaar.map { name throws(ZaakFout) in try knownAfdeling(name) }
        planned.append(.terugkoppelingOntvangen(TerugkoppelingOntvangen(doorverwijzing: handoff.id, uitkomst: uitkomst,
                                                                        toelichting: toelichting, doorgestuurdNaar: target)))
        if uitkomst == .doorgestuurd, let target {
            // The afdeling that takes over gets its own doorverwijzing, with a fresh deadline.
            planned.append(.doorverwezen(Doorverwezen(
                doorverwijzing: zaak.volgendeDoorverwijzing, afdeling: target, soort: .warm, gevraagdeHandeling: handoff.gevraagdeHandeling,
                toelichting: "doorgestuurd door \(handoff.afdeling): \(toelichting)".prefix(2000).description,
                uiterlijkOp: Kalender.plusWerkdagen(zaak.opening.afhandeltermijnWerkdagen, na: datum))))
        }
    case let .informeerInwoner(kanaal, toelichting):
        _ = try existing()
        planned.append(.inwonerGeinformeerd(InwonerGeinformeerd(kanaal: kanaal, toelichting: toelichting)))
    case let .sluit(resultaat, toelichting, afwijkingsreden):
        let zaak = try existing()
        var afwijking: Afwijking?
        if let afwijkingsreden {
            let broken = Array(Set(zaak.afsluitbevindingen(resultaat: resultaat).map(\.regel))).sorted()
            guard !broken.isEmpty else {
                throw ZaakFout(.ongeldig, "een afwijking is niet nodig: zaak \(zaak.nummer) voldoet aan de afsluitregels; sluit af zonder afwijking",
                               acties: [Actie(.sluit, zaak: zaak.nummer, resultaat: resultaat)])
            }
            afwijking = Afwijking(regels: broken, reden: afwijkingsreden)
        }
        planned.append(.zaakAfgesloten(ZaakAfgesloten(resultaat: resultaat, direct: false, toelichting: toelichting, afwijking: afwijking)))
    case let .heropen(reden):
        _ = try existing()
        planned.append(.zaakHeropend(ZaakHeropend(reden: reden, aanleiding: .handmatig)))
    case let .meetTevredenheid(score, opgelost, kanaal, toelichting):
        let zaak = try existing()
        planned.append(.tevredenheidGemeten(TevredenheidGemeten(score: score, opgelostVolgensInwoner: opgelost, kanaal: kanaal, toelichting: toelichting)))
        if !opgelost {
            reopenWithinWindow(zaak, aanleiding: .tevredenheid,
                               "regel 5: de inwoner zegt in een tevredenheidsmeting (score \(score)) dat het probleem niet is opgelost")
        }
    }

    // Fold the plan through evolve: every event is checked against the state it lands in.
    var events: [ZaakGebeurtenis] = []
    var current = zaak
    let nummer = zaak?.nummer ?? moment.nieuwNummer!
    for (index, var gebeurtenis) in planned.enumerated() {
        if case var .zaakAfgesloten(closing) = gebeurtenis, let current {
            closing.direct = current.isDirectAfhandelbaar
            closing.archiefactiedatum = archiefactiedatum(current.opening, gesloten: datum)
            gebeurtenis = .zaakAfgesloten(closing)
        }
        let event = envelope(gebeurtenis, versie: (zaak?.versie ?? 0) + index + 1, index: index, nummer: nummer, moment,
                             actor: bySystem.contains(index) ? echtOpgelostControle : moment.actor)
        current = try evolve(current, event)
        events.append(event)
    }
    return events
}

/// Why rule 4 reopens `zaak`: the inwoner came back on its onderwerp, `contact`, on `datum`.
func regel4Reden(_ zaak: Zaak, contact: Contact, op datum: Datum) -> String {
    let days = datum.dagnummer - Kalender.lokaleDatum(zaak.afgeslotenOp!).dagnummer
    return "regel 4: de inwoner nam \(days) dag\(days == 1 ? "" : "en") na het afsluiten als opgelost opnieuw contact op via "
        + "\(contact.kanaal.rawValue) over \(zaak.onderwerp) (heropenvenster \(zaak.opening.heropenvensterDagen) dagen)"
}

/// A contact the agent knowingly registers in a new zaak (`--nieuwe-zaak`) while `gesloten`, the
/// inwoner's zaak on the same onderwerp, is closed as opgelost and its window runs. Rule 4 holds all
/// the same: the inwoner came back, so that closing was not echt opgelost. The closure check reopens
/// `gesloten` (id `<idBasis>.0`, so a retry still finds the new zaak's events under `.1`, `.2`, …),
/// and the new zaak is opened beside it, `naastLopendeZaak` naming it. Outside the window only the
/// new zaak's events. One batch over both zaken.
public func decideNieuweZaak(_ contact: Contact, naast gesloten: Zaak, _ moment: Beslismoment) throws(ZaakFout) -> [ZaakGebeurtenis] {
    guard gesloten.isInHeropenvenster(op: moment.plaatsgevondenOp), gesloten.inwoner.ref == contact.inwoner.ref,
          gesloten.onderwerp == contact.onderwerp else {
        return try decide(.registreerContact(contact), nil, moment)
    }
    var beside = contact
    beside.naastLopendeZaak = gesloten.nummer
    let nieuw = moment.nieuwNummer.map(String.init(describing:)) ?? "?"
    let reopening = ZaakGebeurtenis(
        id: "\(moment.idBasis).0", zaak: gesloten.nummer, versie: gesloten.versie + 1, plaatsgevondenOp: moment.plaatsgevondenOp,
        actor: echtOpgelostControle, gebeurtenis: .zaakHeropend(ZaakHeropend(
            reden: regel4Reden(gesloten, contact: contact, op: Kalender.lokaleDatum(moment.plaatsgevondenOp)) + "; geregistreerd in een nieuwe zaak \(nieuw)",
            aanleiding: .opnieuwContact)))
    _ = try evolve(gesloten, reopening)
    return [reopening] + (try decide(.registreerContact(beside), nil, moment))
}

/// Folds a zaak into another (the same inwoner's problem, arrived twice): one event on each.
public func decideKoppeling(hoofdzaak: Zaak, gekoppeldeZaak: Zaak, reden: String, _ moment: Beslismoment) throws(ZaakFout) -> [ZaakGebeurtenis] {
    guard hoofdzaak.nummer != gekoppeldeZaak.nummer else { throw ZaakFout(.ongeldig, "een zaak kan niet aan zichzelf gekoppeld worden") }
    guard hoofdzaak.inwoner.ref == gekoppeldeZaak.inwoner.ref else {
        throw ZaakFout(.regel, "zaken \(hoofdzaak.nummer) en \(gekoppeldeZaak.nummer) zijn van verschillende inwoners; koppel alleen zaken van dezelfde inwoner")
    }
    let link = ZakenGekoppeld(hoofdzaak: hoofdzaak.nummer, gekoppeldeZaak: gekoppeldeZaak.nummer, reden: reden)
    var first = envelope(.zakenGekoppeld(link), versie: hoofdzaak.versie + 1, index: 0, nummer: hoofdzaak.nummer, moment)
    var second = envelope(.zakenGekoppeld(link), versie: gekoppeldeZaak.versie + 1, index: 1, nummer: gekoppeldeZaak.nummer, moment)
    _ = try evolve(hoofdzaak, first)
    _ = try evolve(gekoppeldeZaak, second)
    first.positie = nil
    second.positie = nil
    return [first, second]
}

/// Checks an event that arrives whole (an import) as if a decider had made it: the catalogue must
/// know its onderwerp and afdelingen, it may not lie in the future, every deadline must be the one
/// the deciders count in werkdagen (the zaak's termijn, or the callback's, after the event's local
/// date), an opening made with this catalogue's version must carry its termijn and window, the
/// closure check's rules 4 and 5 must have been applied (an inwoner's contact on a zaak closed as
/// opgelost within its window comes after the system's reopening; a survey saying not solved there is
/// followed by it, which `evolve` enforces), and `evolve` must accept it. Rule 4 across zaken (a new
/// zaak beside one closed within its window) needs the other zaak: `controleerOpening`.
public func controleer(_ event: ZaakGebeurtenis, _ zaak: Zaak?, catalogus: Catalogus, nu: Tijdstip) throws(ZaakFout) -> Zaak {
    guard ZaakGebeurtenis.isGeldigeId(event.id) else {
        throw ZaakFout(.ongeldig, "id '\(event.id.citaat)' is ongeldig; gebruik 1–128 tekens uit A-Z a-z 0-9 . _ : -")
    }
    guard event.plaatsgevondenOp.milliseconden <= nu.milliseconden + 5 * 60_000 else {
        throw ZaakFout(.ongeldig, "plaatsgevondenOp \(event.plaatsgevondenOp) ligt in de toekomst")
    }
    guard !event.actor.id.isEmpty, event.actor.id.count <= 100 else { throw ZaakFout(.ongeldig, "actor.id is leeg of langer dan 100 tekens") }
    func afdeling(_ name: String) throws(ZaakFout) {
        guard catalogus.afdeling(name)?.naam == name else {
            throw ZaakFout(.onbekend, "afdeling '\(name.citaat)' staat niet (zo gespeld) in de catalogus")
        }
    }
    let datum = Kalender.lokaleDatum(event.plaatsgevondenOp)
    /// The deadline a decider would have set: `werkdagen` after the event's local date.
    func termijn(_ uiterlijk: Datum, werkdagen: Int, veld: String) throws(ZaakFout) {
        let expected = Kalender.plusWerkdagen(werkdagen, na: datum)
        guard uiterlijk == expected else {
            throw ZaakFout(.ongeldig, "\(veld) \(uiterlijk) klopt niet: \(werkdagen) werkdag\(werkdagen == 1 ? "" : "en") na \(datumTekst(datum)) is "
                + "\(datumTekst(expected)) (\(expected); weekenden en feestdagen tellen niet mee)")
        }
    }
    switch event.gebeurtenis {
    case let .zaakGeopend(opening):
        guard let onderwerp = catalogus.onderwerp(opening.onderwerp) else {
            throw ZaakFout(.onbekend, "onderwerp '\(opening.onderwerp.citaat)' staat niet in de catalogus")
        }
        try afdeling(opening.afdeling)
        if opening.catalogusversie == catalogus.versie {
            // Opened with this very catalogue: its afdeling, termijn and window, as a decider sets them.
            for (veld, value, wanted) in [("afdeling", opening.afdeling, onderwerp.afdeling),
                                          ("afhandeltermijnWerkdagen", "\(opening.afhandeltermijnWerkdagen)", "\(onderwerp.afhandeltermijnWerkdagen)"),
                                          ("heropenvensterDagen", "\(opening.heropenvensterDagen)", "\(onderwerp.heropenvensterDagen)")]
            where value != wanted {
                throw ZaakFout(.ongeldig, "\(veld) \(value) klopt niet: catalogus \(catalogus.versie) zegt \(wanted) voor \(onderwerp.code)")
            }
        }
        try termijn(opening.uiterlijkAfgehandeldOp, werkdagen: opening.afhandeltermijnWerkdagen, veld: "uiterlijkAfgehandeldOp")
    case let .doorverwezen(handoff):
        try afdeling(handoff.afdeling)
        // Every doorverwijzing keeps the termijn the zaak was opened with.
        if let zaak { try termijn(handoff.uiterlijkOp, werkdagen: zaak.opening.afhandeltermijnWerkdagen, veld: "uiterlijkOp") }
    case let .terugbelverzoekAangemaakt(callback):
        try afdeling(callback.afdeling)
        try termijn(callback.uiterlijkOp, werkdagen: terugbeltermijnWerkdagen, veld: "uiterlijkOp")
    case let .terugkoppelingOntvangen(feedback): if let target = feedback.doorgestuurdNaar { try afdeling(target) }
    default: break
    }
    if let zaak, event.gebeurtenis.contact?.richting == .inkomend, zaak.isInHeropenvenster(op: event.plaatsgevondenOp) {
        throw ZaakFout(.regel, "regel 4: \(zaak.inwoner.ref) neemt binnen het heropenvenster van zaak \(zaak.nummer) (gesloten als opgelost, venster "
            + "t/m \(datumTekst(zaak.heropenvensterTot!))) opnieuw contact op over \(zaak.onderwerp); dan heropent de controle de zaak eerst: "
            + "zet ZaakHeropend (aanleiding \(Heropenaanleiding.opnieuwContact.rawValue), actor systeem \(echtOpgelostControle.id)) ervoor", regels: [4])
    }
    return try evolve(zaak, event)
}

/// Rule 4 across zaken, for an opening that arrives whole: `opening` (a `ZaakGeopend`) may not open a
/// new zaak for an inwoner while `ander`, their zaak on the same onderwerp, is closed as opgelost
/// and its window runs at that moment. A decider would have reopened `ander` first (the contact
/// joins it, or with --nieuwe-zaak the new zaak is opened beside it, `naastLopendeZaak`).
public func controleerOpening(_ opening: ZaakGebeurtenis, naast ander: Zaak) throws(ZaakFout) {
    guard case let .zaakGeopend(data) = opening.gebeurtenis, ander.nummer != opening.zaak,
          data.inwoner.ref == ander.inwoner.ref, data.onderwerp == ander.onderwerp,
          let gesloten = ander.afgeslotenOp, gesloten.milliseconden <= opening.plaatsgevondenOp.milliseconden,
          ander.isInHeropenvenster(op: opening.plaatsgevondenOp) else { return }
    throw ZaakFout(.regel, "regel 4: \(data.inwoner.ref) heeft zaak \(ander.nummer) over \(ander.onderwerp), gesloten als opgelost op "
        + "\(datumTekst(Kalender.lokaleDatum(gesloten))) met een heropenvenster t/m \(datumTekst(ander.heropenvensterTot!)); een nieuw contact daarover "
        + "heropent die zaak. Registreer het contact op \(ander.nummer) (met ZaakHeropend, aanleiding \(Heropenaanleiding.opnieuwContact.rawValue), "
        + "actor systeem \(echtOpgelostControle.id), ervoor), of heropen \(ander.nummer) zo eerst en open de nieuwe zaak met naastLopendeZaak \(ander.nummer)",
        regels: [4])
}

func envelope(_ gebeurtenis: Gebeurtenis, versie: Int, index: Int, nummer: Zaaknummer, _ moment: Beslismoment, actor: Actor? = nil) -> ZaakGebeurtenis {
    ZaakGebeurtenis(id: "\(moment.idBasis).\(index + 1)", zaak: nummer, versie: versie, plaatsgevondenOp: moment.plaatsgevondenOp,
                    actor: actor ?? moment.actor, gebeurtenis: gebeurtenis)
}

/// ZGW: the archive action is due `bewaartermijn` years after closing; never for blijvend_bewaren.
func archiefactiedatum(_ opening: ZaakGeopend, gesloten: Datum) -> Datum? {
    guard opening.archiefnominatie == .vernietigen, let years = opening.bewaartermijnJaren else { return nil }
    // 29 February rolls back to the 28th in a year without one.
    return Datum(jaar: gesloten.jaar + years, maand: gesloten.maand, dag: gesloten.dag)
        ?? Datum(jaar: gesloten.jaar + years, maand: gesloten.maand, dag: 28)
}
