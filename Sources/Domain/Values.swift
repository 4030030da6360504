import CivilTime

/// A zaak's number as an agent reads it out over the phone: `Z-2026-000042` (year, six digits).
/// Typing is forgiving: `z-2026-42`, `2026-42` and `Z2026000042` all mean the same zaak.
public struct Zaaknummer: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let jaar: Int
    public let volgnummer: Int

    public init(jaar: Int, volgnummer: Int) {
        precondition((2000...9999).contains(jaar) && (1...999_999).contains(volgnummer))
        self.jaar = jaar
        self.volgnummer = volgnummer
    }

    /// Parses the forms above; nil for anything else.
    public init?(_ text: String) {
        var rest = Substring(text.filter { $0 != " " })
        if let first = rest.first, first == "Z" || first == "z" { rest = rest.dropFirst() }
        if rest.first == "-" { rest = rest.dropFirst() }
        let digits: (Substring, Substring)
        if let dash = rest.firstIndex(of: "-") {
            digits = (rest[..<dash], rest[rest.index(after: dash)...])
        } else if rest.count == 10 {
            digits = (rest.prefix(4), rest.dropFirst(4))
        } else {
            return nil
        }
        guard digits.0.count == 4, (1...6).contains(digits.1.count),
              digits.0.allSatisfy(\.isASCIIDigit), digits.1.allSatisfy(\.isASCIIDigit),
              let jaar = Int(digits.0), let volgnummer = Int(digits.1),
              (2000...9999).contains(jaar), (1...999_999).contains(volgnummer)
        else { return nil }
        self.init(jaar: jaar, volgnummer: volgnummer)
    }

    public var description: String {
        let digits = String(volgnummer)
        return "Z-\(jaar)-" + String(repeating: "0", count: 6 - digits.count) + digits
    }

    public static func < (lhs: Zaaknummer, rhs: Zaaknummer) -> Bool {
        (lhs.jaar, lhs.volgnummer) < (rhs.jaar, rhs.volgnummer)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// A moment, in milliseconds since the epoch; in JSON the log's UTC form `2026-11-23T09:15:00.000Z`.
public struct Tijdstip: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let milliseconden: Int64

    public init(milliseconden: Int64) { self.milliseconden = milliseconden }

    public init?(_ text: String) {
        guard let value = Timestamp.parse(Array(text.utf8)) else { return nil }
        milliseconden = value
    }

    public var description: String { Timestamp.format(millisecondsSinceEpoch: milliseconden) }

    public func plus(dagen: Int) -> Tijdstip { Tijdstip(milliseconden: milliseconden + Int64(dagen) * 86_400_000) }

    public static func < (lhs: Tijdstip, rhs: Tijdstip) -> Bool { lhs.milliseconden < rhs.milliseconden }
}

/// A calendar date (no time, no zone), in JSON `2026-12-07`. Deadlines are dates.
public struct Datum: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let dagnummer: Int64

    public init(dagnummer: Int64) { self.dagnummer = dagnummer }

    public init?(jaar: Int, maand: Int, dag: Int) {
        guard (1...12).contains(maand), dag >= 1, Int64(dag) <= Timestamp.daysIn(month: Int64(maand), year: Int64(jaar)) else { return nil }
        dagnummer = Timestamp.days(fromCivil: Int64(jaar), Int64(maand), Int64(dag))
    }

    /// `YYYY-MM-DD` only.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
              let jaar = Int(parts[0]), let maand = Int(parts[1]), let dag = Int(parts[2])
        else { return nil }
        self.init(jaar: jaar, maand: maand, dag: dag)
    }

    public var jaar: Int { Int(Timestamp.civil(fromDays: dagnummer).0) }
    public var maand: Int { Int(Timestamp.civil(fromDays: dagnummer).1) }
    public var dag: Int { Int(Timestamp.civil(fromDays: dagnummer).2) }

    /// 1 = maandag … 7 = zondag (ISO 8601); 1970-01-01 was a Thursday.
    public var weekdag: Int { Int(((dagnummer + 3) % 7 + 7) % 7) + 1 }

    public func plus(dagen: Int) -> Datum { Datum(dagnummer: dagnummer + Int64(dagen)) }

    public var description: String {
        let (y, m, d) = Timestamp.civil(fromDays: dagnummer)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(y)-\(two(m))-\(two(d))"
    }

    public static func < (lhs: Datum, rhs: Datum) -> Bool { lhs.dagnummer < rhs.dagnummer }
}

