/// A step the core suggests, as data: what to do and on which zaak. The core says it in values
/// only; the CLI renders it as a command line (`zaak heropen 2026-000123 --reden …`), the API as a
/// method and route, so neither's syntax leaks into the domain or the read models.
public struct Actie: Sendable, Equatable, Hashable, Encodable {
    public enum Soort: String, Sendable, Equatable, Hashable, CaseIterable {
        /// Read the zaak again (after a conflict).
        case bekijk
        /// Answer the inwoner's message.
        case beantwoord
        case doorverwijs
        case terugkoppeling
        case informeer
        case sluit
        /// Close although closure rules do not hold, with a recorded reason.
        case sluitMetAfwijking = "sluit-met-afwijking"
        case heropen
        /// Register the contact as a new zaak instead of on the one named.
        case nieuweZaak = "nieuwe-zaak"
        /// Work on the main zaak a linked zaak points to.
        case werkOpHoofdzaak = "werk-op-hoofdzaak"
        case catalogusTonen = "catalogus-tonen"
        case catalogusControleren = "catalogus-controleren"
    }

    public let soort: Soort
    public var zaak: Zaaknummer?
    public var doorverwijzing: String?
    public var resultaat: Resultaat?
    /// A file the step is about (the catalogue to check).
    public var pad: String?

    /// How a shell says a step in its own terms (the CLI's command line, the API's route), added to
    /// the step's values when an encoder's `userInfo` holds one under `weergave`.
    public typealias Weergave = @Sendable (Actie) -> [String: String]
    public static let weergave = CodingUserInfoKey(rawValue: "zaaklog.actie.weergave")!

    private enum CodingKeys: String, CodingKey { case soort, zaak, doorverwijzing, resultaat, pad }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(soort.rawValue, forKey: .soort)
        try container.encodeIfPresent(zaak?.description, forKey: .zaak)
        try container.encodeIfPresent(doorverwijzing, forKey: .doorverwijzing)
        try container.encodeIfPresent(resultaat, forKey: .resultaat)
        try container.encodeIfPresent(pad, forKey: .pad)
        guard let weergave = encoder.userInfo[Self.weergave] as? Weergave else { return }
        var extra = encoder.container(keyedBy: AnyKey.self)
        for (key, value) in weergave(self).sorted(by: { $0.key < $1.key }) { try extra.encode(value, forKey: AnyKey(key)) }
    }

    private struct AnyKey: CodingKey {
        let stringValue: String
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    public init(_ soort: Soort, zaak: Zaaknummer? = nil, doorverwijzing: String? = nil, resultaat: Resultaat? = nil, pad: String? = nil) {
        self.soort = soort
        self.zaak = zaak
        self.doorverwijzing = doorverwijzing
        self.resultaat = resultaat
        self.pad = pad
    }
}

/// What to do next with a zaak: a Dutch sentence without any command syntax, and the steps it
/// names as data, in the order the sentence names them.
public struct VolgendeStap: Sendable, Equatable, Encodable {
    public let tekst: String
    public let acties: [Actie]

    public init(_ tekst: String, acties: [Actie] = []) {
        self.tekst = tekst
        self.acties = acties
    }
}
