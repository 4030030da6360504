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
    public var volgendeStap: String {
        switch status {
        case let .gekoppeld(hoofdzaak):
            return "deze zaak is gekoppeld aan \(hoofdzaak); werk daar verder."
        case .gesloten:
            return "niets; de zaak is gesloten."
        case .open:
            if let handoff = openOverdrachten.first {
                let what = handoff.isTerugbelverzoek ? "het terugbellen door" : "de terugkoppeling van"
                return "wacht op \(what) \(handoff.afdeling) (\(handoff.id), uiterlijk \(datumTekst(handoff.uiterlijkOp)))."
            }
            let findings = afsluitbevindingen(resultaat: .opgelost)
            if let first = findings.first { return first.melding + "." }
            // A message or melding waits for an answer; a conversation gave one already.
            if let last = contacten.last, last.richting == .inkomend, !last.kanaal.isGesprek {
                return "beantwoord de inwoner (zaak bericht --richting uitgaand …) of verwijs door (zaak doorverwijs \(nummer) …); "
                    + "is de vraag daarmee opgelost, sluit dan af (zaak sluit \(nummer) --resultaat opgelost)."
            }
            return "de zaak kan gesloten worden: zaak sluit \(nummer) --resultaat opgelost"
        }
    }
}
