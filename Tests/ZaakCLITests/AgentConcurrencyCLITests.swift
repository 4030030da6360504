import Foundation
import XCTest

/// Many agents at once, each its own `zaak` process on the same data directory (Monday morning in
/// Assen: 16 agents on WhatsApp and social media).
final class AgentConcurrencyCLITests: XCTestCase {
    func testSixteenAgentsEachOpeningAZaakGetSixteenDistinctNumbers() throws {
        let terminal = AgentTerminal(self)
        let outcomes = try startAllThenWait(terminal, (1...16).map { number in
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-\(number)", "--onderwerp", "afval.container-niet-geleegd",
             "--inhoud", "Container niet geleegd (\(number))", "--medewerker", "kcc-\(number)"]
        })
        XCTAssertEqual(outcomes.map(\.status), Array(repeating: 0, count: 16), outcomes.map(\.stderr).joined())

        let events = try terminal.events()
        XCTAssertEqual(events.count, 32)
        XCTAssertEqual(events.map { $0["positie"] as? Int }, Array(1...32))
        let openings = events.filter { $0["type"] as? String == "ZaakGeopend" }
        XCTAssertEqual(openings.count, 16)
        XCTAssertEqual(events.filter { $0["type"] as? String == "BerichtOntvangen" }.count, 16)
        XCTAssertEqual(Set(openings.compactMap { $0["zaak"] as? String }), Set((1...16).map { agentNummer($0) }))
        // Each inwoner has exactly one zaak, and the agent was told its number.
        var zaakOfInwoner: [String: String] = [:]
        for opening in openings {
            let inwoner = try XCTUnwrap(((opening["data"] as? [String: Any])?["inwoner"] as? [String: Any])?["ref"] as? String)
            XCTAssertNil(zaakOfInwoner[inwoner], "\(inwoner) has two zaken")
            zaakOfInwoner[inwoner] = opening["zaak"] as? String
        }
        for (index, outcome) in outcomes.enumerated() {
            let nummer = try XCTUnwrap(zaakOfInwoner["inw-\(index + 1)"])
            XCTAssertEqual(outcome.lines.first, "Bericht vastgelegd — zaak \(nummer), versie 2")
            let zaakEvents = events.filter { $0["zaak"] as? String == nummer }
            XCTAssertEqual(zaakEvents.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen"])
            XCTAssertEqual(zaakEvents.map { $0["versie"] as? Int }, [1, 2])
        }
        let verified = try runProcess(zaakBinary, ["log", "verifieer", "--data", terminal.data])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.hasPrefix("Log is intact: 32 gebeurtenissen"), verified.stdout)
    }

    func testSixteenContactsOfOneInwonerAtOnceEndUpInOneZaak() throws {
        let terminal = AgentTerminal(self)
        let outcomes = try startAllThenWait(terminal, (1...16).map { number in
            ["bericht", "--kanaal", number % 2 == 0 ? "whatsapp" : "sociale-media", "--inwoner", "inw-4821",
             "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Bericht \(number)", "--medewerker", "kcc-\(number)"]
        })
        XCTAssertEqual(outcomes.map(\.status), Array(repeating: 0, count: 16), outcomes.map(\.stderr).joined())

        let z1 = agentNummer(1)
        let events = try terminal.events()
        XCTAssertEqual(events.count, 17)
        XCTAssertEqual(events.filter { $0["type"] as? String == "ZaakGeopend" }.count, 1)
        XCTAssertEqual(events.first?["type"] as? String, "ZaakGeopend")
        XCTAssertEqual(Set(events.compactMap { $0["zaak"] as? String }), [z1])
        XCTAssertEqual(events.map { $0["versie"] as? Int }, Array(1...17))
        let contents = events.dropFirst().compactMap { ($0["data"] as? [String: Any])?["inhoud"] as? String }
        XCTAssertEqual(Set(contents), Set((1...16).map { "Bericht \($0)" }), "every message once")
        XCTAssertEqual(contents.count, 16)
        XCTAssertEqual(outcomes.filter { $0.stdout.contains("Toegevoegd aan de lopende zaak \(z1)") }.count, 15,
                       "one agent opened the zaak, the other fifteen were told they joined it")
        XCTAssertTrue(outcomes.allSatisfy { $0.lines.first?.hasPrefix("Bericht vastgelegd — zaak \(z1), versie ") == true })
        XCTAssertEqual(try terminal.zaakJSON(z1)["versie"] as? Int, 17)
        XCTAssertEqual(try runProcess(zaakBinary, ["log", "verifieer", "--data", terminal.data]).status, 0)
    }

    func testEightAgentsActingOnTheSameVersionOnlyOneSucceeds() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let z1 = agentNummer(1)
        let seen = try XCTUnwrap(try terminal.zaakJSON(z1)["versie"] as? Int)
        XCTAssertEqual(seen, 2)
        let commands: [[String]] = (1...8).map { number in
            number % 2 == 0
                ? ["sluit", z1, "--versie", "\(seen)", "--resultaat", "ingetrokken", "--medewerker", "kcc-\(number)"]
                : ["doorverwijs", z1, "--versie", "\(seen)", "--soort", "warm", "--toelichting", "Graag legen", "--medewerker", "kcc-\(number)"]
        }
        let outcomes = try startAllThenWait(terminal, commands)
        let winners = outcomes.indices.filter { outcomes[$0].status == 0 }
        XCTAssertEqual(winners.count, 1, outcomes.map { "\($0.status) \($0.stderr)" }.joined(separator: "\n"))
        XCTAssertEqual(outcomes.filter { $0.status == 75 }.count, 7)
        for outcome in outcomes where outcome.status == 75 {
            XCTAssertEqual(outcome.stdout, "")
            XCTAssertTrue(outcome.stderr.contains("u ging uit van versie 2"), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("er is niets vastgelegd. Bekijk de zaak opnieuw"), outcome.stderr)
        }

        let events = try terminal.events()
        XCTAssertEqual(events.count, 3, "exactly one new event")
        let winner = try XCTUnwrap(winners.first)
        XCTAssertEqual(events[2]["type"] as? String, commands[winner][0] == "sluit" ? "ZaakAfgesloten" : "Doorverwezen")
        XCTAssertEqual((events[2]["actor"] as? [String: Any])?["id"] as? String, "kcc-\(winner + 1)")
        XCTAssertEqual(try terminal.zaakJSON(z1)["versie"] as? Int, 3)
    }

    /// A channel integration that redelivers the same message while the first delivery is still
    /// running: the same --id sixteen times at once writes the events once.
    func testSixteenRetriesOfTheSameIdAtOnceWriteOnce() throws {
        let terminal = AgentTerminal(self)
        let outcomes = try startAllThenWait(terminal, (1...16).map { _ in
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd",
             "--inhoud", "Container niet geleegd", "--id", "wamid-HBgLMzE2", "--medewerker", "whatsapp-koppeling"]
        })
        XCTAssertEqual(outcomes.map(\.status), Array(repeating: 0, count: 16), outcomes.map(\.stderr).joined())
        let z1 = agentNummer(1)
        XCTAssertTrue(outcomes.allSatisfy { $0.stdout.contains("zaak \(z1), versie 2") }, outcomes.map(\.stdout).joined())
        // Exactly one process wrote; every other one reports what that one wrote, not a write of its own.
        XCTAssertEqual(outcomes.filter { !$0.stdout.contains("Al vastgelegd") }.count, 1, outcomes.map(\.stdout).joined(separator: "\n---\n"))
        let events = try terminal.events()
        XCTAssertEqual(events.map { $0["id"] as? String }, ["wamid-HBgLMzE2.1", "wamid-HBgLMzE2.2"])
        XCTAssertEqual(events.map { $0["type"] as? String }, ["ZaakGeopend", "BerichtOntvangen"])
        XCTAssertEqual(try terminal.zaakJSON(z1)["versie"] as? Int, 2)
    }

    /// Starts every command as its own process before waiting for any of them.
    private func startAllThenWait(_ terminal: AgentTerminal, _ commands: [[String]]) throws -> [Outcome] {
        var running: [(Process, OutputCollector)] = []
        for arguments in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: zaakBinary)
            process.arguments = arguments + ["--data", terminal.data]
            var environment = ProcessInfo.processInfo.environment
            environment.removeValue(forKey: "ZAAK_DATA")
            environment.removeValue(forKey: "ZAAK_MEDEWERKER")
            process.environment = environment
            let stdout = Pipe(), stderr = Pipe()
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            running.append((process, OutputCollector(stdout: stdout, stderr: stderr)))
        }
        return running.map { process, output in
            process.waitUntilExit()
            let (out, err) = output.wait()
            return Outcome(status: process.terminationStatus, stdout: out, stderr: err)
        }
    }
}
