import JSONReading

// Events decoded by hand, the one decoder in production: a replay decodes every line of the log, and
// JSONDecoder managed only some 60k lines a second. Tests hold it against the Codable decoding
// (Tests/DomainTests/Referentiedecoder.swift), which gives the same events and accepts the same values.

extension ZaakGebeurtenis {
    /// Decodes a line from the log. Lines were checked when they were appended, so unlike
    /// `init(json:)` this skips members it does not know. It accepts text forms, enum values,
    /// integers as JSONDecoder reads them and the first of two equal members, and refuses anything
    /// that is not RFC 8259 JSON.
    /// Encrypted members (log-format §3.1) are decrypted with the zaak's key from `sleutels`, and
    /// read as gewist when that key was erased.
    public init(logregel: [UInt8], sleutels: any Sleutelbron) throws(ZaakFout) {
        try self.init(bytes: logregel, strikt: false, sleutels: sleutels)
    }

    /// The same, from bytes that need not be copied out of a larger buffer first.
    public init(logregel: UnsafeRawBufferPointer, sleutels: any Sleutelbron) throws(ZaakFout) {
        try self.init(bytes: logregel, strikt: false, sleutels: sleutels)
    }

    /// The event a line of the log holds, as a reader that goes over the log takes it: nil for a
    /// line that is no valid event (skipped; verification reports it), but thrown when the line's
    /// personal members cannot be decrypted now (`nietBeschikbaar`): skipping such an event would
    /// leave a read model or an answer without it for good.
    public static func uitLog(_ logregel: [UInt8], sleutels: any Sleutelbron) throws(ZaakFout) -> ZaakGebeurtenis? {
        do {
            return try ZaakGebeurtenis(logregel: logregel, sleutels: sleutels)
        } catch where error.soort == .nietBeschikbaar {
            throw error
        } catch {
            return nil
        }
    }

    /// Decodes one JSON object (an import line, without `positie`/`vastgelegdOp`) strictly: a member
    /// that the event type does not know, other than a null, is an error instead of being skipped.

    /// Imports are in plain text: an encrypted member in one is unknown, as any other.
    public init(json: [UInt8]) throws(ZaakFout) {
        try self.init(bytes: json, strikt: true, sleutels: nil)
    }

    private init(bytes: [UInt8], strikt: Bool, sleutels: (any Sleutelbron)?) throws(ZaakFout) {
        do {
            self = try bytes.withUnsafeBytes { raw throws(ZaakFout) in try ZaakGebeurtenis(bytes: raw, strikt: strikt, sleutels: sleutels) }
        } catch {
            throw error as! ZaakFout  // withUnsafeBytes rethrows untyped what the closure throws
        }
    }

    private init(bytes: UnsafeRawBufferPointer, strikt: Bool, sleutels: (any Sleutelbron)?) throws(ZaakFout) {
        var lezer = Logregellezer(json: JSONReader(bytes), strikt: strikt, sleutels: sleutels)
        do throws(Leesfout) {
            try self.init(&lezer)
            try stap(lezer.json.finish())
        } catch {
            throw error.zaakFout(strikt: strikt)
        }
        // Named only once the rest is valid, so another error in the line is reported first.
        if let veld = lezer.onbekendVeld {
            throw ZaakFout(.ongeldig, "onbekend veld '\(veld.citaat)'; zie schemas/events/\(gebeurtenis.soort.schemabestand)")
        }
    }
}

/// Why a line was refused, and where: the path is filled in from the inside out.
struct Leesfout: Error {
    enum Reden {
        case json(JSONReaderError)
        case ontbreekt
        case onbekendeWaarde
        case ongeldig(String)
        case geenObject
        case ontsleuteling(ZaakFout)
    }

    let reden: Reden
    /// Member names and `[index]`, outermost first.
    var pad: [String] = []

    /// The same error one level further out.
    func binnen(_ naam: String) -> Leesfout {
        var fout = self
        fout.pad.insert(naam, at: 0)
        return fout
    }

    /// In the words JSONDecoder's errors were told in before this decoder was the only one (the
    /// test oracle's `describe` still tells them so); an import calls bad JSON "geen geldige JSON".
    func zaakFout(strikt: Bool) -> ZaakFout {
        let veld = veldnaam(pad)
        switch reden {
        case .ontbreekt: return ZaakFout(.ongeldig, "het veld '\(veld)' ontbreekt")
        case .onbekendeWaarde: return ZaakFout(.ongeldig, "het veld '\(veld)' heeft een onbekende waarde")
        case let .ongeldig(reden): return ZaakFout(.ongeldig, "het veld '\(veld)' is ongeldig: \(reden)")
        case .geenObject: return ZaakFout(.ongeldig, "een gebeurtenis is een JSON-object")
        case let .ontsleuteling(fout): return fout
        case let .json(fout):
            switch fout.kind {
            case .syntax: return ZaakFout(.ongeldig, "\(strikt ? "geen geldige" : "ongeldige") JSON op byte \(fout.offset): \(fout.reason)")
            case .typeMismatch: return ZaakFout(.ongeldig, "het veld '\(veld)' heeft het verkeerde type")
            case .notRepresentable: return ZaakFout(.ongeldig, "het veld '\(veld)' is ongeldig: \(fout.reason)")
            }
        }
    }
}

