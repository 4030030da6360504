import Domain

// The core's suggested steps as the API says them: the method and route that take the step.

extension Actie {
    /// "POST /zaken/Z-2026-000042/heropen", or nil for a step the API has no route for.
    var route: String? {
        let nummer = zaak?.description ?? "{nummer}"
        switch soort {
        case .bekijk, .werkOpHoofdzaak: return "GET /zaken/\(nummer)"
        case .beantwoord: return "POST /berichten"
        case .doorverwijs: return "POST /zaken/\(nummer)/doorverwijzingen"
        case .terugkoppeling: return "POST /zaken/\(nummer)/terugkoppelingen"
        case .informeer: return "POST /zaken/\(nummer)/informeer"
        case .sluit, .sluitMetAfwijking: return "POST /zaken/\(nummer)/sluit"
        case .heropen: return "POST /zaken/\(nummer)/heropen"
        case .nieuweZaak, .catalogusTonen, .catalogusControleren: return nil
        }
    }

    /// What an API answer adds to a step's values.
    static let routeWeergave: Actie.Weergave = { actie in actie.route.map { ["route": $0] } ?? [:] }
}
