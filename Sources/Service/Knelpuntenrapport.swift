import Domain
import EventLog

/// How to split the knelpunten: by the zaak's first kanaal, the handoff's afdeling or the onderwerp.
public enum KnelpuntIndeling: String, Sendable, CaseIterable {
    case kanaal, afdeling, onderwerp
}

extension Raadpleging {
    /// The waits whose start lies in `van`…`tot` (local dates, inclusive), per hop and, with `per`,
    /// per group, from the log itself (read once, in order; nothing is written). Each hop comes first
    /// for all groups together, then for each group by name.
    public func knelpunten(van: Datum, tot: Datum, per: KnelpuntIndeling?, voortgang: (Int64) -> Void = { _ in }) throws -> [Knelpuntregel] {
        func groep(_ wait: Knelpunten.Wachttijd) -> String? {
            switch per {
            case .kanaal: wait.kanaal.rawValue
            case .afdeling: wait.afdeling
            case .onderwerp: wait.onderwerp
            case nil: nil
            }
        }
        var knelpunten = Knelpunten()
        var all: [Knelpunten.Hop: Knelpuntregel.Verzameling] = [:]
        var grouped: [Knelpunten.Hop: [String: Knelpuntregel.Verzameling]] = [:]
        let end = try log.lastPosition()
        try log.read(from: 1) { entry in
            if let event = try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels) {
                for wait in knelpunten.verwerk(event) {
                    let day = Kalender.lokaleDatum(wait.van)
                    guard van <= day, day <= tot else { continue }
                    all[wait.hop, default: .init()].voegToe(wait)
                    if let name = groep(wait) { grouped[wait.hop, default: [:]][name, default: .init()].voegToe(wait) }
                }
            }
            if entry.position % 100_000 == 0 { voortgang(entry.position) }
            return entry.position < end
        }
        return Knelpunten.Hop.allCases.flatMap { hop in
            [Knelpuntregel(hop: hop, groep: nil, all[hop] ?? .init())]
                + (grouped[hop] ?? [:]).sorted { $0.key < $1.key }.map { Knelpuntregel(hop: hop, groep: $0.key, $0.value) }
        }
    }
}
