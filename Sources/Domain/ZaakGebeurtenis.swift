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

extension ZaakGebeurtenis: Encodable {
    enum CodingKeys: String, CodingKey {
        case positie, id, zaak, vastgelegdOp, type, schemaversie, versie, plaatsgevondenOp, actor, data
    }

    /// The whole event including the log's fields when known (what `zaak log toon` shows).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(positie, forKey: .positie)
        try container.encode(id, forKey: .id)
        try container.encode(zaak, forKey: .zaak)
        try container.encodeIfPresent(vastgelegdOp, forKey: .vastgelegdOp)
        try container.encode(gebeurtenis.type, forKey: .type)
        try container.encode(gebeurtenis.soort.schemaversie, forKey: .schemaversie)
        try container.encode(versie, forKey: .versie)
        try container.encode(plaatsgevondenOp, forKey: .plaatsgevondenOp)
        try container.encode(actor, forKey: .actor)
        try container.encode(gebeurtenis, forKey: .data)
    }

    /// The body the log stores after its own envelope: type, schemaversie, versie,
    /// plaatsgevondenOp, actor, data — in that order, with the members of actor and data sorted, so
    /// equal events always give equal bytes (JSONEncoder's own member order is not stable).
    /// This form keeps personal data in plain text, as logs before log-format revision 4 did;
    /// `logBody(sleutels:)` is the one the log is written with.
    public func logBody() -> [UInt8] {
        // Encoding value types built by this module cannot fail.
        logBody(data: try! Array(JSONEncoder.gebeurtenissen.encode(gebeurtenis)))
    }

    func logBody(data: [UInt8]) -> [UInt8] {
        let encoder = JSONEncoder.gebeurtenissen
        func json<T: Encodable>(_ value: T) -> [UInt8] { try! Array(encoder.encode(value)) }
        var body = Array(#"{"type":"#.utf8) + json(gebeurtenis.type)
        body += Array(#","schemaversie":"#.utf8) + json(gebeurtenis.soort.schemaversie)
        body += Array(#","versie":"#.utf8) + json(versie)
        body += Array(#","plaatsgevondenOp":"#.utf8) + json(plaatsgevondenOp)
        body += Array(#","actor":"#.utf8) + json(actor)
        body += Array(#","data":"#.utf8) + data + [UInt8(ascii: "}")]
        return body
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
