import Foundation
import JSONReading
import XCTest

/// The JSON pull reader on its own: what it reads from valid JSON (compared with
/// JSONSerialization), what it refuses, and integers as JSONDecoder reads them.
final class JSONReaderTests: XCTestCase {
    /// Any JSON value, read through the pull API.
    indirect enum Waarde: Equatable {
        case object([String: Waarde]), array([Waarde]), string(String), number(Double), bool(Bool), null
    }

    static func lees(_ reader: inout JSONReader) throws(JSONReaderError) -> Waarde {
        switch try reader.peek() {
        case .object:
            var members: [String: Waarde] = [:]
            try reader.beginObject()
            while let key = try reader.nextKey() {
                members[key.string] = try lees(&reader)  // the last of equal names, as JSONSerialization does
            }
            return .object(members)
        case .array:
            var elements: [Waarde] = []
            try reader.beginArray()
            while try reader.nextElement() { elements.append(try lees(&reader)) }
            return .array(elements)
        case .string: return .string(try reader.readString())
        case .number: return .number(try reader.readDouble())
        case .bool: return .bool(try reader.readBool())
        case .null:
            _ = try reader.readNull()
            return .null
        }
    }

    /// The whole of `text` as one value, or the reader's error.
    static func lees(_ text: [UInt8]) -> Result<Waarde, JSONReaderError> {
        text.withUnsafeBytes { bytes in
            Result { () throws(JSONReaderError) in
                var reader = JSONReader(bytes)
                let value = try lees(&reader)
                try reader.finish()
                return value
            }
        }
    }

    /// The same value from JSONSerialization (numbers as Double, like `readDouble`).
    static func verwacht(_ object: Any) -> Waarde {
        switch object {
        case let dictionary as [String: Any]: .object(dictionary.mapValues(verwacht))
        case let array as [Any]: .array(array.map(verwacht))
        case let string as String: .string(string)
        case is NSNull: .null
        case let number as NSNumber where String(cString: number.objCType) == "c": .bool(number.boolValue)
        case let number as NSNumber: .number(number.doubleValue)
        default: .null
        }
    }

    static let geldig = [
        #"{}"#, #"[]"#, #""""#, #"0"#, #"-0"#, #"true"#, #"false"#, #"null"#, " \t\r\n{ \"a\" : [ 1 , 2 ] }\n ",
        #"{"a":{"b":{"c":[[],[{}],{"d":null}]}},"e":-12.5e-3,"f":1E+2,"g":0.5,"h":"x"}"#,
        #"["\"\\\/\b\f\n\r\t","\u0000\u001f\u007F\u00e9\u20AC\uFFFF","\ud83d\ude00\uD834\uDD1E","é€😀 ","a\u0062c"]"#,
        #"[1.7976931348623157e308,5e-324,123456789012345678901234567890,-9223372036854775808]"#,
        #"{"dubbel":1,"dubbel":2}"#, "[" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "]",
    ]

