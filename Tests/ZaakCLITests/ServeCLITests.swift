import Foundation
import XCTest

/// `zaak token` and `zaak serve` through the real binary.
final class ServeCLITests: XCTestCase {
    func testTokenMaakToontHetGeheimEenKeerEnBewaartAlleenDeHash() throws {
        let terminal = AgentTerminal(self)
        let made = try terminal.run(["token", "maak", "--rol", "afdeling:Stadsbeheer", "--omschrijving", "Zaaksysteem Stadsbeheer"])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(made.lines.first, "Token T1 (afdeling:Stadsbeheer) voor Zaaksysteem Stadsbeheer:")
        let secret = made.lines[1].trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(secret.hasPrefix("zk_") && secret.count == 67, secret)
        let file = terminal.data + "/tokens.json"
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertFalse(stored.contains(secret.dropFirst(3)), "the secret itself must not be stored")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let listed = try terminal.run(["token", "lijst"])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        XCTAssertTrue(listed.stdout.contains("T1"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains(secret))
        XCTAssertEqual(try terminal.run(["token", "intrek", "T1"]).lines, ["Token T1 (afdeling:Stadsbeheer) is ingetrokken."])
        XCTAssertTrue(try terminal.run(["token", "lijst"]).stdout.contains("ingetrokken"))

        let badRole = try terminal.run(["token", "maak", "--rol", "baas", "--omschrijving", "x"])
        XCTAssertEqual(badRole.status, 65)
        XCTAssertTrue(badRole.stderr.hasPrefix("fout: rol 'baas' bestaat niet; kies uit: kcc, afdeling:<naam>"), badRole.stderr)
        XCTAssertEqual(try terminal.run(["token", "intrek", "T9"]).status, 66)
        let typo = try terminal.run(["token", "maak", "--rol", "afdeling:Stadbeheer", "--omschrijving", "x"])
        XCTAssertEqual(typo.status, 66)
        XCTAssertTrue(typo.stderr.contains("afdeling 'Stadbeheer' staat niet in de catalogus; kies uit: "), typo.stderr)
    }

    /// The server answers on the port it announces, sees what the CLI wrote, and stops with 0 on SIGTERM.
    func testServeLuistertZietWatDeOpdrachtregelSchreefEnStoptNetjes() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let token = try kccToken(terminal)
        let (process, output, base) = try serve(terminal)
        let shown = try runProcess("/usr/bin/env", ["curl", "-s", "-H", "Authorization: Bearer \(token)", "\(base)/zaken/\(agentNummer(1))"])
        let zaak = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], shown.stdout)
        XCTAssertEqual(zaak["inwoner"] as? String, "inw-4821")
        XCTAssertEqual(zaak["versie"] as? Int, 2)
        let refused = try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "\(base)/zaken/\(agentNummer(1))"])
        XCTAssertEqual(refused.stdout, "401")
        // For the platform, without a token: alive, and ready with how far log and read models are.
        let alive = try runProcess("/usr/bin/env", ["curl", "-s", "-w", "\n%{http_code}", "\(base)/gezondheid"])
        XCTAssertEqual(alive.lines, [#"{"status":"ok"}"#, "200"])
        let ready = try runProcess("/usr/bin/env", ["curl", "-s", "\(base)/gereed"])
        XCTAssertEqual(jsonObject(ready.stdout)["status"] as? String, "gereed", ready.stdout)
        XCTAssertEqual(jsonObject(ready.stdout)["logPositie"] as? Int, 2)
        // Prometheus scrapes without a token: counts per route pattern, appends, fsyncs, lag.
        let posted = try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)",
                                                     "-H", "Content-Type: application/json", "--data",
                                                     #"{"kanaal":"whatsapp","inwoner":"inw-4821","onderwerp":"afval.container-niet-geleegd","inhoud":"Nog steeds vol"}"#,
                                                     "\(base)/berichten"])
        XCTAssertEqual(posted.stdout, "201")
        let metrics = try runProcess("/usr/bin/env", ["curl", "-s", "-D", "-", "\(base)/metrics"])
        XCTAssertTrue(metrics.stdout.lowercased().contains("content-type: text/plain; version=0.0.4"), metrics.stdout)
        for expected in [#"zaaklog_http_requests_total{methode="GET",route="/zaken/{nummer}",status="200"} 1"#,
                         #"zaaklog_http_requests_total{methode="GET",route="/zaken/{nummer}",status="401"} 1"#,
                         #"zaaklog_http_requests_total{methode="POST",route="/berichten",status="201"} 1"#,
                         #"zaaklog_http_request_duration_seconds_count{methode="POST",route="/berichten"} 1"#,
                         "zaaklog_appended_events_total 1", "zaaklog_log_position_events 3", "zaaklog_projection_lag_events 0"] {
            XCTAssertTrue(metrics.stdout.contains(expected), "\(expected) missing from:\n\(metrics.stdout)")
        }
        let fsyncs = metrics.lines.first { $0.hasPrefix(#"zaaklog_fsyncs_total{log="zaken"}"#) }?.split(separator: " ").last.flatMap { Int($0) } ?? 0
        XCTAssertGreaterThan(fsyncs, 0, metrics.stdout)
        XCTAssertTrue(metrics.lines.contains { $0.hasPrefix("zaaklog_processing_log_records_total ") }, metrics.stdout)
        XCTAssertFalse(metrics.stdout.contains("inw-4821") || metrics.stdout.contains(agentNummer(1)), "no personal data in the metrics")

        process.terminate()  // SIGTERM: a graceful stop
        process.waitUntilExit()
        let (_, log) = output.wait()
        XCTAssertEqual(process.terminationStatus, 0, log)
        // The access log: one line per request, the route's pattern, status and role; no inwoner.
        let lines = log.split(separator: "\n").filter { $0.contains("verzoek") }
        XCTAssertEqual(lines.count, 3, log)
        XCTAssertTrue(lines[0].contains("route=/zaken/{nummer}") && lines[0].contains("status=200") && lines[0].contains("rol=kcc"), log)
        XCTAssertTrue(lines[1].contains("status=401") && lines[1].contains("rol=-"), log)
        XCTAssertFalse(log.contains("inw-4821") || log.contains(agentNummer(1)), "no personal data or zaaknummer in the log: \(log)")
    }

    /// The HTTP edges of issue 17: the scheme in any case, 413 for a large body, 415 for one that is
    /// not JSON, idle connections closed, and a word about TLS when listening beyond this machine.
    func testHTTPRandgevallenVanEenEchteServer() throws {
        let terminal = try AgentTerminal.withOpenZaak(self)
        let token = try kccToken(terminal)
        let (process, output, announced) = try serve(terminal, ["--inactief-na", "1", "--host", "0.0.0.0"])
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }
        let base = announced.replacingOccurrences(of: "0.0.0.0", with: "127.0.0.1")
        func status(_ arguments: [String]) throws -> String {
            try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments).stdout
        }
        XCTAssertEqual(try status(["-H", "Authorization: bearer \(token)", "\(base)/zaken/\(agentNummer(1))"]), "200", "the scheme is case-insensitive")
        let big = temporaryDataDirectory(self) + "/groot.json"
        _ = FileManager.default.createFile(atPath: big, contents: Data(("{\"inhoud\":\"" + String(repeating: "x", count: 2 << 20) + "\"}").utf8))
        let post = ["-X", "POST", "-H", "Authorization: Bearer \(token)", "\(base)/berichten"]
        // (No Expect: 100-continue: curl would wait a second for it, and --inactief-na 1 closes first.)
        XCTAssertEqual(try status(post + ["-H", "Content-Type: application/json", "-H", "Expect:", "--data-binary", "@" + big]), "413")
        XCTAssertEqual(try status(post + ["-H", "Content-Type: text/plain", "--data", "{}"]), "415")
        XCTAssertEqual(try status(post + ["-H", "Content-Type: application/json; charset=utf-8", "--data", "{}"]), "400", "JSON with a charset is JSON")
        // A connection that sends nothing (or only half its headers) is closed after --inactief-na.
        let port = String(base.split(separator: ":").last!)
        let idle = try runProcess("/usr/bin/python3", ["-c", """
            import socket, sys, time
            for first in (b"", b"GET /kpi HTTP/1.1\\r\\nHost: x\\r\\n"):
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
                s.sendall(first)
                s.settimeout(10)
                start = time.time()
                data = s.recv(100)
                print("closed" if data == b"" and time.time() - start < 8 else "open")
            """, port])
        XCTAssertEqual(idle.lines, ["closed", "closed"], idle.stderr)
        process.terminate()
        process.waitUntilExit()
        XCTAssertTrue(output.wait().1.contains("spreekt geen TLS"), "a warning when listening beyond loopback")
    }

    /// Maintenance beside a running server: `projecties herbouw` swaps the read models and `audit
    /// replay` builds a point-in-time copy while the server answers reads. No request fails, the
    /// answers after the swap are those of the rebuilt read models, and every database is intact.
    func testHerbouwEnReplayTerwijlDeServerLeesverzoekenBeantwoordt() throws {
        var terminal = AgentTerminal(self)
        terminal.nu = "2026-11-30T12:00:00+01:00"
        let generated = try terminal.run(["genereer", "--profiel", "assen", "--van", "2026-11-09", "--dagen", "5"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let token = try kccToken(terminal)
        let (process, output, base) = try serve(terminal)
        defer { process.terminate(); process.waitUntilExit() }
        let paths = ["/afdelingen/Stadsbeheer/werkvoorraad", "/controle", "/zaken?onderwerp=afval", "/kpi?van=2026-11-09&tot=2026-11-13"]
        @Sendable func get(_ path: String) throws -> (status: String, body: String) {
            let outcome = try runProcess("/usr/bin/env", ["curl", "-s", "-w", "\n%{http_code}", "-H", "Authorization: Bearer \(token)", base + path])
            let lines = outcome.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(lines.last ?? ""), lines.dropLast().joined(separator: "\n"))
        }
        let before = try paths.map { try get($0) }
        XCTAssertEqual(before.map(\.status), paths.map { _ in "200" }, before.map(\.body).joined(separator: "\n"))
        let fingerprint = try terminal.run(["projecties", "vingerafdruk"]).lines.first

        // Readers until the maintenance is done.
        let done = ManagedAtomicFlag()
        let statuses = LockedArray()
        let readers = DispatchGroup()
        for path in paths {
            DispatchQueue.global().async(group: readers) {
                while !done.isSet { if let answer = try? get(path) { statuses.append(answer.status) } }
            }
        }
        let rebuilt = try terminal.run(["projecties", "herbouw"])
        let replayed = try terminal.run(["audit", "replay", "--tot", "2026-11-11 12:00", "--naar", terminal.data + "/11nov.sqlite"])
        done.set()
        readers.wait()
        XCTAssertEqual(rebuilt.status, 0, rebuilt.stderr)
        XCTAssertEqual(replayed.status, 0, replayed.stderr)
        XCTAssertGreaterThan(statuses.count, 4)
        XCTAssertEqual(Set(statuses.values), ["200"], "every read during the maintenance was answered")
        XCTAssertTrue(rebuilt.lines.contains(try XCTUnwrap(fingerprint)), "the rebuilt read models hold what the live ones held")

        let after = try paths.map { try get($0) }
        XCTAssertEqual(after.map(\.body), before.map(\.body), "the server answers from the swapped-in read models")
        for database in ["projecties.sqlite", "log/index.sqlite", "11nov.sqlite"] {
            let check = try runProcess("/usr/bin/python3", ["-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
                                                            terminal.data + "/" + database])
            XCTAssertEqual(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "ok", database + check.stderr)
        }
        XCTAssertFalse(output.stdoutSoFar.contains("fout"), output.stdoutSoFar)
    }
}

/// A flag set once, read from several threads.
private final class ManagedAtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

/// Strings appended from several threads.
private final class LockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ item: String) { lock.withLock { items.append(item) } }
    var values: [String] { lock.withLock { items } }
    var count: Int { values.count }
}
