/// Why a text is not the JSON the reader or a syntax check wanted, and where: `offset` is the byte
/// that goes wrong, or the end of the text (`atEnd`) when the text stops too early. `problem` is
/// typed so that a caller can say it in its own words (the catalogue names line and column);
/// `reason` is the reader's own Dutch wording.
public struct JSONReaderError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Not JSON (RFC 8259), or not under the check's rules, at `offset`.
        case syntax
        /// Well-formed, but another kind of value than the caller asked for.
        case typeMismatch
        /// A number that the asked-for type cannot hold.
        case notRepresentable
    }

    public enum Problem: Equatable, Sendable {
        /// At `offset` stands something else than what the case names (or the text ends there).
        case expectedValue, expectedName, expectedColon, expectedCommaOrBrace, expectedCommaOrBracket
        /// A check of an object found another value (or nothing).
        case expectedObject
        case trailingText
        case tooDeep(limit: Int)
        /// `true`, `false` or `null` misspelt: `offset` is the first byte that differs.
        case invalidLiteral(String)
        case unterminatedText
        case controlCharacter
        /// A backslash followed by no valid escape letter; `offset` is the byte after the backslash.
        case invalidEscape
        /// `\u` without four hex digits; `offset` is the first byte that is not one.
        case invalidUnicodeEscape
        /// A `\u` surrogate that is not half of a pair; `offset` is its backslash.
        case unpairedSurrogate(high: Bool)
        case invalidUTF8
        case invalidNumber(NumberProblem)
        /// A line break where the rules want one line (JSON Lines).
        case lineBreak
        /// A member name that occurs earlier in the same object, as written; `offset` is its quote.
        case duplicateName(String)
        case typeMismatch(expected: String, found: JSONKind)
        /// The number, as written, does not fit the type.
        case notRepresentable(number: String, type: String)
        /// The number, as written, has a fraction in the integer type asked for.
        case notInteger(number: String, type: String)
    }

    public enum NumberProblem: Sendable {
        case missingDigits, leadingZero, missingFraction, missingExponent
    }

    public let problem: Problem
    public let offset: Int
    public let atEnd: Bool

    @usableFromInline
    init(_ problem: Problem, at offset: Int, atEnd: Bool) {
        self.problem = problem
        self.offset = offset
        self.atEnd = atEnd
    }

    public var kind: Kind {
        switch problem {
        case .typeMismatch: .typeMismatch
        case .notRepresentable, .notInteger: .notRepresentable
        default: .syntax
        }
    }

    public var reason: String {
        switch problem {
        case .expectedValue: atEnd ? "onverwacht einde waar een waarde moet staan" : "ongeldig teken waar een waarde moet staan"
        case .expectedName: atEnd ? "onverwacht einde in een object" : "verwacht een veldnaam tussen aanhalingstekens"
        case .expectedColon: "verwacht ':' na de veldnaam"
        case .expectedCommaOrBrace: atEnd ? "onverwacht einde in een object" : "verwacht ',' of '}' in een object"
        case .expectedCommaOrBracket: atEnd ? "onverwacht einde in een lijst" : "verwacht ',' of ']' in een lijst"
        case .expectedObject: "verwacht een JSON-object dat begint met {"
        case .trailingText: "tekst na het einde van de JSON-waarde"
        case let .tooDeep(limit): "JSON is dieper genest dan \(limit) niveaus"
        case .invalidLiteral: atEnd ? "onverwacht einde van JSON" : "ongeldig woord in JSON"
        case .unterminatedText: "tekst zonder afsluitend aanhalingsteken"
        case .controlCharacter: "stuurteken in een tekst moet ge-escaped zijn"
        case .invalidEscape: atEnd ? "onverwacht einde in een escape" : "ongeldige escape in een tekst"
        case .invalidUnicodeEscape: atEnd ? "onvolledige \\u-escape" : "ongeldige \\u-escape"
        case .unpairedSurrogate(high: true): "hoge surrogaat in \\u-escape zonder lage erna"
        case .unpairedSurrogate(high: false): "losse lage surrogaat in \\u-escape"
        case .invalidUTF8: "ongeldige UTF-8"
        case .invalidNumber(.missingDigits): "ongeldig getal: cijfers ontbreken"
        case .invalidNumber(.leadingZero): "ongeldig getal: voorloopnul"
        case .invalidNumber(.missingFraction): "ongeldig getal: cijfers na de punt ontbreken"
        case .invalidNumber(.missingExponent): "ongeldig getal: de exponent ontbreekt"
        case .lineBreak: "regeleinde in JSON (één gebeurtenis moet op één regel staan)"
        case let .duplicateName(name): "veldnaam '\(name)' staat twee keer in hetzelfde object"
        case let .typeMismatch(expected, found): "verwacht \(expected), niet \(found.description)"
        case let .notRepresentable(number, type): "getal \(number) past niet in \(type)"
        case let .notInteger(number, type): "getal \(number) is geen geheel getal in \(type)"
        }
    }

    public var description: String { "\(reason) (byte \(offset))" }
}