/// A member's path as messages name it: `data.afwijking.regels[1]`.
func veldnaam(_ pad: [String]) -> String {
    pad.joined(separator: ".").replacing(".[", with: "[")
}

/// A value of a log line that decodes itself from the reader (one conformance per type below).
protocol Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout)
}

struct Logregellezer {
    var json: JSONReader
    /// `init(json:)`: note the first member this decoding does not know instead of skipping it silently.
    let strikt: Bool
    /// The zaken's keys for encrypted members; nil when reading an import, which has none.
    let sleutels: (any Sleutelbron)?
    /// When strict, the path of the value being read (to name an unknown member), outermost first.
    var pad: [String] = []
    var onbekendVeld: String?
    /// The event being read, once the envelope named it: an encrypted member is bound to it.
    var zaak: Zaaknummer?, id: String?, soort: Gebeurtenis.Soort?
    /// Objects begun and not yet ended with `begin` and `volgendVeld`.
    var diepte = 0
    /// The readers of the objects whose encrypted members are being read in their place, with their depth.
    var ingevoegd: [(buiten: JSONReader, diepte: Int)] = []
    /// The decrypted members' bytes, which the reader and its texts point into while the line is read.
    var klaartekst: Klaartekst?

    init(json: JSONReader, strikt: Bool, sleutels: (any Sleutelbron)?) {
        self.json = json
        self.strikt = strikt
        self.sleutels = sleutels
    }

    mutating func begin() throws(Leesfout) {
        try stap(json.beginObject())
        diepte += 1
    }

    /// The next member's name. An encrypted member (log-format §3.1) is replaced by the members it
    /// holds, decrypted, or by what they read as once erased: a decoder of a type never sees it.
    mutating func volgendVeld() throws(Leesfout) -> JSONText? {
        while true {
            guard let veld = try stap(json.nextKey()) else {
                if let binnen = ingevoegd.last, binnen.diepte == diepte {
                    json = binnen.buiten
                    ingevoegd.removeLast()
                    continue
                }
                diepte -= 1
                return nil
            }
            guard !strikt, let sleutels, veld.raw.count == 11, veld.equals("versleuteld") else { return veld }
            try voegIn(try stap(json.readString()), sleutels)
        }
    }

    /// Reads on in the members `geheim` holds, then goes on in the object it stood in.
    private mutating func voegIn(_ geheim: String, _ sleutels: any Sleutelbron) throws(Leesfout) {
        guard let zaak, let id, let soort else {
            throw Leesfout(reden: .ongeldig("een versleuteld veld hoort in data, na id, zaak en type"), pad: ["versleuteld"])
        }
        let leden: [UInt8]
        do throws(ZaakFout) {
            leden = try sleutels.ontsleutel(geheim, zaak: zaak, id: id) ?? Array(soort.gewisteWaarden(zaak).utf8)
        } catch {
            throw Leesfout(reden: .ontsleuteling(error))
        }
        let opslag = klaartekst ?? Klaartekst()
        klaartekst = opslag
        var binnen = JSONReader(opslag.bewaar(leden))
        do throws(JSONReaderError) { try binnen.beginObject() } catch {
            throw Leesfout(reden: .ongeldig("de ontsleutelde velden zijn geen JSON-object"), pad: ["versleuteld"])
        }
        ingevoegd.append((json, diepte))
        json = binnen
    }

    mutating func overslaan() throws(Leesfout) { try stap(json.skipValue()) }

    /// A member that occurred before in the same object: skipped in the log, refused when strict.
    mutating func herhaald(_ veld: JSONText) throws(Leesfout) {
        guard strikt else { return try overslaan() }
        throw Leesfout(reden: .ongeldig("het veld staat twee keer in hetzelfde object"), pad: [veld.string])
    }

    /// A member no type here has: skipped, and when strict noted unless it is null (a null stands
    /// for an absent optional member).
    mutating func onbekend(_ veld: JSONText) throws(Leesfout) {
        if strikt {
            if try stap(json.readNull()) { return }
            if onbekendVeld == nil { onbekendVeld = veldnaam(pad + [veld.string]) }
        }
        try overslaan()
    }

