import EventLog
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

    public init(traceId: String, operatie: String, verwerkingsactiviteit: String, betrokkene: String, betrokkeneSoort: String,
                zaken: [String], tijdstip: String, status: String, rol: String, token: String) {
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
    }
}

/// The processing log: an append-only EventLog of its own in `<data>/verwerkingen`, so it has the
/// same durability (fsync before the answer), tamper evidence and `lz4 -dc` readability as the
/// zaak log. Records are keyed by data subject, so one inwoner's records are found by the index
/// (an AVG inzageverzoek).
public final class Verwerkingslog: Sendable {
    public static let zonderBetrokkene = "geen-betrokkene"
    let log: EventLog

    public init(dataDirectory: String, configuration: LogConfiguration = LogConfiguration()) throws {
        log = try EventLog(directory: dataDirectory + "/verwerkingen", configuration: configuration)
    }

    /// Appends the records of one request as one batch; returns after fsync.
    public func vastleggen(_ verwerkingen: [Verwerking]) throws {
        guard !verwerkingen.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let records = try verwerkingen.enumerated().map { index, verwerking in
            LogRecord(id: "\(verwerking.traceId).\(index + 1)", zaak: verwerking.betrokkene, body: Array(try encoder.encode(verwerking)))
        }
        _ = try log.append(records)
    }

    /// The log lines from `vanaf` (at most `limiet`), or only those of one data subject.
    public func lijnen(vanaf: Int64, betrokkene: String?, limiet: Int) throws -> [[UInt8]] {
        if let betrokkene {
            return Array(try log.events(ofZaak: betrokkene).filter { $0.position >= vanaf }.prefix(limiet).map(\.line))
        }
        var lines: [[UInt8]] = []
        try log.read(from: vanaf) { entry in
            lines.append(entry.line)
            return lines.count < limiet
        }
        return lines
    }
}
