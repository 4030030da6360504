import Domain

public struct OCELGebeurtenis: Sendable {
    public let id: String
    public let type: String
    /// OCEL's time: the event's `plaatsgevondenOp`, and for the second, third, … event of a zaak
    /// in the same millisecond one, two, … microseconds later, so that tools sorting by time (pm4py
    /// does not keep the file's order for equal times) keep the zaak's order.
    public let tijd: String
    public var attributen: [String: OCELWaarde]
    public var relaties: [(objectId: String, kwalificatie: String)]
}

/// Where the mapping puts what it finds, in log order: an object when it first appears (with the
/// values its attributes start with), a later value of one attribute, an object-to-object
/// relation, an event. The SQLite form writes them as they come.
public protocol OCELOntvanger {
    mutating func object(id: String, type: String, attributen: [String: OCELWaarde]) throws
    mutating func wijziging(id: String, type: String, veld: String, waarde: OCELWaarde, op tijd: String) throws
    mutating func relatie(van: String, naar: String, kwalificatie: String) throws
    mutating func gebeurtenis(_ gebeurtenis: OCELGebeurtenis) throws
}

/// The KCC's history as an object-centric event log (docs/process-mining.md): fed a log's zaak
/// events in log order, it selects the zaken opened in the period and hands every event of them
/// to an `OCELOntvanger`, with the objects each one touches. It keeps, per selected zaak, only its
/// doorverwijzingen' afdelingen, so a year of traffic streams through it.
///
/// Nothing personal goes out: no free text (inhoud, toelichting, omschrijving, reden, samenvatting,
/// gevraagde handeling), no persoonsgegevens or locations, no external message ids; inwoners and
/// medewerkers appear only as what `pseudoniem` makes of them.
public struct OCELToewijzing {
    public enum Rol: String, Sendable { case inwoner, medewerker }

    private let van: Datum, tot: Datum
    private let pseudoniem: (Rol, String) -> String
    private struct Staat {
        /// The zaak's doorverwijzingen and the afdeling each went to.
        var overdrachten: [String: String] = [:]
        var laatsteTijd: Int64 = .min
        var gelijkeTijden = 0
    }

    /// The selected zaken.
    private var zaken: [Zaaknummer: Staat] = [:]
    private var bekendeObjecten: Set<String> = []
    public private(set) var gebeurtenissenPerType: [String: Int] = [:]
    public private(set) var objectenPerType: [String: Int] = [:]

    /// `pseudoniem` turns an inwoner's reference or a medewerker's id into the id that stands for
    /// it in this export.
    public init(van: Datum, tot: Datum, pseudoniem: @escaping (Rol, String) -> String) {
        self.van = van
        self.tot = tot
        self.pseudoniem = pseudoniem
    }

