import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 17, item 5: a data directory on a small ext4 file system (1 KiB blocks, no reserve for
/// root), filled step by step to its last byte while the CLI and a server work on it. Reads keep
/// answering, writes are refused with exit 74 or 503 and a Dutch message, nothing dies of a signal
/// (SQLite's mapped WAL index gave SIGBUS here), and every acknowledged event is there afterwards.
final class FullDiskCLITests: XCTestCase {
    private var mountPoint = ""

    override func setUpWithError() throws {
        guard getuid() == 0 else { throw XCTSkip("a loop mount needs root") }
        let directory = temporaryDataDirectory(self)
        let image = directory + "/schijf.img"
        mountPoint = directory + "/mnt"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: image, contents: nil))
        XCTAssertEqual(truncate(image, 40 << 20), 0)
        let made = try runProcess("/sbin/mkfs.ext4", ["-q", "-F", "-m", "0", "-b", "1024", image])
        XCTAssertEqual(made.status, 0, made.stderr)
        let mounted = try runProcess("/bin/mount", ["-o", "loop", image, mountPoint])
        XCTAssertEqual(mounted.status, 0, mounted.stderr)
    }

    override func tearDownWithError() throws {
        if !mountPoint.isEmpty { _ = try runProcess("/bin/umount", ["-l", mountPoint]) }
    }

    /// Takes all but `free` bytes of the file system (nil: gives them back).
    private func fill(leaving free: Int?) throws {
        let filler = mountPoint + "/vuller"
        unlink(filler)
        guard let free else { return }
        sync()
        var info = statvfs()
        XCTAssertEqual(statvfs(mountPoint, &info), 0)
        let available = Int(info.f_bavail) * Int(info.f_frsize)
        guard available > free else { return }
        let fd = open(filler, O_RDWR | O_CREAT, 0o600)
        defer { close(fd) }
        _ = posix_fallocate(fd, 0, off_t(available - free))
    }

    func testEenVolleSchijfLaatLezenWerkenEnWeigertSchrijvenNetjes() throws {
        var terminal = AgentTerminal(data: mountPoint + "/zaakdata")
        terminal.nu = "2026-11-20T09:00:00+01:00"
        let generated = try terminal.run(["genereer", "--profiel", "assen", "--van", "2026-10-05", "--dagen", "2"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        // Imported 200 lines at a time, continuing where the previous step's import left off.
        let exported = temporaryDataDirectory(self) + "-verkeer.ndjson"
        XCTAssertEqual(try terminal.run(["genereer", "--profiel", "assen", "--van", "2025-10-06", "--dagen", "1", "--seed", "7", "--ndjson", exported]).status, 0)
        let traffic = try String(contentsOfFile: exported, encoding: .utf8).split(separator: "\n")
        let importFile = exported + ".deel"
        var imported = 0
        let token = try kccToken(terminal)
        var server: (process: Process, output: OutputCollector, base: String)?
        defer { if let server, server.process.isRunning { server.process.terminate(); server.process.waitUntilExit() } }
        func http(_ arguments: [String]) throws -> Int {
            let answer = try runProcess("/usr/bin/env", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)"] + arguments)
            return Int(answer.stdout) ?? -1
        }

        var acknowledged: [String] = []  // inwoners whose bericht the CLI or the API acknowledged
        var refusals = 0
        // First the CLI alone, from a full disk up in steps of 2 KiB (each command opens the SQLite
        // files first and grows their WAL index itself: where the SIGBUS was), then filling again
        // with a server beside it.
        let alone = stride(from: 0, through: 64, by: 2).map { ($0 << 10, false) }
        let served = stride(from: 96, through: 0, by: -8).map { ($0 << 10, true) } + [(0, true)]
        for (free, withServer) in alone + served {
            if withServer, server == nil {
                try fill(leaving: nil)
                server = try serve(terminal)
            }
            try fill(leaving: free)
            let step = "\(free) bytes free\(withServer ? ", with a server" : "")"
            func check(_ outcome: Outcome, _ what: String, allowed: Set<Int32>) {
                XCTAssertTrue(allowed.contains(outcome.status), "\(what) with \(step): \(outcome.status) \(outcome.stderr)")
                XCTAssertFalse(outcome.stderr.contains("crashed") || outcome.stderr.contains("Error:"), "\(what) with \(step): \(outcome.stderr)")
                if outcome.status == 74 {
                    refusals += 1
                    XCTAssertTrue(outcome.stderr.hasPrefix("fout: ") && outcome.stderr.contains("vol"), "\(what): \(outcome.stderr)")
                }
            }
            let inwoner = "inw-vol-\(free)-\(withServer)"
            let bericht = try terminal.run(["bericht", "--kanaal", "whatsapp", "--inwoner", inwoner, "--onderwerp", "afval.container-niet-geleegd", "--inhoud", "Vol"])
            check(bericht, "bericht", allowed: [0, 74])
            if bericht.status == 0 { acknowledged.append(inwoner) }
            check(try terminal.run(["projecties", "bijwerken"]), "projecties bijwerken", allowed: [0, 74])
            try (traffic[imported..<min(imported + 200, traffic.count)].joined(separator: "\n") + "\n").write(toFile: importFile, atomically: false, encoding: .utf8)
            let importing = try terminal.run(["import", importFile])
            check(importing, "import", allowed: [0, 74])
            if importing.status == 0 { imported = min(imported + 200, traffic.count) }
            for read in [["toon", "2026-1"], ["geschiedenis", "2026-1"], ["werkvoorraad", "--afdeling", "Stadsbeheer"], ["log", "status"], ["log", "verifieer"]] {
                check(try terminal.run(read), read.joined(separator: " "), allowed: [0])
            }
            guard let server else { continue }
            XCTAssertEqual(try http(["\(server.base)/gereed"]), 200, step)
            XCTAssertEqual(try http(["\(server.base)/checkpoint"]), 200, step)
            // A read of personal data that the processing log cannot record is refused (503), not shown unrecorded.
            XCTAssertTrue([200, 503].contains(try http(["\(server.base)/zaken/Z-2026-000001"])), step)
            let apiInwoner = "inw-api-\(free)"
            let posted = try http(["-H", "Content-Type: application/json", "-H", "Idempotency-Key: vol-\(free)", "--data",
                                   #"{"kanaal":"whatsapp","inwoner":"\#(apiInwoner)","onderwerp":"afval.container-niet-geleegd","inhoud":"Vol"}"#, "\(server.base)/berichten"])
            XCTAssertTrue([200, 201, 503].contains(posted), "POST with \(step): \(posted) \(server.output.stderrSoFar.split(separator: "\n").last { $0.contains("mislukt") } ?? "")")
            if posted == 201 || posted == 200 { acknowledged.append(apiInwoner) }
        }
        let running = try XCTUnwrap(server)
        XCTAssertGreaterThan(refusals, 0, "the disk never filled up")
        XCTAssertTrue(running.process.isRunning, "the server survived the full disk")

        // Room again: everything catches up, and every acknowledged bericht is in the log.
        try fill(leaving: nil)
        XCTAssertEqual(try terminal.run(["projecties", "bijwerken"]).status, 0)
        let verified = try terminal.run(["log", "verifieer"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        let inwoners = Set(try loggedLines(terminal.data).compactMap { ($0["data"] as? [String: Any])?["inwoner"] as? [String: Any] }.compactMap { $0["ref"] as? String })
        for inwoner in acknowledged { XCTAssertTrue(inwoners.contains(inwoner), "\(inwoner) was acknowledged and is not in the log") }
        XCTAssertEqual(try http(["-H", "Content-Type: application/json", "--data",
                                 #"{"kanaal":"whatsapp","inwoner":"inw-weer-ruimte","onderwerp":"afval.container-niet-geleegd","inhoud":"Weer ruimte"}"#, "\(running.base)/berichten"]), 201)
        running.process.terminate()
        running.process.waitUntilExit()
        let (_, log) = running.output.wait()
        XCTAssertEqual(running.process.terminationStatus, 0, log)
        XCTAssertFalse(log.contains("status=500"), "no 500 while the disk was full: \(log.split(separator: "\n").filter { $0.contains("status=500") }.prefix(3))")
    }
}
