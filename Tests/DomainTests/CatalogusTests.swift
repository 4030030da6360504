import Domain
import XCTest
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

final class CatalogusTests: XCTestCase {
    /// A small valid catalogue; each error test breaks one thing in it.
    private let klein = """
    {
      "gemeente": "Gemeente Testdorp",
      "versie": "1",
      "afdelingen": [
        {"naam": "Stadsbeheer", "omschrijving": "Openbare ruimte en afval"},
        {"naam": "Parkeren", "omschrijving": "Parkeervergunningen"}
      ],
      "onderwerpen": [
        {"code": "afval.container-niet-geleegd", "omschrijving": "Container niet geleegd", "afdeling": "Stadsbeheer",
         "afhandeltermijnWerkdagen": 2, "archiefnominatie": "vernietigen", "bewaartermijnJaren": 2},
        {"code": "parkeren.vergunning", "omschrijving": "Parkeervergunning", "afdeling": "Parkeren",
         "afhandeltermijnWerkdagen": 10, "heropenvensterDagen": 21, "archiefnominatie": "vernietigen", "bewaartermijnJaren": 5,
         "zoektermen": ["bewonersvergunning"]}
      ]
    }
    """

    private func lees(_ json: String) throws(CatalogusFout) -> Catalogus { try Catalogus(json: Array(json.utf8)) }

    /// The message for `klein` with `oud` replaced by `nieuw` (which must occur).
    private func fout(_ oud: String, _ nieuw: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        XCTAssertTrue(klein.contains(oud), "'\(oud)' not in the test catalogue", file: file, line: line)
        return fout(klein.replacing(oud, with: nieuw))
    }

    private func fout(_ json: String) -> String? {
        do throws(CatalogusFout) {
            _ = try lees(json)
            return nil
        } catch {
            return error.melding
        }
    }

    // MARK: - The default catalogue

