#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONReading

/// A subject an agent picks for a zaak. It names the afdeling that handles it, the deadline, the
/// re-contact window of the closure check (BRIEF §4) and the archive fields that a zaak copies
/// when it opens.
public struct Onderwerp: Codable, Sendable, Hashable {
    /// The re-contact window when the catalogue gives none (BRIEF §4).
    public static let standaardHeropenvensterDagen = 14

    /// `domein.onderwerp`, e.g. `afval.container-niet-geleegd`: lowercase letters, digits and
    /// hyphens, exactly one dot.
    public var code: String
    public var omschrijving: String
    /// The name of one of the catalogue's afdelingen, spelled as there.
    public var afdeling: String
    /// 1…260 werkdagen, counted with `Kalender.plusWerkdagen` from the day of the doorverwijzing.
    public var afhandeltermijnWerkdagen: Int
    /// 1…365 days after closing in which a new contact or a "niet opgelost" score reopens the zaak.
    public var heropenvensterDagen: Int
    public var archiefnominatie: Archiefnominatie
    /// 1…120 years; present exactly when `archiefnominatie` is `vernietigen`. It is the retention
    /// of the zaak in this system (the contact history), not of the afdeling's own dossier.
    public var bewaartermijnJaren: Int?
    /// Words an agent may type for this onderwerp ("paspoort", "kliko"); used for suggestions.
    public var zoektermen: [String]

    public init(code: String, omschrijving: String, afdeling: String, afhandeltermijnWerkdagen: Int,
                heropenvensterDagen: Int = Onderwerp.standaardHeropenvensterDagen,
                archiefnominatie: Archiefnominatie, bewaartermijnJaren: Int?, zoektermen: [String] = []) {
        self.code = code
        self.omschrijving = omschrijving
        self.afdeling = afdeling
        self.afhandeltermijnWerkdagen = afhandeltermijnWerkdagen
        self.heropenvensterDagen = heropenvensterDagen
        self.archiefnominatie = archiefnominatie
        self.bewaartermijnJaren = bewaartermijnJaren
        self.zoektermen = zoektermen
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case code, omschrijving, afdeling, afhandeltermijnWerkdagen, heropenvensterDagen
        case archiefnominatie, bewaartermijnJaren, zoektermen
    }

    /// Strict: unknown fields and wrong types are errors; ranges and references are checked by
    /// `Catalogus`, which sees all onderwerpen and afdelingen.
    public init(from decoder: any Decoder) throws {
        let nummer = (decoder.codingPath.last?.intValue ?? 0) + 1
        var velden = try Velden(decoder, wie: "onderwerp nummer \(nummer)")
        if let code = try? velden.container.decodeIfPresent(String.self, forKey: CatalogusSleutel(code: "code")),
           !Catalogus.isLeeg(code) {
            velden.wie = "onderwerp '\(code)'"
        }
        try velden.alleenBekend(CodingKeys.allCases.map(\.rawValue))
        code = try velden.tekst("code")
        omschrijving = try velden.tekst("omschrijving")
        afdeling = try velden.tekst("afdeling")
        afhandeltermijnWerkdagen = try velden.geheelGetal("afhandeltermijnWerkdagen")
        heropenvensterDagen = try velden.optioneelGeheelGetal("heropenvensterDagen") ?? Self.standaardHeropenvensterDagen
        let nominatie = try velden.tekst("archiefnominatie")
        guard let archiefnominatie = Archiefnominatie(rawValue: nominatie) else {
            throw velden.fout("archiefnominatie '\(nominatie)' bestaat niet; kies blijvend_bewaren of vernietigen")
        }
        self.archiefnominatie = archiefnominatie
        bewaartermijnJaren = try velden.optioneelGeheelGetal("bewaartermijnJaren")
        zoektermen = try velden.optioneel("zoektermen", [String].self, soort: "een lijst met teksten") ?? []
    }
}

/// A backoffice department (or the KCC itself) that onderwerpen are handed to.
public struct Afdeling: Codable, Sendable, Hashable {
    public var naam: String
    public var omschrijving: String

    public init(naam: String, omschrijving: String) {
        self.naam = naam
        self.omschrijving = omschrijving
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case naam, omschrijving
    }

