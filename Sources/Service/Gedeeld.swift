import Domain
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// What the CLI and the HTTP server both need: the catalogue, parsing a value from a fixed list,
// and the acknowledgement of a command as JSON. Both answer with the same words.

/// The catalogue: `<data>/catalogus.json` when the municipality has its own, else the default.
public func laadCatalogus(_ dataDirectory: String) throws -> Catalogus {
    let path = dataDirectory + "/catalogus.json"
    guard let bytes = try leesBestand(path) else { return Catalogus.standaard }
    do { return try Catalogus(json: bytes) } catch {
        throw ZaakFout(.ongeldig, "\(path) is geen geldige catalogus: \(error). Controleer hem", acties: [Actie(.catalogusControleren, pad: path)])
    }
}

/// A whole file, or nil when it does not exist.
public func leesBestand(_ path: String) throws -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        if errno == ENOENT { return nil }
        throw ZaakFout(.ongeldig, "kan \(path) niet lezen: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 { if errno == EINTR { continue }; throw ZaakFout(.ongeldig, "kan \(path) niet lezen: \(String(cString: strerror(errno)))") }
        if count == 0 { return bytes }
        bytes += chunk[0..<count]
    }
}

/// Parses a value from a fixed list, or says which values exist (`veld` names the option or field).
public func keuze<T: RawRepresentable & CaseIterable>(_ value: String, _ veld: String) throws -> T where T.RawValue == String {
    if let match = T(rawValue: value.lowercased()) { return match }
    let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
    throw ZaakFout(.ongeldig, "\(veld) '\(value)' bestaat niet; kies uit: \(allowed)")
}

/// A command's acknowledgement as `--json` and the API give it.
public struct UitkomstJSON: Encodable, Sendable {
    public let zaak: String, versie: Int, status: String, alVastgelegd: Bool, aangeslotenBijLopendeZaak: Bool
    public let afdeling: String, uiterlijkAfgehandeldOp: Datum
    public let gebeurtenissen: [ZaakGebeurtenis]
    /// Rule 4's reopening of the inwoner's zaak closed as opgelost, when the contact opened a new
    /// zaak within its window (absent otherwise).
    public let heropeningRegel4: ZaakGebeurtenis?
    public let openDoorverwijzingen: [OverdrachtJSON]
    public let volgendeStap: String
    public let volgendeActies: [Actie]

    public init(_ uitkomst: ZaakService.Uitkomst) {
        let zaak = uitkomst.zaak
        self.zaak = zaak.nummer.description
        versie = zaak.versie
        status = statusTekst(zaak.status)
        alVastgelegd = uitkomst.alVastgelegd
        aangeslotenBijLopendeZaak = uitkomst.aangeslotenBijLopendeZaak
        afdeling = zaak.opening.afdeling
        uiterlijkAfgehandeldOp = zaak.opening.uiterlijkAfgehandeldOp
        gebeurtenissen = uitkomst.gebeurtenissen
        heropeningRegel4 = uitkomst.heropeningRegel4
        openDoorverwijzingen = zaak.openOverdrachten.map(OverdrachtJSON.init)
        let next = zaak.volgendeStap
        volgendeStap = next.tekst
        volgendeActies = next.acties
    }
}

public struct OverdrachtJSON: Encodable, Sendable {
    public let doorverwijzing: String, afdeling: String, soort: String, terugbelverzoek: Bool, uiterlijkOp: Datum
    public init(_ handoff: Zaak.Overdracht) {
        doorverwijzing = handoff.id
        afdeling = handoff.afdeling
        soort = handoff.soort.rawValue
        terugbelverzoek = handoff.isTerugbelverzoek
        uiterlijkOp = handoff.uiterlijkOp
    }
}

public func statusTekst(_ status: Zaak.Status) -> String {
    switch status {
    case .open: "open"
    case .gesloten: "gesloten"
    case .gekoppeld: "gekoppeld"
    }
}
