import Crypto
import CivilTime
import Domain
import EventLog
import Service
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Who a bearer token speaks for. What each may do: docs/api.md.
public enum Rol: Sendable, Equatable, CustomStringConvertible {
    /// The contact centre: reads everything, appends contacts, handoffs and their follow-up.
    case kcc
    /// A backoffice department: reads the zaken handed to it and its queue, appends its terugkoppeling.
    case afdeling(String)
    /// Reads everything, including the processing log; appends nothing.
    case auditor
    /// Application management: everything.
    case beheer

    public init(_ text: String) throws {
        switch text {
        case "kcc": self = .kcc
        case "auditor": self = .auditor
        case "beheer": self = .beheer
        default:
            guard text.hasPrefix("afdeling:"), text.count > 9 else {
                throw ZaakFout(.ongeldig, "rol '\(text)' bestaat niet; kies uit: kcc, afdeling:<naam> (bijv. afdeling:Stadsbeheer), auditor, beheer")
            }
            self = .afdeling(String(text.dropFirst(9)))
        }
    }

    public var description: String {
        switch self {
        case .kcc: "kcc"
        case let .afdeling(naam): "afdeling:\(naam)"
        case .auditor: "auditor"
        case .beheer: "beheer"
        }
    }
}

/// One issued token. Only the SHA-256 of the secret is kept: a stolen file gives no access.
public struct Token: Codable, Sendable, Equatable {
    public let id: String
    public let rol: String
    public let omschrijving: String
    public let sha256: String
    public let aangemaaktOp: String
    public var ingetrokkenOp: String?
}

/// `<data>/tokens.json` (mode 0600): the issued tokens. The server reads it again when it changes,
/// so `zaak token intrek` takes effect on the next request without a restart. Changes go through
/// `Staatsbestand`: a `maak` and an `intrek` at the same moment both land.
public final class Tokenbestand: @unchecked Sendable {
    public let pad: String
    private let bestand: Staatsbestand
    /// The last list read, with the file's inode, mtime and size then: every change renames a new
    /// file into place, so a new inode tells even a change within the clock's resolution.
    private let geladen = Mutex<(inode: UInt64, sec: Int, nsec: Int, size: Int, tokens: [Token])?>(nil)

    public init(dataDirectory: String) {
        pad = dataDirectory + "/tokens.json"
        bestand = Staatsbestand(pad: pad)
    }

    public func lijst() throws -> [Token] { try decode(try bestand.lees()) }

    private func decode(_ bytes: [UInt8]?) throws -> [Token] {
        guard let bytes else { return [] }
        do { return try JSONDecoder().decode([Token].self, from: Data(bytes)) } catch {
            throw ZaakFout(.ongeldig, "\(pad) is geen geldig tokenbestand: \(error)")
        }
    }

    private func encode(_ tokens: [Token]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return Array(try encoder.encode(tokens))
    }

    /// Issues a token; the secret is returned once and never stored.
    public func maak(rol: Rol, omschrijving: String) throws -> (token: Token, geheim: String) {
        var random = SystemRandomNumberGenerator()
        let secret = "zk_" + HexBytes.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
        let token: Token = try bestand.wijzig { bytes in
            var tokens = try decode(bytes)
            let nummer = (tokens.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1
            let token = Token(id: "T\(nummer)", rol: rol.description, omschrijving: omschrijving, sha256: Self.hash(secret),
                              aangemaaktOp: Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds()), ingetrokkenOp: nil)
            tokens.append(token)
            return (try encode(tokens), token)
        }
        return (token, secret)
    }

    public func intrek(_ id: String) throws -> Token {
        try bestand.wijzig { bytes in
            var tokens = try decode(bytes)
            guard let index = tokens.firstIndex(where: { $0.id == id }) else {
                throw ZaakFout(.onbekend, "token \(id) bestaat niet; zie `zaak token lijst`")
            }
            guard tokens[index].ingetrokkenOp == nil else { return (nil, tokens[index]) }
            tokens[index].ingetrokkenOp = Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds())
            return (try encode(tokens), tokens[index])
        }
    }

    /// The live token whose secret this is, if any.
    public func zoek(geheim: String) throws -> (token: Token, rol: Rol)? {
        let hash = Self.hash(geheim)
        guard let token = try actueel().first(where: { $0.sha256 == hash && $0.ingetrokkenOp == nil }) else { return nil }
        return (token, try Rol(token.rol))
    }

    static func hash(_ secret: String) -> String {
        HexBytes.encode(Array(SHA256.hash(data: Array(secret.utf8))))
    }

    private func actueel() throws -> [Token] {
        var info = stat()
        let exists = stat(pad, &info) == 0
        let stamp = (inode: UInt64(info.st_ino), sec: Int(info.st_mtim.tv_sec), nsec: Int(info.st_mtim.tv_nsec), size: Int(info.st_size))
        if exists, let cached = geladen.withLock({ $0 }), cached.inode == stamp.inode, cached.sec == stamp.sec, cached.nsec == stamp.nsec,
           cached.size == stamp.size {
            return cached.tokens
        }
        let tokens = try lijst()
        geladen.withLock { $0 = exists ? (stamp.inode, stamp.sec, stamp.nsec, stamp.size, tokens) : nil }
        return tokens
    }
}