    public init(from decoder: any Decoder) throws {
        let nummer = (decoder.codingPath.last?.intValue ?? 0) + 1
        var velden = try Velden(decoder, wie: "afdeling nummer \(nummer)")
        if let naam = try? velden.container.decodeIfPresent(String.self, forKey: CatalogusSleutel(code: "naam")),
           !Catalogus.isLeeg(naam) {
            velden.wie = "afdeling '\(naam)'"
        }
        try velden.alleenBekend(CodingKeys.allCases.map(\.rawValue))
        naam = try velden.tekst("naam")
        omschrijving = try velden.tekst("omschrijving")
    }
}

/// Why a catalogue was refused, in Dutch, naming the onderwerp or afdeling, the field and the fix.
public struct CatalogusFout: Error, Equatable, CustomStringConvertible {
    public let melding: String

    public init(_ melding: String) { self.melding = melding }

    public var description: String { melding }
}

/// The onderwerpen catalogue of one municipality: every value in it has been validated, so code
/// that holds a `Catalogus` can rely on the ranges and references documented on `Onderwerp`.
public struct Catalogus: Codable, Sendable, Equatable {
    public let gemeente: String
    /// Copied into every zaak it opens, so a replay can say which catalogue applied.
    public let versie: String
    public let afdelingen: [Afdeling]
    public let onderwerpen: [Onderwerp]
    /// Code → position in `onderwerpen`; lookups happen for every event in a rebuild.
    private let index: [String: Int]

    static let termijnBereik = 1...260
    static let vensterBereik = 1...365
    static let bewaartermijnBereik = 1...120

    enum CodingKeys: String, CodingKey, CaseIterable {
        case gemeente, versie, afdelingen, onderwerpen
    }

    /// Validates like `init(json:)`.
    public init(gemeente: String, versie: String, afdelingen: [Afdeling], onderwerpen: [Onderwerp]) throws(CatalogusFout) {
        try Self.valideer(gemeente: gemeente, versie: versie, afdelingen: afdelingen, onderwerpen: onderwerpen)
        self.gemeente = gemeente
        self.versie = versie
        self.afdelingen = afdelingen
        self.onderwerpen = onderwerpen
        var index: [String: Int] = [:]
        for (positie, onderwerp) in onderwerpen.enumerated() { index[onderwerp.code] = positie }
        self.index = index
    }

    /// Decodes a catalogue file strictly (unknown fields are errors) and validates it.
    public init(json: [UInt8]) throws(CatalogusFout) {
        if json.allSatisfy({ [0x20, 0x09, 0x0A, 0x0D].contains($0) }) {
            throw CatalogusFout("de catalogus is leeg; geef een JSON-object met gemeente, versie, afdelingen en onderwerpen")
        }
        // Our own syntax check first: JSONDecoder on Linux accepts trailing commas (which the schema
        // tools refuse), keeps one of two equal members silently and says only "not valid JSON".
        try JSONControle.controleer(json)
        do {
            self = try JSONDecoder().decode(Catalogus.self, from: Data(json))
        } catch let fout as CatalogusFout {
            throw fout
        } catch {
            throw CatalogusFout(Self.beschrijf(error))
        }
    }

    public init(from decoder: any Decoder) throws {
        let velden = try Velden(decoder, wie: "catalogus",
                                geenObject: "de catalogus moet een JSON-object zijn met gemeente, versie, afdelingen en onderwerpen")
        try velden.alleenBekend(CodingKeys.allCases.map(\.rawValue))
        try self.init(gemeente: velden.tekst("gemeente"), versie: velden.tekst("versie"),
                      afdelingen: velden.lijst("afdelingen", Afdeling.self),
                      onderwerpen: velden.lijst("onderwerpen", Onderwerp.self))
    }

    // MARK: - Lookups

    /// The onderwerp with this code; surrounding spaces and capitals are forgiven.
    public func onderwerp(_ code: String) -> Onderwerp? {
        if let positie = index[code] { return onderwerpen[positie] }
        return index[Self.bijgesneden(code).lowercased()].map { onderwerpen[$0] }
    }

