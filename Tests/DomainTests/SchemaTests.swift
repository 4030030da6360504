import Domain
import Foundation
import XCTest

/// The JSON Schemas in schemas/events/ and the Swift event types describe the same JSON: every type
/// has a schema, every schema example decodes and encodes back unchanged, every field Swift can write
/// is allowed by the schema, and the invalid lines are refused by both. The schema side is checked by
/// tools/check-event-schemas.py (the real `jsonschema` validator), run from here.
final class SchemaTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let schemas = root.appendingPathComponent("schemas/events")
    static let invalid = schemas.appendingPathComponent("invalid")
    static let checker = root.appendingPathComponent("tools/check-event-schemas.py")

    // MARK: Schema files and Gebeurtenis.Soort

    func testEveryTypeHasASchemaAndEverySchemaNamesAType() throws {
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: Self.schemas.path)
            .filter { $0.hasSuffix(".schema.json") && $0 != "common.v1.schema.json" })
        for soort in Gebeurtenis.Soort.allCases {
            XCTAssertTrue(files.contains(soort.schemabestand),
                          "\(soort.rawValue) (schemaversie \(soort.schemaversie)) heeft geen schemas/events/\(soort.schemabestand)")
        }
        // Older versions stay beside newer ones (v1 beside v2), so a file may name an earlier version.
        for file in files.sorted() {
            let parts = file.dropLast(".schema.json".count).split(separator: ".")
            let known = parts.first.flatMap { Gebeurtenis.Soort(rawValue: String($0)) }
            let version = parts.count == 2 && parts[1].hasPrefix("v") ? Int(parts[1].dropFirst()) : nil
            XCTAssertNotNil(known, "schemas/events/\(file) noemt geen type uit Gebeurtenis.Soort")
            if let known {
                XCTAssertTrue(version.map { (1...known.schemaversie).contains($0) } ?? false,
                              "schemas/events/\(file): versie hoort tussen v1 en v\(known.schemaversie) te liggen")
            }
        }
    }

    // MARK: The Python checker

    func testCheckerAcceptsSchemasExamplesAndRejectsInvalidLines() throws {
        let (status, output) = try Self.runChecker()
        XCTAssertEqual(status, 0, "tools/check-event-schemas.py faalt:\n\(output)")
    }

    // MARK: Examples through Swift

    func testEveryExampleDecodesAndEncodesBackUnchanged() throws {
        var count = 0
        for (file, examples) in try Self.examples() {
            for (index, example) in examples.enumerated() {
                count += 1
                let input = try JSONSerialization.data(withJSONObject: example)
                let event: ZaakGebeurtenis
                do {
                    event = try ZaakGebeurtenis(json: Array(input))
                } catch {
                    XCTFail("\(file) examples[\(index)]: Swift weigert het voorbeeld: \(error)")
                    continue
                }
                let output = try JSONEncoder().encode(event)
                let expected = try Self.canonical(input), actual = try Self.canonical(output)
                XCTAssertEqual(actual, expected, "\(file) examples[\(index)]: opnieuw gecodeerd is het voorbeeld anders")
            }
        }
        XCTAssertGreaterThanOrEqual(count, 3 * Gebeurtenis.Soort.allCases.count, "te weinig voorbeelden gevonden")
    }

    // MARK: Swift's fullest events through the schemas

    func testFullyPopulatedSwiftEventsValidateAgainstTheSchemas() throws {
        // One example of each type picks the case; `volledig` fills in every field of that case.
        let kinds = try Self.examples().compactMap { _, examples in examples.first }.map { example in
            try ZaakGebeurtenis(json: Array(JSONSerialization.data(withJSONObject: example))).gebeurtenis
        }
        let samples = kinds.map(Self.volledig(zoals:))
        XCTAssertEqual(Set(samples.map(\.type)), Set(Gebeurtenis.Soort.allCases.map(\.rawValue)), "niet elk type heeft een volledig voorbeeld")

        var lines = Data()
        for (index, gebeurtenis) in samples.enumerated() {
            let versie = if case .zaakGeopend = gebeurtenis { 1 } else { index + 2 }
            let event = ZaakGebeurtenis(
                id: "test-volledig-\(gebeurtenis.type).\(versie)", zaak: Zaaknummer("Z-2026-000042")!, versie: versie,
                plaatsgevondenOp: Tijdstip("2026-11-24T13:20:09.000Z")!, actor: Actor(soort: .medewerker, id: "kcc-117"),
                gebeurtenis: gebeurtenis, positie: 18_342 + Int64(index), vastgelegdOp: Tijdstip("2026-11-24T13:20:09.163Z")!)
            XCTAssertEqual(Self.nilOptionals(event, path: gebeurtenis.type), [],
                           "het volledige voorbeeld van \(gebeurtenis.type) laat optionele velden leeg; vul ze in `volledig(zoals:)`")
            let encoded = try JSONEncoder().encode(event)
            XCTAssertEqual(try ZaakGebeurtenis(json: Array(encoded)), event, "\(gebeurtenis.type) komt niet gelijk terug uit JSON")
            lines.append(encoded)
            lines.append(UInt8(ascii: "\n"))
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zaaklog-schematest-\(UUID().uuidString).ndjson")
        try lines.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try Self.runChecker(file.path)
        XCTAssertEqual(status, 0, "het schema weigert wat Swift schrijft:\n\(output)")
    }

    static let persoonsgegevens = Persoonsgegevens(naam: "S. El Amrani", telefoon: "+31 (0)6-12345678", email: "s.elamrani@example.nl")

    static let opening = ZaakGeopend(
        onderwerp: "parkeren.vergunning", omschrijving: "Bewonersvergunning voor een tweede auto en/of bezoekersvergunning",
        inwoner: Inwoner(ref: "inw-5t1k4p", persoonsgegevens: persoonsgegevens), kanaal: .telefoon, afdeling: "Parkeren",
        afhandeltermijnWerkdagen: 10, uiterlijkAfgehandeldOp: Datum("2026-12-07")!, heropenvensterDagen: 14,
        archiefnominatie: .vernietigen, bewaartermijnJaren: 5, catalogusversie: "2026.1",
        naastLopendeZaak: Zaaknummer("Z-2026-000048")!)

    /// The same case as `soort`, with every optional field set. No `default`: a new case of
    /// Gebeurtenis does not compile until it has a full sample here.
    static func volledig(zoals soort: Gebeurtenis) -> Gebeurtenis {
        switch soort {
        case .zaakGeopend:
            return .zaakGeopend(opening)
        case .meldingOntvangen:
            return .meldingOntvangen(MeldingOntvangen(
                kanaal: .webformulier, inhoud: "Losse stoeptegel bij de bushalte; mijn moeder struikelde bijna.",
                locatie: .init(straat: "Oosterstraat", huisnummer: "14a", postcode: "9711 NV", woonplaats: "Groningen",
                               omschrijving: "tegenover de bibliotheek"),
                bijlagen: 20))
        case .gesprekGevoerd:
            return .gesprekGevoerd(GesprekGevoerd(
                kanaal: .video, richting: .inkomend, wachttijdSeconden: 86_400, duurSeconden: 0, uitkomst: .warmDoorverbonden,
                indicatieContactGelukt: true, samenvatting: "Doorverbonden met Burgerzaken over een paspoort (ID-bewijs)."))
        case .berichtOntvangen:
            return .berichtOntvangen(BerichtOntvangen(
                kanaal: .chat, inhoud: "Wanneer wordt de container geleegd?", externeId: "chat-4711"))
        case .berichtVerstuurd:
            return .berichtVerstuurd(BerichtVerstuurd(
                kanaal: .post, inhoud: "Geachte heer, mevrouw, hierbij de informatie over schuldhulp.", externeId: "brief-2026-1123"))
        case .doorverwezen:
            return .doorverwezen(Doorverwezen(
                doorverwijzing: "D12", afdeling: "Handhaving", soort: .koud, gevraagdeHandeling: "Controleren op foutparkeren",
                toelichting: "Auto staat al een week op de stoep.", uiterlijkOp: Datum("2026-12-01")!, toegewezenAanMedewerker: "hh-007"))
        case .terugbelverzoekAangemaakt:
            return .terugbelverzoekAangemaakt(TerugbelverzoekAangemaakt(
                doorverwijzing: "D2", afdeling: "Kredietbank", toelichting: "Graag na 15.00 uur bellen.",
                uiterlijkOp: Datum("2026-11-26")!, persoonsgegevens: persoonsgegevens))
        case .terugkoppelingOntvangen:
            return .terugkoppelingOntvangen(TerugkoppelingOntvangen(
                doorverwijzing: "D1", uitkomst: .doorgestuurd, toelichting: "Naheffingsaanslag: dat doet Belastingen.",
                doorgestuurdNaar: "Belastingen"))
        case .inwonerGeinformeerd:
            return .inwonerGeinformeerd(InwonerGeinformeerd(kanaal: .socialeMedia, toelichting: "Via Facebook geïnformeerd."))
        case .zakenGekoppeld:
            return .zakenGekoppeld(ZakenGekoppeld(
                hoofdzaak: Zaaknummer("Z-2026-000042")!, gekoppeldeZaak: Zaaknummer("Z-2026-000080")!, reden: "Zelfde container."))
        case .zaakAfgesloten:
            return .zaakAfgesloten(ZaakAfgesloten(
                resultaat: .buitenGemeente, direct: false, toelichting: "Verwezen naar de Belastingdienst (toeslagen).",
                afwijking: Afwijking(regels: [1, 2, 3], reden: "Afdeling koppelt niet terug; gecontroleerd in het vakprogramma."),
                archiefactiedatum: Datum("2027-11-24")!))
        case .zaakHeropend:
            return .zaakHeropend(ZaakHeropend(reden: "Opnieuw gebeld over dezelfde container.", aanleiding: .opnieuwContact))
        case .tevredenheidGemeten:
            return .tevredenheidGemeten(TevredenheidGemeten(
                score: 10, opgelostVolgensInwoner: true, kanaal: .email, toelichting: "Heel snel geholpen."))
        case .gegevensGewist:
            return .gegevensGewist(GegevensGewist(grondslag: .avgArtikel17, verzoek: "avg-1795161600000", reden: "Verzoek van 30 november, kenmerk 2026-0412."))
        }
    }

    /// The paths of the optional fields in `value` that are nil.
    static func nilOptionals(_ value: Any, path: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return [path] }
            return nilOptionals(wrapped, path: path)
        }
        guard [.struct, .enum, .collection, .tuple, .class].contains(mirror.displayStyle) else { return [] }
        return mirror.children.enumerated().flatMap { index, child in
            nilOptionals(child.value, path: path + "." + (child.label ?? "[\(index)]"))
        }
    }

    // MARK: Invalid lines through Swift

    /// A word the refusal must contain, so a line is refused for the reason its name gives.
    static let redenen: [String: String] = [
        "onbekend-veld-in-data.json": "fotos",
        "onbekend-veld-in-envelop.json": "opmerking",
        "verplicht-veld-ontbreekt.json": "duurSeconden",
        "kanaal-fax.json": "kanaal",
        "score-11.json": "score",
        "zaaknummer-zonder-voorloopnullen.json": "Z-2026-42",
        "tijdstip-zonder-milliseconden.json": "plaatsgevondenOp",
        "schemaversie-2.json": "schemaversie",
        "onbekend-type.json": "ZaakGearchiveerd",
        "gesprek-via-whatsapp.json": "whatsapp",
        "vernietigen-zonder-bewaartermijn.json": "bewaartermijnJaren",
        "inwoner-ref-met-spaties.json": "inwoner.ref",
        "afwijking-regel-4.json": "afwijking.regels",
    ]

    func testInvalidLinesAreRefusedBySwift() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.invalid.path).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(files.count, 8)
        for file in files {
            let bytes = Array(try Data(contentsOf: Self.invalid.appendingPathComponent(file)))
            guard let fout = try Self.weigering(bytes) else {
                XCTFail("schemas/events/invalid/\(file) wordt door Swift geaccepteerd")
                continue
            }
            XCTAssertEqual(fout.soort, .ongeldig, "\(file): \(fout.melding)")
            if let reden = Self.redenen[file] {
                XCTAssertTrue(fout.melding.contains(reden), "\(file) geweigerd om een andere reden dan verwacht ('\(reden)'): \(fout.melding)")
            }
        }
    }

    /// Why Swift refuses a line: the strict decoder, or else the domain's checks in `evolve`, which
    /// every event passes on import and replay (ranges such as the score are checked there, not in
    /// the decoder). The event is tried as the next event of a freshly opened zaak.
    static func weigering(_ bytes: [UInt8]) throws -> ZaakFout? {
        var event: ZaakGebeurtenis
        do throws(ZaakFout) {
            event = try ZaakGebeurtenis(json: bytes)
        } catch {
            return error
        }
        if case .zaakGeopend = event.gebeurtenis {
            event.versie = 1
            do throws(ZaakFout) { _ = try evolve(nil, event) } catch { return error }
            return nil
        }
        let geopend = ZaakGebeurtenis(id: "test-opening.1", zaak: event.zaak, versie: 1, plaatsgevondenOp: event.plaatsgevondenOp,
                                      actor: Actor(soort: .medewerker, id: "kcc-117"), gebeurtenis: .zaakGeopend(opening))
        let zaak = try evolve(nil, geopend)  // a failure here is the test's own fault, not a refusal
        event.versie = 2
        do throws(ZaakFout) { _ = try evolve(zaak, event) } catch { return error }
        return nil
    }

    // MARK: Helpers

    /// Each type schema's file name and its examples.
    static func examples() throws -> [(String, [Any])] {
        try FileManager.default.contentsOfDirectory(atPath: schemas.path)
            .filter { $0.hasSuffix(".schema.json") && $0 != "common.v1.schema.json" }.sorted()
            .map { file in
                let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: schemas.appendingPathComponent(file)))
                return (file, (schema as? [String: Any])?["examples"] as? [Any] ?? [])
            }
    }

    /// A JSON text parsed and written again with sorted keys, to compare objects regardless of order.
    static func canonical(_ json: Data) throws -> String {
        let object = try JSONSerialization.jsonObject(with: json)
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// Runs tools/check-event-schemas.py with `arguments`; its exit status and its output.
    static func runChecker(_ arguments: String...) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", checker.path] + arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do {
            try process.run()
        } catch {
            XCTFail("python3 is niet te starten (\(error)); installeer Python 3 en daarna `pip install jsonschema`")
            throw error
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            XCTFail("python3 ontbreekt; installeer Python 3 en daarna `pip install jsonschema`")
        } else if output.contains("pip install jsonschema") {
            XCTFail("de Python-module jsonschema ontbreekt: run `pip install jsonschema` (tools/test.sh doet dat)")
        }
        return (process.terminationStatus, output)
    }
}