    public mutating func verwerk(_ event: ZaakGebeurtenis, naar ontvanger: inout some OCELOntvanger) throws {
        let nummer = event.zaak
        let zaakId = nummer.description
        var relaties: [(objectId: String, kwalificatie: String)] = []
        var attributen: [String: OCELWaarde] = ["positie": .geheel(event.positie ?? 0), "versie": .geheel(Int64(event.versie))]
        var type = event.gebeurtenis.type

        func dimensie(_ soort: String, _ naam: String) throws -> String {
            let id = soort + ":" + naam
            if bekendeObjecten.insert(id).inserted { try nieuw(id: id, type: soort, [:]) }
            return id
        }
        func nieuw(id: String, type: String, _ attributen: [String: OCELWaarde]) throws {
            objectenPerType[type, default: 0] += 1
            try ontvanger.object(id: id, type: type, attributen: attributen)
        }
        func wijzig(_ id: String, _ type: String, _ veld: String, _ waarde: OCELWaarde) throws {
            try ontvanger.wijziging(id: id, type: type, veld: veld, waarde: waarde, op: t)
        }
        func contact(_ soort: String, _ kanaal: Kanaal, _ richting: Richting, uitkomst: GesprekUitkomst? = nil) throws {
            let id = "\(zaakId)/K\(event.versie)"
            var values: [String: OCELWaarde] = ["soort": .tekst(soort), "kanaal": .tekst(kanaal.rawValue), "richting": .tekst(richting.rawValue)]
            values["uitkomst"] = uitkomst.map { .tekst($0.rawValue) }
            try nieuw(id: id, type: "klantcontact", values)
            let kanaalId = try dimensie("kanaal", kanaal.rawValue)
            try ontvanger.relatie(van: zaakId, naar: id, kwalificatie: "heeft contact")
            try ontvanger.relatie(van: id, naar: kanaalId, kwalificatie: "via")
            relaties += [(id, "legt vast"), (kanaalId, "via")]
            attributen["kanaal"] = .tekst(kanaal.rawValue)
        }
        func overdracht(_ doorverwijzing: String, afdeling: String, soort: String, uiterlijkOp: Datum) throws {
            let id = "\(zaakId)/\(doorverwijzing)"
            zaken[nummer]?.overdrachten[doorverwijzing] = afdeling
            try nieuw(id: id, type: "doorverwijzing", ["soort": .tekst(soort), "afdeling": .tekst(afdeling), "status": .tekst("te_verwerken")])
            let afdelingId = try dimensie("afdeling", afdeling)
            try ontvanger.relatie(van: zaakId, naar: id, kwalificatie: "heeft doorverwijzing")
            try ontvanger.relatie(van: id, naar: afdelingId, kwalificatie: "aan")
            relaties += [(id, "opent"), (afdelingId, "aan")]
            attributen["afdeling"] = .tekst(afdeling)
            attributen["uiterlijkOp"] = .tekst(uiterlijkOp.description)
        }

        if case let .zaakGeopend(opening) = event.gebeurtenis {
            let dag = Kalender.lokaleDatum(event.plaatsgevondenOp)
            guard van <= dag, dag <= tot, zaken[nummer] == nil else { return }
            zaken[nummer] = Staat()
            try nieuw(id: zaakId, type: "zaak", [
                "onderwerp": .tekst(opening.onderwerp), "afdeling": .tekst(opening.afdeling), "kanaal": .tekst(opening.kanaal.rawValue),
                "archiefnominatie": .tekst(opening.archiefnominatie.rawValue), "status": .tekst("open"),
            ])
            let inwoner = try dimensie("inwoner", pseudoniem(.inwoner, opening.inwoner.ref))
            let onderwerp = try dimensie("onderwerp", opening.onderwerp)
            let afdeling = try dimensie("afdeling", opening.afdeling)
            let kanaal = try dimensie("kanaal", opening.kanaal.rawValue)
            for (naar, kwalificatie) in [(inwoner, "van"), (onderwerp, "over"), (afdeling, "behandeld door"), (kanaal, "via")] {
                try ontvanger.relatie(van: zaakId, naar: naar, kwalificatie: kwalificatie)
            }
            relaties += [(zaakId, "opent"), (inwoner, "voor"), (onderwerp, "over"), (afdeling, "aan"), (kanaal, "via")]
            attributen.merge(["kanaal": .tekst(opening.kanaal.rawValue), "onderwerp": .tekst(opening.onderwerp), "afdeling": .tekst(opening.afdeling),
                              "afhandeltermijnWerkdagen": .geheel(Int64(opening.afhandeltermijnWerkdagen)),
                              "uiterlijkAfgehandeldOp": .tekst(opening.uiterlijkAfgehandeldOp.description),
                              "archiefnominatie": .tekst(opening.archiefnominatie.rawValue)]) { $1 }
        } else {
            guard zaken[nummer] != nil else { return }
            relaties.append((zaakId, "betreft"))
        }

        let t = tijd(of: event)

        switch event.gebeurtenis {
        case .zaakGeopend:
            break
        case let .meldingOntvangen(melding):
            try contact("melding", melding.kanaal, .inkomend)
            attributen["bijlagen"] = .geheel(Int64(melding.bijlagen))
        case let .gesprekGevoerd(gesprek):
            type += ":" + gesprek.uitkomst.rawValue
            try contact("gesprek", gesprek.kanaal, gesprek.richting, uitkomst: gesprek.uitkomst)
            attributen["richting"] = .tekst(gesprek.richting.rawValue)
            attributen["wachttijdSeconden"] = gesprek.wachttijdSeconden.map { .geheel(Int64($0)) }
            attributen["duurSeconden"] = .geheel(Int64(gesprek.duurSeconden))
            attributen["indicatieContactGelukt"] = .waarheid(gesprek.indicatieContactGelukt)
        case let .berichtOntvangen(bericht):
            try contact("bericht", bericht.kanaal, .inkomend)
        case let .berichtVerstuurd(bericht):
            try contact("bericht", bericht.kanaal, .uitgaand)
        case let .doorverwezen(handoff):
            try overdracht(handoff.doorverwijzing, afdeling: handoff.afdeling, soort: handoff.soort.rawValue, uiterlijkOp: handoff.uiterlijkOp)
            attributen["soort"] = .tekst(handoff.soort.rawValue)
            if let medewerker = handoff.toegewezenAanMedewerker {
                relaties.append((try dimensie("medewerker", pseudoniem(.medewerker, medewerker)), "toegewezen aan"))
            }
        case let .terugbelverzoekAangemaakt(request):
            try overdracht(request.doorverwijzing, afdeling: request.afdeling, soort: "terugbelverzoek", uiterlijkOp: request.uiterlijkOp)
        case let .terugkoppelingOntvangen(feedback):
            type += ":" + feedback.uitkomst.rawValue
            if let afdeling = zaken[nummer]?.overdrachten[feedback.doorverwijzing] {
                let id = "\(zaakId)/\(feedback.doorverwijzing)"
                try wijzig(id, "doorverwijzing", "status", .tekst("verwerkt"))
                relaties.append((id, "beantwoordt"))
                attributen["afdeling"] = .tekst(afdeling)
            }
            if let naar = feedback.doorgestuurdNaar {
                relaties.append((try dimensie("afdeling", naar), "doorgestuurd naar"))
                attributen["doorgestuurdNaar"] = .tekst(naar)
            }
        case let .inwonerGeinformeerd(informed):
            relaties.append((try dimensie("kanaal", informed.kanaal.rawValue), "via"))
            attributen["kanaal"] = .tekst(informed.kanaal.rawValue)
        case let .zakenGekoppeld(link):
            attributen["hoofdzaak"] = .tekst(link.hoofdzaak.description)
            attributen["gekoppeldeZaak"] = .tekst(link.gekoppeldeZaak.description)
            if link.gekoppeldeZaak == nummer { try wijzig(zaakId, "zaak", "status", .tekst("gekoppeld")) }
            if zaken[link.hoofdzaak] != nil, zaken[link.gekoppeldeZaak] != nil {
                let other = link.hoofdzaak == nummer ? link.gekoppeldeZaak : link.hoofdzaak
                relaties.append((other.description, link.hoofdzaak == nummer ? "gekoppelde zaak" : "hoofdzaak"))
                if link.hoofdzaak == nummer {
                    try ontvanger.relatie(van: zaakId, naar: link.gekoppeldeZaak.description, kwalificatie: "gekoppelde zaak")
                }
            }
        case let .zaakAfgesloten(closing):
            type += ":" + closing.resultaat.rawValue
            try wijzig(zaakId, "zaak", "status", .tekst("gesloten"))
            attributen["direct"] = .waarheid(closing.direct)
            attributen["afwijking"] = .waarheid(closing.afwijking != nil)
            attributen["archiefactiedatum"] = closing.archiefactiedatum.map { .tekst($0.description) }
        case let .zaakHeropend(reopening):
            type += ":" + reopening.aanleiding.rawValue
            try wijzig(zaakId, "zaak", "status", .tekst("open"))
        case let .tevredenheidGemeten(measurement):
            attributen["score"] = .geheel(Int64(measurement.score))
            attributen["opgelostVolgensInwoner"] = .waarheid(measurement.opgelostVolgensInwoner)
            if let kanaal = measurement.kanaal {
                relaties.append((try dimensie("kanaal", kanaal.rawValue), "via"))
                attributen["kanaal"] = .tekst(kanaal.rawValue)
            }
        case let .gegevensGewist(erasure):
            attributen["grondslag"] = .tekst(erasure.grondslag.rawValue)
        }

        switch event.actor.soort {
        case .medewerker: relaties.append((try dimensie("medewerker", pseudoniem(.medewerker, event.actor.id)), "door"))
        case .afdeling: relaties.append((try dimensie("afdeling", event.actor.id), "door"))
        case .systeem: break
        }
        gebeurtenissenPerType[type, default: 0] += 1
        try ontvanger.gebeurtenis(OCELGebeurtenis(id: "e\(event.positie ?? 0)", type: type, tijd: t, attributen: attributen, relaties: relaties))
    }

    /// The event's OCEL time (see `OCELGebeurtenis.tijd`); its zaak is selected.
    private mutating func tijd(of event: ZaakGebeurtenis) -> String {
        let milliseconds = event.plaatsgevondenOp.milliseconden
        let text = event.plaatsgevondenOp.description
        guard var staat = zaken[event.zaak] else { return text }
        staat.gelijkeTijden = staat.laatsteTijd == milliseconds ? min(staat.gelijkeTijden + 1, 999) : 0
        staat.laatsteTijd = milliseconds
        zaken[event.zaak] = staat
        guard staat.gelijkeTijden > 0 else { return text }
        let micro = String(staat.gelijkeTijden)
        return text.dropLast() + String(repeating: "0", count: 3 - micro.count) + micro + "Z"
    }
}