    /// A required member's value. JSONDecoder keeps the first of two equal members; so does this
    /// for the log. Input from outside (strict) may not repeat one: jq and Python keep the last, and
    /// two readers must not see two events.
    @inline(__always)
    mutating func lees<T: Logregelwaarde>(_ waarde: inout T?, _ veld: JSONText) throws(Leesfout) {
        if case .some = waarde { return try herhaald(veld) }
        if strikt { pad.append(veld.string) }
        do throws(Leesfout) { waarde = try T(&self) } catch { throw error.binnen(veld.string) }
        if strikt { pad.removeLast() }
    }

    /// An optional member's value: nil for `null` (outer nil: the member did not occur).
    @inline(__always)
    mutating func leesOptioneel<T: Logregelwaarde>(_ waarde: inout T??, _ veld: JSONText) throws(Leesfout) {
        if case .some = waarde { return try herhaald(veld) }
        do throws(JSONReaderError) {
            if try json.readNull() { waarde = .some(nil); return }
        } catch {
            throw Leesfout(reden: .json(error), pad: [veld.string])
        }
        if strikt { pad.append(veld.string) }
        do throws(Leesfout) { waarde = .some(try T(&self)) } catch { throw error.binnen(veld.string) }
        if strikt { pad.removeLast() }
    }
}

/// Decrypted members, kept while the line that held them is read; freed with the line's reader.
final class Klaartekst {
    private var buffers: [UnsafeMutableRawBufferPointer] = []

    func bewaar(_ bytes: [UInt8]) -> UnsafeRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
        buffer.copyMemory(from: UnsafeRawBufferPointer(start: bytes, count: bytes.count))
        buffers.append(buffer)
        return UnsafeRawBufferPointer(buffer)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}

/// One step of the JSON reader, its error as a `Leesfout`.
@inline(__always)
func stap<T>(_ step: @autoclosure () throws(JSONReaderError) -> T) throws(Leesfout) -> T {
    do throws(JSONReaderError) { return try step() } catch { throw Leesfout(reden: .json(error)) }
}

/// A required member that did not occur.
@inline(__always)
func verplicht<T>(_ waarde: T?, _ naam: String) throws(Leesfout) -> T {
    guard let waarde else { throw Leesfout(reden: .ontbreekt, pad: [naam]) }
    return waarde
}

extension JSONText {
    /// Member names and values compare as Swift strings, as in the Codable decoding: a name written
    /// with escapes or with characters that are canonically equivalent still matches.
    @inline(__always)
    static func ~= (naam: StaticString, tekst: JSONText) -> Bool {
        tekst.isPlainASCII ? tekst.equals(naam) : tekst.string == naam.description
    }
}

// MARK: The envelope

extension ZaakGebeurtenis {
    /// Built in place rather than returned: the event is a few hundred bytes.
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var positie: Int64??, id: String?, zaak: Zaaknummer?, vastgelegdOp: Tijdstip??, versie: Int?
        var plaatsgevondenOp: Tijdstip?, actor: Actor?, type: JSONText?, schemaversie: Int?
        var gebeurtenis: Gebeurtenis?
        /// The reader at `data` when it came before `type` or `schemaversie` (never in lines the log wrote).
        var dataVooraf: JSONReader?
        do throws(JSONReaderError) { try lezer.json.beginObject() } catch {
            throw error.kind == .typeMismatch ? Leesfout(reden: .geenObject) : Leesfout(reden: .json(error))
        }
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "positie": try lezer.leesOptioneel(&positie, veld)
            case "id": try lezer.lees(&id, veld)
            case "zaak": try lezer.lees(&zaak, veld)
            case "vastgelegdOp": try lezer.leesOptioneel(&vastgelegdOp, veld)
            case "versie": try lezer.lees(&versie, veld)
            case "plaatsgevondenOp": try lezer.lees(&plaatsgevondenOp, veld)
            case "actor": try lezer.lees(&actor, veld)
            case "type":
                guard type == nil else { try lezer.herhaald(veld); continue }
                do throws(JSONReaderError) { type = try lezer.json.readText() } catch { throw Leesfout(reden: .json(error), pad: ["type"]) }
            case "schemaversie": try lezer.lees(&schemaversie, veld)
            case "data":
                guard gebeurtenis == nil, dataVooraf == nil else { try lezer.herhaald(veld); continue }
                lezer.zaak = zaak
                lezer.id = id
                if let type, let schemaversie {
                    gebeurtenis = try lezer.data(type: type, schemaversie: schemaversie)
                } else {
                    dataVooraf = lezer.json
                    try lezer.overslaan()
                }
            default: try lezer.onbekend(veld)
            }
        }
        // Missing members in the order the Codable decoding asks for them.
        guard let id else { throw Leesfout(reden: .ontbreekt, pad: ["id"]) }
        guard let zaak else { throw Leesfout(reden: .ontbreekt, pad: ["zaak"]) }
        guard let versie else { throw Leesfout(reden: .ontbreekt, pad: ["versie"]) }
        guard let plaatsgevondenOp else { throw Leesfout(reden: .ontbreekt, pad: ["plaatsgevondenOp"]) }
        guard let actor else { throw Leesfout(reden: .ontbreekt, pad: ["actor"]) }
        if gebeurtenis == nil {
            let type = try verplicht(type, "type"), schemaversie = try verplicht(schemaversie, "schemaversie")
            guard let dataVooraf else {
                _ = try lezer.bekendType(type, schemaversie)
                throw Leesfout(reden: .ontbreekt, pad: ["data"])
            }
            var vooraf = Logregellezer(json: dataVooraf, strikt: lezer.strikt, sleutels: lezer.sleutels)
            vooraf.zaak = zaak
            vooraf.id = id
            gebeurtenis = try vooraf.data(type: type, schemaversie: schemaversie)
            lezer.onbekendVeld = lezer.onbekendVeld ?? vooraf.onbekendVeld
        }
        self.init(id: id, zaak: zaak, versie: versie, plaatsgevondenOp: plaatsgevondenOp, actor: actor,
                  gebeurtenis: gebeurtenis!, positie: positie ?? nil, vastgelegdOp: vastgelegdOp ?? nil)
    }
}

