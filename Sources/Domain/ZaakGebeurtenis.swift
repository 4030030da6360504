#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One event of one zaak with its envelope (BRIEF §3). The log owns `positie` and `vastgelegdOp`
/// and stores `id` and `zaak` in its own envelope; the rest is the body this type encodes.
public struct ZaakGebeurtenis: Sendable, Equatable {
    /// Client-chosen; a retried append with the same id is not written twice.
    public var id: String
    public var zaak: Zaaknummer
    /// 1 for the zaak's first event, then 2, 3, … without gaps.
    public var versie: Int
    public var plaatsgevondenOp: Tijdstip
    public var actor: Actor
    public var gebeurtenis: Gebeurtenis
    /// Known once the event is in the log.
    public var positie: Int64?
    public var vastgelegdOp: Tijdstip?

    public init(id: String, zaak: Zaaknummer, versie: Int, plaatsgevondenOp: Tijdstip, actor: Actor, gebeurtenis: Gebeurtenis,
                positie: Int64? = nil, vastgelegdOp: Tijdstip? = nil) {
        self.id = id
        self.zaak = zaak
        self.versie = versie
        self.plaatsgevondenOp = plaatsgevondenOp
        self.actor = actor
        self.gebeurtenis = gebeurtenis
        self.positie = positie
        self.vastgelegdOp = vastgelegdOp
    }

    /// 1–128 characters from A-Z a-z 0-9 . _ : - (the log's rule for ids).
    public static func isGeldigeId(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy(isReferentieteken)
    }
}

// MARK: JSON