    /// The afdeling with this name, ignoring case and surrounding spaces, as the catalogue spells it.
    public func afdeling(_ naam: String) -> Afdeling? {
        let gezocht = Self.bijgesneden(naam).lowercased()
        return afdelingen.first { $0.naam.lowercased() == gezocht }
    }

    /// Up to 5 onderwerpen for "bedoel je …?" when an agent typed an unknown code or loose words.
    /// Each word (3+ letters, not a stopword) scores by where it occurs: in the code or equal to a
    /// zoekterm 3, in the omschrijving or inside a zoekterm 2, a zoekterm inside the word
    /// ("paspoortaanvraag") about 1. A word's score is shared among the onderwerpen it fits, so rare
    /// words weigh more than "aanvragen". Best first, catalogue order on ties.
    public func suggesties(voor typed: String) -> [Onderwerp] {
        let geheel = Self.bijgesneden(typed).lowercased()
        guard !geheel.isEmpty else { return [] }
        let woorden = Self.woorden(geheel)
        let teksten = onderwerpen.map { onderwerp in
            (code: onderwerp.code, omschrijving: onderwerp.omschrijving.lowercased(), termen: onderwerp.zoektermen.map { $0.lowercased() })
        }
        var scores = [Double](repeating: 0, count: onderwerpen.count)
        for woord in woorden {
            let pasvormen = teksten.map { tekst -> Double in
                if tekst.code.contains(woord) || tekst.termen.contains(woord) { return 3 }
                if tekst.omschrijving.contains(woord) || tekst.termen.contains(where: { $0.contains(woord) }) { return 2 }
                guard let langste = tekst.termen.filter({ $0.count >= 4 && woord.contains($0) }).map(\.count).max() else { return 0 }
                return min(1.9, 0.5 + 0.05 * Double(langste))  // "paspoort" beats "vraag"
            }
            let treffers = pasvormen.filter { $0 > 0 }.count
            for positie in scores.indices where pasvormen[positie] > 0 { scores[positie] += pasvormen[positie] / Double(treffers) }
        }
        if woorden.count != 1 {  // several words, or only short ones: the text as a whole
            for (positie, tekst) in teksten.enumerated()
            where ([tekst.code, tekst.omschrijving] + tekst.termen).contains(where: { $0.contains(geheel) }) {
                scores[positie] += 5
            }
        }
        return scores.indices
            .filter { scores[$0] > 0 }
            .sorted { (scores[$0], -$0) > (scores[$1], -$1) }
            .prefix(5)
            .map { onderwerpen[$0] }
    }

    // MARK: - Validation

