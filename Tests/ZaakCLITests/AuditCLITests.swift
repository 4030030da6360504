import Foundation
import XCTest

/// `zaak audit …` through the real binary, with the independent Python verifier beside it: the two
/// must-shows of the issue (a tampered event fails both verifiers and both name where; a rewritten
/// history fails the consistency proof against yesterday's checkpoint), the artefacts against their
/// JSON Schemas, and every error with its exit code.
final class AuditCLITests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    private static let verifier = root.appendingPathComponent("tools/zaaklog-verify.py").path

    private func python(_ arguments: [String]) throws -> Outcome {
        try runProcess("/usr/bin/env", ["python3", Self.verifier] + arguments)
    }

    private func publicKey(_ data: String) -> String { data + "/sleutels/checkpoint-ed25519.pub" }

    /// Writes `contents` to a new file in `data` and returns its path.
    private func save(_ contents: String, _ name: String, in data: String) -> String {
        let path = data + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(contents.utf8))
        return path
    }

    /// A signed log: the key first, then events 1…`count` in batches of 10, sealed.
    private func signedLog(_ count: Int = 60, ndjson lines: String? = nil) throws -> String {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["audit", "sleutel", "--data", data]).status, 0)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data, "--batch", "10"], input: lines ?? ndjson(1...count)).status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", data]).status, 0)
        return data
    }

    /// Validates artefacts against the JSON Schemas in schemas/ (with the jsonschema package the
    /// suite installs for the event schemas).
    private func assertMatchesSchema(_ files: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let script = """
            import json, sys
            from pathlib import Path
            import jsonschema
            from referencing import Registry, Resource
            root = Path(sys.argv[1])
            names = {"zaaklog-checkpoint": "proof-checkpoint", "zaaklog-inclusion-proof": "inclusion-proof",
                      "zaaklog-consistency-proof": "consistency-proof", "zaaklog-audit-bundle": "audit-bundle"}
            schemas = {n: json.loads((root / f"{n}.schema.json").read_text()) for n in names.values()}
            registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas.values()])
            failed = 0
            for path in sys.argv[2:]:
                doc = json.loads(Path(path).read_text())
                schema = schemas[names[doc["type"]]]
                jsonschema.Draft202012Validator.check_schema(schema)
                for error in jsonschema.Draft202012Validator(schema, registry=registry).iter_errors(doc):
                    print(path, error.json_path, error.message); failed = 1
            sys.exit(failed)
            """
        let outcome = try runProcess("/usr/bin/env", ["python3", "-c", script, Self.root.appendingPathComponent("schemas").path] + files)
        XCTAssertEqual(outcome.status, 0, outcome.stdout + outcome.stderr, file: file, line: line)
    }

    /// Changes `old` into `new` in the line at `position` inside whichever data frame of the log's
    /// segments holds it, and recompresses that frame with valid LZ4 checksums (with the verifier's
    /// frame walker and the lz4 package): only the Merkle tree can tell.
    private func rewriteLine(_ data: String, position: Int, _ old: String, _ new: String) throws {
        let script = """
            import importlib.util, os, sys, lz4.frame
            spec = importlib.util.spec_from_file_location("verifier", sys.argv[1]); v = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(v)
            directory, position, old, new = sys.argv[2], int(sys.argv[3]), sys.argv[4].encode(), sys.argv[5].encode()
            for _, name in v.segments_of(directory):
                path = os.path.join(directory, name); data = open(path, "rb").read(); offset = 0
                while offset < len(data):
                    kind, end, _ = v.frame_at(data, offset)
                    if kind == "data":
                        lines = lz4.frame.decompress(data[offset:end]).split(b"\\n")
                        for i, line in enumerate(lines):
                            if line.startswith(b'{"positie":%d,' % position):
                                assert old in line
                                lines[i] = line.replace(old, new, 1)
                                frame = lz4.frame.compress(b"\\n".join(lines), block_size=lz4.frame.BLOCKSIZE_MAX4MB, block_linked=False,
                                                           content_checksum=True, block_checksum=True, store_size=True)
                                open(path, "wb").write(data[:offset] + frame + data[end:]); sys.exit(0)
                    offset = end
            sys.exit("position not found")
            """
        let outcome = try runProcess("/usr/bin/env", ["python3", "-c", script, Self.verifier, data + "/log", String(position), old, new])
        XCTAssertEqual(outcome.status, 0, outcome.stderr)
    }

    /// Where `zaak audit verifieer --json` and the Python verifier say the log is damaged; both must refuse it.
    private func assertBothVerifiersReject(_ data: String, key: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let swift = try zaak(["audit", "verifieer", "--data", data, "--sleutel", key, "--json"])
        XCTAssertEqual(swift.status, 76, swift.stderr, file: file, line: line)
        let python = try self.python(["log", data + "/log", "--sleutel", key, "--json"])
        XCTAssertEqual(python.status, 76, python.stderr, file: file, line: line)
        let (s, p) = (jsonObject(swift.stdout), jsonObject(python.stdout))
        for field in ["bestand", "offset", "positie"] {
            XCTAssertEqual("\(s[field] ?? "-")", "\(p[field] ?? "-")", "\(field): zaak \(swift.stderr) python \(python.stderr)", file: file, line: line)
        }
        XCTAssertTrue(swift.stderr.contains("op byte") && swift.stderr.contains("positie"), swift.stderr, file: file, line: line)
        return swift.stderr
    }

    // MARK: The key

    func testSleutelCreatesTheKeyOnceAndShowsItAgainWithoutOverwriting() throws {
        let data = temporaryDataDirectory(self)
        let first = try zaak(["audit", "sleutel", "--data", data, "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let created = jsonObject(first.stdout)
        XCTAssertEqual(created["nieuw"] as? Bool, true)
        let privateFile = try XCTUnwrap(created["privesleutelBestand"] as? String)
        XCTAssertEqual(privateFile, data + "/sleutels/checkpoint-ed25519.key")
        XCTAssertFalse(privateFile.hasPrefix(data + "/log"), "the private key is never in the log directory")
        let mode = try FileManager.default.attributesOfItem(atPath: privateFile)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let privateBytes = try Data(contentsOf: URL(fileURLWithPath: privateFile))

        let second = try zaak(["audit", "sleutel", "--data", data])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stdout.contains("al een sleutel") && second.stdout.contains(created["sleutelId"] as! String), second.stdout)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: privateFile)), privateBytes)

        // $ZAAK_SLEUTELMAP puts it elsewhere.
        let elsewhere = temporaryDataDirectory(self) + "/keys"
        let moved = try zaak(["audit", "sleutel", "--data", data, "--json"], environment: ["ZAAK_SLEUTELMAP": elsewhere])
        XCTAssertEqual(jsonObject(moved.stdout)["privesleutelBestand"] as? String, elsewhere + "/checkpoint-ed25519.key")
    }

    // MARK: Must show 1: an inclusion proof, and a changed byte that both verifiers find

    func testAnInclusionProofVerifiesAndAChangedByteOfItsLineFailsBothVerifiersNamingWhere() throws {
        let data = try signedLog(60)
        let key = publicKey(data)
        let proof = try zaak(["audit", "bewijs", "--data", data, "--positie", "17"])
        XCTAssertEqual(proof.status, 0, proof.stderr)
        XCTAssertEqual(proof.stderr, "", "a signed checkpoint: no warning")
        let proofFile = save(proof.stdout, "bewijs-17.json", in: data)
        try assertMatchesSchema([proofFile])
        let fields = jsonObject(proof.stdout)
        XCTAssertEqual(fields["position"] as? Int, 17)
        XCTAssertEqual((fields["checkpoint"] as? [String: Any])?["treeSize"] as? Int, 60)
        XCTAssertEqual((fields["path"] as? [String])?.count, 6, "⌈log2 60⌉ hashes")
        let python = try self.python(["bewijs", proofFile, "--sleutel", key])
        XCTAssertEqual(python.status, 0, python.stderr)
        XCTAssertTrue(python.stdout.contains("positie 17 zit in het log van 60"), python.stdout)
        XCTAssertEqual(try zaak(["audit", "controleer", proofFile, "--data", data, "--sleutel", key]).status, 0)

        // One byte of event 17's line changed in the segment, the frame recompressed (valid LZ4).
        let pristine = temporaryDataDirectory(self)
        try FileManager.default.removeItem(atPath: pristine)
        try FileManager.default.copyItem(atPath: data, toPath: pristine)
        try rewriteLine(data, position: 17, "whatsapp", "whatsapP")
        let named = try assertBothVerifiersReject(data, key: key)
        XCTAssertTrue(named.contains("seg-00000000000000000001.sealed.lz4") && named.contains("gewijzigd"), named)
        // A new proof for that event is refused too, with the checkpoint whose lines include it.
        let again = try zaak(["audit", "bewijs", "--data", data, "--positie", "17"])
        XCTAssertEqual(again.status, 76, again.stderr)
        XCTAssertTrue(again.stderr.contains("positie 1–60 is gewijzigd"), again.stderr)

        // One byte flipped in the compressed frame itself: the LZ4 checksums tell, at that frame.
        let segment = try XCTUnwrap(segmentFiles(pristine).first)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: segment))
        _ = try assertBothVerifiersReject(pristine, key: key)
    }

    // MARK: Must show 2: consistency with yesterday's checkpoint, and a rewritten history

    func testAConsistencyProofFromYesterdayVerifiesAndARewrittenHistoryFailsIt() throws {
        let data = try signedLog(50)
        let key = publicKey(data)
        let yesterday = try zaak(["audit", "checkpoint", "--data", data])
        XCTAssertEqual(yesterday.status, 0, yesterday.stderr)
        let kept = save(yesterday.stdout, "checkpoint-gisteren.json", in: temporaryDataDirectory(self))
        XCTAssertEqual(((jsonObject(yesterday.stdout)["checkpoint"] as? [String: Any])?["treeSize"]) as? Int, 50)

        // Today: more events, sealed again.
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data, "--batch", "10"], input: ndjson(51...90)).status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", data]).status, 0)
        let proof = try zaak(["audit", "consistentie", "--data", data, "--van", "50"])
        XCTAssertEqual(proof.status, 0, proof.stderr)
        let proofFile = save(proof.stdout, "consistentie.json", in: data)
        try assertMatchesSchema([proofFile, kept])
        XCTAssertEqual(((jsonObject(proof.stdout)["to"] as? [String: Any])?["treeSize"]) as? Int, 90)
        let swiftCheck = try zaak(["audit", "controleer", proofFile, "--data", data, "--sleutel", key, "--vertrouwd", kept])
        XCTAssertEqual(swiftCheck.status, 0, swiftCheck.stderr)
        XCTAssertEqual(try python(["bewijs", proofFile, "--sleutel", key, "--vertrouwd", kept]).status, 0)

        // Someone with the key rewrites event 7 and recomputes everything: a log that checks out by
        // itself, signatures included, but not against the checkpoint the auditor kept.
        let forged = temporaryDataDirectory(self)
        try FileManager.default.copyItem(atPath: data + "/sleutels", toPath: forged + "/sleutels")
        let original = ndjson(1...90).split(separator: "\n").map(String.init)
        var rewritten = original
        rewritten[6] = rewritten[6].replacingOccurrences(of: "\"whatsapp\"", with: "\"telefoon\"")
        XCTAssertNotEqual(rewritten, original)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", forged, "--batch", "10"], input: rewritten.prefix(50).joined(separator: "\n") + "\n").status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", forged]).status, 0)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", forged, "--batch", "10"], input: rewritten.dropFirst(50).joined(separator: "\n") + "\n").status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", forged]).status, 0)
        XCTAssertEqual(try zaak(["audit", "verifieer", "--data", forged, "--sleutel", key]).status, 0, "consistent with itself")
        XCTAssertEqual(try python(["log", forged + "/log", "--sleutel", key]).status, 0)
        let forgedProof = try zaak(["audit", "consistentie", "--data", forged, "--van", "50"])
        XCTAssertEqual(forgedProof.status, 0, forgedProof.stderr)
        let forgedFile = save(forgedProof.stdout, "consistentie.json", in: forged)
        let swiftRefusal = try zaak(["audit", "controleer", forgedFile, "--data", forged, "--sleutel", key, "--vertrouwd", kept])
        XCTAssertEqual(swiftRefusal.status, 76, swiftRefusal.stderr)
        XCTAssertTrue(swiftRefusal.stderr.contains("herschreven"), swiftRefusal.stderr)
        let pythonRefusal = try python(["bewijs", forgedFile, "--sleutel", key, "--vertrouwd", kept])
        XCTAssertEqual(pythonRefusal.status, 76, pythonRefusal.stderr)
        XCTAssertTrue(pythonRefusal.stderr.contains("herschreven"), pythonRefusal.stderr)
        // The kept checkpoint against today's real log: a proof from it connects; from the forged one it cannot.
        let mixed = try JSONSerialization.jsonObject(with: Data(forgedProof.stdout.utf8)) as! [String: Any]
        var spliced = mixed
        spliced["from"] = (jsonObject(yesterday.stdout)["checkpoint"] as! [String: Any])
        let splicedFile = save(String(decoding: try JSONSerialization.data(withJSONObject: spliced), as: UTF8.self), "gelast.json", in: forged)
        XCTAssertEqual(try zaak(["audit", "controleer", splicedFile, "--data", forged, "--sleutel", key]).status, 76)
        XCTAssertEqual(try python(["bewijs", splicedFile, "--sleutel", key]).status, 76)

        // Without the key, the rewrite cannot even be signed.
        let unsigned = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", unsigned, "--batch", "10"], input: rewritten.joined(separator: "\n") + "\n").status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", unsigned]).status, 0)
        XCTAssertEqual(try zaak(["audit", "verifieer", "--data", unsigned, "--sleutel", key]).status, 76)
        XCTAssertEqual(try python(["log", unsigned + "/log", "--sleutel", key]).status, 76)
    }

    // MARK: Bundles

    func testAnExportedBundleVerifiesAndATamperedOneDoesNot() throws {
        let data = try signedLog(120)
        let key = publicKey(data)
        let output = temporaryDataDirectory(self) + "/zaak-3.json"
        let exported = try zaak(["audit", "export", "--data", data, "--zaak", "Z-2026-000003", "--uitvoer", output])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        XCTAssertTrue(exported.stdout.contains("3 gebeurtenissen") && exported.stdout.contains("ondertekend"), exported.stdout)
        try assertMatchesSchema([output])
        let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as! [String: Any]
        XCTAssertEqual((bundle["events"] as? [[String: Any]])?.map { $0["position"] as? Int }, [3, 53, 103])
        XCTAssertEqual(try python(["bundel", output, "--sleutel", key]).status, 0)
        XCTAssertEqual(try zaak(["audit", "controleer", output, "--data", data, "--sleutel", key]).status, 0)

        // A period: the events were recorded just now, so yesterday to tomorrow holds them all
        // whatever the Dutch date is.
        let yesterday = ISO8601DateFormatter().string(from: testRunnerNow.addingTimeInterval(-86_400)).prefix(10)
        let tomorrow = ISO8601DateFormatter().string(from: testRunnerNow.addingTimeInterval(86_400)).prefix(10)
        let period = try zaak(["audit", "export", "--data", data, "--van", String(yesterday), "--tot", String(tomorrow)])
        XCTAssertEqual(period.status, 0, period.stderr)
        XCTAssertEqual((jsonObject(period.stdout)["events"] as? [Any])?.count, 120)
        let periodFile = save(period.stdout, "periode.json", in: data)
        try assertMatchesSchema([periodFile])
        XCTAssertEqual(try python(["bundel", periodFile, "--sleutel", key]).status, 0)

        // One character of one event changed in the bundle: both refuse, naming the position.
        var text = try String(contentsOfFile: output, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"inhoudLengte\\\":53", with: "\"inhoudLengte\\\":54")
        try text.write(toFile: output, atomically: true, encoding: .utf8)
        let swift = try zaak(["audit", "controleer", output, "--data", data, "--sleutel", key])
        XCTAssertEqual(swift.status, 76, swift.stderr)
        XCTAssertTrue(swift.stderr.contains("positie 53"), swift.stderr)
        let python = try self.python(["bundel", output, "--sleutel", key])
        XCTAssertEqual(python.status, 76, python.stderr)
        XCTAssertTrue(python.stderr.contains("positie 53"), python.stderr)
    }

    // MARK: Logs without a key, and every error class

    func testAnUnsignedLogGivesProofsWithAWarningThatAnAuditorsKeyRefuses() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...20)).status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", data]).status, 0)
        let proof = try zaak(["audit", "bewijs", "--data", data, "--positie", "5"])
        XCTAssertEqual(proof.status, 0, proof.stderr)
        XCTAssertTrue(proof.stderr.contains("niet ondertekend"), proof.stderr)
        let proofFile = save(proof.stdout, "bewijs.json", in: data)
        XCTAssertNil(((jsonObject(proof.stdout)["checkpoint"] as? [String: Any])?["signature"]))
        let unchecked = try python(["bewijs", proofFile])
        XCTAssertEqual(unchecked.status, 0, unchecked.stderr)
        XCTAssertTrue(unchecked.stdout.contains("niet gecontroleerd"), unchecked.stdout)

        let verified = try zaak(["audit", "verifieer", "--data", data])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        XCTAssertTrue(verified.stdout.contains("Geen enkel checkpoint is ondertekend"), verified.stdout)

        // An auditor with a key (from another installation) accepts nothing unsigned.
        let other = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["audit", "sleutel", "--data", other]).status, 0)
        XCTAssertEqual(try python(["bewijs", proofFile, "--sleutel", publicKey(other)]).status, 76)
        XCTAssertEqual(try zaak(["audit", "controleer", proofFile, "--data", data, "--sleutel", publicKey(other)]).status, 76)
        XCTAssertEqual(try zaak(["audit", "verifieer", "--data", data, "--sleutel", publicKey(other)]).status, 76)

        // Made now, the key signs from the next checkpoint on; the old ones stay valid and unsigned.
        XCTAssertEqual(try zaak(["audit", "sleutel", "--data", data]).status, 0)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(21...30)).status, 0)
        XCTAssertEqual(try zaak(["log", "verzegel", "--data", data]).status, 0)
        let mixed = try zaak(["audit", "verifieer", "--data", data, "--sleutel", publicKey(data), "--json"])
        XCTAssertEqual(mixed.status, 0, mixed.stderr)
        XCTAssertEqual(jsonObject(mixed.stdout)["ondertekend"] as? Int, 1)
        XCTAssertEqual(jsonObject(mixed.stdout)["nietOndertekend"] as? Int, 1)
        XCTAssertEqual(try python(["log", data + "/log", "--sleutel", publicKey(data)]).status, 0)
    }

    func testErrorsHaveTheirExitCodesAndSayWhatToDo() throws {
        let data = try signedLog(30)
        let cases: [([String], Int32, String)] = [
            (["audit", "bewijs", "--positie", "0"], 64, "--positie moet 1 of groter zijn"),
            (["audit", "bewijs", "--positie", "31"], 66, "positie 31 bestaat niet; het log heeft 30 gebeurtenissen"),
            (["audit", "bewijs", "--positie", "5", "--grootte", "3"], 64, "--grootte moet minstens --positie zijn"),
            (["audit", "consistentie", "--van", "7"], 66, "er is geen checkpoint van 7 gebeurtenissen (--van); wel van: 30"),
            (["audit", "consistentie", "--van", "30", "--tot", "20"], 64, "--tot moet minstens --van zijn"),
            (["audit", "export"], 64, "geef --zaak, of --van en --tot"),
            (["audit", "export", "--zaak", "Z-2026-000001", "--van", "2026-11-01", "--tot", "2026-11-02"], 64, "niet beide"),
            (["audit", "export", "--zaak", "Z-2026-000099"], 66, "zaak Z-2026-000099 heeft geen gebeurtenissen"),
            (["audit", "export", "--zaak", "Z-1"], 65, "is geen zaaknummer"),
            (["audit", "export", "--van", "2026-13-01", "--tot", "2026-11-02"], 65, "datums"),
            (["audit", "controleer", "/nergens/bewijs.json"], 65, "bestaat niet"),
            (["audit", "verifieer", "--sleutel", "/nergens/sleutel.pub"], 65, "publieke sleutel"),
        ]
        for (arguments, status, message) in cases {
            let outcome = try zaak(arguments + ["--data", data])
            XCTAssertEqual(outcome.status, status, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.hasPrefix("fout: ") && outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stdout, "", "\(arguments): nothing on stdout")
        }
        let noLog = try zaak(["audit", "verifieer", "--data", temporaryDataDirectory(self) + "/leeg"])
        XCTAssertEqual(noLog.status, 69, noLog.stderr)
        let wrongFile = save(#"{"type":"iets-anders","version":1}"#, "x.json", in: data)
        XCTAssertEqual(try zaak(["audit", "controleer", wrongFile, "--data", data]).status, 65)
        XCTAssertEqual(try python(["bewijs", wrongFile]).status, 65)
        XCTAssertEqual(try python(["bewijs"]).status, 64)
    }

    func testEveryAuditSubcommandHasHelpWithAnExample() throws {
        let group = try zaak(["audit", "--help"])
        XCTAssertEqual(group.status, 0)
        for subcommand in ["sleutel", "checkpoint", "bewijs", "consistentie", "export", "verifieer", "controleer"] {
            XCTAssertTrue(group.stdout.contains(subcommand), "zaak audit --help lists \(subcommand)")
            let help = try zaak(["audit", subcommand, "--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("Voorbeeld"), "zaak audit \(subcommand) --help has an example")
            XCTAssertTrue(help.stdout.contains("--data"), "zaak audit \(subcommand) --help documents --data")
        }
    }
}