    func testValidJSONReadsAsJSONSerializationReadsIt() throws {
        for text in Self.geldig {
            let expected = Self.verwacht(try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed))
            XCTAssertEqual(try Self.lees(Array(text.utf8)).get(), expected, text)
        }
    }

    static let ongeldig: [(String, String)] = [
        ("", "onverwacht einde"), (" ", "onverwacht einde"), ("{", "onverwacht einde"), ("[1", "onverwacht einde"), (#"{"a""#, "':'"),
        (#"{"a":}"#, "ongeldig teken"), (#"{"a":1,}"#, "veldnaam"), ("[1,]", "ongeldig teken"), ("[,1]", "ongeldig teken"), ("[1 2]", "',' of ']'"),
        (#"{"a":1 "b":2}"#, "',' of '}'"), (#"{a:1}"#, "veldnaam"), (#"{"a",1}"#, "':'"), ("{} {}", "na het einde"), ("[1]]", "na het einde"),
        (#""abc"#, "aanhalingsteken"), ("\"a\tb\"", "stuurteken"), ("\"a\nb\"", "stuurteken"), (#""\x""#, "escape"), (#""\u12""#, "\\u"),
        (#""\u12G4""#, "\\u"), (#""\ud83d""#, "surrogaat"), (#""\ude00""#, "surrogaat"), (#""\ud83d\u0041""#, "surrogaat"), (#""\ud83dx""#, "surrogaat"),
        ("01", "voorloopnul"), ("-", "cijfers"), ("1.", "punt"), (".5", "ongeldig teken"), ("+1", "ongeldig teken"), ("1e", "exponent"),
        ("1e+", "exponent"), ("-a", "cijfers"), ("NaN", "ongeldig teken"), ("Infinity", "ongeldig teken"), ("tru", "einde"), ("trux", "woord"), ("nul", "einde"),
        ("nulL", "woord"), ("True", "ongeldig teken"), ("'a'", "ongeldig teken"), ("\u{FEFF}{}", "ongeldig teken"),
        (String(repeating: "[", count: 513) + String(repeating: "]", count: 513), "genest"),
    ]

    func testMalformedJSONIsRefusedWithAReason() {
        for (text, reason) in Self.ongeldig {
            switch Self.lees(Array(text.utf8)) {
            case .success: XCTFail("geaccepteerd: \(text.debugDescription)")
            case let .failure(error):
                XCTAssertEqual(error.kind, .syntax, text.debugDescription)
                XCTAssertTrue(error.reason.contains(reason), "\(text.debugDescription): \(error)")
                XCTAssertTrue((0...text.utf8.count).contains(error.offset), "\(text.debugDescription): \(error)")
            }
        }
    }

    func testInvalidUTF8IsRefusedAlsoWhereNobodyReadsIt() {
        let wrong: [[UInt8]] = [[0xFF], [0xC3], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF0, 0x9F, 0x98], [0x80]]
        for bytes in wrong {
            let text = Array(#"{"ongelezen":""#.utf8) + bytes + Array(#""}"#.utf8)
            let skipped = text.withUnsafeBytes { raw in
                Result { () throws(JSONReaderError) in
                    var reader = JSONReader(raw)
                    try reader.beginObject()
                    while try reader.nextKey() != nil { try reader.skipValue() }
                    try reader.finish()
                }
            }
            XCTAssertThrowsError(try skipped.get(), "\(bytes)") { XCTAssertEqual(($0 as? JSONReaderError)?.reason, "ongeldige UTF-8", "\(bytes)") }
        }
        XCTAssertEqual(try Self.lees(Array("\"\u{10FFFF}é\"".utf8)).get(), .string("\u{10FFFF}é"))
    }

    func testEveryTruncationOfValidJSONIsRefused() {
        for text in Self.geldig.map({ Array($0.utf8) }) {
            let trimmed = Array(text.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.reversed().drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }.reversed())
            for length in 0..<trimmed.count {
                let prefix = Array(trimmed.prefix(length))
                // A number cut short can still be a number.
                if (try? JSONSerialization.jsonObject(with: Data(prefix), options: .fragmentsAllowed)) != nil { continue }
                if case .success = Self.lees(prefix) { XCTFail("afgekapt geaccepteerd: \(String(decoding: prefix, as: UTF8.self))") }
            }
        }
    }

    func testAnotherTypeIsAMismatchButBadJSONStaysASyntaxError() throws {
        func error(_ text: String, _ read: (inout JSONReader) throws -> Void) -> JSONReaderError? {
            Array(text.utf8).withUnsafeBytes { raw in
                var reader = JSONReader(raw)
                do { try read(&reader); return nil } catch { return error as? JSONReaderError }
            }
        }
        XCTAssertEqual(error("true") { _ = try $0.readString() }?.kind, .typeMismatch)
        XCTAssertEqual(error("tru") { _ = try $0.readString() }?.kind, .syntax)
        XCTAssertEqual(error(#"{"a":[1,}"#) { _ = try $0.readInteger(Int.self) }?.kind, .syntax)
        XCTAssertEqual(error(#"{"a":[1]}"#) { _ = try $0.readInteger(Int.self) }?.kind, .typeMismatch)
        XCTAssertEqual(error("null") { try $0.beginArray() }?.kind, .typeMismatch)
        XCTAssertEqual(error("\"x\"") { _ = try $0.readBool() }?.kind, .typeMismatch)
        XCTAssertEqual(error("  null") { XCTAssertTrue(try $0.readNull()); try $0.finish() }?.kind, nil)
        XCTAssertEqual(error("1") { XCTAssertFalse(try $0.readNull()); XCTAssertEqual(try $0.readInteger(Int.self), 1) }?.kind, nil)
        XCTAssertEqual(error("300") { _ = try $0.readInteger(UInt8.self) }?.kind, .notRepresentable)
        XCTAssertEqual(error("-1") { _ = try $0.readInteger(UInt.self) }?.kind, .notRepresentable)
        XCTAssertEqual(error("1e400") { _ = try $0.readDouble() }?.kind, .notRepresentable)
    }

    func testTextsCompareByValue() throws {
        let text = Array(#"["id","\u0069d","i\"d","idd",""]"#.utf8)
        let results = try text.withUnsafeBytes { raw in
            Result { () throws(JSONReaderError) -> [(Bool, Bool, Bool)] in
                var reader = JSONReader(raw)
                var results: [(Bool, Bool, Bool)] = []
                try reader.beginArray()
                while try reader.nextElement() {
                    let value = try reader.readText()
                    results.append((value.equals("id"), value.equals(String("id")), value.isPlainASCII))
                }
                return results
            }
        }.get()
        XCTAssertEqual(results.map(\.0), [true, true, false, false, false])
        XCTAssertEqual(results.map(\.1), [true, true, false, false, false])
        XCTAssertEqual(results.map(\.2), [true, false, false, true, true])
    }

    /// Integers in every spelling, each against JSONDecoder reading the same number into the same type.
    func testIntegersAsJSONDecoderReadsThem() throws {
        let spellings = ["0", "-0", "7", "-7", "127", "128", "-128", "-129", "255", "256", "32767", "2147483647", "2147483648", "-2147483649",
                         "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551615",
                         "18446744073709551616", "1.0", "1.5", "-1.0", "0.0", "-0.0", "1e2", "1E+2", "100e-2", "0.1e1", "25e-1", "1e-400", "-1e-400",
                         "1e400", "1.0000000000000001", "0.9999999999999999999", "9007199254740993", "9007199254740993.9", "9007199254740993e0",
                         "9007199254740992.5", "-9007199254740993.9", "10000000000000000000000e-4", "100000000000000000000e-2",
                         "123456789012345678901234567890e-11", "12345678901234567e2", "1e18", "1e19", "-9223372036854775808.0",
                         "922337203685477580.7e1", "9223372036854775806e0", "4294967295.0", "4.294967296e9", "1" + String(repeating: "0", count: 40) + "e-22"]
        func check<T: FixedWidthInteger & Decodable>(_: T.Type) {
            for spelling in spellings {
                let foundation = try? JSONDecoder().decode([T].self, from: Data("[\(spelling)]".utf8)).first
                let ours = Array(spelling.utf8).withUnsafeBytes { raw in
                    var reader = JSONReader(raw)
                    return try? reader.readInteger(T.self)
                }
                XCTAssertEqual(ours, foundation, "\(spelling) als \(T.self)")
            }
        }
        check(Int.self)
        check(Int64.self)
        check(Int32.self)
        check(Int8.self)
        check(UInt64.self)
        check(UInt8.self)
    }

    func testStringsAsJSONDecoderReadsThem() throws {
        let texts = [#""""#, #""plain""#, #""\"\\\/\b\f\n\r\t""#, #""\u0000\u00e9\u20ac\uD83D\uDE00""#, "\"é€😀\u{7F}\"", #""a\u0062\u0063d""#]
        for text in texts {
            let foundation = try JSONDecoder().decode(String.self, from: Data(text.utf8))
            XCTAssertEqual(try Self.lees(Array(text.utf8)).get(), .string(foundation), text)
        }
    }

    /// `uniqueNames`: a name twice in one object is refused at its second quote, in small objects
    /// (compared one by one) and large ones (hashed); equal names in different objects are not.
    func testANameTwiceInOneObjectIsRefusedAndInTwoObjectsIsNot() throws {
        let rules = JSONReader.Rules(uniqueNames: true)
        func refusal(_ text: String) -> JSONReaderError? {
            Array(text.utf8).withUnsafeBytes { raw in
                do throws(JSONReaderError) {
                    try JSONReader.check(raw, rules: rules)
                    return nil
                } catch { return error }
            }
        }
        let many = (0..<100).map { #""n\#($0)":\#($0)"# }.joined(separator: ",")
        for allowed in [#"{"a":1,"b":{"a":2,"b":[{"a":3},{"a":4}]},"c":{"a":5}}"#, "{\(many)}", #"{"a":{\#(many)},"b":{\#(many)}}"#,
                        #"{"ab":1,"ba":2,"a":3,"b":4}"#, #"{"":1,"x":{"":2}}"#] {
            XCTAssertNil(refusal(allowed), allowed)
        }
        let cases: [(text: String, name: String, offset: Int)] = [
            (#"{"a":1,"b":2,"a":3}"#, "a", 13),
            (#"{"a":{"x":1,"y":{"z":1},"x":2}}"#, "x", 24),
            (#"{"a":{"z":1},"b":1,"a":3}"#, "a", 19),
            ("{\(many),\"n57\":0}", "n57", many.utf8.count + 2),
            (#"{"a":{\#(many)},"b":{"n1":1,\#(many)}}"#, "n1", many.utf8.count + 27),
        ]
        for (text, name, offset) in cases {
            guard let error = refusal(text) else { XCTFail("accepted: \(text)"); continue }
            XCTAssertEqual(error.problem, .duplicateName(name), text)
            XCTAssertEqual(error.offset, offset, text)
        }
    }
}
