import Crypto
import CivilTime
import Domain
import EventLog
import Service

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

    package init(id: String, rol: String, omschrijving: String, sha256: String, aangemaaktOp: String, ingetrokkenOp: String?) {
        self.id = id
        self.rol = rol
        self.omschrijving = omschrijving
        self.sha256 = sha256
        self.aangemaaktOp = aangemaaktOp
        self.ingetrokkenOp = ingetrokkenOp
    }
}

/// `<data>/tokens.json` (mode 0600): the issued tokens, read again when the file changes, so
/// `zaak token intrek` takes effect on the next request without a restart.
public final class Tokenbestand: Sendable {
    public var pad: String { bestand.pad }
    private let bestand: Lijstbestand<Token>

    public init(dataDirectory: String) {
        bestand = Lijstbestand(pad: dataDirectory + "/tokens.json", soort: "tokenbestand")
    }

    public func lijst() throws -> [Token] { try bestand.lijst() }

    /// Issues a token; the secret is returned once and never stored.
    public func maak(rol: Rol, omschrijving: String) throws -> (token: Token, geheim: String) {
        let secret = "zk_" + geheim()
        let token: Token = try bestand.wijzig { tokens in
            let token = Token(id: "T\(volgendNummer(tokens.map(\.id)))", rol: rol.description, omschrijving: omschrijving, sha256: Self.hash(secret),
                              aangemaaktOp: Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds()), ingetrokkenOp: nil)
            tokens.append(token)
            return (true, token)
        }
        return (token, secret)
    }

    public func intrek(_ id: String) throws -> Token {
        try bestand.wijzig { tokens in
            guard let index = tokens.firstIndex(where: { $0.id == id }) else {
                throw ZaakFout(.onbekend, "token \(id) bestaat niet; zie `zaak token lijst`")
            }
            guard tokens[index].ingetrokkenOp == nil else { return (false, tokens[index]) }
            tokens[index].ingetrokkenOp = Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds())
            return (true, tokens[index])
        }
    }

    /// The live token whose secret this is, if any.
    public func zoek(geheim: String) throws -> (token: Token, rol: Rol)? {
        let hash = Self.hash(geheim)
        guard let token = try bestand.actueel().first(where: { $0.sha256 == hash && $0.ingetrokkenOp == nil }) else { return nil }
        return (token, try Rol(token.rol))
    }

    static func hash(_ secret: String) -> String {
        HexBytes.encode(Array(SHA256.hash(data: Array(secret.utf8))))
    }
}

/// 32 random bytes in hex: a token's or a session's secret.
package func geheim() -> String {
    var random = SystemRandomNumberGenerator()
    return HexBytes.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &random) })
}

/// The next number after the highest of ids like "T3" or "G12".
package func volgendNummer(_ ids: [String]) -> Int {
    (ids.compactMap { Int($0.dropFirst()) }.max() ?? 0) + 1
}
