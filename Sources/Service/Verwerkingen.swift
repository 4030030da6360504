import EventLog
import ZaakKeys
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One read of personal data, with the fields of the Logboek Dataverwerkingen standard: the trace
/// of the request, the operation, the processing activity, the data subject, the time and the
/// outcome, plus who asked (role and token id).
public struct Verwerking: Codable, Sendable, Equatable {
    public let traceId: String
    public let operatie: String
    public let verwerkingsactiviteit: String
    /// The inwoner's reference as the client system knows it (never a BSN).
    public let betrokkene: String
    public let betrokkeneSoort: String
    public let zaken: [String]
    public let tijdstip: String
    public let status: String
    public let rol: String
    public let token: String
    /// The signed-in medewerker of a web page (their account is `token`); absent for an API token.
    public let medewerker: String?

    public init(traceId: String, operatie: String, verwerkingsactiviteit: String, betrokkene: String, betrokkeneSoort: String,
                zaken: [String], tijdstip: String, status: String, rol: String, token: String, medewerker: String? = nil) {
        self.traceId = traceId
        self.operatie = operatie
        self.verwerkingsactiviteit = verwerkingsactiviteit
        self.betrokkene = betrokkene
        self.betrokkeneSoort = betrokkeneSoort
        self.zaken = zaken
        self.tijdstip = tijdstip
        self.status = status
        self.rol = rol
        self.token = token
        self.medewerker = medewerker
    }
}

extension Verwerking {
    /// The record as the log stores it: what JSONEncoder writes with `.sortedKeys` and
    /// `.withoutEscapingSlashes`, byte for byte, written by hand. A werkvoorraad read records one
    /// per row, and the encoder was half the cost of recording them.
    func logBody() -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(384)
        func member(_ name: String, _ value: String) {
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: name.utf8)
            out.append(contentsOf: "\":".utf8)
            Self.appendJSONString(value, to: &out)
            out.append(UInt8(ascii: ","))
        }
        member("betrokkene", betrokkene)
        member("betrokkeneSoort", betrokkeneSoort)
        if let medewerker { member("medewerker", medewerker) }
        member("operatie", operatie)
        member("rol", rol)
        member("status", status)
        member("tijdstip", tijdstip)
        member("token", token)
        member("traceId", traceId)
        member("verwerkingsactiviteit", verwerkingsactiviteit)
        out.append(contentsOf: "\"zaken\":[".utf8)
        for (index, zaak) in zaken.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendJSONString(zaak, to: &out)
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }

    /// A JSON string as Foundation's encoder writes it: `"` and `\` escaped, the control
    /// characters as \b \f \n \r \t or \u00XX, everything else (also `/`) as it is.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x08: out.append(contentsOf: "\\b".utf8)
            case 0x0C: out.append(contentsOf: "\\f".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// The processing log: an append-only EventLog of its own in `<data>/verwerkingen`, so it has the
/// same durability (fsync before the answer), tamper evidence and `lz4 -dc` readability as the
/// zaak log. Records are filed under the data subject's random pseudonym from the key store (the
/// stored `betrokkene`, and the index's stream), so one inwoner's records are found by the index
/// (an AVG inzageverzoek), and once an erasure deleted the pseudonym nothing ties them to the
/// person (docs/avg.md).
public final class Verwerkingslog: Sendable {
    public static let zonderBetrokkene = "geen-betrokkene"
    let log: EventLog
    private let keys: ZaakKeys

    public init(dataDirectory: String, keys: ZaakKeys, configuration: LogConfiguration = LogConfiguration()) throws {
        log = try EventLog(directory: dataDirectory + "/verwerkingen", configuration: configuration)
        self.keys = keys
    }

    /// Appends the records of one request as one batch; returns after fsync.
    public func vastleggen(_ verwerkingen: [Verwerking]) throws {
        guard !verwerkingen.isEmpty else { return }
        let pseudonyms = try keys.pseudonyms(forSubjects: Set(verwerkingen.map(\.betrokkene).filter { $0 != Self.zonderBetrokkene }))
        let records = verwerkingen.enumerated().map { index, verwerking in
            let subject = pseudonyms[verwerking.betrokkene] ?? verwerking.betrokkene
            let stored = Verwerking(traceId: verwerking.traceId, operatie: verwerking.operatie, verwerkingsactiviteit: verwerking.verwerkingsactiviteit,
                                    betrokkene: subject, betrokkeneSoort: verwerking.betrokkeneSoort, zaken: verwerking.zaken,
                                    tijdstip: verwerking.tijdstip, status: verwerking.status, rol: verwerking.rol, token: verwerking.token,
                                    medewerker: verwerking.medewerker)
            return LogRecord(id: "\(verwerking.traceId).\(index + 1)", zaak: subject, body: stored.logBody())
        }
        _ = try log.append(records)
    }

    /// The records as `Verwerkingslezer` reads them.
    public var lezer: Verwerkingslezer { Verwerkingslezer(log.reader, keys: keys) }
}

/// Reads the processing log with each record's data subject as the client system knows it: the
/// pseudonym's reference, or the pseudonym itself once an erasure deleted the reference. Records
/// written before pseudonyms name the reference themselves and still read.
public struct Verwerkingslezer {
    let reader: LogReader
    let keys: ZaakKeys

    init(_ reader: LogReader, keys: ZaakKeys) {
        self.reader = reader
        self.keys = keys
    }

    /// The data directory's processing log; nil when nothing was ever recorded.
    public init?(dataDirectory: String, keys: ZaakKeys) throws {
        let directory = dataDirectory + "/verwerkingen"
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        self.init(try LogReader(directory: directory), keys: keys)
    }

    /// The log lines from `vanaf` (at most `limiet`), or only those of one data subject, each a JSON
    /// object with the log's members (`positie`, `id`, `zaak`, `vastgelegdOp`) and the record's.
    public func lijnen(vanaf: Int64 = 1, betrokkene: String? = nil, limiet: Int = Int.max) throws -> [[UInt8]] {
        var entries: [LogEntry] = []
        if let betrokkene {
            let streams = [betrokkene] + (try keys.knownPseudonym(forSubject: betrokkene).map { [$0] } ?? [])
            entries = try streams.flatMap { try reader.events(ofZaak: $0) }.filter { $0.position >= vanaf }.sorted { $0.position < $1.position }
            entries = Array(entries.prefix(limiet))
        } else {
            try reader.read(from: vanaf) { entry in
                entries.append(entry)
                return entries.count < limiet
            }
        }
        var references: [String: [UInt8]?] = [:]
        return try entries.map { entry in
            // The pseudonym is the stream (`zaak`) and `betrokkene`: both read as the reference.
            guard entry.zaak.hasPrefix("p-") else { return entry.line }
            if references[entry.zaak] == nil {
                references[entry.zaak] = try keys.subject(ofPseudonym: entry.zaak).map { Array(try JSONEncoder().encode($0)) }
            }
            guard let reference = references[entry.zaak] ?? nil else { return entry.line }
            return entry.line.replacing(Array("\"\(entry.zaak)\"".utf8), with: reference)
        }
    }

    /// The same records, decoded.
    public func verwerkingen(vanaf: Int64 = 1, betrokkene: String? = nil, limiet: Int = Int.max) throws -> [Verwerking] {
        let decoder = JSONDecoder()
        return try lijnen(vanaf: vanaf, betrokkene: betrokkene, limiet: limiet).map { try decoder.decode(Verwerking.self, from: Data($0)) }
    }
}
