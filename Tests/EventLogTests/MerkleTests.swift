import Crypto
import Foundation
import XCTest
import CivilTime
import JSONReading
@testable import EventLog
import LogImport

final class MerkleTests: XCTestCase {
    /// RFC 9162 §2.1.1 MTH, written recursively straight from the RFC as the reference.
    private func referenceRoot(_ leaves: [[UInt8]]) -> [UInt8] {
        if leaves.isEmpty { return Array(SHA256.hash(data: [UInt8]())) }
        if leaves.count == 1 { return Array(SHA256.hash(data: [0] + leaves[0])) }
        var split = 1
        while split * 2 < leaves.count { split *= 2 }
        return Array(SHA256.hash(data: [1] + referenceRoot(Array(leaves[..<split])) + referenceRoot(Array(leaves[split...]))))
    }

    func testFrontierRootMatchesTheRFCDefinitionForEverySizeUpTo130() {
        var frontier = MerkleFrontier()
        var leaves: [[UInt8]] = []
        XCTAssertEqual(frontier.root.hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        for number in 0..<130 {
            let leaf = Array("{\"positie\":\(number + 1)}".utf8)
            leaves.append(leaf)
            leaf.withUnsafeBytes { frontier.append(line: $0) }
            let expected = referenceRoot(leaves).map { String(format: "%02x", $0) }.joined()
            XCTAssertEqual(frontier.root.hex, expected, "size \(number + 1)")
            XCTAssertEqual(frontier.hashes.count, (number + 1).nonzeroBitCount)
        }
    }

    func testFrontierRestoresFromItsHashes() {
        var frontier = MerkleFrontier()
        for number in 0..<77 { Array("\(number)".utf8).withUnsafeBytes { frontier.append(line: $0) } }
        let restored = MerkleFrontier(size: 77, hashes: frontier.hashes.map { MerkleHash(hex: $0.hex)! })
        XCTAssertEqual(restored, frontier)
        XCTAssertNil(MerkleFrontier(size: 79, hashes: frontier.hashes), "79 has a different number of subtrees")
    }
}

final class EventLineTests: XCTestCase {
    private func check(_ json: String) -> Bool {
        Array(json.utf8).withUnsafeBytes { (try? JSONReader.checkObject($0, rules: EventLine.jsonRules)) != nil }
    }

