import Domain
import EventLog

// The core's suggested steps as the CLI says them: command lines an agent can type.

extension Actie {
    /// The command line for this step; `…` marks what the agent still fills in.
    var opdracht: String {
        let nummer = zaak?.description ?? "<zaak>"
        switch soort {
        case .bekijk, .werkOpHoofdzaak: return "zaak toon \(nummer)"
        case .beantwoord: return "zaak bericht --zaak \(nummer) --richting uitgaand …"
        case .doorverwijs: return "zaak doorverwijs \(nummer) …"
        case .terugkoppeling: return "zaak terugkoppeling \(nummer) --doorverwijzing \(doorverwijzing ?? "<id>") …"
        case .informeer: return "zaak informeer \(nummer) --kanaal …"
        case .sluit: return "zaak sluit \(nummer) --resultaat \(resultaat?.rawValue ?? "…")"
        case .sluitMetAfwijking: return "zaak sluit \(nummer) --resultaat \(resultaat?.rawValue ?? "…") --afwijken \"reden\""
        case .heropen: return "zaak heropen \(nummer) --reden …"
        case .nieuweZaak: return "dezelfde opdracht met --nieuwe-zaak in plaats van --zaak"
        case .catalogusTonen: return "zaak catalogus toon"
        case .catalogusControleren: return "zaak catalogus controleer \(pad ?? "catalogus.json")"
        }
    }

    /// What `--json` adds to a step's values.
    static let commandoWeergave: Actie.Weergave = { ["opdracht": $0.opdracht] }
}

extension LogError.Remedy {
    var tekst: String {
        switch self {
        case .verify: return "draai `zaak log verifieer`"
        case .restoreFromBackup: return "herstel het bestand uit een back-up"
        case .cutDamagedTail: return "zonder back-up kapt `zaak log herstel --forceer` (na een kopie van de logmap) het beschadigde eind af; het gaat eerst in quarantaine"
        case .chooseDataDirectory: return "geef met --data (of $ZAAK_DATA) de map van het log op"
        }
    }
}

/// The line after an error or a zaak's next step that says what to do, or nil when nothing is suggested.
func volgendeStapRegel(_ acties: [Actie]) -> String? {
    acties.isEmpty ? nil : "Volgende stap: " + acties.map { "`\($0.opdracht)`" }.joined(separator: " of ")
}

func volgendeStapRegel(_ remedies: [LogError.Remedy]) -> String? {
    remedies.isEmpty ? nil : "Volgende stap: " + remedies.map(\.tekst).joined(separator: ", daarna ")
}