extension Logregellezer {
    /// Stored once: the synthesized `allCases` builds a new array on every call, once per line here.
    private static let soorten = Gebeurtenis.Soort.allCases

    /// The type named in the line, if its schemaversie is the one `Gebeurtenis.Soort` knows.
    func bekendType(_ type: JSONText, _ schemaversie: Int) throws(Leesfout) -> Gebeurtenis.Soort {
        guard let soort = Self.soorten.first(where: { type.isPlainASCII ? type.equals($0.rawValue) : type.string == $0.rawValue }) else {
            throw Leesfout(reden: .ongeldig("onbekend type '\(type.string.citaat)'"), pad: ["type"])
        }
        guard soort.schemaversie == schemaversie else {
            throw Leesfout(reden: .ongeldig("schemaversie \(schemaversie) van \(soort.rawValue) is onbekend; deze versie kent \(soort.schemaversie)"),
                           pad: ["schemaversie"])
        }
        return soort
    }

    mutating func data(type: JSONText, schemaversie: Int) throws(Leesfout) -> Gebeurtenis {
        let soort = try bekendType(type, schemaversie)
        self.soort = soort
        if strikt { pad.append("data") }
        defer { if strikt { pad.removeLast() } }
        do throws(Leesfout) {
            switch soort {
            case .zaakGeopend: return .zaakGeopend(try ZaakGeopend(&self))
            case .meldingOntvangen: return .meldingOntvangen(try MeldingOntvangen(&self))
            case .gesprekGevoerd: return .gesprekGevoerd(try GesprekGevoerd(&self))
            case .berichtOntvangen: return .berichtOntvangen(try BerichtOntvangen(&self))
            case .berichtVerstuurd: return .berichtVerstuurd(try BerichtVerstuurd(&self))
            case .doorverwezen: return .doorverwezen(try Doorverwezen(&self))
            case .terugbelverzoekAangemaakt: return .terugbelverzoekAangemaakt(try TerugbelverzoekAangemaakt(&self))
            case .terugkoppelingOntvangen: return .terugkoppelingOntvangen(try TerugkoppelingOntvangen(&self))
            case .inwonerGeinformeerd: return .inwonerGeinformeerd(try InwonerGeinformeerd(&self))
            case .zakenGekoppeld: return .zakenGekoppeld(try ZakenGekoppeld(&self))
            case .zaakAfgesloten: return .zaakAfgesloten(try ZaakAfgesloten(&self))
            case .zaakHeropend: return .zaakHeropend(try ZaakHeropend(&self))
            case .tevredenheidGemeten: return .tevredenheidGemeten(try TevredenheidGemeten(&self))
            case .gegevensGewist: return .gegevensGewist(try GegevensGewist(&self))
            }
        } catch {
            throw error.binnen("data")
        }
    }
}

// MARK: Values

extension String: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) { self = try stap(lezer.json.readString()) }
}

extension Int: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        self = try stap(lezer.strikt ? lezer.json.readPlainInteger() : lezer.json.readInteger())
    }
}

