import Domain
import EventLog
import ZaakKeys

/// The zaken's data keys as the domain's decoder and writer use them (log-format §3.1): AES-256-GCM
/// under the zaak's key, with the event's identity (`<zaak>/<id>`) as associated data, so that a
/// ciphertext moved to another event or zaak does not decrypt.
public struct LogSleutels: Sleutelbron {
    public let keys: ZaakKeys

    public init(_ keys: ZaakKeys) { self.keys = keys }

    /// The data directory's keys.
    public init(dataDirectory: String) throws {
        keys = try ZaakKeys(dataDirectory: dataDirectory)
    }

    static func associatedData(_ zaak: String, _ id: String) -> [UInt8] { Array(zaak.utf8) + [UInt8(ascii: "/")] + Array(id.utf8) }

    public func versleutel(_ klaartekst: [UInt8], zaak: Zaaknummer, id: String) throws -> String {
        let nummer = zaak.description
        switch try keys.key(for: nummer) {
        case let .key(key): return try ZaakKeys.seal(klaartekst, key: key, associatedData: Self.associatedData(nummer, id))
        case .erased: throw ZaakFout(.regel, "de gegevens van zaak \(zaak) zijn gewist; er kan niets meer aan worden toegevoegd")
        case .none: throw ZaakFout(.ongeldig, "zaak \(zaak) heeft nog geen sleutel in \(keys.path); er is niets vastgelegd")
        }
    }

    public func ontsleutel(_ geheim: String, zaak: Zaaknummer, id: String) throws(ZaakFout) -> [UInt8]? {
        let lookup: ZaakKeys.Lookup
        do { lookup = try keys.key(for: zaak.description) } catch {
            throw ZaakFout(.nietBeschikbaar, "de sleutelkluis \(keys.path) is niet te lezen: \(error)")
        }
        switch lookup {
        case let .key(key):
            guard let klaartekst = ZaakKeys.open(geheim, key: key, associatedData: Self.associatedData(zaak.description, id)) else {
                throw ZaakFout(.nietBeschikbaar, "de versleutelde velden van gebeurtenis \(id) (zaak \(zaak)) zijn niet te ontsleutelen: "
                    + "de bytes zijn gewijzigd of de sleutel in \(keys.path) hoort er niet bij")
            }
            return klaartekst
        case .erased: return nil
        case .none:
            throw ZaakFout(.nietBeschikbaar, "zaak \(zaak) heeft versleutelde velden maar geen sleutel in \(keys.path); zet de reservekopie van de sleutelmap terug")
        }
    }
}

extension LogSleutels {
    /// The log's records of `events`, their personal data encrypted under keys made durable first.
    public func records(_ events: [ZaakGebeurtenis]) throws -> [LogRecord] {
        try keys.ensureKeys(for: Set(events.map(\.zaak)).map(\.description))
        return try events.map { LogRecord(id: $0.id, zaak: $0.zaak.description, body: try $0.logBody(sleutels: self)) }
    }
}