extension ZaakGebeurtenis: Codable {
    enum CodingKeys: String, CodingKey {
        case positie, id, zaak, vastgelegdOp, type, schemaversie, versie, plaatsgevondenOp, actor, data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        positie = try container.decodeIfPresent(Int64.self, forKey: .positie)
        id = try container.decode(String.self, forKey: .id)
        zaak = try container.decode(Zaaknummer.self, forKey: .zaak)
        vastgelegdOp = try container.decodeIfPresent(Tijdstip.self, forKey: .vastgelegdOp)
        versie = try container.decode(Int.self, forKey: .versie)
        plaatsgevondenOp = try container.decode(Tijdstip.self, forKey: .plaatsgevondenOp)
        actor = try container.decode(Actor.self, forKey: .actor)
        let type = try container.decode(String.self, forKey: .type)
        let schemaversie = try container.decode(Int.self, forKey: .schemaversie)
        guard let known = Gebeurtenis.typen.first(where: { $0.type == type }) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "onbekend type '\(type)'")
        }
        guard known.schemaversie == schemaversie else {
            throw DecodingError.dataCorruptedError(forKey: .schemaversie, in: container,
                                                   debugDescription: "schemaversie \(schemaversie) van \(type) is onbekend; deze versie kent \(known.schemaversie)")
        }
        func data<T: Decodable>(_: T.Type) throws -> T { try container.decode(T.self, forKey: .data) }
        switch type {
        case "ZaakGeopend": gebeurtenis = .zaakGeopend(try data(ZaakGeopend.self))
        case "MeldingOntvangen": gebeurtenis = .meldingOntvangen(try data(MeldingOntvangen.self))
        case "GesprekGevoerd": gebeurtenis = .gesprekGevoerd(try data(GesprekGevoerd.self))
        case "BerichtOntvangen": gebeurtenis = .berichtOntvangen(try data(BerichtOntvangen.self))
        case "BerichtVerstuurd": gebeurtenis = .berichtVerstuurd(try data(BerichtVerstuurd.self))
        case "Doorverwezen": gebeurtenis = .doorverwezen(try data(Doorverwezen.self))
        case "TerugbelverzoekAangemaakt": gebeurtenis = .terugbelverzoekAangemaakt(try data(TerugbelverzoekAangemaakt.self))
        case "TerugkoppelingOntvangen": gebeurtenis = .terugkoppelingOntvangen(try data(TerugkoppelingOntvangen.self))
        case "InwonerGeinformeerd": gebeurtenis = .inwonerGeinformeerd(try data(InwonerGeinformeerd.self))
        case "ZakenGekoppeld": gebeurtenis = .zakenGekoppeld(try data(ZakenGekoppeld.self))
        case "ZaakAfgesloten": gebeurtenis = .zaakAfgesloten(try data(ZaakAfgesloten.self))
        case "ZaakHeropend": gebeurtenis = .zaakHeropend(try data(ZaakHeropend.self))
        case "TevredenheidGemeten": gebeurtenis = .tevredenheidGemeten(try data(TevredenheidGemeten.self))
        default: preconditionFailure("type \(type) is listed in Gebeurtenis.typen but not decoded")
        }
    }

    /// The whole event including the log's fields when known (what `zaak log toon` shows).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(positie, forKey: .positie)
        try container.encode(id, forKey: .id)
        try container.encode(zaak, forKey: .zaak)
        try container.encodeIfPresent(vastgelegdOp, forKey: .vastgelegdOp)
        try encodeBody(into: &container)
    }

    private func encodeBody(into container: inout KeyedEncodingContainer<CodingKeys>) throws {
        try container.encode(gebeurtenis.type, forKey: .type)
        try container.encode(Gebeurtenis.typen.first { $0.type == gebeurtenis.type }!.schemaversie, forKey: .schemaversie)
        try container.encode(versie, forKey: .versie)
        try container.encode(plaatsgevondenOp, forKey: .plaatsgevondenOp)
        try container.encode(actor, forKey: .actor)
        try container.encode(DataMember(gebeurtenis: gebeurtenis), forKey: .data)
    }

    /// The body the log stores after its own envelope: type, schemaversie, versie,
    /// plaatsgevondenOp, actor, data — in that order, with the members of actor and data sorted, so
    /// equal events always give equal bytes (JSONEncoder's own member order is not stable).
    public func logBody() -> [UInt8] {
        let encoder = JSONEncoder.gebeurtenissen
        // Encoding value types built by this module cannot fail.
        func json<T: Encodable>(_ value: T) -> [UInt8] { try! Array(encoder.encode(value)) }
        var body = Array(#"{"type":"#.utf8) + json(gebeurtenis.type)
        body += Array(#","schemaversie":"#.utf8) + json(Gebeurtenis.typen.first { $0.type == gebeurtenis.type }!.schemaversie)
        body += Array(#","versie":"#.utf8) + json(versie)
        body += Array(#","plaatsgevondenOp":"#.utf8) + json(plaatsgevondenOp)
        body += Array(#","actor":"#.utf8) + json(actor)
        body += Array(#","data":"#.utf8) + json(DataMember(gebeurtenis: gebeurtenis)) + [UInt8(ascii: "}")]
        return body
    }

    /// The `data` member alone.
    private struct DataMember: Encodable {
        let gebeurtenis: Gebeurtenis
        func encode(to encoder: any Encoder) throws {
            switch gebeurtenis {
            case let .zaakGeopend(data): try data.encode(to: encoder)
            case let .meldingOntvangen(data): try data.encode(to: encoder)
            case let .gesprekGevoerd(data): try data.encode(to: encoder)
            case let .berichtOntvangen(data): try data.encode(to: encoder)
            case let .berichtVerstuurd(data): try data.encode(to: encoder)
            case let .doorverwezen(data): try data.encode(to: encoder)
            case let .terugbelverzoekAangemaakt(data): try data.encode(to: encoder)
            case let .terugkoppelingOntvangen(data): try data.encode(to: encoder)
            case let .inwonerGeinformeerd(data): try data.encode(to: encoder)
            case let .zakenGekoppeld(data): try data.encode(to: encoder)
            case let .zaakAfgesloten(data): try data.encode(to: encoder)
            case let .zaakHeropend(data): try data.encode(to: encoder)
            case let .tevredenheidGemeten(data): try data.encode(to: encoder)
            }
        }
    }

    /// Decodes one JSON object (a log line, or an import line without `positie`/`vastgelegdOp`)
    /// strictly: a member that the event type does not know is an error, not silently dropped.
    public init(json: [UInt8]) throws(ZaakFout) {
        // Imports decode every line this way: the hand decoder first, ten times faster than the
        // three JSONDecoder passes below, which decide (and word) everything it refuses.
        if let decoded = Self.strikt(json) {
            self = decoded
            return
        }
        self = try Self.codableStreng(json)
    }

    /// The reference for `init(json:)`: JSONDecoder, then the members it kept compared with the input's.
    static func codableStreng(_ json: [UInt8]) throws(ZaakFout) -> ZaakGebeurtenis {
        let decoded: ZaakGebeurtenis
        let tree: JSONWaarde
        do {
            tree = try JSONDecoder().decode(JSONWaarde.self, from: Data(json))
        } catch {
            throw ZaakFout(.ongeldig, "geen geldige JSON (\(Self.describe(error)))")
        }
        guard case .object = tree else { throw ZaakFout(.ongeldig, "een gebeurtenis is een JSON-object") }
        do {
            decoded = try JSONDecoder().decode(ZaakGebeurtenis.self, from: Data(json))
        } catch {
            throw ZaakFout(.ongeldig, Self.describe(error))
        }
        // What the types kept, encoded again: any member of the input missing there was unknown.
        let kept = try! JSONDecoder().decode(JSONWaarde.self, from: JSONEncoder.gebeurtenissen.encode(decoded))
        if let path = tree.firstMember(missingFrom: kept) {
            throw ZaakFout(.ongeldig, "onbekend veld '\(path)'; zie schemas/events/\(decoded.gebeurtenis.type).v1.schema.json")
        }
        return decoded
    }

    /// A decoding error in Dutch, with the path of the field.
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacing(".[", with: "[")
        }
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?:
            let prefix = path(context.codingPath)
            return "het veld '\(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)' ontbreekt"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?:
            return "het veld '\(path(context.codingPath))' heeft het verkeerde type"
        case let .dataCorrupted(context)?:
            let field = path(context.codingPath)
            let reason = context.debugDescription.hasPrefix("Cannot initialize") ? "heeft een onbekende waarde" : context.debugDescription
            return field.isEmpty ? "ongeldige JSON" : "het veld '\(field)' \(reason.hasPrefix("heeft") ? reason : "is ongeldig: " + reason)"
        default:
            return "\(error)"
        }
    }
}

extension JSONEncoder {
    /// A fresh encoder per use (they are not shareable across threads), with sorted members.
    static var gebeurtenissen: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Any JSON value, to compare an input's members with what the typed decoding kept.
indirect enum JSONWaarde: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONWaarde]), object([String: JSONWaarde])

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONWaarde] = [:]
            for key in container.allKeys { members[key.stringValue] = try container.decode(JSONWaarde.self, forKey: key) }
            self = .object(members)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONWaarde] = []
            while !container.isAtEnd { elements.append(try container.decode(JSONWaarde.self)) }
            self = .array(elements)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else { self = .string(try container.decode(String.self)) }
    }

    /// The path of the first object member of `self` (other than a null) that `other` lacks.
    func firstMember(missingFrom other: JSONWaarde, path: String = "") -> String? {
        switch (self, other) {
        case let (.object(mine), .object(theirs)):
            for key in mine.keys.sorted() {
                let child = path.isEmpty ? key : path + "." + key
                guard let theirValue = theirs[key] else {
                    if mine[key] == .null { continue }
                    return child
                }
                if let found = mine[key]!.firstMember(missingFrom: theirValue, path: child) { return found }
            }
            return nil
        case let (.array(mine), .array(theirs)):
            for (index, element) in mine.enumerated() where index < theirs.count {
                if let found = element.firstMember(missingFrom: theirs[index], path: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