/// A value whose JSON form is its text as agents see it (`Z-2026-000042`, `2026-12-07`, a UTC
/// timestamp). Decoding accepts only that exact spelling, so a line always re-encodes to itself.
public protocol TekstVorm: Codable, CustomStringConvertible {
    init?(_ text: String)
    /// What the text must look like, for the error message: `zaaknummer`, `Z-JJJJ-NNNNNN`.
    static var tekstVorm: (naam: String, vorm: String) { get }
}

extension TekstVorm {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text), value.description == text else {
            let (naam, vorm) = Self.tekstVorm
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(naam) '\(text)' heeft niet de vorm \(vorm)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Zaaknummer: TekstVorm {
    public static let tekstVorm = (naam: "zaaknummer", vorm: "Z-JJJJ-NNNNNN")
}

extension Tijdstip: TekstVorm {
    public static let tekstVorm = (naam: "tijdstip", vorm: "JJJJ-MM-DDTUU:MM:SS.mmmZ")
}

extension Datum: TekstVorm {
    public static let tekstVorm = (naam: "datum", vorm: "JJJJ-MM-DD")
}

/// The reference list of kanalen (BRIEF §2); no national standard exists.
public enum Kanaal: String, Codable, CaseIterable, Sendable {
    case telefoon, whatsapp, email, webformulier, balie, post
    case socialeMedia = "sociale-media"
    case chat, video

    /// Kanalen on which a conversation takes place (a `GesprekGevoerd`), as opposed to messages.
    public var isGesprek: Bool { self == .telefoon || self == .balie || self == .video }
}

/// Who did something: a KCC medewerker, an afdeling (its terugkoppeling), or a named system
/// (a webformulier, the KTO survey, the closure check).
public struct Actor: Codable, Hashable, Sendable, CustomStringConvertible {
    public enum Soort: String, Codable, Sendable, CaseIterable {
        case medewerker, afdeling, systeem
    }

    public let soort: Soort
    public let id: String

    public init(soort: Soort, id: String) {
        self.soort = soort
        self.id = id
    }

    /// The actor's id as a part of an event id: an afdeling's name holds spaces ("Werk en
    /// Inkomen"), which an event id may not, so every other character becomes '_'.
    public var idDeel: String {
        String(decoding: id.utf8.prefix(40).map { isReferentieteken($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }

    public var description: String { "\(soort.rawValue):\(id)" }
}

/// The inwoner a zaak is for: a pseudonymous reference from the KCC's klantsysteem, never a BSN.
/// Personal data sits only in `persoonsgegevens`, so it can later be encrypted per inwoner and
/// erased by deleting a key (AVG).
public struct Inwoner: Codable, Hashable, Sendable {
    public let ref: String
    public let persoonsgegevens: Persoonsgegevens?

    public init(ref: String, persoonsgegevens: Persoonsgegevens? = nil) {
        self.ref = ref
        self.persoonsgegevens = persoonsgegevens
    }

    /// 1–64 characters from A-Z a-z 0-9 . _ : -
    public static func isGeldigeRef(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy(isReferentieteken)
    }

    /// Whether a reference is (likely) a BSN: nine digits that pass the elfproef. The log refers to
    /// inwoners by the customer system's reference only (AVG: a BSN may not be used without a legal
    /// basis, and the log cannot forget it).
    public static func isBSN(_ text: String) -> Bool {
        let digits = text.utf8.map { Int($0) - 48 }
        guard digits.count == 9, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        let sum = zip(digits, [9, 8, 7, 6, 5, 4, 3, 2, -1]).reduce(0) { $0 + $1.0 * $1.1 }
        return sum % 11 == 0 && sum != 0
    }

    /// Why `text` may not name an inwoner in a new event (nil: it may).
    public static func weigering(_ text: String) -> String? {
        guard isGeldigeRef(text) else { return "gebruik de referentie uit het klantsysteem (1–64 tekens uit A-Z a-z 0-9 . _ : -), geen BSN" }
        guard !isBSN(text) else { return "dit is een BSN (negen cijfers die de elfproef halen); gebruik de referentie uit het klantsysteem, geen BSN" }
        guard !isGewisteRef(text) else { return "een referentie die met 'gewist:' begint, staat voor een gewiste zaak; gebruik de referentie uit het klantsysteem" }
        return nil
    }
}

/// Personal data, kept minimal; every field optional.
public struct Persoonsgegevens: Codable, Hashable, Sendable {
    public let naam: String?
    public let telefoon: String?
    public let email: String?

    public init(naam: String? = nil, telefoon: String? = nil, email: String? = nil) {
        self.naam = naam
        self.telefoon = telefoon
        self.email = email
    }

    public var isLeeg: Bool { naam == nil && telefoon == nil && email == nil }
}

func isReferentieteken(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
         UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
        return true
    default:
        return false
    }
}
