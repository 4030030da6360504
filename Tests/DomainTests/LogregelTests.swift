import DemoTraffic
@testable import Domain
@testable import EventLog
import Foundation
import JSONReading
import XCTest

/// `ZaakGebeurtenis(logregel:, sleutels: ZonderSleutels())` (by hand, over JSONReader) against the Codable decoding through
/// JSONDecoder, which stays the reference: on the schema examples, fully populated events of every
/// type, demo traffic, and thousands of mutated lines. Whenever the hand decoder accepts a line, its
/// event equals JSONDecoder's; whenever JSONDecoder accepts a line that is RFC 8259 JSON, the hand
/// decoder accepts it too. (JSONDecoder also accepts some text that is not JSON, such as trailing
/// commas; the log never holds such lines, and the hand decoder refuses them.)
final class LogregelTests: XCTestCase {
    // MARK: The comparison

    struct Telling {
        var beide = 0, geenVan = 0, alleenJSONDecoder = 0
    }

    /// Decodes `line` both ways and checks the rules above; counts the outcome in `telling`.
    /// `zekerJSON` says the line is known to be JSON (the strict checker refuses line breaks).
    func vergelijk(_ line: [UInt8], _ wat: @autoclosure () -> String, zekerJSON: Bool = false, telling: inout Telling,
                   file: StaticString = #filePath, regel: UInt = #line) {
        let snel = Result { () throws(ZaakFout) in try ZaakGebeurtenis(logregel: line, sleutels: ZonderSleutels()) }
        let referentie = Result { try JSONDecoder().decode(ZaakGebeurtenis.self, from: Data(line)) }
        // Only asked when one of them accepts: the checker is slow in a debug build.
        var json: Bool { zekerJSON || Self.isJSON(line) }
        // init(json:) against the strict Codable reading: the same event whenever either accepts a
        // JSON line, except numbers that JSONDecoder cannot hold as a Double (such as 1e-400), for
        // which it finds no valid JSON.
        let streng = Result { () throws(ZaakFout) in try ZaakGebeurtenis(json: line) }
        let codableStreng = Result { () throws(ZaakFout) in try ZaakGebeurtenis.codableStreng(line) }
        switch (streng, codableStreng) {
        case let (.success(hand), .success(codable)):
            XCTAssertEqual(hand, codable, "\(wat()): init(json:) geeft een andere gebeurtenis\n\(Self.tekst(line))", file: file, line: regel)
        case let (.success, .failure(fout)):
            XCTAssertTrue(json && fout.melding.hasPrefix("geen geldige JSON"),
                          "\(wat()): init(json:) accepteert, maar de Codable-weg zegt \(fout.melding)\n\(Self.tekst(line))", file: file, line: regel)
        case let (.failure(fout), .success):
            // On input the hand decoder is stricter than Codable, by design: no name twice in an
            // object, no fraction or exponent in an integer.
            let stricter = fout.melding.contains("staat twee keer in hetzelfde object") || fout.melding.contains("is geen geheel getal in")
            XCTAssertFalse(json && !stricter, "\(wat()): init(json:) weigert (\(fout.melding)), maar de Codable-weg accepteert\n\(Self.tekst(line))",
                           file: file, line: regel)
        case (.failure, .failure):
            break
        }
        switch (snel, referentie) {
        case let (.success(hand), .success(foundation)):
            telling.beide += 1
            XCTAssertEqual(hand, foundation, "\(wat()): andere gebeurtenis dan JSONDecoder\n\(Self.tekst(line))", file: file, line: regel)
            XCTAssertTrue(json, "\(wat()): geaccepteerd maar geen JSON\n\(Self.tekst(line))", file: file, line: regel)
        case let (.success, .failure(fout)):
            XCTFail("\(wat()): geaccepteerd, maar JSONDecoder weigert (\(ZaakGebeurtenis.describe(fout)))\n\(Self.tekst(line))", file: file, line: regel)
        case let (.failure(fout), .success):
            telling.alleenJSONDecoder += 1
            if json {
                XCTFail("\(wat()): geweigerd (\(fout.melding)), maar JSONDecoder accepteert\n\(Self.tekst(line))", file: file, line: regel)
            }
        case let (.failure(fout), .failure(referentiefout)):
            telling.geenVan += 1
            XCTAssertEqual(fout.soort, .ongeldig, file: file, line: regel)
            // A field both decoders blame is named the same way (JSONDecoder names no field for bad JSON).
            let verwacht = ZaakGebeurtenis.describe(referentiefout)
            if verwacht.hasPrefix("het veld '"), fout.melding.hasPrefix("het veld '") {
                XCTAssertEqual(fout.melding, verwacht, "\(wat())\n\(Self.tekst(line))", file: file, line: regel)
            }
        }
    }