extension Int64: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) { self = try stap(lezer.json.readInteger()) }
}

extension Bool: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) { self = try stap(lezer.json.readBool()) }
}

extension Array: Logregelwaarde where Element: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        self = []
        try stap(lezer.json.beginArray())
        while try stap(lezer.json.nextElement()) {
            if lezer.strikt { lezer.pad.append("[\(count)]") }
            do throws(Leesfout) { append(try Element(&lezer)) } catch { throw error.binnen("[\(count)]") }
            if lezer.strikt { lezer.pad.removeLast() }
        }
    }
}

/// Enums by their raw value, as Codable does.
extension Logregelwaarde where Self: RawRepresentable, RawValue == String {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        guard let waarde = Self(rawValue: try stap(lezer.json.readString())) else { throw Leesfout(reden: .onbekendeWaarde) }
        self = waarde
    }
}

extension Kanaal: Logregelwaarde {}
extension Richting: Logregelwaarde {}
extension Actor.Soort: Logregelwaarde {}
extension Archiefnominatie: Logregelwaarde {}
extension GesprekUitkomst: Logregelwaarde {}
extension Doorverwijzingssoort: Logregelwaarde {}
extension TerugkoppelingUitkomst: Logregelwaarde {}
extension Resultaat: Logregelwaarde {}
extension Heropenaanleiding: Logregelwaarde {}
extension Wisgrondslag: Logregelwaarde {}

/// Zaaknummers, tijdstippen and datums by the rule of `TekstVorm.init(from:)`: only the exact spelling.
/// Their parsers work on Strings and take about a microsecond each, more than the rest of a line; so
/// the value is first guessed from the bytes and taken when its own `description` is the text. Any
/// other text goes through the parser, which alone decides what is accepted.
protocol Logtekstvorm: TekstVorm, Logregelwaarde {
    /// The value `text` would spell if it is in the canonical form, or nil to leave it to the parser.
    static func kandidaat(_ text: UnsafeRawBufferPointer) -> Self?
}

extension Logtekstvorm {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        let tekst = try stap(lezer.json.readText())
        if tekst.isPlainASCII, let waarde = Self.kandidaat(tekst.raw), tekst.equals(waarde.description) {
            self = waarde
            return
        }
        let string = tekst.string
        guard let waarde = Self(string), waarde.description == string else {
            let (naam, vorm) = Self.tekstVorm
            throw Leesfout(reden: .ongeldig("\(naam) '\(string.citaat)' heeft niet de vorm \(vorm)"))
        }
        self = waarde
    }
}

/// The decimal number in `text[range]`, if it is all digits.
private func cijfers(_ text: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
    var value = 0, index = range.lowerBound
    while index < range.upperBound {
        let digit = text[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        value = value &* 10 &+ Int(digit)
        index += 1
    }
    return value
}

extension Zaaknummer: Logtekstvorm {
    static func kandidaat(_ text: UnsafeRawBufferPointer) -> Zaaknummer? {
        guard text.count == 13, let jaar = cijfers(text, 2..<6), let volgnummer = cijfers(text, 7..<13),
              (2000...9999).contains(jaar), (1...999_999).contains(volgnummer) else { return nil }
        return Zaaknummer(jaar: jaar, volgnummer: volgnummer)
    }
}

extension Tijdstip: Logtekstvorm {
    static func kandidaat(_ text: UnsafeRawBufferPointer) -> Tijdstip? {
        guard text.count == 24, let jaar = cijfers(text, 0..<4), let maand = cijfers(text, 5..<7), let dag = cijfers(text, 8..<10),
              let datum = Datum(jaar: jaar, maand: maand, dag: dag), let uur = cijfers(text, 11..<13), let minuut = cijfers(text, 14..<16),
              let seconde = cijfers(text, 17..<19), let milliseconde = cijfers(text, 20..<23), uur < 24, minuut < 60, seconde < 60
        else { return nil }
        let seconden = ((datum.dagnummer * 24 + Int64(uur)) * 60 + Int64(minuut)) * 60 + Int64(seconde)
        return Tijdstip(milliseconden: seconden * 1000 + Int64(milliseconde))
    }
}

extension Datum: Logtekstvorm {
    static func kandidaat(_ text: UnsafeRawBufferPointer) -> Datum? {
        guard text.count == 10, let jaar = cijfers(text, 0..<4), let maand = cijfers(text, 5..<7), let dag = cijfers(text, 8..<10) else { return nil }
        return Datum(jaar: jaar, maand: maand, dag: dag)
    }
}

// MARK: Structs, each member by the name Codable gives it

extension Actor: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var soort: Soort?, id: String?
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "soort": try lezer.lees(&soort, veld)
            case "id": try lezer.lees(&id, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(soort: try verplicht(soort, "soort"), id: try verplicht(id, "id"))
    }
}

