/// Why the domain refuses a command or an event. The message is Dutch and says what to supply or
/// do, without command syntax; the steps it suggests are `acties`, which the CLI renders as command
/// lines and the API as routes. The kind decides the CLI's exit code and the API's status.
public struct ZaakFout: Error, Equatable, CustomStringConvertible {
    /// The raw value is the kind's name in `--json` errors.
    public enum Soort: String, Sendable, Equatable {
        /// A value is missing, malformed or out of range.
        case ongeldig
        /// A zaak, doorverwijzing, onderwerp or afdeling that does not exist.
        case onbekend
        /// A rule of the zaak forbids it now (closing a closed zaak, the closure rules, …).
        case regel
        /// The zaak changed since the caller read it.
        case conflict
        /// Something the answer needs is not available now (the zaak's key, the key store): nothing
        /// was decided, and trying again once it is back gives the answer.
        case nietBeschikbaar = "niet-beschikbaar"
    }

    public let soort: Soort
    public let melding: String
    /// The rules of BRIEF §4 the refusal names: 1–3 for a refused `sluit`, 4 or 5 for an import that
    /// skipped the closure check's reopening.
    public let regels: [Int]
    /// The suggested steps, in the order the message names them.
    public let acties: [Actie]

    public init(_ soort: Soort, _ melding: String, regels: [Int] = [], acties: [Actie] = []) {
        self.soort = soort
        self.melding = melding
        self.regels = regels
        self.acties = acties
    }

    public var description: String { melding }
}
