import Foundation
import XCTest

/// Reads never write: not the log, not its index, not the read models, not a mistyped directory.
final class ReadOnlyCLITests: XCTestCase {
    func testReadCommandsLeaveALogWithATornTailByteForByteUnchanged() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-18T12:00:00+01:00"
        for command in [
            ["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Vol", "--tijd", "2026-11-16 09:00"],
            ["doorverwijs", "2026-1", "--soort", "warm", "--toelichting", "Legen", "--tijd", "2026-11-16 09:05"],
        ] {
            let outcome = try terminal.run(command)
            XCTAssertEqual(outcome.status, 0, "\(command): \(outcome.stderr)")
        }
        // A crashed append: the first half of a copy of the last data frame (LZ4 magic 04 22 4D 18), after it.
        let segment = try XCTUnwrap(segmentFiles(terminal.data).last)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        let lastFrame = try XCTUnwrap((0..<(bytes.count - 4)).last { bytes[$0..<($0 + 4)] == [0x04, 0x22, 0x4D, 0x18] })
        let handle = try XCTUnwrap(Foundation.FileHandle(forWritingAtPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data(bytes[lastFrame..<(lastFrame + (bytes.count - lastFrame) / 2)]))
        handle.closeFile()
        let before = try dataFiles(terminal.data)

        for command in [["toon", "2026-1"], ["toon", "2026-1", "--per", "2026-11-18 12:00"], ["zoek", "--inwoner", "inw-1"], ["werkvoorraad", "--afdeling", "Stadsbeheer"],
                        ["controle"], ["kpi", "--van", "2026-11-01", "--tot", "2026-11-30"], ["geschiedenis", "2026-1"], ["log", "toon"], ["log", "status"],
                        ["projecties", "vingerafdruk"], ["catalogus", "toon"]] {
            let outcome = try terminal.run(command)
            XCTAssertEqual(outcome.status, 0, "\(command): \(outcome.stderr)")
            XCTAssertFalse(outcome.stderr.contains("afgekapt"), "\(command) repaired something: \(outcome.stderr)")
        }
        XCTAssertEqual(try terminal.run(["geschiedenis", "2026-1"]).lines.first?.contains("3 gebeurtenissen"), true, "the torn frame is not read")
        let verify = try terminal.run(["log", "verifieer"])
        XCTAssertEqual(verify.status, 73, verify.stderr)
        XCTAssertTrue(verify.stdout.contains("tot een afgebroken laatste frame"), verify.stdout + verify.stderr)
        let after = try dataFiles(terminal.data)
        XCTAssertEqual(Set(after.keys), Set(before.keys), "no file was created or removed")
        for (name, content) in before { XCTAssertEqual(after[name], content, "\(name) changed") }

        // The next writer cuts the torn tail off, and says so.
        let write = try terminal.run(["informeer", "2026-1", "--kanaal", "whatsapp", "--tijd", "2026-11-16 10:00"])
        XCTAssertEqual(write.status, 0, write.stderr)
        XCTAssertTrue(write.stderr.contains("onvolledig laatste frame (nooit bevestigd) afgekapt") && write.stderr.contains("bewaard in"), write.stderr)
    }

    func testAWriterLeavesTheKeptWalFilesEmpty() throws {
        // A -wal kept with its frames would be recovered and copied into the database again by every
        // later command (thousands of page writes each); closing must truncate it.
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-18T12:00:00+01:00"
        for inwoner in ["inw-1", "inw-2"] {
            let outcome = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", inwoner, "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Vol"])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
        }
        for wal in ["projecties.sqlite-wal", "log/index.sqlite-wal"] {
            let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: terminal.data + "/" + wal)[.size] as? Int, wal)
            XCTAssertEqual(size, 0, "\(wal) kept its frames")
        }
    }

    func testAMistypedDataDirectoryIsRefusedAndNothingIsCreated() throws {
        let missing = temporaryDataDirectory(self) + "/tikfout"
        for command in [["toon", "2026-1"], ["zoek"], ["werkvoorraad", "--afdeling", "Stadsbeheer"], ["controle"], ["kpi", "--van", "2026-11-01", "--tot", "2026-11-30"],
                        ["geschiedenis", "2026-1"],
                        ["log", "status"], ["log", "toon"], ["projecties", "vingerafdruk"]] {
            let outcome = try zaak(command + ["--data", missing])
            XCTAssertEqual(outcome.status, 69, "\(command): \(outcome.stdout) \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains("Er is geen log in \(missing)/log"), "\(command): \(outcome.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing))
    }

    /// Read models behind the log (a full disk or a crash kept them from catching up): `toon` says
    /// so and answers from the zaak's own log lines, as current as the log.
    func testToonAnswersFromTheLogWhenTheReadModelsTrailIt() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-18T12:00:00+01:00"
        XCTAssertEqual(try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-1", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Vol"]).status, 0)
        let models = terminal.data + "/projecties.sqlite"
        let earlier = try Data(contentsOf: URL(fileURLWithPath: models))
        XCTAssertEqual(try terminal.run(["doorverwijs", "2026-1", "--soort", "warm", "--toelichting", "Legen"]).status, 0)
        try earlier.write(to: URL(fileURLWithPath: models))  // the read models as they were before the doorverwijzing
        let shown = try terminal.run(["toon", "2026-1"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stderr.hasPrefix("let op: de leesmodellen lopen achter op het log (t/m positie 2 van 3)"), shown.stderr)
        XCTAssertEqual(shown.lines.first, "Zaak Z-2026-000001 — versie 3, open", shown.stdout)
        XCTAssertTrue(shown.stdout.contains("D1 Stadsbeheer (warm)"), shown.stdout)
        // And a zaak only the log knows.
        XCTAssertEqual(try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", "inw-2", "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Vol"]).status, 0)
        try earlier.write(to: URL(fileURLWithPath: models))
        let second = try terminal.run(["toon", "2026-2"])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertEqual(second.lines.first, "Zaak Z-2026-000002 — versie 2, open", second.stdout)
    }

}
