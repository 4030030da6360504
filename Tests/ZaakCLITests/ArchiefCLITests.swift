import Foundation
import XCTest

/// Issue 18, item 4 (in part): the vernietigingslijst, through the real binary, against the log.
final class ArchiefCLITests: XCTestCase {
    func testDeVernietigingslijstIsWatHetLogZegt() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-20T09:00:00+01:00"
        XCTAssertEqual(try terminal.run(["genereer", "--profiel", "assen", "--van", "2025-01-06", "--dagen", "7"]).status, 0)
        let tot = "2026-02-01"
        let listed = try terminal.run(["archief", "lijst", "--tot", tot, "--json"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let rows = try XCTUnwrap(jsonObject(listed.stdout)["zaken"] as? [[String: Any]])

        // From the log alone: a zaak whose opening says vernietigen, closed (not reopened since) with
        // an archiefactiedatum on or before `tot`.
        var nominatie: [String: String] = [:], datum: [String: String?] = [:]
        for line in try loggedLines(terminal.data) {
            let zaak = try XCTUnwrap(line["zaak"] as? String), data = line["data"] as? [String: Any] ?? [:]
            switch line["type"] as? String {
            case "ZaakGeopend": nominatie[zaak] = data["archiefnominatie"] as? String
            case "ZaakAfgesloten": datum[zaak] = data["archiefactiedatum"] as? String
            case "ZaakHeropend": datum[zaak] = .some(nil)
            default: break
            }
        }
        let expected = Set(datum.compactMap { zaak, date in date.flatMap { $0 <= tot && nominatie[zaak] == "vernietigen" ? zaak : nil } })
        XCTAssertGreaterThan(expected.count, 100)
        XCTAssertEqual(Set(rows.compactMap { $0["zaak"] as? String }), expected)
        XCTAssertTrue(nominatie.values.contains("blijvend_bewaren"), "the week has zaken to keep, and none is on the list")
        let dates = rows.compactMap { $0["archiefactiedatum"] as? String }
        XCTAssertEqual(dates, dates.sorted(), "oldest date first")

        let first = try XCTUnwrap(rows.first?["zaak"] as? String)
        let shown = jsonObject(try terminal.run(["toon", first, "--json"]).stdout)
        XCTAssertEqual(shown["archiefnominatie"] as? String, "vernietigen")
        XCTAssertEqual(shown["archiefactiedatum"] as? String, rows.first?["archiefactiedatum"] as? String)
        XCTAssertEqual(shown["archiefstatus"] as? String, "nog_te_archiveren")

        let text = try terminal.run(["archief", "lijst", "--tot", tot])
        XCTAssertEqual(text.lines.first, "Vernietigingslijst t/m zo 1 feb 2026: \(expected.count) zaken", text.stdout)
        let bad = try terminal.run(["archief", "lijst", "--tot", "1-2-2026"])
        XCTAssertEqual(bad.status, 65)
        XCTAssertTrue(bad.stderr.hasPrefix("fout: --tot '1-2-2026' is geen datum"), bad.stderr)
    }
}