extension Persoonsgegevens: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var naam: String??, telefoon: String??, email: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "naam": try lezer.leesOptioneel(&naam, veld)
            case "telefoon": try lezer.leesOptioneel(&telefoon, veld)
            case "email": try lezer.leesOptioneel(&email, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(naam: naam ?? nil, telefoon: telefoon ?? nil, email: email ?? nil)
    }
}

extension Inwoner: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var ref: String?, persoonsgegevens: Persoonsgegevens??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "ref": try lezer.lees(&ref, veld)
            case "persoonsgegevens": try lezer.leesOptioneel(&persoonsgegevens, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(ref: try verplicht(ref, "ref"), persoonsgegevens: persoonsgegevens ?? nil)
    }
}

extension ZaakGeopend: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var onderwerp: String?, omschrijving: String?, inwoner: Inwoner?, kanaal: Kanaal?, afdeling: String?
        var afhandeltermijnWerkdagen: Int?, uiterlijkAfgehandeldOp: Datum?, heropenvensterDagen: Int?
        var archiefnominatie: Archiefnominatie?, bewaartermijnJaren: Int??, catalogusversie: String?, naastLopendeZaak: Zaaknummer??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "onderwerp": try lezer.lees(&onderwerp, veld)
            case "omschrijving": try lezer.lees(&omschrijving, veld)
            case "inwoner": try lezer.lees(&inwoner, veld)
            case "kanaal": try lezer.lees(&kanaal, veld)
            case "afdeling": try lezer.lees(&afdeling, veld)
            case "afhandeltermijnWerkdagen": try lezer.lees(&afhandeltermijnWerkdagen, veld)
            case "uiterlijkAfgehandeldOp": try lezer.lees(&uiterlijkAfgehandeldOp, veld)
            case "heropenvensterDagen": try lezer.lees(&heropenvensterDagen, veld)
            case "archiefnominatie": try lezer.lees(&archiefnominatie, veld)
            case "bewaartermijnJaren": try lezer.leesOptioneel(&bewaartermijnJaren, veld)
            case "catalogusversie": try lezer.lees(&catalogusversie, veld)
            case "naastLopendeZaak": try lezer.leesOptioneel(&naastLopendeZaak, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(onderwerp: try verplicht(onderwerp, "onderwerp"), omschrijving: try verplicht(omschrijving, "omschrijving"),
                  inwoner: try verplicht(inwoner, "inwoner"), kanaal: try verplicht(kanaal, "kanaal"),
                  afdeling: try verplicht(afdeling, "afdeling"),
                  afhandeltermijnWerkdagen: try verplicht(afhandeltermijnWerkdagen, "afhandeltermijnWerkdagen"),
                  uiterlijkAfgehandeldOp: try verplicht(uiterlijkAfgehandeldOp, "uiterlijkAfgehandeldOp"),
                  heropenvensterDagen: try verplicht(heropenvensterDagen, "heropenvensterDagen"),
                  archiefnominatie: try verplicht(archiefnominatie, "archiefnominatie"), bewaartermijnJaren: bewaartermijnJaren ?? nil,
                  catalogusversie: try verplicht(catalogusversie, "catalogusversie"), naastLopendeZaak: naastLopendeZaak ?? nil)
    }
}

extension MeldingOntvangen.Locatie: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var straat: String??, huisnummer: String??, postcode: String??, woonplaats: String??, omschrijving: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "straat": try lezer.leesOptioneel(&straat, veld)
            case "huisnummer": try lezer.leesOptioneel(&huisnummer, veld)
            case "postcode": try lezer.leesOptioneel(&postcode, veld)
            case "woonplaats": try lezer.leesOptioneel(&woonplaats, veld)
            case "omschrijving": try lezer.leesOptioneel(&omschrijving, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(straat: straat ?? nil, huisnummer: huisnummer ?? nil, postcode: postcode ?? nil, woonplaats: woonplaats ?? nil,
                  omschrijving: omschrijving ?? nil)
    }
}

extension MeldingOntvangen: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var kanaal: Kanaal?, inhoud: String?, locatie: Locatie??, bijlagen: Int?
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "kanaal": try lezer.lees(&kanaal, veld)
            case "inhoud": try lezer.lees(&inhoud, veld)
            case "locatie": try lezer.leesOptioneel(&locatie, veld)
            case "bijlagen": try lezer.lees(&bijlagen, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(kanaal: try verplicht(kanaal, "kanaal"), inhoud: try verplicht(inhoud, "inhoud"), locatie: locatie ?? nil,
                  bijlagen: try verplicht(bijlagen, "bijlagen"))
    }
}

