import Foundation
import XCTest

/// `zaak genereer` through the real binary: reproducible logs, polite refusals, NDJSON that
/// `zaak import` takes, and first-contact figures that come back through `zaak kpi`.
final class GenereerCLITests: XCTestCase {
    // MARK: The must-show

    /// Same profile, seed and period twice: the same events at the same simulated moments, line for
    /// line as readers see them; the stored bytes differ only in their ciphertexts (fresh zaak keys
    /// and nonces, docs/avg.md), so the Merkle roots differ too. Another seed gives other events;
    /// running the same command again on its own log writes nothing.
    func testSameProfileAndSeedTwiceGiveTheSameEvents() throws {
        let args = ["genereer", "--profiel", "assen", "--van", "2026-09-07", "--dagen", "3", "--seed", "7"]
        let first = temporaryDataDirectory(self), second = temporaryDataDirectory(self), other = temporaryDataDirectory(self)
        for data in [first, second] {
            let run = try zaak(args + ["--data", data])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stdout.contains("Leesmodellen bijwerken"), run.stdout)
        }
        XCTAssertEqual(try zaak(args.dropLast() + ["8", "--data", other]).status, 0)

        let segments = segmentFiles(first)
        XCTAssertFalse(segments.isEmpty)
        let shown = try [first, second, other].map { data -> String in
            let lines = try zaak(["log", "toon", "--data", data])
            XCTAssertEqual(lines.status, 0, lines.stderr)
            return lines.stdout
        }
        XCTAssertGreaterThan(shown[0].count, 10_000)
        XCTAssertEqual(shown[0], shown[1], "the same events, decrypted")
        XCTAssertNotEqual(shown[0], shown[2], "another seed, other events")
        let stored = try zaak(["log", "toon", "--zoals-opgeslagen", "--data", first]).stdout
        XCTAssertNotEqual(stored, shown[0], "personal members are stored encrypted")
        XCTAssertNotEqual(stored, try zaak(["log", "toon", "--zoals-opgeslagen", "--data", second]).stdout, "under each directory's own keys")
        let verify = try zaak(["log", "verifieer", "--data", first])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)

        let bytes = segments.map { FileManager.default.contents(atPath: $0) }
        let again = try zaak(args + ["--data", first])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains(" 0 nieuw"), again.stdout)
        XCTAssertEqual(segmentFiles(first).map { FileManager.default.contents(atPath: $0) }, bytes, "a repeated run writes nothing")
    }

    // MARK: Refusals

    func testALogWithOtherEventsIsRefusedAndLeftAlone() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["genereer", "--profiel", "landelijk", "--van", "2026-09-07", "--dagen", "1", "--data", data]).status, 0)
        let before = try zaak(["log", "status", "--data", data, "--json"]).stdout
        let clash = try zaak(["genereer", "--profiel", "landelijk", "--van", "2026-09-07", "--dagen", "1", "--seed", "2", "--data", data])
        XCTAssertEqual(clash.status, 67, clash.stdout + clash.stderr)
        XCTAssertTrue(clash.stderr.hasPrefix("fout: het log in \(data)/log bevat al gebeurtenissen die niet van deze opdracht komen"), clash.stderr)
        XCTAssertTrue(clash.stderr.contains("er is niets vastgelegd"), clash.stderr)
        XCTAssertEqual(try zaak(["log", "status", "--data", data, "--json"]).stdout, before)
    }

    func testWrongUseIsRefusedInDutch() throws {
        let data = temporaryDataDirectory(self)
        let unknown = try zaak(["genereer", "--profiel", "amsterdam", "--data", data])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.stderr.contains("profiel 'amsterdam' bestaat niet; kies uit: landelijk, groningen, utrecht, assen"), unknown.stderr)
        let future = try zaak(["genereer", "--profiel", "assen", "--van", "2099-01-05", "--dagen", "2", "--data", data])
        XCTAssertEqual(future.status, 64, future.stderr)
        XCTAssertTrue(future.stderr.contains("gebeurtenissen in de toekomst worden niet vastgelegd"), future.stderr)
        XCTAssertTrue(segmentFiles(data).isEmpty, "nothing written")

        let list = try zaak(["genereer", "--profielen"])
        XCTAssertEqual(list.status, 0)
        for line in ["landelijk:", "groningen:", "utrecht:", "assen:", "direct 39%, doorverbonden 48%, terugbelverzoek 7%", "direct 80%", "seed 002"] {
            XCTAssertTrue(list.stdout.contains(line), "\(line) in:\n\(list.stdout)")
        }
    }

    // MARK: NDJSON

    /// `--ndjson` writes what `zaak import` accepts: importing it gives the same events, in the
    /// same order, as appending them directly.
    func testNDJSONImportsToTheSameEvents() throws {
        let args = ["genereer", "--profiel", "landelijk", "--van", "2026-09-07", "--dagen", "1", "--seed", "3"]
        let direct = temporaryDataDirectory(self), imported = temporaryDataDirectory(self)
        let file = imported + "/verkeer.ndjson"
        let written = try zaak(args + ["--ndjson", file])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(written.stderr.contains("Klaar: "), written.stderr)
        XCTAssertEqual(try zaak(args + ["--data", direct]).status, 0)
        let importing = try zaak(["import", file, "--data", imported])
        XCTAssertEqual(importing.status, 0, importing.stderr)

        let stdout = try zaak(args + ["--ndjson", "-"])
        XCTAssertEqual(stdout.stdout, String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: file)), as: UTF8.self))

        let fields = ["id", "zaak", "type", "versie", "plaatsgevondenOp"]
        func events(_ data: String) throws -> [[String]] { try loggedLines(data).map { line in fields.map { "\(line[$0] ?? "")" } } }
        let expected = try events(direct)
        XCTAssertGreaterThan(expected.count, 300)
        XCTAssertEqual(try events(imported), expected)
    }

    // MARK: The KPI check against the published table

    /// Seed 004 (programme Antwoord): 39% of first contacts settled directly, ~48% transferred, 7%
    /// callback. Eight weeks of the `landelijk` profile give those figures back through `zaak kpi`
    /// for the telefoon kanaal (the baseline counts calls) within three standard errors of a
    /// proportion over the zaken counted; Utrecht's profile gives its ~80% (seed 001) instead.
    func testFirstContactFiguresMatchThePublishedBaseline() throws {
        func telefoon(_ profiel: String, van: String, tot: String, dagen: Int) throws -> [String: Any] {
            // On tmpfs when there is one: the test measures the figures, not the disk's fsync.
            let data = fastDataDirectory()
            let generated = try zaak(["genereer", "--profiel", profiel, "--van", van, "--dagen", String(dagen), "--data", data])
            XCTAssertEqual(generated.status, 0, generated.stderr)
            let kpi = try zaak(["kpi", "--van", van, "--tot", tot, "--per", "kanaal", "--json", "--data", data])
            XCTAssertEqual(kpi.status, 0, kpi.stderr)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(kpi.stdout.utf8)) as? [[String: Any]])
            return try XCTUnwrap(rows.first { $0["groep"] as? String == "telefoon" }, kpi.stdout)
        }
        func assertShare(_ row: [String: Any], _ key: String, _ published: Double, _ label: String, line: UInt = #line) throws {
            let zaken = try XCTUnwrap(row["zaken"] as? Int)
            let observed = try XCTUnwrap(row[key] as? Double)
            let p = published / 100
            let tolerance = 3 * (p * (1 - p) / Double(zaken)).squareRoot() * 100
            XCTAssertEqual(observed, published, accuracy: tolerance, "\(label): \(observed)% of \(zaken) calls, published \(published)% ± \(tolerance) (3 SE)", line: line)
        }
        let landelijk = try telefoon("landelijk", van: "2026-03-02", tot: "2026-04-26", dagen: 56)
        XCTAssertGreaterThan(landelijk["zaken"] as? Int ?? 0, 7000, "enough calls for a tolerance of about 1.6 points")
        try assertShare(landelijk, "directAfgehandeldProcent", 39, "landelijk direct")
        try assertShare(landelijk, "doorverbondenProcent", 48, "landelijk doorverbonden")
        try assertShare(landelijk, "terugbelProcent", 7, "landelijk terugbelverzoek")

        let utrecht = try telefoon("utrecht", van: "2026-03-02", tot: "2026-03-06", dagen: 5)
        try assertShare(utrecht, "directAfgehandeldProcent", 80, "utrecht direct")
    }

    private func fastDataDirectory() -> String {
        guard FileManager.default.fileExists(atPath: "/dev/shm") else { return temporaryDataDirectory(self) }
        let path = "/dev/shm/zaak-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
