import CivilTime
import Domain
import HummingbirdBcrypt
import Server

/// One medewerker's account for the pages. Only the bcrypt hash of the password is kept.
public struct Gebruiker: Codable, Sendable, Equatable {
    public let id: String
    /// Also the actor id of what they record, so the rules of a medewerker reference apply.
    public let naam: String
    public let rol: String
    public let wachtwoordHash: String
    public let aangemaaktOp: String
    public var ingetrokkenOp: String?

    public var isActief: Bool { ingetrokkenOp == nil }
}

/// `<data>/gebruikers.json` (mode 0600): the medewerkers' accounts, listed and revoked like tokens.
/// A revoked account's sessions end on their next request.
public final class Gebruikersbestand: Sendable {
    public static let minimaleLengte = 12
    /// bcrypt reads at most 72 bytes; a longer password would be cut without a word.
    public static let maximaleBytes = 72
    /// 2^11 rounds: about 0.15 s per sign-in on this kind of machine, a guess costs the same.
    static let kosten: UInt8 = 11
    /// Verified when the name is unknown, so a wrong name takes as long as a wrong password.
    private static let lokaas = Bcrypt.hash("geen-gebruiker-met-deze-naam", cost: kosten)

    private let bestand: Lijstbestand<Gebruiker>
    public var pad: String { bestand.pad }

    public init(dataDirectory: String) {
        bestand = Lijstbestand(pad: dataDirectory + "/gebruikers.json", soort: "gebruikersbestand")
    }

    public func lijst() throws -> [Gebruiker] { try bestand.lijst() }

    public func maak(naam: String, rol: Rol, wachtwoord: String) throws -> Gebruiker {
        guard Inwoner.isGeldigeRef(naam) else {
            throw ZaakFout(.ongeldig, "naam '\(naam.citaat)' is ongeldig; gebruik 1–64 tekens uit A-Z a-z 0-9 . _ : - (bijv. j.devries)")
        }
        guard wachtwoord.count >= Self.minimaleLengte else {
            throw ZaakFout(.ongeldig, "het wachtwoord is te kort: gebruik minstens \(Self.minimaleLengte) tekens")
        }
        guard wachtwoord.utf8.count <= Self.maximaleBytes else {
            throw ZaakFout(.ongeldig, "het wachtwoord is te lang: hoogstens \(Self.maximaleBytes) bytes")
        }
        let hash = Bcrypt.hash(wachtwoord, cost: Self.kosten)
        return try bestand.wijzig { gebruikers in
            guard !gebruikers.contains(where: { $0.naam.lowercased() == naam.lowercased() }) else {
                throw ZaakFout(.ongeldig, "er is al een gebruiker '\(naam)'; kies een andere naam of trek die eerst in")
            }
            let gebruiker = Gebruiker(id: "G\(volgendNummer(gebruikers.map(\.id)))", naam: naam, rol: rol.description, wachtwoordHash: hash,
                                      aangemaaktOp: Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds()), ingetrokkenOp: nil)
            gebruikers.append(gebruiker)
            return (true, gebruiker)
        }
    }

    /// Revokes the account of this name, or of this id ("G3", as tokens are revoked).
    public func intrek(_ naam: String) throws -> Gebruiker {
        try bestand.wijzig { gebruikers in
            let named = { (gebruiker: Gebruiker) in gebruiker.naam.lowercased() == naam.lowercased() }
            guard let index = gebruikers.firstIndex(where: { named($0) && $0.isActief }) ?? gebruikers.firstIndex(where: named)
                    ?? gebruikers.firstIndex(where: { $0.id.lowercased() == naam.lowercased() }) else {
                throw ZaakFout(.onbekend, "gebruiker '\(naam.citaat)' bestaat niet; zie `zaak gebruiker lijst`")
            }
            guard gebruikers[index].isActief else { return (false, gebruikers[index]) }
            gebruikers[index].ingetrokkenOp = Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds())
            return (true, gebruikers[index])
        }
    }

    /// The live account this name and password open, if any (the name without case).
    public func controleer(naam: String, wachtwoord: String) throws -> Gebruiker? {
        let gebruiker = try bestand.actueel().first { $0.naam.lowercased() == naam.lowercased() && $0.isActief }
        guard let gebruiker else {
            _ = Bcrypt.verify(wachtwoord, hash: Self.lokaas)
            return nil
        }
        return Bcrypt.verify(wachtwoord, hash: gebruiker.wachtwoordHash) ? gebruiker : nil
    }

    /// The account with this id while it is not revoked.
    func actief(id: String) throws -> Gebruiker? {
        try bestand.actueel().first { $0.id == id && $0.isActief }
    }
}
