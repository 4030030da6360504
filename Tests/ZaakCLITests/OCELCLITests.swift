import Foundation
import XCTest

/// Issue 21: `zaak export ocel` and `zaak export controleer` through the real binary. pm4py reading a
/// month of generated Utrecht traffic is `tools/ocel-pm4py-check.py`, run once by tools/test.sh.
final class OCELCLITests: XCTestCase {
    /// Everything personal entered for two inwoners; none of it may leave in an export.
    static let persoonlijk = ["Mevrouw De Vries-Haverkamp", "06 87654321", "Lindelaan 77", "Er lopen ratten bij de schuur achter mijn huis",
                              "inw-90210", "Buurman Klaassen belt terug", "vries.haverkamp@example.nl", "kcc-bijzonder-4711",
                              "achter de gele container", "Ratten bestreden met klemmen", "Gif uitgezet bij de schuur"]

    private func vulLog(_ terminal: inout AgentTerminal) throws {
        terminal.nu = "2026-11-20T09:00:00+01:00"
        let steps: [[String]] = [
            ["melding", "--inwoner", "inw-90210", "--onderwerp", "openbare-ruimte.zwerfafval", "--inhoud", Self.persoonlijk[3],
             "--straat", "Lindelaan", "--huisnummer", "77", "--locatie", Self.persoonlijk[8], "--naam", Self.persoonlijk[0],
             "--telefoon", Self.persoonlijk[1], "--email", Self.persoonlijk[6], "--medewerker", Self.persoonlijk[7]],
            ["terugkoppeling", "2026-1", "--doorverwijzing", "D1", "--uitkomst", "opgelost", "--toelichting", Self.persoonlijk[9]],
            ["informeer", "2026-1", "--kanaal", "telefoon", "--toelichting", Self.persoonlijk[10]],
            ["gesprek", "--inwoner", "inw-31337", "--onderwerp", "afval.container-niet-geleegd", "--uitkomst", "terugbelverzoek",
             "--samenvatting", Self.persoonlijk[5], "--duur", "120"],
        ]
        for step in steps {
            let result = try terminal.run(step)
            XCTAssertEqual(result.status, 0, "\(step.prefix(3)): \(result.stderr)")
        }
    }

    func testExportBevatGeenPersoonsgegevensEnIsTeControleren() throws {
        var terminal = AgentTerminal(self)
        try vulLog(&terminal)
        let work = terminal.data + "-export"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let sqlite = work + "/nov.sqlite", json = work + "/nov.json"
        let period = ["--van", "2026-11-01", "--tot", "2026-11-30"]

        let before = try dataFiles(terminal.data)
        let noCheckpoint = try terminal.run(["export", "ocel"] + period + ["--formaat", "sqlite", "--naar", sqlite])
        XCTAssertEqual(noCheckpoint.status, 66, noCheckpoint.stderr)
        XCTAssertTrue(noCheckpoint.stderr.contains("zaak log checkpoint"), noCheckpoint.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sqlite))
        XCTAssertEqual(try terminal.run(["log", "checkpoint"]).status, 0)

        for (path, form) in [(sqlite, "sqlite"), (json, "json")] {
            let export = try terminal.run(["export", "ocel"] + period + ["--formaat", form, "--naar", path])
            XCTAssertEqual(export.status, 0, export.stderr)
            XCTAssertTrue(export.stdout.contains("objecten: 1 afdeling, 2 doorverwijzing, 2 inwoner, 2 kanaal, 2 klantcontact, 2 medewerker"), export.stdout)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            XCTAssertNotNil(bytes.range(of: Data("Z-2026-000001".utf8)), "\(form): the zaak is there")
            for text in Self.persoonlijk + ["Lindelaan", "inw-31337"] {
                XCTAssertNil(bytes.range(of: Data(text.utf8)), "\(form) export holds \(text)")
            }
            let check = try terminal.run(["export", "controleer", path])
            XCTAssertEqual(check.status, 0, check.stderr)
            XCTAssertTrue(check.stdout.contains("Volledig: het log heeft dit checkpoint en geeft dezelfde 8 gebeurtenissen"), check.stdout)
        }
        try assertManifestsMatchSchemaAndExports([sqlite, json])
        var logChanged = try dataFiles(terminal.data)
        logChanged.removeValue(forKey: "log/00000000000000000001.zlog")
        var expected = before
        expected.removeValue(forKey: "log/00000000000000000001.zlog")
        XCTAssertEqual(Set(logChanged.keys), Set(expected.keys), "an export adds nothing to the data directory")