    static func valideer(gemeente: String, versie: String, afdelingen: [Afdeling], onderwerpen: [Onderwerp]) throws(CatalogusFout) {
        if isLeeg(gemeente) {
            throw CatalogusFout("catalogus: gemeente is leeg; geef de naam van de gemeente, bijvoorbeeld \"Gemeente Voorbeeldstad\"")
        }
        if isLeeg(versie) {
            throw CatalogusFout("catalogus: versie is leeg; geef een versie, bijvoorbeeld \"2026.1\"")
        }
        if afdelingen.isEmpty {
            throw CatalogusFout("catalogus: afdelingen is leeg; geef minstens één afdeling")
        }
        var namen: [String: String] = [:]  // lowercased → as written
        for (positie, afdeling) in afdelingen.enumerated() {
            if isLeeg(afdeling.naam) {
                throw CatalogusFout("afdeling nummer \(positie + 1): naam is leeg; geef de naam van de afdeling")
            }
            let wie = "afdeling '\(afdeling.naam)'"
            if isLeeg(afdeling.omschrijving) {
                throw CatalogusFout("\(wie): omschrijving is leeg; beschrijf kort wat de afdeling doet")
            }
            if let eerder = namen[afdeling.naam.lowercased()] {
                let ook = eerder == afdeling.naam ? "" : " (ook als '\(eerder)')"
                throw CatalogusFout("\(wie) staat twee keer in de catalogus\(ook); geef elke afdeling een eigen naam")
            }
            namen[afdeling.naam.lowercased()] = afdeling.naam
        }
        if onderwerpen.isEmpty {
            throw CatalogusFout("catalogus: onderwerpen is leeg; geef minstens één onderwerp")
        }
        var codes: [String: Int] = [:]
        for (positie, onderwerp) in onderwerpen.enumerated() {
            let wie = isLeeg(onderwerp.code) ? "onderwerp nummer \(positie + 1)" : "onderwerp '\(onderwerp.code)'"
            func fout(_ tekst: String) -> CatalogusFout { CatalogusFout("\(wie): \(tekst)") }

            guard isGeldigeCode(onderwerp.code) else {
                throw fout("code '\(onderwerp.code)' heeft niet de vorm domein.onderwerp; gebruik kleine letters, "
                    + "cijfers en koppeltekens met precies één punt, bijvoorbeeld afval.container-niet-geleegd")
            }
            if let eerder = codes[onderwerp.code] {
                throw CatalogusFout("\(wie) staat twee keer in de catalogus (onderwerp nummer \(eerder) en \(positie + 1)); "
                    + "geef elk onderwerp een eigen code")
            }
            codes[onderwerp.code] = positie + 1
            if isLeeg(onderwerp.omschrijving) {
                throw fout("omschrijving is leeg; beschrijf het onderwerp zoals een inwoner het zou zeggen")
            }
            if !afdelingen.contains(where: { $0.naam == onderwerp.afdeling }) {
                if let juist = namen[onderwerp.afdeling.lowercased()] {
                    throw fout("afdeling '\(onderwerp.afdeling)' staat niet in afdelingen; schrijf '\(juist)'")
                }
                let lijst = afdelingen.map(\.naam).joined(separator: ", ")
                throw fout("afdeling '\(onderwerp.afdeling)' staat niet in afdelingen; kies uit \(lijst) of voeg de afdeling toe")
            }
            if !termijnBereik.contains(onderwerp.afhandeltermijnWerkdagen) {
                throw fout("afhandeltermijnWerkdagen is \(onderwerp.afhandeltermijnWerkdagen); geef 1 tot en met 260 werkdagen")
            }
            if !vensterBereik.contains(onderwerp.heropenvensterDagen) {
                throw fout("heropenvensterDagen is \(onderwerp.heropenvensterDagen); geef 1 tot en met 365 dagen "
                    + "(zonder dit veld geldt \(Onderwerp.standaardHeropenvensterDagen))")
            }
            switch onderwerp.archiefnominatie {
            case .vernietigen:
                guard let jaren = onderwerp.bewaartermijnJaren else {
                    throw fout("archiefnominatie is vernietigen maar bewaartermijnJaren ontbreekt; "
                        + "geef na hoeveel jaar (1 tot en met 120) de zaak vernietigd wordt")
                }
                if !bewaartermijnBereik.contains(jaren) {
                    throw fout("bewaartermijnJaren is \(jaren); geef 1 tot en met 120 jaar")
                }
            case .blijvendBewaren:
                if let jaren = onderwerp.bewaartermijnJaren {
                    throw fout("archiefnominatie is blijvend_bewaren maar bewaartermijnJaren is \(jaren); "
                        + "haal bewaartermijnJaren weg of kies archiefnominatie vernietigen")
                }
            }
            if onderwerp.zoektermen.contains(where: isLeeg) {
                throw fout("zoektermen bevat een lege zoekterm; haal die weg")
            }
        }
    }

    /// `[a-z0-9]+(-[a-z0-9]+)*` twice, joined by one dot (the schema's pattern).
    static func isGeldigeCode(_ code: String) -> Bool {
        let delen = code.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard delen.count == 2 else { return false }
        return delen.allSatisfy { deel in
            let koppelteken = UInt8(ascii: "-")
            guard let eerste = deel.first, let laatste = deel.last, eerste != koppelteken, laatste != koppelteken
            else { return false }
            var vorige: UInt8 = 0
            for byte in deel {
                let toegestaan = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == koppelteken
                if !toegestaan || (byte == koppelteken && vorige == koppelteken) { return false }
                vorige = byte
            }
            return true
        }
    }

    static func isLeeg(_ tekst: String) -> Bool { tekst.allSatisfy(\.isWhitespace) }

