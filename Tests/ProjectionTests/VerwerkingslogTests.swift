import Foundation
import XCTest
@testable import Service
import ZaakKeys

/// The processing log's records: written by hand as JSONEncoder writes them, and filed under the
/// same pseudonyms whether looked up one at a time or for a whole request at once.
final class VerwerkingslogTests: XCTestCase {
    func testARecordIsWrittenByteForByteAsJSONEncoderWritesIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let awkward = "a\"b\\c/d\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F} é ✓ 🏛 \u{2028}"
        for (medewerker, zaken) in [(nil, []), ("Anne de Vries", ["Z-2026-000001"]), (awkward, ["Z-1", awkward, ""])] as [(String?, [String])] {
            let verwerking = Verwerking(traceId: "t-\(awkward)", operatie: "GET /zaken/{nummer}", verwerkingsactiviteit: awkward,
                                        betrokkene: "p-00ff", betrokkeneSoort: "inwoner", zaken: zaken, tijdstip: "2026-11-20T09:00:00+01:00",
                                        status: "gelukt", rol: "afdeling:Stadsbeheer", token: "T1", medewerker: medewerker)
            XCTAssertEqual(String(decoding: verwerking.logBody(), as: UTF8.self), String(decoding: try encoder.encode(verwerking), as: UTF8.self))
            XCTAssertEqual(verwerking.logBody(), Array(try encoder.encode(verwerking)))
        }
    }

    func testPseudonymsForARequestAreThoseOfOneAtATime() throws {
        let directory = NSTemporaryDirectory() + "verwerkingslog-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let keys = try ZaakKeys(dataDirectory: directory)
        XCTAssertEqual(try keys.pseudonyms(forSubjects: []), [:])
        let known = try keys.pseudonym(forSubject: "inwoner-1")
        let batch = try keys.pseudonyms(forSubjects: ["inwoner-1", "inwoner-2", "inwoner-3"])
        XCTAssertEqual(batch["inwoner-1"], known)
        XCTAssertEqual(Set(batch.values).count, 3, "each subject its own pseudonym")
        for ref in ["inwoner-2", "inwoner-3"] { XCTAssertEqual(try keys.pseudonym(forSubject: ref), batch[ref]) }
        try keys.forgetSubject("inwoner-2")
        let after = try keys.pseudonyms(forSubjects: ["inwoner-2"])
        XCTAssertNotEqual(after["inwoner-2"], batch["inwoner-2"], "a forgotten subject gets a new pseudonym")
    }
}
