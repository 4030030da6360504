import Foundation
import XCTest

/// Issue 16 through the real binary and the Python verifier: trust comes from the auditor, a torn
/// tail has its own verdict, recovery moves bytes aside and says so on every path, and `audit
/// controleer` refuses what the spec does not list.
final class EvidenceCLITests: XCTestCase {
    private static let verifier = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/zaaklog-verify.py").path

    private func python(_ arguments: [String]) throws -> Outcome {
        try runProcess("/usr/bin/env", ["python3", Self.verifier] + arguments)
    }

    /// A signed log of `count` events (sealed, then 5 more in the open segment), and a copy of the
    /// public key kept outside the data directory, as an auditor would.
    private func signedLog(_ count: Int = 40, prefix: String = "e") throws -> (data: String, auditorKey: String, fingerprint: String) {
        let data = temporaryDataDirectory(self)
        let key = try zaak(["audit", "sleutel", "--data", data, "--json"])
        XCTAssertEqual(key.status, 0, key.stderr)
        let auditorKey = temporaryDataDirectory(self) + "/checkpoint-ed25519.pub"
        try FileManager.default.copyItem(atPath: data + "/sleutels/checkpoint-ed25519.pub", toPath: auditorKey)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data, "--batch", "10"], input: ndjson(1...count, prefix: prefix)).status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", data]).status, 0)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data, "--batch", "1"], input: ndjson((count + 1)...(count + 5), prefix: prefix)).status, 0)
        return (data, auditorKey, try XCTUnwrap(jsonObject(key.stdout)["vingerafdruk"] as? String))
    }

    private func activeSegment(_ data: String) -> String { segmentFiles(data).last { $0.hasSuffix(".open.lz4") }! }

    private func edit(_ path: String, _ change: (inout [UInt8]) -> Void) {
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        change(&bytes)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    func testWithoutTheAuditorsKeyTheLogIsIntactNeverGeldig() throws {
        let (data, auditorKey, fingerprint) = try signedLog()
        let plain = try zaak(["log", "verifieer", "--data", data])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stdout.hasPrefix("Log is intact: 45 gebeurtenissen"), plain.stdout)
        XCTAssertFalse(plain.stdout.contains("geldig"), plain.stdout)
        XCTAssertTrue(plain.stdout.contains("Handtekeningen niet gecontroleerd") && plain.stdout.contains("opnieuw ondertekend"), plain.stdout)

        for trust in [["--sleutel", auditorKey], ["--vingerafdruk", fingerprint]] {
            let checked = try zaak(["log", "verifieer", "--data", data, "--json"] + trust)
            XCTAssertEqual(checked.status, 0, checked.stderr)
            XCTAssertEqual(jsonObject(checked.stdout)["oordeel"] as? String, "geldig", "\(trust)")
            XCTAssertEqual(jsonObject(checked.stdout)["handtekeningen"] as? String, "gecontroleerd")
            let audit = try zaak(["audit", "verifieer", "--data", data] + trust)
            XCTAssertTrue(audit.stdout.hasPrefix("Log is geldig: 45 gebeurtenissen"), audit.stdout)
        }
        // A fingerprint that is not the installation's key: nothing to trust, said plainly.
        let wrong = try zaak(["log", "verifieer", "--data", data, "--vingerafdruk", String(repeating: "ab", count: 32)])
        XCTAssertEqual(wrong.status, 65, wrong.stderr)
        XCTAssertTrue(wrong.stderr.contains("geen publieke sleutel met vingerafdruk"), wrong.stderr)
        let sleutel = try zaak(["audit", "sleutel", "--data", data])
        XCTAssertTrue(sleutel.stdout.contains("vingerafdruk:      \(fingerprint)"), sleutel.stdout)
    }

    func testATornTailHasItsOwnVerdictAndTheNextAgentCommandQuarantinesAndReportsIt() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let data = terminal.data
        let segment = activeSegment(data)
        let name = (segment as NSString).lastPathComponent
        let before = try XCTUnwrap(FileManager.default.contents(atPath: segment))
        // Half a frame of a write that never finished (the first 20 bytes of a frame: the segment header's).
        edit(segment) { bytes in bytes += Array(bytes[0..<20]) }
        let torn = before.count

        let verdict = try zaak(["log", "verifieer", "--data", data, "--json"])
        XCTAssertEqual(verdict.status, 73, verdict.stderr)
        let report = jsonObject(verdict.stdout)
        XCTAssertEqual(report["oordeel"] as? String, "intact-met-afgebroken-staart")
        let tail = report["afgebrokenStaart"] as? [String: Any]
        XCTAssertEqual(tail?["bestand"] as? String, name)
        XCTAssertEqual(tail?["offset"] as? Int, torn)
        XCTAssertEqual(tail?["bytes"] as? Int, 20)
        let python = try self.python(["log", data + "/log", "--json"])
        XCTAssertEqual(python.status, 73, python.stderr)
        XCTAssertEqual(jsonObject(python.stdout)["oordeel"] as? String, "intact-met-afgebroken-staart")
        let text = try zaak(["log", "verifieer", "--data", data])
        XCTAssertTrue(text.stdout.hasPrefix("Log is intact tot een afgebroken laatste frame"), text.stdout)

        // The agent's next command cuts it, after a copy, and says so.
        let next = try terminal.run(["bericht", "--kanaal", "email", "--inwoner", "inw-4821", "--onderwerp", "afval.container-niet-geleegd",
                                     "--inhoud", "Nog steeds niet geleegd"])
        XCTAssertEqual(next.status, 0, next.stderr)
        let quarantine = "\(name).quarantine-\(torn)"
        XCTAssertTrue(next.stderr.contains("afgekapt uit \(name): 20 bytes vanaf byte \(torn), bewaard in \(quarantine)"), next.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: data + "/log/" + quarantine)?.count, 20)
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", data]).status, 0)
    }

    func testAFlippedBitInTheLastFrameStopsWritesUntilHerstelForceerQuarantinesIt() throws {
        let (data, auditorKey, _) = try signedLog()
        let segment = activeSegment(data)
        let name = (segment as NSString).lastPathComponent
        let whole = try XCTUnwrap(FileManager.default.contents(atPath: segment))
        edit(segment) { bytes in bytes[bytes.count - 2] ^= 0x01 }
        let damaged = try XCTUnwrap(FileManager.default.contents(atPath: segment))

        let append = try zaak(["log", "toevoegen", "--data", data], input: ndjson(100...100))
        XCTAssertEqual(append.status, 76, append.stderr)
        XCTAssertTrue(append.stderr.contains("zaak log herstel --forceer"), append.stderr)
        XCTAssertEqual(try zaak(["log", "herstel", "--data", data]).status, 76, "without --forceer nothing is cut")
        XCTAssertEqual(FileManager.default.contents(atPath: segment), damaged, "the acknowledged frame stays on disk")
        let verdict = try zaak(["log", "verifieer", "--data", data, "--sleutel", auditorKey, "--json"])
        XCTAssertEqual(verdict.status, 76)
        XCTAssertEqual(jsonObject(verdict.stdout)["oordeel"] as? String, "beschadigd")

        let forced = try zaak(["log", "herstel", "--data", data, "--forceer", "--json"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        let repairs = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(forced.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(repairs.count, 1)
        let offset = try XCTUnwrap(repairs[0]["offset"] as? Int)
        XCTAssertEqual(repairs[0]["oorzaak"] as? String, "beschadiging-op-verzoek")
        XCTAssertEqual(repairs[0]["quarantaine"] as? String, "\(name).quarantine-\(offset)")
        XCTAssertEqual(FileManager.default.contents(atPath: data + "/log/\(name).quarantine-\(offset)"), damaged.subdata(in: offset..<damaged.count))
        XCTAssertEqual(whole.count, damaged.count)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(100...100)).status, 0)
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", data, "--sleutel", auditorKey]).status, 0)
    }

    func testAKeptCheckpointCatchesAnotherHistoryOfTheSameLength() throws {
        let (data, auditorKey, _) = try signedLog()
        let kept = temporaryDataDirectory(self) + "/bewaard.json"
        let checkpoint = try zaak(["audit", "checkpoint", "--data", data])
        XCTAssertEqual(checkpoint.status, 0, checkpoint.stderr)
        _ = FileManager.default.createFile(atPath: kept, contents: Data(checkpoint.stdout.utf8))
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", data, "--sleutel", auditorKey, "--vertrouwd", kept]).status, 0)

        // Another log of the same length, as a rewritten copy would be: other events, its own key.
        let other = try signedLog(prefix: "herschreven")
        let refused = try zaak(["log", "verifieer", "--data", other.data, "--vertrouwd", kept, "--json"])
        XCTAssertEqual(refused.status, 76, refused.stderr)
        XCTAssertTrue((jsonObject(refused.stdout)["fout"] as? String ?? "").contains("de geschiedenis is herschreven"), refused.stdout)
        let python = try self.python(["log", other.data + "/log", "--vertrouwd", kept, "--json"])
        XCTAssertEqual(python.status, 76, python.stderr)
        for field in ["bestand", "offset", "positie"] {
            XCTAssertEqual("\(jsonObject(refused.stdout)[field] ?? "-")", "\(jsonObject(python.stdout)[field] ?? "-")", field)
        }
        // With the auditor's key, the kept checkpoint must be signed by it.
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", other.data, "--sleutel", other.auditorKey, "--vertrouwd", kept]).status, 65)
    }

    func testControleerRefusesMembersTheSpecDoesNotList() throws {
        let (data, auditorKey, _) = try signedLog()
        let checkpoint = try zaak(["audit", "checkpoint", "--data", data])
        let bundle = try zaak(["audit", "export", "--data", data, "--zaak", "Z-2026-000003"])
        XCTAssertEqual(bundle.status, 0, bundle.stderr)
        let cases: [(String, String, String)] = [
            (checkpoint.stdout.replacingOccurrences(of: #"{"checkpoint":"#, with: #"{"extra":1,"checkpoint":"#), "extra", "an extra top-level member"),
            (checkpoint.stdout.replacingOccurrences(of: #""recordedAt":"#, with: #""frontier":[],"recordedAt":"#), "frontier", "a frontier in the checkpoint"),
            (bundle.stdout.replacingOccurrences(of: #""selection":{"zaak":"#, with: #""selection":{"from":"2026-11-01","to":"2026-11-30","zaak":"#),
             "selection", "a selection with zaak and a period"),
        ]
        for (contents, word, what) in cases {
            XCTAssertNotEqual(contents, checkpoint.stdout, what)
            let path = temporaryDataDirectory(self) + "/artefact.json"
            _ = FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
            let swift = try zaak(["audit", "controleer", path, "--data", data, "--sleutel", auditorKey])
            XCTAssertEqual(swift.status, 65, "\(what): \(swift.stdout)\(swift.stderr)")
            XCTAssertTrue(swift.stderr.contains(word), "\(what): \(swift.stderr)")
            let python = try self.python([contents.contains("zaaklog-audit-bundle") ? "bundel" : "bewijs", path, "--sleutel", auditorKey])
            XCTAssertEqual(python.status, 65, "\(what): Python \(python.stderr)")
        }
        // The proof commands take --json, and give their errors as JSON.
        let missing = try zaak(["audit", "bewijs", "--data", data, "--positie", "999", "--json"])
        XCTAssertEqual(missing.status, 66)
        XCTAssertNotNil(jsonObject(missing.stderr)["fout"], missing.stderr)
        XCTAssertEqual(try zaak(["audit", "consistentie", "--data", data, "--van", "40", "--json"]).status, 0)
    }

    func testLogCheckpointCoversAQuietLogsLastLines() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...3)).status, 0)
        XCTAssertNil(jsonObject(try zaak(["log", "status", "--data", data, "--json"]).stdout)["laatsteCheckpoint"], "no checkpoint yet")
        // Not yet an hour old: nothing is due.
        let notDue = try zaak(["log", "checkpoint", "--data", data, "--als-nodig", "--json"])
        XCTAssertEqual(notDue.status, 0, notDue.stderr)
        XCTAssertEqual(jsonObject(notDue.stdout)["geschreven"] as? Bool, false)
        let now = try zaak(["log", "checkpoint", "--data", data])
        XCTAssertTrue(now.stdout.hasPrefix("Checkpoint geschreven: 3 gebeurtenissen"), now.stdout)
        XCTAssertTrue(try zaak(["log", "checkpoint", "--data", data]).stdout.hasPrefix("Geen checkpoint nodig"))
        XCTAssertEqual(try zaak(["audit", "checkpoint", "--data", data]).status, 0)
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", data]).status, 0)
    }
}