    /// The file form of the default (what `zaak catalogus toon --json` prints) goes back through the
    /// strict file decoder unchanged, and the real JSON Schema validator accepts it.
    func testStandaardCatalogusRoundTripsThroughItsFileFormatAndSchema() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json = String(decoding: try encoder.encode(Catalogus.standaard), as: UTF8.self)
        XCTAssertEqual(try lees(json), Catalogus.standaard)
        XCTAssertEqual(try validateAgainstSchema(json), 0, "the default catalogue must validate against schemas/catalogus.schema.json")
        // The check can fail: a termijn of 0 is refused by the schema too.
        XCTAssertNotEqual(try validateAgainstSchema(json.replacing(#""afhandeltermijnWerkdagen" : 2,"#, with: #""afhandeltermijnWerkdagen" : 0,"#)), 0)
    }

    /// Runs Python's jsonschema (Draft 2020-12) on `json` with schemas/catalogus.schema.json.
    private func validateAgainstSchema(_ json: String) throws -> Int32 {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalogus-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            schema, data = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
            """, root.appendingPathComponent("schemas/catalogus.schema.json").path, file.path]
        process.standardError = FileHandle.nullDevice  // the refused case prints a traceback
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testStandaardCatalogusDecodesAndValidates() throws {
        let catalogus = Catalogus.standaard
        XCTAssertEqual(catalogus.gemeente, "Gemeente Voorbeeldstad")
        XCTAssertEqual(catalogus.versie, "2026.1")
        XCTAssertTrue((9...11).contains(catalogus.afdelingen.count), "\(catalogus.afdelingen.count) afdelingen")
        XCTAssertTrue((25...35).contains(catalogus.onderwerpen.count), "\(catalogus.onderwerpen.count) onderwerpen")
        XCTAssertTrue(catalogus.onderwerpen.contains { $0.archiefnominatie == .blijvendBewaren })
    }

    func testStandaardCatalogusKeepsTheCodesAndAfdelingenThatOtherCodeUses() {
        let catalogus = Catalogus.standaard
        let verwacht: [(String, String, Int)] = [
            ("afval.container-niet-geleegd", "Stadsbeheer", 2),
            ("openbare-ruimte.stoeptegel", "Stadsbeheer", 5),
            ("openbare-ruimte.lantaarnpaal", "Stadsbeheer", 10),
            ("parkeren.vergunning", "Parkeren", 10),
            ("burgerzaken.id-bewijs", "Burgerzaken", 5),
            ("burgerzaken.verhuizing", "Burgerzaken", 5),
            ("werk-en-inkomen.uitkering", "Werk en Inkomen", 5),
            ("kredietbank.schuldhulp", "Kredietbank", 20),
            ("belastingen.ozb", "Belastingen", 10),
            ("handhaving.overlast", "Handhaving", 5),
            ("wmo.hulpmiddel", "Zorg en Welzijn", 30),
        ]
        for (code, afdeling, termijn) in verwacht {
            guard let onderwerp = catalogus.onderwerp(code) else { XCTFail("\(code) ontbreekt"); continue }
            XCTAssertEqual(onderwerp.afdeling, afdeling, code)
            XCTAssertEqual(onderwerp.afhandeltermijnWerkdagen, termijn, code)
            XCTAssertNotNil(catalogus.afdeling(afdeling), afdeling)
        }
        XCTAssertEqual(catalogus.onderwerp("openbare-ruimte.stoeptegel")?.bewaartermijnJaren, 2)
        XCTAssertEqual(catalogus.onderwerp("kredietbank.schuldhulp")?.bewaartermijnJaren, 7)
    }

    func testEncodingRoundTrips() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(Catalogus.standaard)
        XCTAssertEqual(try Catalogus(json: Array(json)), Catalogus.standaard)
    }

    func testDefaultsForOptionalFields() throws {
        let catalogus = try lees(klein)
        XCTAssertEqual(catalogus.onderwerp("afval.container-niet-geleegd")?.heropenvensterDagen, 14)
        XCTAssertEqual(catalogus.onderwerp("afval.container-niet-geleegd")?.zoektermen, [])
        XCTAssertEqual(catalogus.onderwerp("parkeren.vergunning")?.heropenvensterDagen, 21)
        let blijvend = klein.replacing(#""archiefnominatie": "vernietigen", "bewaartermijnJaren": 5"#,
                                       with: #""archiefnominatie": "blijvend_bewaren", "bewaartermijnJaren": null"#)
        XCTAssertNil(try lees(blijvend).onderwerp("parkeren.vergunning")?.bewaartermijnJaren)
    }

    // MARK: - Lookups

    func testLookups() {
        let catalogus = Catalogus.standaard
        XCTAssertEqual(catalogus.onderwerp(" Parkeren.Vergunning ")?.code, "parkeren.vergunning")
        XCTAssertNil(catalogus.onderwerp("parkeren.boot"))
        XCTAssertEqual(catalogus.afdeling("werk en inkomen")?.naam, "Werk en Inkomen")
        XCTAssertEqual(catalogus.afdeling(" STADSBEHEER")?.naam, "Stadsbeheer")
        XCTAssertNil(catalogus.afdeling("Afvalbeheer"))
    }

    func testSuggesties() {
        let catalogus = Catalogus.standaard
        XCTAssertEqual(catalogus.suggesties(voor: "paspoort").first?.code, "burgerzaken.id-bewijs")
        XCTAssertEqual(catalogus.suggesties(voor: "Kliko").first?.code, "afval.container-niet-geleegd")
        XCTAssertEqual(catalogus.suggesties(voor: "afval.container-niet-opgehaald").first?.code, "afval.container-niet-geleegd")
        XCTAssertEqual(catalogus.suggesties(voor: "paspoortaanvraag").first?.code, "burgerzaken.id-bewijs")
        XCTAssertEqual(catalogus.suggesties(voor: "lantaarnpaal kapot").first?.code, "openbare-ruimte.lantaarnpaal")
        XCTAssertEqual(catalogus.suggesties(voor: "uitkering aanvragen").prefix(2).map(\.code),
                       ["werk-en-inkomen.aanvraag-bijstand", "werk-en-inkomen.uitkering"], "rare words weigh more than 'aanvragen'")
        XCTAssertEqual(catalogus.suggesties(voor: "belasting").prefix(3).map(\.code),
                       ["belastingen.ozb", "belastingen.woz-bezwaar", "belastingen.kwijtschelding"], "a match in the code first")
        XCTAssertTrue(catalogus.suggesties(voor: "parkeren").contains { $0.code == "parkeren.vergunning" })
        XCTAssertLessThanOrEqual(catalogus.suggesties(voor: "vergunning").count, 5)
        XCTAssertEqual(catalogus.suggesties(voor: "xyzzy"), [])
        XCTAssertEqual(catalogus.suggesties(voor: "  "), [])
    }

    // MARK: - Errors, one of each kind

    func testDuplicateCode() {
        XCTAssertEqual(fout(#""code": "parkeren.vergunning""#, #""code": "afval.container-niet-geleegd""#),
                       "onderwerp 'afval.container-niet-geleegd' staat twee keer in de catalogus (onderwerp nummer 1 en 2); "
                       + "geef elk onderwerp een eigen code")
    }

    func testUnknownAfdeling() {
        XCTAssertEqual(fout(#""afdeling": "Parkeren""#, #""afdeling": "Parkeerbeheer""#),
                       "onderwerp 'parkeren.vergunning': afdeling 'Parkeerbeheer' staat niet in afdelingen; "
                       + "kies uit Stadsbeheer, Parkeren of voeg de afdeling toe")
        XCTAssertEqual(fout(#""afdeling": "Parkeren""#, #""afdeling": "parkeren""#),
                       "onderwerp 'parkeren.vergunning': afdeling 'parkeren' staat niet in afdelingen; schrijf 'Parkeren'")
    }

    func testDuplicateAfdeling() {
        XCTAssertEqual(fout(#""naam": "Parkeren""#, #""naam": "stadsbeheer""#),
                       "afdeling 'stadsbeheer' staat twee keer in de catalogus (ook als 'Stadsbeheer'); geef elke afdeling een eigen naam")
    }

    func testTermijnOutOfRange() {
        XCTAssertEqual(fout(#""afhandeltermijnWerkdagen": 10"#, #""afhandeltermijnWerkdagen": 0"#),
                       "onderwerp 'parkeren.vergunning': afhandeltermijnWerkdagen is 0; geef 1 tot en met 260 werkdagen")
        XCTAssertEqual(fout(#""afhandeltermijnWerkdagen": 10"#, #""afhandeltermijnWerkdagen": 261"#),
                       "onderwerp 'parkeren.vergunning': afhandeltermijnWerkdagen is 261; geef 1 tot en met 260 werkdagen")
        XCTAssertEqual(fout(#""heropenvensterDagen": 21"#, #""heropenvensterDagen": 0"#),
                       "onderwerp 'parkeren.vergunning': heropenvensterDagen is 0; geef 1 tot en met 365 dagen (zonder dit veld geldt 14)")
        XCTAssertEqual(fout(#""bewaartermijnJaren": 5"#, #""bewaartermijnJaren": 121"#),
                       "onderwerp 'parkeren.vergunning': bewaartermijnJaren is 121; geef 1 tot en met 120 jaar")
    }

    func testBewaartermijnMustMatchArchiefnominatie() {
        XCTAssertEqual(fout(#""archiefnominatie": "vernietigen", "bewaartermijnJaren": 2"#,
                            #""archiefnominatie": "blijvend_bewaren", "bewaartermijnJaren": 2"#),
                       "onderwerp 'afval.container-niet-geleegd': archiefnominatie is blijvend_bewaren maar bewaartermijnJaren is 2; "
                       + "haal bewaartermijnJaren weg of kies archiefnominatie vernietigen")
        XCTAssertEqual(fout(#""archiefnominatie": "vernietigen", "bewaartermijnJaren": 2"#, #""archiefnominatie": "vernietigen""#),
                       "onderwerp 'afval.container-niet-geleegd': archiefnominatie is vernietigen maar bewaartermijnJaren ontbreekt; "
                       + "geef na hoeveel jaar (1 tot en met 120) de zaak vernietigd wordt")
        XCTAssertEqual(fout(#""archiefnominatie": "vernietigen", "bewaartermijnJaren": 2"#, #""archiefnominatie": "bewaren""#),
                       "onderwerp 'afval.container-niet-geleegd': archiefnominatie 'bewaren' bestaat niet; kies blijvend_bewaren of vernietigen")
    }

    func testUnknownKeys() {
        XCTAssertEqual(fout(#""heropenvensterDagen": 21"#, #""heropenvensterDagen": 21, "termijn": 3"#),
                       "onderwerp 'parkeren.vergunning': onbekend veld 'termijn'; toegestaan zijn code, omschrijving, afdeling, "
                       + "afhandeltermijnWerkdagen, heropenvensterDagen, archiefnominatie, bewaartermijnJaren, zoektermen")
        XCTAssertEqual(fout(#""heropenvensterDagen": 21"#, #""heropenVensterDagen": 21"#),
                       "onderwerp 'parkeren.vergunning': onbekend veld 'heropenVensterDagen'; bedoel je 'heropenvensterDagen'?")
        XCTAssertEqual(fout(#""omschrijving": "Parkeervergunningen""#, #""omschrijving": "Parkeervergunningen", "telefoon": "14 0123""#),
                       "afdeling 'Parkeren': onbekend veld 'telefoon'; toegestaan zijn naam, omschrijving")
        XCTAssertEqual(fout(#""versie": "1","#, #""versie": "1", "$schema": "x","#),
                       "catalogus: onbekend veld '$schema'; toegestaan zijn gemeente, versie, afdelingen, onderwerpen")
    }

    func testMalformedJSON() {
        XCTAssertEqual(fout(#""versie": "1","#, #""versie": "1""#),
                       "de catalogus is geen geldige JSON: verwacht ',' of '}' na een veld, niet '\"' (regel 4, kolom 3); "
                       + "controleer komma's, aanhalingstekens en haakjes")
        XCTAssertEqual(fout(#"["bewonersvergunning"]"#, #"["bewonersvergunning",]"#),
                       "de catalogus is geen geldige JSON: onverwacht teken ']' waar een waarde moet staan (regel 13, kolom 42); "
                       + "controleer komma's, aanhalingstekens en haakjes")
        XCTAssertEqual(fout(klein + "x"),
                       "de catalogus is geen geldige JSON: tekst na het einde van het JSON-object (regel 15, kolom 2); "
                       + "controleer komma's, aanhalingstekens en haakjes")
        XCTAssertEqual(fout(#"{"gemeente": "Gemeente"#),
                       "de catalogus is geen geldige JSON: een tekst wordt niet afgesloten met \" (regel 1, kolom 23); "
                       + "controleer komma's, aanhalingstekens en haakjes")
        XCTAssertEqual(fout("   \n"), "de catalogus is leeg; geef een JSON-object met gemeente, versie, afdelingen en onderwerpen")
        XCTAssertEqual(fout("[]"), "de catalogus moet een JSON-object zijn met gemeente, versie, afdelingen en onderwerpen")
    }

    /// The syntax check must accept all of RFC 8259 and nothing else.
    func testJSONSyntaxCheck() throws {
        func syntaxfout(_ oud: String, _ nieuw: String) -> Bool {
            fout(oud, nieuw)?.hasPrefix("de catalogus is geen geldige JSON") ?? false
        }
        let omschrijving = #""omschrijving": "Parkeervergunning""#
        for geldig in [#""Parkeer\u00e9\n\t\"\\\/vergunning""#, #""Parkeervergunning ✓ één""#, #""\ud83d\ude97""#] {
            XCTAssertFalse(syntaxfout(omschrijving, #""omschrijving": "# + geldig), geldig)
        }
        for ongeldig in [#"'Parkeervergunning'"#, #""Parkeer\xvergunning""#, #""Parkeer\u00gvergunning""#, "\"Parkeer\tvergunning\"",
                         "\"Parkeer\nvergunning\"", #""Parkeervergunning" /* c */"#] {
            XCTAssertTrue(syntaxfout(omschrijving, #""omschrijving": "# + ongeldig), ongeldig)
        }
        let termijn = #""afhandeltermijnWerkdagen": 10"#
        for geldig in ["10", "-0", "1e1", "1.5E-3", "0.5", "1E+2"] {
            XCTAssertFalse(syntaxfout(termijn, #""afhandeltermijnWerkdagen": "# + geldig), geldig)
        }
        for ongeldig in ["010", "+1", "1.", ".5", "1e", "-", "NaN", "0x10", "1 0", "tru", "nul"] {
            XCTAssertTrue(syntaxfout(termijn, #""afhandeltermijnWerkdagen": "# + ongeldig), ongeldig)
        }
        // Other white space, a byte order mark and empty containers in valid places.
        let anders = "\u{FEFF}" + klein.replacing("\n", with: "\r\n\t").replacing(#"["bewonersvergunning"]"#, with: "[ ]")
        XCTAssertEqual(try lees(anders).onderwerp("parkeren.vergunning")?.zoektermen, [])
        XCTAssertTrue(syntaxfout(#""versie": "1","#, #""versie": "1", // commentaar"#))
        XCTAssertTrue(syntaxfout(#"{"naam": "Parkeren", "omschrijving": "Parkeervergunningen"}"#,
                                 #"{"naam": "Parkeren", "omschrijving": "Parkeervergunningen",}"#))
    }

    func testDuplicateMember() {
        XCTAssertEqual(fout(#""heropenvensterDagen": 21"#, #""heropenvensterDagen": 21, "heropenvensterDagen": 30"#),
                       "veld 'heropenvensterDagen' staat twee keer in hetzelfde object (regel 12, kolom 65); haal een van de twee weg")
    }

    func testWrongTypesAndMissingFields() {
        XCTAssertEqual(fout(#""afhandeltermijnWerkdagen": 10"#, #""afhandeltermijnWerkdagen": "10""#),
                       "onderwerp 'parkeren.vergunning': afhandeltermijnWerkdagen moet een geheel getal zijn")
        XCTAssertEqual(fout(#""zoektermen": ["bewonersvergunning"]"#, #""zoektermen": "bewonersvergunning""#),
                       "onderwerp 'parkeren.vergunning': zoektermen moet een lijst met teksten zijn")
        XCTAssertEqual(fout(#""omschrijving": "Parkeervergunning", "#, ""),
                       "onderwerp 'parkeren.vergunning': omschrijving ontbreekt; geef een korte omschrijving")
        XCTAssertEqual(fout(#""code": "parkeren.vergunning", "#, ""),
                       "onderwerp nummer 2: code ontbreekt; geef een code als afval.container-niet-geleegd")
        XCTAssertEqual(fout(#""gemeente": "Gemeente Testdorp","#, ""),
                       "catalogus: gemeente ontbreekt; geef de naam van de gemeente, bijvoorbeeld \"Gemeente Voorbeeldstad\"")
        XCTAssertEqual(fout(#"{"naam": "Parkeren", "omschrijving": "Parkeervergunningen"}"#, "42"),
                       "afdeling nummer 2 moet een JSON-object zijn ({ … })")
        XCTAssertEqual(fout(#"{"gemeente": "Gemeente Testdorp", "versie": "1", "afdelingen": 3, "onderwerpen": []}"#),
                       "catalogus: afdelingen moet een lijst zijn")
    }

    func testBadValues() {
        XCTAssertEqual(fout(#""code": "parkeren.vergunning""#, #""code": "Parkeren.Vergunning""#),
                       "onderwerp 'Parkeren.Vergunning': code 'Parkeren.Vergunning' heeft niet de vorm domein.onderwerp; gebruik kleine "
                       + "letters, cijfers en koppeltekens met precies één punt, bijvoorbeeld afval.container-niet-geleegd")
        for slecht in ["parkeren", "parkeren.vergunning.bewoner", "parkeren.-vergunning", "parkeren.vergunning-", "parkeren..x",
                       "parkeren.ver--gunning", "parkeren.vergunning ", ".vergunning", "parkeren.vergünning"] {
            XCTAssertNotNil(fout(#""code": "parkeren.vergunning""#, #""code": "\#(slecht)""#), slecht)
        }
        XCTAssertEqual(fout(#""omschrijving": "Parkeervergunning""#, #""omschrijving": " ""#),
                       "onderwerp 'parkeren.vergunning': omschrijving is leeg; beschrijf het onderwerp zoals een inwoner het zou zeggen")
        XCTAssertEqual(fout(#"["bewonersvergunning"]"#, #"["bewonersvergunning", ""]"#),
                       "onderwerp 'parkeren.vergunning': zoektermen bevat een lege zoekterm; haal die weg")
        XCTAssertEqual(fout(#""versie": "1""#, #""versie": """#),
                       "catalogus: versie is leeg; geef een versie, bijvoorbeeld \"2026.1\"")
    }

    func testEmptyLists() {
        XCTAssertEqual(fout(#"{"naam": "Stadsbeheer", "omschrijving": "Openbare ruimte en afval"},"# + "\n    "
                            + #"{"naam": "Parkeren", "omschrijving": "Parkeervergunningen"}"#, ""),
                       "catalogus: afdelingen is leeg; geef minstens één afdeling")
        let zonderOnderwerpen = String(klein.split(separator: #""onderwerpen""#)[0]) + #""onderwerpen": []}"#
        XCTAssertEqual(fout(zonderOnderwerpen), "catalogus: onderwerpen is leeg; geef minstens één onderwerp")
    }

    func testMemberwiseInitValidatesToo() {
        let afdeling = Afdeling(naam: "Stadsbeheer", omschrijving: "Openbare ruimte")
        let onderwerp = Onderwerp(code: "openbare-ruimte.stoeptegel", omschrijving: "Losse stoeptegel", afdeling: "Stadsbeheer",
                                  afhandeltermijnWerkdagen: 5, archiefnominatie: .vernietigen, bewaartermijnJaren: 2)
        XCTAssertNoThrow(try Catalogus(gemeente: "Gemeente Testdorp", versie: "1", afdelingen: [afdeling], onderwerpen: [onderwerp]))
        var zonderTermijn = onderwerp
        zonderTermijn.bewaartermijnJaren = nil
        XCTAssertThrowsError(try Catalogus(gemeente: "Gemeente Testdorp", versie: "1", afdelingen: [afdeling], onderwerpen: [zonderTermijn])) {
            XCTAssertEqual("\($0)", "onderwerp 'openbare-ruimte.stoeptegel': archiefnominatie is vernietigen maar bewaartermijnJaren "
                           + "ontbreekt; geef na hoeveel jaar (1 tot en met 120) de zaak vernietigd wordt")
        }
    }
}