    /// Whether `line` is a JSON object (RFC 8259), by the log's own check (JSONReader under `EventLine.jsonRules`).
    /// That one refuses line breaks anywhere, so they become spaces first and surrounding whitespace
    /// goes; a raw line break inside a text then passes here, but both decoders refuse those anyway.
    static func isJSON(_ line: [UInt8]) -> Bool {
        func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var start = 0, end = line.count
        while start < end, isWhitespace(line[start]) { start += 1 }
        while end > start, isWhitespace(line[end - 1]) { end -= 1 }
        var trimmed = Array(line[start..<end])
        for index in trimmed.indices where trimmed[index] == 0x0A || trimmed[index] == 0x0D { trimmed[index] = 0x20 }
        return trimmed.withUnsafeBytes { (try? JSONReader.checkObject($0, rules: EventLine.jsonRules)) != nil }
    }

    static func tekst(_ line: [UInt8]) -> String {
        String(decoding: line.prefix(600), as: UTF8.self).debugDescription
    }

    // MARK: The inputs

    /// The log line for `event` (log-format §3): the log's envelope, then `logBody()`.
    static func logregel(_ event: ZaakGebeurtenis, positie: Int64, vastgelegdOp: String = "2026-11-24T13:20:09.163Z") -> [UInt8] {
        Array(#"{"positie":\#(positie),"id":"\#(event.id)","zaak":"\#(event.zaak)","vastgelegdOp":"\#(vastgelegdOp)","#.utf8)
            + event.logBody().dropFirst()
    }

    /// Every type with every optional member set (SchemaTests.volledig), as the log writes it.
    static func volledigeRegels() throws -> [[UInt8]] {
        try volledigeGebeurtenissen().enumerated().map { index, event in logregel(event, positie: 18_342 + Int64(index)) }
    }

    static func volledigeRegel(_ type: String) throws -> [UInt8] {
        try volledigeRegels().first { try ZaakGebeurtenis(logregel: $0, sleutels: ZonderSleutels()).gebeurtenis.type == type }!
    }

    static func volledigeGebeurtenissen() throws -> [ZaakGebeurtenis] {
        let kinds = try SchemaTests.examples().compactMap { _, examples in examples.first }.map { example in
            try ZaakGebeurtenis(json: Array(JSONSerialization.data(withJSONObject: example))).gebeurtenis
        }
        return kinds.map(SchemaTests.volledig(zoals:)).enumerated().map { index, gebeurtenis in
            ZaakGebeurtenis(id: "test-volledig-\(gebeurtenis.type).\(index + 1)", zaak: Zaaknummer("Z-2026-000042")!, versie: index + 1,
                            plaatsgevondenOp: Tijdstip("2026-11-24T13:20:09.000Z")!, actor: Actor(soort: .medewerker, id: "kcc-117"),
                            gebeurtenis: gebeurtenis)
        }
    }

    /// A line whose texts need escapes: quotes, backslashes, control characters, non-ASCII, an emoji.
    static let lastigeRegel = logregel(ZaakGebeurtenis(
        id: "test-lastig.1", zaak: Zaaknummer("Z-2026-000007")!, versie: 3, plaatsgevondenOp: Tijdstip("2026-02-28T23:59:59.999Z")!,
        actor: Actor(soort: .systeem, id: "whatsapp-koppeling"),
        gebeurtenis: .berichtOntvangen(BerichtOntvangen(
            kanaal: .whatsapp, inhoud: "Container \u{1F5D1}\u{FE0F} \"vol\"\n\tC:\\pad / é ß \u{0}\u{1F}\u{7F} 😀 \u{FFFF}", externeId: "wa/1"))),
        positie: 9_007_199_254_740_993)

    /// Demo traffic: a few hundred zaken as the generator makes them, as log lines.
    static let demoRegels: [[UInt8]] = {
        let traffic = DemoTraffic(seed: 7, startMilliseconds: DemoTraffic.november2026, days: 30)
        return traffic.records(zaakCount: 300).enumerated().map { index, record in
            Array(#"{"positie":\#(index + 1),"id":"\#(record.id)","zaak":"\#(record.zaak)","vastgelegdOp":"2026-11-30T08:00:00.000Z","#.utf8)
                + record.body.dropFirst()
        }
    }()

    /// The lines mutated below: every type fully populated, the hard line, and one demo line of each
    /// type (their optional members mostly absent).
    static func basisregels() throws -> [[UInt8]] {
        var perType: [String: [UInt8]] = [:]
        for line in demoRegels {
            let type = try ZaakGebeurtenis(logregel: line, sleutels: ZonderSleutels()).gebeurtenis.type
            if perType[type] == nil { perType[type] = line }
        }
        return try volledigeRegels() + [lastigeRegel] + perType.keys.sorted().map { perType[$0]! }
    }

    // MARK: Valid lines

    func testSchemaExamplesDecodeAsWithJSONDecoder() throws {
        var telling = Telling()
        for (file, examples) in try SchemaTests.examples() {
            for (index, example) in examples.enumerated() {
                for options: JSONSerialization.WritingOptions in [[], [.sortedKeys], [.prettyPrinted], [.withoutEscapingSlashes]] {
                    let line = Array(try JSONSerialization.data(withJSONObject: example, options: options))
                    vergelijk(line, "\(file) examples[\(index)] \(options)", zekerJSON: true, telling: &telling)
                }
            }
        }
        XCTAssertEqual(telling.alleenJSONDecoder + telling.geenVan, 0)
        XCTAssertGreaterThanOrEqual(telling.beide, 4 * 3 * Gebeurtenis.Soort.allCases.count)
    }

    func testInvalidExamplesAreRefusedOrAcceptedAsByJSONDecoder() throws {
        // Some are refused only by the strict checks of init(json:) or by evolve (SchemaTests); here
        // the two decoders must agree.
        var telling = Telling()
        let files = try FileManager.default.contentsOfDirectory(atPath: SchemaTests.invalid.path).filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            vergelijk(Array(try Data(contentsOf: SchemaTests.invalid.appendingPathComponent(file))), file, zekerJSON: true, telling: &telling)
        }
        XCTAssertGreaterThanOrEqual(telling.geenVan, 5)
    }

    func testFullyPopulatedEventsOfEveryTypeDecodeAsWithJSONDecoder() throws {
        var telling = Telling()
        let events = try Self.volledigeGebeurtenissen()
        XCTAssertEqual(Set(events.map(\.gebeurtenis.type)), Set(Gebeurtenis.Soort.allCases.map(\.rawValue)))
        for (index, event) in events.enumerated() {
            XCTAssertEqual(SchemaTests.nilOptionals(event.gebeurtenis, path: event.gebeurtenis.type), [])
            // As the log stores it, and as JSONEncoder writes the whole event (another member order).
            let line = Self.logregel(event, positie: Int64(index + 1))
            vergelijk(line, "logregel \(event.gebeurtenis.type)", telling: &telling)
            XCTAssertEqual(try ZaakGebeurtenis(logregel: line, sleutels: ZonderSleutels()).gebeurtenis, event.gebeurtenis)
            var logged = event
            logged.positie = 77
            logged.vastgelegdOp = Tijdstip("2027-01-01T00:00:00.000Z")
            for encoder in [JSONEncoder(), JSONEncoder.gebeurtenissen] {
                vergelijk(Array(try encoder.encode(logged)), "JSONEncoder \(event.gebeurtenis.type)", telling: &telling)
                XCTAssertEqual(try ZaakGebeurtenis(logregel: Array(encoder.encode(logged)), sleutels: ZonderSleutels()), logged)
            }
        }
        vergelijk(Self.lastigeRegel, "lastige regel", telling: &telling)
        XCTAssertEqual(telling.beide, 3 * events.count + 1)
    }

    func testDemoTrafficDecodesAsWithJSONDecoder() throws {
        var telling = Telling()
        for (index, line) in Self.demoRegels.enumerated() { vergelijk(line, "demoregel \(index)", telling: &telling) }
        XCTAssertEqual(telling.beide, Self.demoRegels.count)
        let types = Set(try Self.demoRegels.map { try ZaakGebeurtenis(logregel: $0, sleutels: ZonderSleutels()).gebeurtenis.type })
        XCTAssertGreaterThanOrEqual(types.count, 10, "te weinig soorten gebeurtenissen in het demoverkeer: \(types.sorted())")
    }

    // MARK: Mutated lines

    func testEveryTruncation() throws {
        var telling = Telling()
        for line in try Self.basisregels() {
            for length in 0..<line.count { vergelijk(Array(line.prefix(length)), "afgekapt op \(length)", telling: &telling) }
        }
        XCTAssertEqual(telling.beide, 0, "een afgekapte regel is nooit een heel object")
    }

    func testEverySingleByteChange() throws {
        var telling = Telling()
        let replacements = Array(#""\},:0e. "#.utf8) + [0x00, 0x0A, 0xC3, 0xFF]
        for (number, line) in try Self.basisregels().enumerated() {
            for position in line.indices {
                for byte in replacements where byte != line[position] {
                    var changed = line
                    changed[position] = byte
                    vergelijk(changed, "regel \(number), byte \(position) → \(byte)", telling: &telling)
                }
                var shorter = line
                shorter.remove(at: position)
                vergelijk(shorter, "regel \(number), byte \(position) weg", telling: &telling)
            }
        }
        // Many changes inside a text leave a valid event; the rest must be refused by both.
        XCTAssertGreaterThan(telling.beide, 10_000)
        XCTAssertGreaterThan(telling.geenVan, 10_000)
    }

    func testWhitespaceBetweenAndInsideTokens() throws {
        var telling = Telling()
        for (number, line) in try Self.basisregels().enumerated() {
            for position in 0...line.count {
                for space in [" ", "\t"] {
                    var spaced = line
                    spaced.insert(contentsOf: Array(space.utf8), at: position)
                    vergelijk(spaced, "regel \(number), \(space.debugDescription) op \(position)", telling: &telling)
                }
            }
            // Every JSON whitespace between all tokens, line breaks included.
            let members = try Self.leden(line)
            var wide = Array("\r\n {".utf8)
            for (index, member) in members.enumerated() {
                wide += Array(" \n\t\"".utf8) + line[member.name] + Array("\" \r\n: \t".utf8) + line[member.value] + Array(" \n".utf8)
                wide += index == members.count - 1 ? Array("}\r\n ".utf8) : Array(",".utf8)
            }
            vergelijk(wide, "regel \(number), overal witruimte", zekerJSON: true, telling: &telling)
        }
        XCTAssertGreaterThan(telling.beide, 5_000)
    }

    func testMembersInEveryOrder() throws {
        var telling = Telling()
        var random = SeededRandom(seed: 2026)
        for (number, line) in try Self.basisregels().enumerated() {
            for round in 0..<40 {
                vergelijk(try Self.geschud(line, &random), "regel \(number), volgorde \(round)", telling: &telling)
            }
        }
        XCTAssertEqual(telling.geenVan + telling.alleenJSONDecoder, 0, "de volgorde van velden maakt niet uit")
    }

    func testEscapedTextsAndNames() throws {
        var telling = Telling()
        for (number, line) in try Self.basisregels().enumerated() {
            let texts = Self.teksten(line)
            XCTAssertGreaterThan(texts.count, 10)
            // Each text (member names included) escaped on its own, then all of them at once.
            for (index, text) in texts.enumerated() {
                vergelijk(try Self.vervang(line, [text]) { try Self.escaped($0) }, "regel \(number), tekst \(index) als \\u", telling: &telling)
            }
            vergelijk(try Self.vervang(line, texts) { try Self.escaped($0) }, "regel \(number), alles als \\u", telling: &telling)
            vergelijk(try Self.vervang(line, texts) { try Self.escaped($0, alleenBijzonder: true) }, "regel \(number), korte escapes", telling: &telling)
        }
        XCTAssertEqual(telling.geenVan + telling.alleenJSONDecoder, 0, "escapes veranderen geen waarde")
    }

    func testIntegersWrittenOtherwise() throws {
        // JSONDecoder reads 3.0 and 30e-1 as the integer 3; both decoders must agree on every form.
        var telling = Telling()
        let forms = ["3", "3.0", "3e0", "30e-1", "0.3e1", "3.5", "-3", "-0", "0", "-0.0", "1e400", "1e-400", "3.0000000000000001",
                     "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                     "9007199254740993", "9007199254740993.9", "9007199254740992.5", "10000000000000000000000e-4",
                     "123456789012345678901234567890e-11", "1E18", "1e+2", "03", "3.", ".3", "+3", "3e", "0x3", "NaN", "\"3\"", "true", "null"]
        let line = try Self.volledigeRegel("ZaakGeopend")
        let members = try Self.leden(line)
        let data = members.last!.value
        let termijn = try Self.leden(Array(line[data])).first { Array(line[data])[$0.name] == Array("afhandeltermijnWerkdagen".utf8)[...] }!
        let values = ["positie", "versie", "schemaversie"].map { name in members.first { line[$0.name] == Array(name.utf8)[...] }!.value }
            + [termijn.value.shifted(data.lowerBound)]
        for value in values {
            for form in forms {
                let changed = Array(line[..<value.lowerBound]) + Array(form.utf8) + line[value.upperBound...]
                vergelijk(changed, "\(String(decoding: line[value], as: UTF8.self)) als \(form)", telling: &telling)
            }
        }
        XCTAssertGreaterThanOrEqual(telling.beide, 4 * 8)
    }

    func testRepeatedMembersTheFirstCounts() throws {
        var telling = Telling()
        for (number, line) in try Self.basisregels().enumerated() {
            let members = try Self.leden(line)
            for member in members {
                let name = Array(line[member.name])
                for value in [Array(line[member.value]), Array("\"anders\"".utf8), Array("12".utf8), Array("null".utf8), Array("{}".utf8)] {
                    let repeated = Array("\"".utf8) + name + Array("\":".utf8) + value
                    // After the member (the first still counts) and before it (now the repeat counts).
                    let after = Array(line[..<member.value.upperBound]) + Array(",".utf8) + repeated + line[member.value.upperBound...]
                    let before = Array(line[..<(member.name.lowerBound - 1)]) + repeated + Array(",".utf8) + line[(member.name.lowerBound - 1)...]
                    vergelijk(after, "regel \(number), \(String(decoding: name, as: UTF8.self)) herhaald erna", telling: &telling)
                    vergelijk(before, "regel \(number), \(String(decoding: name, as: UTF8.self)) herhaald ervoor", telling: &telling)
                }
            }
        }
        XCTAssertGreaterThan(telling.beide, 1000)
    }

    func testUnknownMembersAreSkipped() throws {
        var telling = Telling()
        let extra = Array(#""onbekend":{"a":[1,-2.5e3,true,null,"\u00e9\ud83d\ude00",{"b":[]}],"c":{}}"#.utf8)
        for (number, line) in try Self.basisregels().enumerated() {
            let members = try Self.leden(line)
            let data = members.last!
            for at in [1, members[4].name.lowerBound - 1, data.value.lowerBound + 1] {
                let inserted = Array(line[..<at]) + extra + Array(",".utf8) + line[at...]
                vergelijk(inserted, "regel \(number), onbekend veld op \(at)", telling: &telling)
                XCTAssertEqual(try ZaakGebeurtenis(logregel: inserted, sleutels: ZonderSleutels()), try ZaakGebeurtenis(logregel: line, sleutels: ZonderSleutels()))
                // An import is strict: the unknown member is refused, by name, in the Codable path's words.
                let referentie = Result { () throws(ZaakFout) in try ZaakGebeurtenis.codableStreng(inserted) }
                XCTAssertThrowsError(try ZaakGebeurtenis(json: inserted)) { error in
                    XCTAssertTrue((error as? ZaakFout)?.melding.hasPrefix("onbekend veld '") == true, "\(error)")
                    if case let .failure(fout) = referentie { XCTAssertEqual((error as? ZaakFout)?.melding, fout.melding) } else { XCTFail("\(referentie)") }
                }
                let null = Array(line[..<at]) + Array(#""onbekend":null,"#.utf8) + line[at...]
                XCTAssertEqual(try ZaakGebeurtenis(json: null), try ZaakGebeurtenis.codableStreng(null), "a null member passes both ways")
            }
        }
        XCTAssertEqual(telling.geenVan + telling.alleenJSONDecoder, 0)
    }

    // MARK: Messages

    func testRefusalsNameTheField() throws {
        let line = String(decoding: try Self.volledigeRegel("GesprekGevoerd"), as: UTF8.self)
        let cases: [(String, String, String)] = [
            (#""kanaal":"video""#, #""kanaal":"fax""#, "het veld 'data.kanaal' heeft een onbekende waarde"),
            (#""duurSeconden":0,"#, "", "het veld 'data.duurSeconden' ontbreekt"),
            (#""duurSeconden":0"#, #""duurSeconden":"0""#, "het veld 'data.duurSeconden' heeft het verkeerde type"),
            (#""zaak":"Z-2026-000042""#, #""zaak":"Z-2026-42""#, "het veld 'zaak' is ongeldig: zaaknummer 'Z-2026-42' heeft niet de vorm Z-JJJJ-NNNNNN"),
            (#""type":"GesprekGevoerd""#, #""type":"GesprekGehad""#, "het veld 'type' is ongeldig: onbekend type 'GesprekGehad'"),
            (#""schemaversie":1"#, #""schemaversie":2"#, "het veld 'schemaversie' is ongeldig: schemaversie 2 van GesprekGevoerd is onbekend; deze versie kent 1"),
            (#""soort":"medewerker""#, #""soort":null"#, "het veld 'actor.soort' heeft het verkeerde type"),
            (#""plaatsgevondenOp":"2026-11-24T13:20:09.000Z""#, #""plaatsgevondenOp":"2026-11-24T13:20:09Z""#,
             "het veld 'plaatsgevondenOp' is ongeldig: tijdstip '2026-11-24T13:20:09Z' heeft niet de vorm JJJJ-MM-DDTUU:MM:SS.mmmZ"),
        ]
        for (original, replacement, message) in cases {
            XCTAssertTrue(line.contains(original), original)
            let changed = Array(line.replacing(original, with: replacement).utf8)
            XCTAssertThrowsError(try ZaakGebeurtenis(logregel: changed, sleutels: ZonderSleutels())) { error in
                XCTAssertEqual((error as? ZaakFout)?.melding, message)
            }
            XCTAssertThrowsError(try ZaakGebeurtenis(json: changed)) { error in
                XCTAssertEqual((error as? ZaakFout)?.melding, message, "init(json:) zegt het anders")
            }
        }
        let afwijking = String(decoding: try Self.volledigeRegel("ZaakAfgesloten"), as: UTF8.self).replacing("[1,2,3]", with: "[1,\"2\",3]")
        XCTAssertThrowsError(try ZaakGebeurtenis(logregel: Array(afwijking.utf8), sleutels: ZonderSleutels())) { error in
            XCTAssertEqual((error as? ZaakFout)?.melding, "het veld 'data.afwijking.regels[1]' heeft het verkeerde type")
        }
        for (bytes, message) in [("[]", "een gebeurtenis is een JSON-object"), (#"{"id":"a",}"#, "ongeldige JSON op byte 10: verwacht een veldnaam tussen aanhalingstekens")] {
            XCTAssertThrowsError(try ZaakGebeurtenis(logregel: Array(bytes.utf8), sleutels: ZonderSleutels())) { error in
                XCTAssertEqual((error as? ZaakFout)?.melding, message)
            }
        }
    }

    // MARK: Helpers

    /// The top-level members of a JSON object without whitespace, by EventLog's checker.
    static func leden(_ line: [UInt8]) throws -> [JSONReader.Member] {
        try line.withUnsafeBytes { raw throws(JSONReaderError) in try JSONReader.checkObject(raw, rules: EventLine.jsonRules) }
    }

    /// `line` with the members of the envelope, `actor` and `data` (and `data`'s objects) shuffled.
    static func geschud(_ line: [UInt8], _ random: inout SeededRandom) throws -> [UInt8] {
        var members = try leden(line).map { member -> [UInt8] in
            var value = Array(line[member.value])
            if value.first == UInt8(ascii: "{"), value.count > 2 { value = try geschud(value, &random) }
            return Array(line[(member.name.lowerBound - 1)..<member.value.lowerBound]) + value
        }
        for index in members.indices.reversed() { members.swapAt(index, random.below(index + 1)) }
        return Array("{".utf8) + Array(members.joined(separator: Array(",".utf8))) + Array("}".utf8)
    }

    /// The ranges of every string token in `line` (names and values), quotes excluded.
    static func teksten(_ line: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        while index < line.count {
            guard line[index] == UInt8(ascii: "\"") else { index += 1; continue }
            let start = index + 1
            index = start
            while line[index] != UInt8(ascii: "\"") { index += line[index] == UInt8(ascii: "\\") ? 2 : 1 }
            ranges.append(start..<index)
            index += 1
        }
        return ranges
    }

    static func vervang(_ line: [UInt8], _ ranges: [Range<Int>], _ body: ([UInt8]) throws -> [UInt8]) rethrows -> [UInt8] {
        var result = line
        for range in ranges.reversed() { result.replaceSubrange(range, with: try body(Array(line[range]))) }
        return result
    }

    /// A JSON string's content written again with `\u` escapes for every UTF-16 unit (surrogate
    /// pairs for characters past U+FFFF), or with the short escapes and `\/` only.
    static func escaped(_ content: [UInt8], alleenBijzonder: Bool = false) throws -> [UInt8] {
        let string = try JSONDecoder().decode(String.self, from: Data([UInt8(ascii: "\"")] + content + [UInt8(ascii: "\"")]))
        if alleenBijzonder {
            let short: [Unicode.Scalar: String] = ["\"": #"\""#, "\\": #"\\"#, "/": #"\/"#, "\u{8}": #"\b"#, "\u{C}": #"\f"#, "\n": #"\n"#, "\r": #"\r"#, "\t": #"\t"#]
            return Array(string.unicodeScalars.map { scalar in
                short[scalar] ?? (scalar.value < 0x20 ? #"\u00"# + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16) : String(scalar))
            }.joined().utf8)
        }
        return Array(string.utf16.map { unit in
            let hex = String(unit, radix: 16, uppercase: unit % 2 == 0)
            return #"\u"# + String(repeating: "0", count: 4 - hex.count) + hex
        }.joined().utf8)
    }
}

extension Range<Int> {
    func shifted(_ offset: Int) -> Range<Int> { (lowerBound + offset)..<(upperBound + offset) }
}
