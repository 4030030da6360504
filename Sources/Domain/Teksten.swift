/// Dutch texts an agent or a backoffice reads, derived from the state alone. They live in the domain
/// because projections store them (a replay must print what was printed then) and the CLI and the
/// HTTP API show them.

/// Dutch date for agents: "di 25 nov 2026".
public func datumTekst(_ datum: Datum) -> String {
    let days = ["ma", "di", "wo", "do", "vr", "za", "zo"]
    let months = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
    return "\(days[datum.weekdag - 1]) \(datum.dag) \(months[datum.maand - 1]) \(datum.jaar)"
}

/// Local date and time in Amsterdam: "di 25 nov 2026 09:15".
public func tijdTekst(_ tijdstip: Tijdstip) -> String {
    let local = Kalender.lokaleTijd(tijdstip)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(datumTekst(local.datum)) \(two(local.uur)):\(two(local.minuut))"
}

extension Zaak {
    /// What the agent should do next with this zaak.
    public var volgendeStap: VolgendeStap {
        switch status {
        case let .gekoppeld(hoofdzaak):
            return VolgendeStap("deze zaak is gekoppeld aan \(hoofdzaak); werk daar verder.", acties: [Actie(.werkOpHoofdzaak, zaak: hoofdzaak)])
        case .gesloten:
            return VolgendeStap("niets; de zaak is gesloten.")
        case .open:
            if let handoff = openOverdrachten.first {
                let what = handoff.isTerugbelverzoek ? "het terugbellen door" : "de terugkoppeling van"
                return VolgendeStap("wacht op \(what) \(handoff.afdeling) (\(handoff.id), uiterlijk \(datumTekst(handoff.uiterlijkOp))).",
                                    acties: [Actie(.terugkoppeling, zaak: nummer, doorverwijzing: handoff.id)])
            }
            let findings = afsluitbevindingen(resultaat: .opgelost)
            if let first = findings.first { return VolgendeStap(first.melding + ".", acties: first.actie.map { [$0] } ?? []) }
            if wachtOpAntwoord {
                return VolgendeStap("beantwoord de inwoner of verwijs door; is de vraag daarmee opgelost, sluit dan af als opgelost.",
                                    acties: [Actie(.beantwoord, zaak: nummer), Actie(.doorverwijs, zaak: nummer), Actie(.sluit, zaak: nummer, resultaat: .opgelost)])
            }
            return VolgendeStap("de zaak kan gesloten worden als opgelost.", acties: [Actie(.sluit, zaak: nummer, resultaat: .opgelost)])
        }
    }

    /// The last inbound contact is a message or melding the inwoner has not heard back on since
    /// (an answer, a successful call or `InwonerGeinformeerd`). A conversation answers in itself.
    var wachtOpAntwoord: Bool {
        guard let last = contacten.last(where: { $0.richting == .inkomend }), !last.kanaal.isGesprek else { return false }
        return last.versie > laatstGeinformeerdVersie ?? 0
    }
}

extension StringProtocol {
    /// Text from outside, quoted in a message: at most 40 characters, so that a refused 10 KB value
    /// is not echoed back whole.
    public var citaat: String { count <= 40 ? String(self) : String(prefix(40)) + "…" }
}

extension ZaakGebeurtenis {
    /// One line per event, in words an agent or a backoffice worker reads at a glance.
    public var beschrijving: String {
        switch gebeurtenis {
        case let .zaakGeopend(opening):
            return "zaak geopend via \(opening.kanaal.rawValue) voor \(opening.inwoner.ref): \(opening.onderwerp) — \(opening.omschrijving)"
        case let .meldingOntvangen(melding):
            return "melding via \(melding.kanaal.rawValue): \(melding.inhoud)"
        case let .gesprekGevoerd(gesprek):
            return "gesprek (\(gesprek.kanaal.rawValue), \(gesprek.richting.rawValue), \(gesprek.duurSeconden / 60) min): \(gesprek.uitkomst.rawValue)"
        case let .berichtOntvangen(bericht):
            return "bericht ontvangen via \(bericht.kanaal.rawValue): \(bericht.inhoud)"
        case let .berichtVerstuurd(bericht):
            return "bericht verstuurd via \(bericht.kanaal.rawValue): \(bericht.inhoud)"
        case let .doorverwezen(handoff):
            return "\(handoff.soort.rawValue) doorverwezen (\(handoff.doorverwijzing)) naar \(handoff.afdeling): \(handoff.gevraagdeHandeling), uiterlijk \(datumTekst(handoff.uiterlijkOp))"
        case let .terugbelverzoekAangemaakt(callback):
            return "terugbelverzoek (\(callback.doorverwijzing)) voor \(callback.afdeling), uiterlijk \(datumTekst(callback.uiterlijkOp))"
        case let .terugkoppelingOntvangen(feedback):
            let target = feedback.doorgestuurdNaar.map { " naar \($0)" } ?? ""
            return "terugkoppeling op \(feedback.doorverwijzing): \(feedback.uitkomst.rawValue)\(target) — \(feedback.toelichting)"
        case let .inwonerGeinformeerd(informed):
            return "inwoner geïnformeerd via \(informed.kanaal.rawValue)" + (informed.toelichting.map { ": \($0)" } ?? "")
        case let .zakenGekoppeld(link):
            return link.hoofdzaak == zaak ? "zaak \(link.gekoppeldeZaak) hieraan gekoppeld: \(link.reden)" : "gekoppeld aan \(link.hoofdzaak): \(link.reden)"
        case let .zaakAfgesloten(closing):
            let override = closing.afwijking.map { " (afwijking van regel \($0.regels.map(String.init).joined(separator: ", ")): \($0.reden))" } ?? ""
            return "gesloten: \(closing.resultaat.rawValue)\(closing.direct ? ", direct afgehandeld" : "")\(override)"
        case let .zaakHeropend(reopening):
            return "heropend (\(reopening.aanleiding.rawValue)): \(reopening.reden)"
        case let .tevredenheidGemeten(measurement):
            return "tevredenheid \(measurement.score)/10, volgens inwoner \(measurement.opgelostVolgensInwoner ? "opgelost" : "niet opgelost")"
        case let .gegevensGewist(erasure):
            return "persoonsgegevens gewist (\(erasure.grondslag.rawValue), \(erasure.verzoek)): \(erasure.reden)"
        }
    }
}

extension Gebeurtenis {
    /// The kanaal an event happened on, when it has one.
    public var kanaal: Kanaal? {
        switch self {
        case let .inwonerGeinformeerd(informed): informed.kanaal
        case let .tevredenheidGemeten(measurement): measurement.kanaal
        default: contact?.kanaal
        }
    }
}
