import Foundation
import XCTest

/// Issue 18, item 3 (inzage, AVG art. 15) through the real binary and a real server.
final class AVGCLITests: XCTestCase {
    func testInzageToontAllesOverEenInwonerEnNietsVanEenAnder() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        for (inwoner, tekst) in [("inw-4821", "Jan Jansen, Dorpsstraat 12, belt 06 12345678"), ("inw-7777", "Piet Pieters, Kerkpad 3")] {
            let opened = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", inwoner, "--onderwerp", "afval.container-niet-geleegd", "--inhoud", tekst])
            XCTAssertEqual(opened.status, 0, opened.stderr)
        }
        XCTAssertEqual(try terminal.run(["doorverwijs", "2026-1", "--soort", "warm", "--toelichting", "Staat vol"]).status, 0)
        // A read through the API, which the processing log records.
        let token = try kccToken(terminal)
        let server = try serve(terminal)
        let read = try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                   "\(server.base)/zaken/Z-2026-000001"])
        XCTAssertEqual(read.stdout, "200")
        server.process.terminate()
        server.process.waitUntilExit()

        let before = try dataFiles(terminal.data)
        let inzage = try terminal.run(["avg", "inzage", "--inwoner", "inw-4821", "--json"])
        XCTAssertEqual(inzage.status, 0, inzage.stderr)
        XCTAssertEqual(try dataFiles(terminal.data), before, "an inzage writes nothing")
        let object = jsonObject(inzage.stdout)
        let zaken = try XCTUnwrap(object["zaken"] as? [[String: Any]])
        XCTAssertEqual(zaken.map { $0["zaak"] as? String }, ["Z-2026-000001"])
        let events = try XCTUnwrap(zaken.first?["gebeurtenissen"] as? [[String: Any]])
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen", "Doorverwezen"])
        XCTAssertTrue(inzage.stdout.contains("Jan Jansen, Dorpsstraat 12, belt 06 12345678"))
        XCTAssertFalse(inzage.stdout.contains("Piet Pieters") || inzage.stdout.contains("inw-7777"), "nothing of another inwoner")
        let verwerkingen = try XCTUnwrap(object["verwerkingen"] as? [[String: Any]])
        XCTAssertEqual(verwerkingen.count, 1, inzage.stdout)
        XCTAssertEqual(verwerkingen.first?["operatie"] as? String, "GET /zaken/{nummer}")
        XCTAssertEqual(verwerkingen.first?["zaken"] as? [String], ["Z-2026-000001"])

        // The same document from the API, for the auditor and beheer only; that inzage is recorded too.
        let auditor = try XCTUnwrap(jsonObject(try terminal.run(["token", "maak", "--rol", "auditor", "--omschrijving", "fg", "--json"]).stdout)["token"] as? String)
        let again = try serve(terminal)
        let api = try runProcess("/usr/bin/env", ["curl", "-s", "-H", "Authorization: Bearer \(auditor)", "\(again.base)/inzage?inwoner=inw-4821"])
        let forbidden = try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                        "\(again.base)/inzage?inwoner=inw-4821"])
        again.process.terminate()
        again.process.waitUntilExit()
        let fromAPI = jsonObject(api.stdout)
        XCTAssertEqual(try JSONSerialization.data(withJSONObject: fromAPI["zaken"] as Any, options: .sortedKeys),
                       try JSONSerialization.data(withJSONObject: object["zaken"] as Any, options: .sortedKeys), api.stdout)
        XCTAssertEqual((fromAPI["verwerkingen"] as? [Any])?.count, 1)
        XCTAssertEqual(forbidden.stdout, "403", "kcc may not draw up an inzage")
        let recorded = jsonObject(try terminal.run(["avg", "inzage", "--inwoner", "inw-4821", "--json"]).stdout)["verwerkingen"] as? [[String: Any]]
        XCTAssertEqual(recorded?.last?["verwerkingsactiviteit"] as? String, "inzageverzoek")
        XCTAssertEqual(recorded?.last?["rol"] as? String, "auditor")

        let text = try terminal.run(["avg", "inzage", "--inwoner", "inw-4821"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.lines.contains("1 zaak, 3 gebeurtenissen, 2 verwerkingen (inzage via de API)"), text.stdout)
        let nobody = try terminal.run(["avg", "inzage", "--inwoner", "inw-niemand"])
        XCTAssertEqual(nobody.status, 0, nobody.stderr)
        XCTAssertTrue(nobody.stdout.contains("Over inw-niemand is niets vastgelegd"), nobody.stdout)
        let bsn = try terminal.run(["avg", "inzage", "--inwoner", "123456782"])
        XCTAssertEqual(bsn.status, 65)
        XCTAssertTrue(bsn.stderr.contains("BSN"), bsn.stderr)
    }
}
