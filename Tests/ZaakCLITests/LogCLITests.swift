import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The `zaak log …` commands through the real binary: output, exit codes, files on disk.
final class LogCLITests: XCTestCase {
    func testHelpShowsEverySubcommandWithAnExample() throws {
        let root = try zaak(["--help"])
        XCTAssertEqual(root.status, 0)
        XCTAssertTrue(root.stdout.contains("log") && root.stdout.contains("genereer"), root.stdout)
        let log = try zaak(["log", "--help"])
        // `toevoegen` writes raw lines without the domain's checks: it works but is not advertised.
        XCTAssertFalse(log.stdout.contains("toevoegen"), "zaak log --help hides toevoegen")
        for subcommand in ["status", "verifieer", "toon", "checkpoint", "verzegel", "herstel", "toevoegen"] {
            if subcommand != "toevoegen" { XCTAssertTrue(log.stdout.contains(subcommand), "zaak log --help lists \(subcommand)") }
            let help = try zaak(["log", subcommand, "--help"])
            XCTAssertEqual(help.status, 0)
            XCTAssertTrue(help.stdout.contains("Voorbeeld"), "zaak log \(subcommand) --help has an example")
            XCTAssertTrue(help.stdout.contains("--data"), "zaak log \(subcommand) --help documents --data")
        }
        let wrong = try zaak(["log", "toevoegen", "--batch", "0"])
        XCTAssertEqual(wrong.status, 64)
        XCTAssertTrue(wrong.stderr.contains("--batch moet tussen 1 en 100000 liggen"), wrong.stderr)
    }

