@testable import Domain
import Foundation

// The Codable decoding of events that production used before the hand decoder (Logregel.swift) was
// its only one: JSONDecoder, and for the strict reading of imports the members it kept compared with
// the input's. Kept here as the reference the hand decoder is tested against (LogregelTests).

extension ZaakGebeurtenis: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let positie = try container.decodeIfPresent(Int64.self, forKey: .positie)
        let id = try container.decode(String.self, forKey: .id)
        let zaak = try container.decode(Zaaknummer.self, forKey: .zaak)
        let vastgelegdOp = try container.decodeIfPresent(Tijdstip.self, forKey: .vastgelegdOp)
        let versie = try container.decode(Int.self, forKey: .versie)
        let plaatsgevondenOp = try container.decode(Tijdstip.self, forKey: .plaatsgevondenOp)
        let actor = try container.decode(Actor.self, forKey: .actor)
        let type = try container.decode(String.self, forKey: .type)
        let schemaversie = try container.decode(Int.self, forKey: .schemaversie)
        guard let soort = Gebeurtenis.Soort(rawValue: type) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "onbekend type '\(type)'")
        }
        guard soort.schemaversie == schemaversie else {
            throw DecodingError.dataCorruptedError(forKey: .schemaversie, in: container,
                                                   debugDescription: "schemaversie \(schemaversie) van \(type) is onbekend; deze versie kent \(soort.schemaversie)")
        }
        func data<T: Decodable>(_: T.Type) throws -> T { try container.decode(T.self, forKey: .data) }
        let gebeurtenis: Gebeurtenis = switch soort {
        case .zaakGeopend: .zaakGeopend(try data(ZaakGeopend.self))
        case .meldingOntvangen: .meldingOntvangen(try data(MeldingOntvangen.self))
        case .gesprekGevoerd: .gesprekGevoerd(try data(GesprekGevoerd.self))
        case .berichtOntvangen: .berichtOntvangen(try data(BerichtOntvangen.self))
        case .berichtVerstuurd: .berichtVerstuurd(try data(BerichtVerstuurd.self))
        case .doorverwezen: .doorverwezen(try data(Doorverwezen.self))
        case .terugbelverzoekAangemaakt: .terugbelverzoekAangemaakt(try data(TerugbelverzoekAangemaakt.self))
        case .terugkoppelingOntvangen: .terugkoppelingOntvangen(try data(TerugkoppelingOntvangen.self))
        case .inwonerGeinformeerd: .inwonerGeinformeerd(try data(InwonerGeinformeerd.self))
        case .zakenGekoppeld: .zakenGekoppeld(try data(ZakenGekoppeld.self))
        case .zaakAfgesloten: .zaakAfgesloten(try data(ZaakAfgesloten.self))
        case .zaakHeropend: .zaakHeropend(try data(ZaakHeropend.self))
        case .tevredenheidGemeten: .tevredenheidGemeten(try data(TevredenheidGemeten.self))
        case .gegevensGewist: .gegevensGewist(try data(GegevensGewist.self))
        }
        self.init(id: id, zaak: zaak, versie: versie, plaatsgevondenOp: plaatsgevondenOp, actor: actor, gebeurtenis: gebeurtenis,
                  positie: positie, vastgelegdOp: vastgelegdOp)
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
            throw ZaakFout(.ongeldig, "onbekend veld '\(path)'; zie schemas/events/\(decoded.gebeurtenis.soort.schemabestand)")
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