    private static func bijgesneden(_ tekst: String) -> String {
        String(tekst.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    private static let stopwoorden: Set<String> = [
        "van", "het", "een", "voor", "met", "niet", "bij", "aan", "over", "naar", "ook", "die", "dat", "mijn", "wil", "kan",
    ]

    private static func woorden(_ tekst: String) -> [String] {
        tekst.split { !$0.isLetter && !$0.isNumber }
            .map(String.init)
            .filter { $0.count >= 3 && !stopwoorden.contains($0) }
    }

    /// A JSONDecoder error that neither `JSONControle` nor `Velden` explained (not expected).
    private static func beschrijf(_ error: any Error) -> String {
        guard case let .dataCorrupted(context)? = error as? DecodingError, context.codingPath.isEmpty else {
            return "de catalogus kon niet gelezen worden: \(error)"
        }
        return "de catalogus is geen geldige JSON; controleer komma's, aanhalingstekens en haakjes"
    }
}

/// The catalogue's syntax check: JSONReading's strict check (RFC 8259, no member twice in one
/// object), its findings worded for someone editing the file, with the line and column.
private enum JSONControle {
    /// Names compare as written, so `"a"` and `"\u0061"` count as different.
    static let regels = JSONReader.Rules(maxDepth: 64, uniqueNames: true)

    /// A byte order mark may open the file (some Windows editors write one); it is not checked.
    static func controleer(_ json: [UInt8]) throws(CatalogusFout) {
        let bom = json.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let gevonden: JSONReaderError? = json.withUnsafeBytes { raw in
            do throws(JSONReaderError) {
                try JSONReader.check(UnsafeRawBufferPointer(rebasing: raw[bom...]), rules: regels)
                return nil
            } catch {
                return error
            }
        }
        guard let fout = gevonden else { return }
        let positie = bom + fout.offset
        if case let .duplicateName(veld) = fout.problem {
            throw CatalogusFout("veld '\(veld)' staat twee keer in hetzelfde object (\(plek(positie, in: json))); haal een van de twee weg")
        }
        let wat = beschrijving(fout, teken: weergave(positie, in: json))
        throw CatalogusFout("de catalogus is geen geldige JSON: \(wat) (\(plek(positie, in: json))); controleer komma's, aanhalingstekens en haakjes")
    }

    private static func beschrijving(_ fout: JSONReaderError, teken: String) -> String {
        switch fout.problem {
        case .expectedValue:
            fout.atEnd ? "de tekst houdt op waar een waarde moet staan" : "onverwacht teken \(teken) waar een waarde moet staan"
        case .expectedName: "verwacht een veldnaam tussen aanhalingstekens, niet \(teken)"
        case .expectedColon: "verwacht ':' na de veldnaam, niet \(teken)"
        case .expectedCommaOrBrace: "verwacht ',' of '}' na een veld, niet \(teken)"
        case .expectedCommaOrBracket: "verwacht ',' of ']' in een lijst, niet \(teken)"
        case .trailingText: "tekst na het einde van het JSON-object"
        case .tooDeep: "te diep genest"
        case let .invalidLiteral(woord): "onverwacht teken \(teken); bedoel je \(woord)?"
        case .unterminatedText: "een tekst wordt niet afgesloten met \""
        case .controlCharacter: "regeleinde of stuurteken in een tekst; sluit de tekst met \" of schrijf \\n"
        case .invalidEscape: "ongeldige escape in een tekst"
        case .invalidUnicodeEscape: "\\u moet door vier hexadecimale cijfers gevolgd worden"
        case .invalidNumber(.missingDigits): "ongeldig getal"
        default: fout.reason
        }
    }

    private static func weergave(_ positie: Int, in json: [UInt8]) -> String {
        guard positie < json.count else { return "het einde van de tekst" }
        let t = json[positie]
        if t >= 0x20 && t < 0x7F { return "'\(Character(Unicode.Scalar(t)))'" }
        return t == 0x0A ? "een regeleinde" : "byte \(t)"
    }

    /// "regel 3, kolom 15", counting characters (not bytes) from 1.
    private static func plek(_ positie: Int, in json: [UInt8]) -> String {
        var regel = 1, kolom = 1
        for byte in json[..<min(positie, json.count)] {
            if byte == 0x0A { regel += 1; kolom = 1 } else if byte & 0xC0 != 0x80 { kolom += 1 }
        }
        return "regel \(regel), kolom \(kolom)"
    }
}

// MARK: - Strict decoding

private struct CatalogusSleutel: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(code: String) { stringValue = code }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One JSON object of the catalogue, read field by field with Dutch errors that name the object
/// (`wie`: "catalogus", "afdeling 'Parkeren'", "onderwerp 'parkeren.vergunning'").
private struct Velden {
    let container: KeyedDecodingContainer<CatalogusSleutel>
    var wie: String

    init(_ decoder: any Decoder, wie: String, geenObject: String? = nil) throws(CatalogusFout) {
        do {
            container = try decoder.container(keyedBy: CatalogusSleutel.self)
        } catch {
            throw CatalogusFout(geenObject ?? "\(wie) moet een JSON-object zijn ({ … })")
        }
        self.wie = wie
    }

    func fout(_ tekst: String) -> CatalogusFout { CatalogusFout("\(wie): \(tekst)") }

    /// Refuses the first unknown field (alphabetically, so the message is stable).
    func alleenBekend(_ bekend: [String]) throws(CatalogusFout) {
        guard let onbekend = container.allKeys.map(\.stringValue).filter({ !bekend.contains($0) }).sorted().first else { return }
        if let bedoeld = bekend.first(where: { $0.lowercased() == onbekend.lowercased() }) {
            throw fout("onbekend veld '\(onbekend)'; bedoel je '\(bedoeld)'?")
        }
        throw fout("onbekend veld '\(onbekend)'; toegestaan zijn \(bekend.joined(separator: ", "))")
    }

    func tekst(_ veld: String) throws(CatalogusFout) -> String {
        guard let waarde = try optioneel(veld, String.self, soort: "een tekst") else { throw ontbreekt(veld) }
        return waarde
    }

    func geheelGetal(_ veld: String) throws(CatalogusFout) -> Int {
        guard let waarde = try optioneelGeheelGetal(veld) else { throw ontbreekt(veld) }
        return waarde
    }

    func optioneelGeheelGetal(_ veld: String) throws(CatalogusFout) -> Int? {
        try optioneel(veld, Int.self, soort: "een geheel getal")
    }

    func lijst<T: Decodable>(_ veld: String, _ type: T.Type) throws(CatalogusFout) -> [T] {
        guard let waarde = try optioneel(veld, [T].self, soort: "een lijst") else { throw ontbreekt(veld) }
        return waarde
    }

    /// Nil when the field is absent or null; errors of nested objects pass through unchanged.
    func optioneel<T: Decodable>(_ veld: String, _ type: T.Type, soort: String) throws(CatalogusFout) -> T? {
        do {
            return try container.decodeIfPresent(T.self, forKey: CatalogusSleutel(code: veld))
        } catch let genest as CatalogusFout {
            throw genest
        } catch {
            throw fout("\(veld) moet \(soort) zijn")
        }
    }

    private func ontbreekt(_ veld: String) -> CatalogusFout {
        let hint: String
        switch veld {
        case "gemeente": hint = "geef de naam van de gemeente, bijvoorbeeld \"Gemeente Voorbeeldstad\""
        case "versie": hint = "geef een versie, bijvoorbeeld \"2026.1\""
        case "afdelingen": hint = "geef een lijst met minstens één afdeling"
        case "onderwerpen": hint = "geef een lijst met minstens één onderwerp"
        case "naam": hint = "geef de naam van de afdeling"
        case "code": hint = "geef een code als afval.container-niet-geleegd"
        case "omschrijving": hint = "geef een korte omschrijving"
        case "afdeling": hint = "geef de naam van een van de afdelingen"
        case "afhandeltermijnWerkdagen": hint = "geef 1 tot en met 260 werkdagen"
        case "archiefnominatie": hint = "kies blijvend_bewaren of vernietigen"
        default: hint = "vul het veld in"
        }
        return fout("\(veld) ontbreekt; \(hint)")
    }
}
