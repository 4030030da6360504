import Foundation
import XCTest

/// The program's one clock, set from outside with ZAAK_NU (docs/clock.md), through the real binary.
final class ClockCLITests: XCTestCase {
    private let bericht = ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Niet geleegd"]

    func testAMalformedClockIsRefusedBeforeAnythingIsWritten() throws {
        var terminal = AgentTerminal(self)
        for value in ["morgen", "2026-11-20 09:00", "2026-11-20T09:00:00"] {
            terminal.nu = value
            let refused = try terminal.run(bericht)
            XCTAssertEqual(refused.status, 64, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("ZAAK_NU '\(value)' is geen tijdstip; gebruik bijv. 2026-11-20T09:00:00+01:00"), refused.stderr)
            XCTAssertEqual(refused.stdout, "")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: terminal.data + "/log"), "nothing was created")
        terminal.nu = ""
        XCTAssertEqual(try terminal.run(["catalogus", "toon"]).status, 0, "an empty ZAAK_NU is the real time")
    }

    func testCommandsAndTheLogTakeNowFromTheSetClock() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2027-01-04T10:15:00+01:00"
        let opened = try terminal.run(bericht)
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.lines.first, "Bericht vastgelegd — zaak Z-2027-000001, versie 2", "the zaaknummer's year is the clock's")
        for event in try terminal.events() {
            XCTAssertEqual(event["vastgelegdOp"] as? String, "2027-01-04T09:15:00.000Z")
            XCTAssertEqual(event["plaatsgevondenOp"] as? String, "2027-01-04T09:15:00.000Z", "no --tijd: now")
        }
        let future = try terminal.run(["doorverwijs", "2027-1", "--soort", "warm", "--toelichting", "Legen", "--tijd", "2027-01-04 10:30"])
        XCTAssertEqual(future.status, 65)
        XCTAssertTrue(future.stderr.contains("ligt in de toekomst"), future.stderr)
        XCTAssertEqual(try terminal.run(["doorverwijs", "2027-1", "--soort", "warm", "--toelichting", "Legen"]).status, 0)

        // The same queue read under two clocks: in time on the day, late three weeks on.
        terminal.nu = "2027-01-05T09:00:00+01:00"
        let early = try terminal.run(["werkvoorraad", "--afdeling", "Stadsbeheer"])
        XCTAssertEqual(early.status, 0, early.stderr)
        XCTAssertTrue(early.lines.first?.hasPrefix("Werkvoorraad Stadsbeheer op di 5 jan 2027: 1 open doorverwijzing") ?? false, early.stdout)
        XCTAssertFalse(early.stdout.contains("te laat"), early.stdout)
        terminal.nu = "2027-01-25T09:00:00+01:00"
        let late = try terminal.run(["werkvoorraad", "--afdeling", "Stadsbeheer"])
        XCTAssertTrue(late.lines.first?.hasSuffix("1 over de termijn") ?? false, late.stdout)
        XCTAssertTrue(late.stdout.contains("werkdagen te laat"), late.stdout)

        // A clock set back: the log still records in order, never earlier than its last line.
        terminal.nu = "2027-01-04T08:00:00+01:00"
        XCTAssertEqual(try terminal.run(["informeer", "2027-1", "--kanaal", "whatsapp", "--tijd", "2027-01-04 07:55"]).status, 0)
        XCTAssertEqual(try terminal.events().last?["vastgelegdOp"] as? String, "2027-01-04T09:15:00.000Z", "raised to the last line's")
    }
}