extension GesprekGevoerd: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var kanaal: Kanaal?, richting: Richting?, wachttijdSeconden: Int??, duurSeconden: Int?, uitkomst: GesprekUitkomst?
        var indicatieContactGelukt: Bool?, samenvatting: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "kanaal": try lezer.lees(&kanaal, veld)
            case "richting": try lezer.lees(&richting, veld)
            case "wachttijdSeconden": try lezer.leesOptioneel(&wachttijdSeconden, veld)
            case "duurSeconden": try lezer.lees(&duurSeconden, veld)
            case "uitkomst": try lezer.lees(&uitkomst, veld)
            case "indicatieContactGelukt": try lezer.lees(&indicatieContactGelukt, veld)
            case "samenvatting": try lezer.leesOptioneel(&samenvatting, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(kanaal: try verplicht(kanaal, "kanaal"), richting: try verplicht(richting, "richting"),
                  wachttijdSeconden: wachttijdSeconden ?? nil, duurSeconden: try verplicht(duurSeconden, "duurSeconden"),
                  uitkomst: try verplicht(uitkomst, "uitkomst"),
                  indicatieContactGelukt: try verplicht(indicatieContactGelukt, "indicatieContactGelukt"), samenvatting: samenvatting ?? nil)
    }
}

extension BerichtOntvangen: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        let (kanaal, inhoud, externeId) = try lezer.bericht()
        self.init(kanaal: kanaal, inhoud: inhoud, externeId: externeId)
    }
}

extension BerichtVerstuurd: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        let (kanaal, inhoud, externeId) = try lezer.bericht()
        self.init(kanaal: kanaal, inhoud: inhoud, externeId: externeId)
    }
}

extension Logregellezer {
    /// The members BerichtOntvangen and BerichtVerstuurd share.
    mutating func bericht() throws(Leesfout) -> (Kanaal, String, String?) {
        var kanaal: Kanaal?, inhoud: String?, externeId: String??
        try begin()
        while let veld = try volgendVeld() {
            switch veld {
            case "kanaal": try lees(&kanaal, veld)
            case "inhoud": try lees(&inhoud, veld)
            case "externeId": try leesOptioneel(&externeId, veld)
            default: try onbekend(veld)
            }
        }
        return (try verplicht(kanaal, "kanaal"), try verplicht(inhoud, "inhoud"), externeId ?? nil)
    }
}

extension Doorverwezen: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var doorverwijzing: String?, afdeling: String?, soort: Doorverwijzingssoort?, gevraagdeHandeling: String?
        var toelichting: String?, uiterlijkOp: Datum?, toegewezenAanMedewerker: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "doorverwijzing": try lezer.lees(&doorverwijzing, veld)
            case "afdeling": try lezer.lees(&afdeling, veld)
            case "soort": try lezer.lees(&soort, veld)
            case "gevraagdeHandeling": try lezer.lees(&gevraagdeHandeling, veld)
            case "toelichting": try lezer.lees(&toelichting, veld)
            case "uiterlijkOp": try lezer.lees(&uiterlijkOp, veld)
            case "toegewezenAanMedewerker": try lezer.leesOptioneel(&toegewezenAanMedewerker, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(doorverwijzing: try verplicht(doorverwijzing, "doorverwijzing"), afdeling: try verplicht(afdeling, "afdeling"),
                  soort: try verplicht(soort, "soort"), gevraagdeHandeling: try verplicht(gevraagdeHandeling, "gevraagdeHandeling"),
                  toelichting: try verplicht(toelichting, "toelichting"), uiterlijkOp: try verplicht(uiterlijkOp, "uiterlijkOp"),
                  toegewezenAanMedewerker: toegewezenAanMedewerker ?? nil)
    }
}

extension TerugbelverzoekAangemaakt: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var doorverwijzing: String?, afdeling: String?, toelichting: String?, uiterlijkOp: Datum?, persoonsgegevens: Persoonsgegevens??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "doorverwijzing": try lezer.lees(&doorverwijzing, veld)
            case "afdeling": try lezer.lees(&afdeling, veld)
            case "toelichting": try lezer.lees(&toelichting, veld)
            case "uiterlijkOp": try lezer.lees(&uiterlijkOp, veld)
            case "persoonsgegevens": try lezer.leesOptioneel(&persoonsgegevens, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(doorverwijzing: try verplicht(doorverwijzing, "doorverwijzing"), afdeling: try verplicht(afdeling, "afdeling"),
                  toelichting: try verplicht(toelichting, "toelichting"), uiterlijkOp: try verplicht(uiterlijkOp, "uiterlijkOp"),
                  persoonsgegevens: persoonsgegevens ?? nil)
    }
}