        // Two exports: the same structure, other pseudonyms.
        let again = work + "/nov-2.json"
        XCTAssertEqual(try terminal.run(["export", "ocel"] + period + ["--formaat", "json", "--naar", again]).status, 0)
        let (first, second) = (try ocel(json), try ocel(again))
        XCTAssertEqual(first.events, second.events)
        XCTAssertEqual(first.inwoners.count, 2)
        XCTAssertTrue(Set(first.inwoners).isDisjoint(with: second.inwoners), "\(first.inwoners) \(second.inwoners)")
        let real = work + "/echt.json"
        let auditor = try terminal.run(["export", "ocel"] + period + ["--formaat", "json", "--naar", real, "--echte-ids"])
        XCTAssertEqual(auditor.status, 0, auditor.stderr)
        XCTAssertTrue(auditor.stderr.contains("alleen voor de auditor"), auditor.stderr)
        XCTAssertEqual(try ocel(real).inwoners, ["inwoner:inw-90210", "inwoner:inw-31337"])

        // Nothing is overwritten; bad input changes nothing.
        let manifest = try Data(contentsOf: URL(fileURLWithPath: sqlite + ".zaaklog.json"))
        let exists = try terminal.run(["export", "ocel"] + period + ["--formaat", "sqlite", "--naar", sqlite])
        XCTAssertEqual(exists.status, 65, exists.stderr)
        XCTAssertTrue(exists.stderr.contains("bestaat al"), exists.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: sqlite + ".zaaklog.json")), manifest)
        let badForm = try terminal.run(["export", "ocel"] + period + ["--formaat", "xes", "--naar", work + "/x"])
        XCTAssertEqual(badForm.status, 65, badForm.stderr)
        XCTAssertTrue(badForm.stderr.contains("sqlite") && badForm.stderr.contains("json"), badForm.stderr)
        let noDirectory = try terminal.run(["export", "ocel"] + period + ["--formaat", "json", "--naar", work + "/geen-map/x.json"])
        XCTAssertEqual(noDirectory.status, 65, noDirectory.stderr)
        XCTAssertTrue(noDirectory.stderr.contains("bestaat niet of is niet schrijfbaar"), noDirectory.stderr)
        let backwards = try terminal.run(["export", "ocel", "--van", "2026-11-30", "--tot", "2026-11-01", "--formaat", "json", "--naar", work + "/x"])
        XCTAssertEqual(backwards.status, 65, backwards.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work).sorted(),
                       ["echt.json", "echt.json.zaaklog.json", "nov-2.json", "nov-2.json.zaaklog.json", "nov.json", "nov.json.zaaklog.json",
                        "nov.sqlite", "nov.sqlite.zaaklog.json"], "no partial file is left")

        // An event after the checkpoint is in the next export, and the export says so.
        XCTAssertEqual(try terminal.run(["sluit", "2026-1", "--resultaat", "opgelost"]).status, 0)
        let later = try terminal.run(["export", "ocel"] + period + ["--formaat", "json", "--naar", work + "/later.json"])
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertTrue(later.stderr.contains("1 gebeurtenissen na het nieuwste checkpoint"), later.stderr)
        XCTAssertEqual(try ocel(work + "/later.json").events, first.events)

        // One byte changed, a missing manifest, an export of another log: refused.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: sqlite))
        try handle.seek(toOffset: 5000)
        let byte = try XCTUnwrap(handle.readData(ofLength: 1).first)
        try handle.seek(toOffset: 5000)
        handle.write(Data([byte ^ 0x20]))
        try handle.close()
        let edited = try terminal.run(["export", "controleer", sqlite])
        XCTAssertEqual(edited.status, 76, edited.stderr)
        XCTAssertTrue(edited.stderr.contains("gewijzigd na de export"), edited.stderr)
        try FileManager.default.removeItem(atPath: again + ".zaaklog.json")
        let noManifest = try terminal.run(["export", "controleer", again])
        XCTAssertEqual(noManifest.status, 66, noManifest.stderr)
        XCTAssertTrue(noManifest.stderr.contains("nov-2.json.zaaklog.json"), noManifest.stderr)
        var other = AgentTerminal(self)
        try vulLog(&other)
        XCTAssertEqual(try other.run(["log", "checkpoint"]).status, 0)
        let elsewhere = try other.run(["export", "controleer", json])
        XCTAssertEqual(elsewhere.status, 76, elsewhere.stderr)
        XCTAssertTrue(elsewhere.stderr.contains("een ander of herschreven log"), elsewhere.stderr)
        // Without a log (an analyst's machine): the file and its checkpoint only, said so.
        let analyst = try runProcess(zaakBinary, ["export", "controleer", json, "--data", work + "/geen-log"])
        XCTAssertEqual(analyst.status, 0, analyst.stderr)
        XCTAssertTrue(analyst.stdout.contains("Volledigheid niet gecontroleerd: er is geen log"), analyst.stdout)
    }

    /// Each manifest validates against schemas/ocel-export-manifest.schema.json, and the description
    /// inside the export (SQLite table `zaaklog_export`, JSON member `zaaklog`) is the manifest's.
    private func assertManifestsMatchSchemaAndExports(_ exports: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let script = """
            import json, sqlite3, sys
            from pathlib import Path
            import jsonschema
            from referencing import Registry, Resource
            root = Path(sys.argv[1])
            schemas = [json.loads((root / f"{n}.schema.json").read_text()) for n in ("ocel-export-manifest", "proof-checkpoint")]
            registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
            jsonschema.Draft202012Validator.check_schema(schemas[0])
            failed = 0
            for path in sys.argv[2:]:
                manifest = json.loads(Path(path + ".zaaklog.json").read_text())
                for error in jsonschema.Draft202012Validator(schemas[0], registry=registry, format_checker=jsonschema.FormatChecker()).iter_errors(manifest):
                    print(path, error.json_path, error.message); failed = 1
                if path.endswith(".sqlite"):
                    inside = json.loads(sqlite3.connect(path).execute("SELECT waarde FROM zaaklog_export WHERE sleutel = 'beschrijving'").fetchone()[0])
                else:
                    inside = json.loads(Path(path).read_text())["zaaklog"]
                if inside != manifest["export"]:
                    print(path, "the description inside differs from the manifest"); failed = 1
            sys.exit(failed)
            """
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let outcome = try runProcess("/usr/bin/env", ["python3", "-c", script, root.appendingPathComponent("schemas").path] + exports)
        XCTAssertEqual(outcome.status, 0, outcome.stdout + outcome.stderr, file: file, line: line)
    }

    /// The event ids with their types and the inwoner object ids of a JSON export, in order.
    private func ocel(_ path: String) throws -> (events: [String], inwoners: [String]) {
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        let events = try XCTUnwrap(object["events"] as? [[String: Any]]).map { "\($0["id"]!) \($0["type"]!)" }
        let inwoners = try XCTUnwrap(object["objects"] as? [[String: Any]]).filter { $0["type"] as? String == "inwoner" }.map { $0["id"] as! String }
        return (events, inwoners)
    }
}