    func testJSONSyntax() {
        for valid in [#"{}"#, #"{"a":1}"#, #"{"a":[1,-2.5e+10,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9"],"b":{"c":{}}}"#,
                      #"{"ü":"€𝄞"}"#, #"{ "a" : 0 }"#] {
            XCTAssertTrue(check(valid), valid)
        }
        for invalid in [#""#, #"{"#, #"{"a"}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":1,}"#, #"{"a":"\x"}"#,
                        #"{"a":"\u12"}"#, #"{"a":tru}"#, #"{} "#, " {}", "{\"a\":\"\t\"}", "{\"a\":\r1}", #"{"a":1}{"#,
                        String(repeating: "[", count: 300)] {
            XCTAssertFalse(check(invalid), invalid)
        }
        // Overlong encodings and surrogates are not UTF-8.
        for bytes: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let json: [UInt8] = Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)
            XCTAssertFalse(json.withUnsafeBytes { (try? JSONReader.checkObject($0, rules: EventLine.jsonRules)) != nil }, "\(bytes)")
        }
        XCTAssertFalse(check("{\"a\":" + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"), "nesting is bounded")
        XCTAssertTrue(check("{\"a\":" + String(repeating: "[", count: 255) + String(repeating: "]", count: 255) + "}"), "256 levels are allowed")
    }

    func testJSONSyntaxReportsTopLevelMembersOnly() throws {
        // Nested names and values must not leak into the top-level members (they did once in a rewrite).
        let json = Array(#"{"a":{"id":1,"b":[]},"c" : [{"d":"x\"y"}, 2] ,"e":"\u00e9 long enough to need several words","f":[],"g":{}}"#.utf8)
        let members = try json.withUnsafeBytes { try JSONReader.checkObject($0, rules: EventLine.jsonRules) }
        XCTAssertEqual(members.map { String(decoding: json[$0.name], as: UTF8.self) }, ["a", "c", "e", "f", "g"])
        XCTAssertEqual(members.map { String(decoding: json[$0.value], as: UTF8.self) },
                       [#"{"id":1,"b":[]}"#, #"[{"d":"x\"y"}, 2]"#, #""\u00e9 long enough to need several words""#, "[]", "{}"])
        // Offsets of errors point at the offending byte.
        for (text, offset) in [(#"{"id":"a",}"#, 10), (#"{"a":"abcdefghijklmnop"#, 22), (#"{"a":1 "b":2}"#, 7), ("{\"a\":\"abcdefgh\u{1}\"}", 14)] {
            XCTAssertThrowsError(try Array(text.utf8).withUnsafeBytes { try JSONReader.checkObject($0, rules: EventLine.jsonRules) }, text) { error in
                XCTAssertEqual((error as? JSONReaderError)?.offset, offset, text)
            }
        }
    }

    func testEnvelopeRoundTrip() throws {
        var out: [UInt8] = []
        let time = Timestamp.bytes(millisecondsSinceEpoch: 1_793_955_600_123)
        EventLine.encode(LogRecord(id: "e-1", zaak: "Z-1", json: #"{"type":"T","data":{"x":1}}"#), position: 42, recordedAt: time, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       #"{"positie":42,"id":"e-1","zaak":"Z-1","vastgelegdOp":"2026-11-06T09:00:00.123Z","type":"T","data":{"x":1}}"# + "\n")
        let fields = try out.dropLast().withUnsafeBytes { try EventLine.decode($0, checkJSON: true) }
        XCTAssertEqual(fields.position, 42)
        XCTAssertEqual(fields.recordedAt, 1_793_955_600_123)
        out.removeAll()
        EventLine.encode(LogRecord(id: "e-2", zaak: "Z-1", json: "{}"), position: 1, recordedAt: time, into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"{"positie":1,"id":"e-2","zaak":"Z-1","vastgelegdOp":"2026-11-06T09:00:00.123Z"}"# + "\n")
    }

    func testDecoderRejectsLinesThatBreakTheLayout() {
        for line in [#"{"positie":0,"id":"a","zaak":"b","vastgelegdOp":"2026-11-06T09:00:00.123Z"}"#,
                     #"{"positie":01,"id":"a","zaak":"b","vastgelegdOp":"2026-11-06T09:00:00.123Z"}"#,
                     #"{"id":"a","positie":1,"zaak":"b","vastgelegdOp":"2026-11-06T09:00:00.123Z"}"#,
                     #"{"positie":1,"id":"a","zaak":"b","vastgelegdOp":"2026-13-06T09:00:00.123Z"}"#,
                     #"{"positie":1,"id":"a","zaak":"b","vastgelegdOp":"2026-11-06T09:00:00.123Z","id":"c"}"#,
                     #"{"positie":1,"id":"a","zaak":"b","vastgelegdOp":"2026-11-06T09:00:00.123Z""#] {
            XCTAssertNil(Array(line.utf8).withUnsafeBytes { try? EventLine.decode($0, checkJSON: true) }, line)
        }
    }

    func testTimestampsRoundTrip() {
        for ms: Int64 in [0, 1, 951_782_400_000, 1_793_955_600_123, 4_102_444_799_999] {
            XCTAssertEqual(Timestamp.parse(Timestamp.bytes(millisecondsSinceEpoch: ms)), ms)
        }
        XCTAssertEqual(Timestamp.format(millisecondsSinceEpoch: 951_782_400_000), "2000-02-29T00:00:00.000Z")
        XCTAssertNil(Timestamp.parse(Array("2026-02-29T00:00:00.000Z".utf8)))
    }

    func testNDJSONRecordSplitsEnvelopeFromBody() throws {
        let record = try LogRecord(ndjsonLine: Array(#"{"type":"T","id":"e-9","data":{"id":"inner"},"zaak":"Z-3"}"#.utf8))
        XCTAssertEqual(record.id, "e-9")
        XCTAssertEqual(record.zaak, "Z-3")
        XCTAssertEqual(String(decoding: record.body, as: UTF8.self), #"{"type":"T","data":{"id":"inner"}}"#)
        XCTAssertThrowsError(try LogRecord(ndjsonLine: Array(#"{"zaak":"Z-3"}"#.utf8)))
        XCTAssertThrowsError(try LogRecord(ndjsonLine: Array(#"{"id":7,"zaak":"Z-3"}"#.utf8)))
    }
}