    func testAppendShowReadsBackWithAcknowledgements() throws {
        let data = temporaryDataDirectory(self)
        let appended = try zaak(["log", "toevoegen", "--data", data, "--batch", "4", "--json"], input: ndjson(1...10))
        XCTAssertEqual(appended.status, 0, appended.stderr)
        let acks = appended.lines.map(jsonObject)
        XCTAssertEqual(acks.map { $0["laatstePositie"] as? Int }, [4, 8, 10])
        XCTAssertEqual(acks.map { $0["regels"] as? [Int] }, [[1, 4], [5, 8], [9, 10]])

        let lines = try loggedLines(data)
        XCTAssertEqual(lines.map { $0["positie"] as? Int }, Array(1...10))
        XCTAssertEqual(lines.map { $0["id"] as? String }, (1...10).map { "e-\($0)" })
        XCTAssertEqual((lines[0]["data"] as? [String: Any])?["kanaal"] as? String, "whatsapp")

        // A retry of the same input is acknowledged without writing anything.
        let retry = try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...10))
        XCTAssertEqual(retry.status, 0)
        XCTAssertTrue(retry.stdout.contains("(0 nieuw, 10 al aanwezig)"), retry.stdout)
        XCTAssertEqual(try loggedLines(data).count, 10)

        // $ZAAK_DATA is the default data directory.
        let viaEnvironment = try zaak(["log", "toon", "--vanaf", "9"], environment: ["ZAAK_DATA": data])
        XCTAssertEqual(viaEnvironment.lines.count, 2)
        let oneZaak = try zaak(["log", "toon", "--data", data, "--zaak", "Z-2026-000003"])
        XCTAssertEqual(oneZaak.lines.map { jsonObject($0)["positie"] as? Int }, [3])
    }

    func testStatusAndVerifyReportJSON() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...300)).status, 0)
        let status = jsonObject(try zaak(["log", "status", "--data", data, "--json"]).stdout)
        XCTAssertEqual(status["laatstePositie"] as? Int, 300)
        XCTAssertEqual((status["segmenten"] as? [Any])?.count, 1)
        let verified = try zaak(["log", "verifieer", "--data", data, "--json"])
        XCTAssertEqual(verified.status, 0, verified.stderr)
        let report = jsonObject(verified.stdout)
        XCTAssertEqual(report["oordeel"] as? String, "intact", "no key from the auditor: not 'geldig'")
        XCTAssertEqual(report["handtekeningen"] as? String, "niet-gecontroleerd")
        XCTAssertEqual(report["gebeurtenissen"] as? Int, 300)
        XCTAssertEqual(report["wortel"] as? String, status["wortel"] as? String)
    }

    func testLZ4DecodesActiveAndSealedSegmentsToTheLog() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data, "--batch", "7"], input: ndjson(1...200)).status, 0)
        let sealed = try zaak(["log", "verzegel", "--data", data, "--json"])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data, "--batch", "3"], input: ndjson(201...230)).status, 0)
        let files = segmentFiles(data)
        XCTAssertEqual(files.map { ($0 as NSString).lastPathComponent },
                       ["seg-00000000000000000001.sealed.lz4", "seg-00000000000000000201.open.lz4"])
        var decoded: [String] = []
        for file in files {
            let lz4 = try runProcess("/usr/bin/env", ["lz4", "-dc", file])
            XCTAssertEqual(lz4.status, 0, lz4.stderr)
            decoded += lz4.lines
        }
        XCTAssertEqual(decoded.map { jsonObject($0)["positie"] as? Int }, Array(1...230), "lz4 -dc gives positions 1…N without gaps")
        XCTAssertEqual(decoded, try zaak(["log", "toon", "--data", data]).lines, "lz4 -dc gives exactly the log's lines")
        // The README's line, as a shell runs it: the glob in name order, concatenated.
        let readme = try runProcess("/bin/sh", ["-c", "cat \"$1\"/log/seg-*.lz4 | lz4 -dc", "sh", data])
        XCTAssertEqual(readme.status, 0, readme.stderr)
        XCTAssertEqual(readme.lines, decoded)
    }

    func testBadInputIsRefusedWithItsLineAndNothingOfTheBatchIsWritten() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...3)).status, 0)
        let cases: [(String, String)] = [
            (ndjson(4...4) + "{\"id\":\"e-5\",\"zaak\":\"Z-1\",\"type\":\n", "regel 2: ongeldige JSON"),
            (ndjson(4...4) + "{\"zaak\":\"Z-1\"}\n", "regel 2: het veld 'id' ontbreekt"),
            (ndjson(4...4) + "{\"id\":\"e 5\",\"zaak\":\"Z-1\"}\n", "regel 2: 'id' moet een tekst zijn"),
            (ndjson(4...4) + "{\"id\":\"e-5\",\"zaak\":\"Z-1\",\"positie\":3}\n", "vult het log zelf in"),
            (ndjson(4...4) + "{\"id\":\"e-5\",\"zaak\":\"Z-1\",\"x\":\"" + String(repeating: "a", count: 10 << 20) + "\"}\n", "groter dan 1 MiB"),
        ]
        for (input, message) in cases {
            let outcome = try zaak(["log", "toevoegen", "--data", data], input: input)
            XCTAssertEqual(outcome.status, 65, "\(message): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(message), "expected '\(message)' in: \(outcome.stderr.prefix(300))")
            XCTAssertTrue(outcome.stderr.contains("is niet geschreven") || outcome.stderr.contains("MiB"), outcome.stderr.prefix(300).description)
            XCTAssertEqual(try loggedLines(data).count, 3, "nothing of the refused batch is in the log")
        }
    }

    func testReadingAMissingLogSaysWhatToDo() throws {
        let outcome = try zaak(["log", "status", "--data", "/nonexistent/zaakdata"])
        XCTAssertEqual(outcome.status, 69)
        XCTAssertTrue(outcome.stderr.contains("Er is geen log in /nonexistent/zaakdata/log"), outcome.stderr)
    }

    func testDamageIsNamedAndStopsWritesButNotReads() throws {
        let data = temporaryDataDirectory(self)
        for range in [1...5, 6...10, 11...15] {
            XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(range)).status, 0)
        }
        let segment = segmentFiles(data)[0]
        // Flip a byte inside the second data frame (lines 6–10), not the last one.
        var bytes = Array(FileManager.default.contents(atPath: segment)!)
        let frameOffsets = try frameStarts(bytes)
        let target = frameOffsets[2] + 30
        bytes[target] ^= 0x01
        let handle = Foundation.FileHandle(forWritingAtPath: segment)!
        handle.write(Data(bytes))
        handle.closeFile()

        let append = try zaak(["log", "toevoegen", "--data", data], input: ndjson(16...16))
        XCTAssertEqual(append.status, 76)
        XCTAssertTrue(append.stderr.contains("seg-00000000000000000001.open.lz4 op byte \(frameOffsets[2]) (positie 6)"), append.stderr)

        let show = try zaak(["log", "toon", "--data", data])
        XCTAssertEqual(show.status, 76)
        XCTAssertEqual(show.lines.map { jsonObject($0)["positie"] as? Int }, [1, 2, 3, 4, 5], "everything before the damage is readable")

        let verify = try zaak(["log", "verifieer", "--data", data, "--json"])
        XCTAssertEqual(verify.status, 76)
        let report = jsonObject(verify.lines[0])
        XCTAssertEqual(report["oordeel"] as? String, "beschadigd")
        XCTAssertEqual(report["bestand"] as? String, "seg-00000000000000000001.open.lz4")
        XCTAssertEqual(report["offset"] as? Int, frameOffsets[2])
        XCTAssertEqual(report["positie"] as? Int, 6)
    }

    /// A real full disk: the kernel's file-size limit makes write(2) fail with EFBIG.
    func testFileSizeLimitFailsTheBatchCleanly() throws {
        let data = temporaryDataDirectory(self)
        XCTAssertEqual(try zaak(["log", "toevoegen", "--data", data], input: ndjson(1...20)).status, 0)
        // Large, barely compressible events: the segment reaches the limit long before the index does.
        // (Frames at batch 1 are compressed independently, so one block of noise serves every event.)
        var random = SystemRandomNumberGenerator()
        let hexDigits = Array("0123456789abcdef")
        let noise = String((0..<150_000).map { _ in hexDigits[Int.random(in: 0...15, using: &random)] })
        let big = (21...60).map { #"{"id":"big-\#($0)","zaak":"Z-1","bijlage":"\#(noise)"}"# }.joined(separator: "\n")
        let limited = try runProcess("/bin/bash", ["-c", "ulimit -f 1024; exec \"$0\" \"$@\"", zaakBinary, "log", "toevoegen", "--data", data, "--batch", "1", "--json"],
                              input: Data(big.utf8))
        XCTAssertEqual(limited.status, 74, limited.stderr)
        XCTAssertTrue(limited.stderr.contains("EFBIG"), limited.stderr)
        let acknowledged = limited.lines.map(jsonObject).compactMap { $0["laatstePositie"] as? Int }.max() ?? 20

        let lines = try loggedLines(data)
        XCTAssertEqual(lines.map { $0["positie"] as? Int }, Array(1...acknowledged), "exactly the acknowledged batches are in the log")
        XCTAssertEqual(try zaak(["log", "verifieer", "--data", data]).status, 0)
        let again = try zaak(["log", "toevoegen", "--data", data, "--json"], input: ndjson(1000...1001))
        XCTAssertEqual(jsonObject(again.stdout)["laatstePositie"] as? Int, acknowledged + 2)
    }

    /// Frame start offsets of a segment, walked from the LZ4 headers (a tiny independent walker).
    private func frameStarts(_ bytes: [UInt8]) throws -> [Int] {
        func u32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        var offsets: [Int] = []
        var cursor = 0
        while cursor < bytes.count {
            offsets.append(cursor)
            if u32(cursor) == 0x184D_2A5A { cursor += 8 + u32(cursor + 4); continue }
            cursor += 4 + 2 + 8 + 1
            while true {
                let block = u32(cursor)
                cursor += 4
                if block == 0 { break }
                cursor += (block & 0x7FFF_FFFF) + 4
            }
            cursor += 4
        }
        return offsets
    }
}