extension TerugkoppelingOntvangen: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var doorverwijzing: String?, uitkomst: TerugkoppelingUitkomst?, toelichting: String?, doorgestuurdNaar: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "doorverwijzing": try lezer.lees(&doorverwijzing, veld)
            case "uitkomst": try lezer.lees(&uitkomst, veld)
            case "toelichting": try lezer.lees(&toelichting, veld)
            case "doorgestuurdNaar": try lezer.leesOptioneel(&doorgestuurdNaar, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(doorverwijzing: try verplicht(doorverwijzing, "doorverwijzing"), uitkomst: try verplicht(uitkomst, "uitkomst"),
                  toelichting: try verplicht(toelichting, "toelichting"), doorgestuurdNaar: doorgestuurdNaar ?? nil)
    }
}

extension InwonerGeinformeerd: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var kanaal: Kanaal?, toelichting: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "kanaal": try lezer.lees(&kanaal, veld)
            case "toelichting": try lezer.leesOptioneel(&toelichting, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(kanaal: try verplicht(kanaal, "kanaal"), toelichting: toelichting ?? nil)
    }
}

extension ZakenGekoppeld: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var hoofdzaak: Zaaknummer?, gekoppeldeZaak: Zaaknummer?, reden: String?
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "hoofdzaak": try lezer.lees(&hoofdzaak, veld)
            case "gekoppeldeZaak": try lezer.lees(&gekoppeldeZaak, veld)
            case "reden": try lezer.lees(&reden, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(hoofdzaak: try verplicht(hoofdzaak, "hoofdzaak"), gekoppeldeZaak: try verplicht(gekoppeldeZaak, "gekoppeldeZaak"),
                  reden: try verplicht(reden, "reden"))
    }
}

extension Afwijking: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var regels: [Int]?, reden: String?
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "regels": try lezer.lees(&regels, veld)
            case "reden": try lezer.lees(&reden, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(regels: try verplicht(regels, "regels"), reden: try verplicht(reden, "reden"))
    }
}

extension ZaakAfgesloten: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var resultaat: Resultaat?, direct: Bool?, toelichting: String??, afwijking: Afwijking??, archiefactiedatum: Datum??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "resultaat": try lezer.lees(&resultaat, veld)
            case "direct": try lezer.lees(&direct, veld)
            case "toelichting": try lezer.leesOptioneel(&toelichting, veld)
            case "afwijking": try lezer.leesOptioneel(&afwijking, veld)
            case "archiefactiedatum": try lezer.leesOptioneel(&archiefactiedatum, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(resultaat: try verplicht(resultaat, "resultaat"), direct: try verplicht(direct, "direct"), toelichting: toelichting ?? nil,
                  afwijking: afwijking ?? nil, archiefactiedatum: archiefactiedatum ?? nil)
    }
}

extension ZaakHeropend: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var reden: String?, aanleiding: Heropenaanleiding?
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "reden": try lezer.lees(&reden, veld)
            case "aanleiding": try lezer.lees(&aanleiding, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(reden: try verplicht(reden, "reden"), aanleiding: try verplicht(aanleiding, "aanleiding"))
    }
}

extension TevredenheidGemeten: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var score: Int?, opgelostVolgensInwoner: Bool?, kanaal: Kanaal??, toelichting: String??
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "score": try lezer.lees(&score, veld)
            case "opgelostVolgensInwoner": try lezer.lees(&opgelostVolgensInwoner, veld)
            case "kanaal": try lezer.leesOptioneel(&kanaal, veld)
            case "toelichting": try lezer.leesOptioneel(&toelichting, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(score: try verplicht(score, "score"), opgelostVolgensInwoner: try verplicht(opgelostVolgensInwoner, "opgelostVolgensInwoner"),
                  kanaal: kanaal ?? nil, toelichting: toelichting ?? nil)
    }
}

extension GegevensGewist: Logregelwaarde {
    init(_ lezer: inout Logregellezer) throws(Leesfout) {
        var grondslag: Wisgrondslag?, verzoek: String?, reden: String?
        try lezer.begin()
        while let veld = try lezer.volgendVeld() {
            switch veld {
            case "grondslag": try lezer.lees(&grondslag, veld)
            case "verzoek": try lezer.lees(&verzoek, veld)
            case "reden": try lezer.lees(&reden, veld)
            default: try lezer.onbekend(veld)
            }
        }
        self.init(grondslag: try verplicht(grondslag, "grondslag"), verzoek: try verplicht(verzoek, "verzoek"), reden: try verplicht(reden, "reden"))
    }
}
