@testable import Domain
import Foundation
import XCTest

/// The encrypted form of log lines (log-format §3.1) as the domain writes and reads it, with a
/// key source of its own: the personal members leave `data`, come back whole with the key, and
/// read as gewist without it; an erased zaak still folds to the same verdicts.
final class VersleutelingTests: XCTestCase {
    /// Not cryptography (that is ZaakKeys'): a reversible wrapping bound to the event, enough to
    /// see that the domain hands over exactly the members it should, and gets them back.
    final class Sleutels: Sleutelbron, @unchecked Sendable {
        var gewist: Set<Zaaknummer> = []
        var versleuteld: [[String: Any]] = []

        func versleutel(_ klaartekst: [UInt8], zaak: Zaaknummer, id: String) throws -> String {
            versleuteld.append(try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(klaartekst)) as? [String: Any]))
            return Data(Array("\(zaak)/\(id)|".utf8) + klaartekst).base64EncodedString()
        }

        func ontsleutel(_ geheim: String, zaak: Zaaknummer, id: String) throws(ZaakFout) -> [UInt8]? {
            guard !gewist.contains(zaak) else { return nil }
            let prefix = Array("\(zaak)/\(id)|".utf8)
            guard let bytes = Data(base64Encoded: geheim).map(Array.init), bytes.starts(with: prefix) else {
                throw ZaakFout(.ongeldig, "niet van deze gebeurtenis")
            }
            return Array(bytes.dropFirst(prefix.count))
        }
    }

    private static let zaak = Zaaknummer("Z-2026-000042")!

    /// Every type with every optional member set (SchemaTests' samples), in envelopes.
    private func samples() throws -> [ZaakGebeurtenis] {
        let kinds = try SchemaTests.examples().compactMap { _, examples in examples.first }.map { example in
            try ZaakGebeurtenis(json: Array(JSONSerialization.data(withJSONObject: example))).gebeurtenis
        }
        return kinds.map(SchemaTests.volledig(zoals:)).enumerated().map { index, gebeurtenis in
            ZaakGebeurtenis(id: "v.\(index)", zaak: Self.zaak, versie: index + 1, plaatsgevondenOp: Tijdstip("2026-11-24T13:20:09.000Z")!,
                            actor: Actor(soort: .medewerker, id: "kcc-117"), gebeurtenis: gebeurtenis, positie: Int64(index + 1),
                            vastgelegdOp: Tijdstip("2026-11-24T13:20:09.163Z")!)
        }
    }

    /// The line as the log would hold it: its envelope, then the body.
    private func line(_ event: ZaakGebeurtenis, _ body: [UInt8]) -> [UInt8] {
        Array(#"{"positie":\#(event.positie!),"id":"\#(event.id)","zaak":"\#(event.zaak)","vastgelegdOp":"\#(event.vastgelegdOp!)","#.utf8) + body.dropFirst()
    }

    func testPersonalMembersLeaveDataAndComeBackWholeWithTheKey() throws {
        let sleutels = Sleutels()
        for event in try samples() {
            sleutels.versleuteld = []
            let stored = line(event, try event.logBody(sleutels: sleutels))
            let plain = line(event, event.logBody())
            XCTAssertEqual(try ZaakGebeurtenis(logregel: stored, sleutels: sleutels), event, event.gebeurtenis.type)
            XCTAssertFalse(ZaakGebeurtenis.heeftOnversleuteldePersoonsgegevens(stored), event.gebeurtenis.type)
            let velden = event.gebeurtenis.soort.persoonlijkeVelden
            XCTAssertEqual(ZaakGebeurtenis.heeftOnversleuteldePersoonsgegevens(plain), !velden.velden.isEmpty, event.gebeurtenis.type)
            // Exactly the personal members were handed over, each object's in one piece.
            let handed = Set(sleutels.versleuteld.flatMap(\.keys))
            XCTAssertEqual(handed, velden.velden.union(velden.binnen.values.flatMap(\.velden)), event.gebeurtenis.type)
            // The readable line is the plain one, its members in another order.
            let readable = try ZaakGebeurtenis.leesbareRegel(stored, sleutels: sleutels)
            XCTAssertEqual(try JSONSerialization.jsonObject(with: Data(readable)) as? NSDictionary,
                           try JSONSerialization.jsonObject(with: Data(plain)) as? NSDictionary, event.gebeurtenis.type)
            XCTAssertEqual(try ZaakGebeurtenis.leesbareRegel(plain, sleutels: ZonderSleutels()), plain, "a plain line comes back as it is")
        }
    }

    func testACiphertextMovedToAnotherEventDoesNotDecrypt() throws {
        let sleutels = Sleutels()
        let event = try XCTUnwrap(try samples().first { $0.gebeurtenis.soort == .meldingOntvangen })
        var other = event
        other.id = "elders.1"
        let stored = String(decoding: line(event, try event.logBody(sleutels: sleutels)), as: UTF8.self)
        let moved = stored.replacingOccurrences(of: #""id":"\#(event.id)""#, with: #""id":"elders.1""#)
        XCTAssertThrowsError(try ZaakGebeurtenis(logregel: Array(moved.utf8), sleutels: sleutels)) { error in
            XCTAssertTrue((error as? ZaakFout)?.melding.contains("niet van deze gebeurtenis") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try ZaakGebeurtenis(logregel: Array(stored.utf8), sleutels: ZonderSleutels()), "no key store: an error, not gewist")
    }

    func testAnErasedZaakReadsAsGewistAndFoldsToTheSameVerdicts() throws {
        let sleutels = Sleutels()
        for event in try samples() {
            let stored = line(event, try event.logBody(sleutels: sleutels))
            sleutels.gewist = [Self.zaak]
            defer { sleutels.gewist = [] }
            let erased = try ZaakGebeurtenis(logregel: stored, sleutels: sleutels)
            let text = String(decoding: try JSONEncoder().encode(erased), as: UTF8.self)
            for member in ["S. El Amrani", "Oosterstraat", "stoeptegel", "15.00", "Belastingdienst", "container"] {
                XCTAssertFalse(text.contains(member), "\(event.gebeurtenis.type): \(member) in \(text)")
            }
            switch erased.gebeurtenis {
            case let .zaakGeopend(opening):
                XCTAssertEqual(opening.inwoner, Inwoner(ref: "gewist:Z-2026-000042"))
                XCTAssertEqual(opening.omschrijving, gewisteTekst)
                XCTAssertEqual(opening.onderwerp, "parkeren.vergunning", "structure stays")
            case let .meldingOntvangen(melding):
                XCTAssertEqual(melding.inhoud, gewisteTekst)
                XCTAssertNil(melding.locatie)
                XCTAssertEqual(melding.bijlagen, 20)
            case let .zaakAfgesloten(closing):
                XCTAssertEqual(closing.afwijking, Afwijking(regels: [1, 2, 3], reden: gewisteTekst), "the rules deviated from stay")
                XCTAssertNil(closing.toelichting)
            default:
                break
            }
        }
    }

    /// A zaak's story, erased: the same state but for the personal members, and nothing after it.
    func testErasureIsAllowedInEveryStateChangesNoVerdictAndEndsTheZaak() throws {
        let opening = SchemaTests.opening
        let geopend = ZaakGebeurtenis(id: "g.1", zaak: Self.zaak, versie: 1, plaatsgevondenOp: Tijdstip("2026-11-20T09:00:00.000Z")!,
                                      actor: Actor(soort: .medewerker, id: "kcc-1"), gebeurtenis: .zaakGeopend(opening))
        let gesloten = ZaakGebeurtenis(id: "g.2", zaak: Self.zaak, versie: 2, plaatsgevondenOp: Tijdstip("2026-11-20T09:05:00.000Z")!,
                                       actor: Actor(soort: .medewerker, id: "kcc-1"),
                                       gebeurtenis: .zaakAfgesloten(ZaakAfgesloten(resultaat: .ingetrokken, direct: true)))
        let wis = ZaakGebeurtenis(id: "w.1", zaak: Self.zaak, versie: 3, plaatsgevondenOp: Tijdstip("2026-11-21T09:00:00.000Z")!,
                                  actor: Actor(soort: .medewerker, id: "fg-01"),
                                  gebeurtenis: .gegevensGewist(GegevensGewist(grondslag: .avgArtikel17, verzoek: "avg-1", reden: "verzoek")))
        for story in [[geopend], [geopend, gesloten]] {
            let before = try XCTUnwrap(try herstel(story))
            var wis = wis
            wis.versie = story.count + 1
            let after = try evolve(before, wis)
            XCTAssertEqual(after.status, before.status)
            XCTAssertEqual(after.afsluitingen, before.afsluitingen)
            XCTAssertEqual(after.gewist?.verzoek, "avg-1")
            var later = wis
            later.versie = wis.versie + 1
            later.gebeurtenis = .inwonerGeinformeerd(InwonerGeinformeerd(kanaal: .telefoon))
            XCTAssertThrowsError(try evolve(after, later)) { error in
                XCTAssertEqual((error as? ZaakFout)?.soort, .regel)
                XCTAssertTrue((error as? ZaakFout)?.melding.contains("gewist") ?? false, "\(error)")
            }
            var twice = wis
            twice.versie = wis.versie + 1
            XCTAssertThrowsError(try evolve(after, twice), "erased once")
            XCTAssertEqual(after.archiefstatus, .nogTeArchiveren)
            // Destroyed when due after an erasure on request, and then nothing more.
            var vernietiging = twice
            vernietiging.gebeurtenis = .gegevensGewist(GegevensGewist(grondslag: .archiefwet, verzoek: "vl-1", reden: "vernietigingslijst"))
            let destroyed = try evolve(after, vernietiging)
            XCTAssertEqual(destroyed.archiefstatus, .vernietigd)
            XCTAssertEqual(destroyed.afsluitingen, before.afsluitingen)
            var again = vernietiging
            again.versie = vernietiging.versie + 1
            XCTAssertThrowsError(try evolve(destroyed, again), "destroyed once")
            again.gebeurtenis = wis.gebeurtenis
            XCTAssertThrowsError(try evolve(destroyed, again), "nothing after the destruction")
        }
    }

    func testTheSchemasListThePersonalMembersTheDomainEncrypts() throws {
        for soort in Gebeurtenis.Soort.allCases {
            let url = SchemaTests.root.appendingPathComponent("schemas/events/" + soort.schemabestand)
            let schema = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let listed = Set(try XCTUnwrap(schema["x-persoonlijk"] as? [String], soort.schemabestand))
            let velden = soort.persoonlijkeVelden
            XCTAssertEqual(listed, velden.velden.union(velden.binnen.flatMap { naam, binnen in binnen.velden.map { "\(naam).\($0)" } }), soort.rawValue)
        }
    }
}
