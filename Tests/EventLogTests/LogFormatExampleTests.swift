import Foundation
import XCTest
import CivilTime
@testable import EventLog

/// schemas/log-format.md §11, byte for byte: if the writer drifts from the spec, this fails.
final class LogFormatExampleTests: XCTestCase {
    /// The example's log: three events in two commits, then the segment rolled.
    private func exampleLog() throws -> (directory: String, log: EventLog) {
        let directory = temporaryDirectory(self)
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        try log.append([LogRecord(id: "e-1", zaak: "Z-1", json: #"{"type":"ZaakGeopend"}"#),
                        LogRecord(id: "e-2", zaak: "Z-1", json: #"{"type":"MeldingOntvangen"}"#)])
        try log.append([LogRecord(id: "e-3", zaak: "Z-1", json: #"{"type":"Doorverwezen"}"#)])
        try log.rollActiveSegment()
        return (directory, log)
    }

    func testTheWorkedExampleOfTheSpec() throws {
        let (directory, log) = try exampleLog()

        let lines = try allEntries(log).map { String(decoding: $0.line, as: UTF8.self) }
        XCTAssertEqual(lines, [
            #"{"positie":1,"id":"e-1","zaak":"Z-1","vastgelegdOp":"2026-11-02T09:00:00.001Z","type":"ZaakGeopend"}"#,
            #"{"positie":2,"id":"e-2","zaak":"Z-1","vastgelegdOp":"2026-11-02T09:00:00.001Z","type":"MeldingOntvangen"}"#,
            #"{"positie":3,"id":"e-3","zaak":"Z-1","vastgelegdOp":"2026-11-02T09:00:00.002Z","type":"Doorverwezen"}"#,
        ])
        let leaves = lines.map { line in Array(line.utf8).withUnsafeBytes { MerkleHash.leaf($0) } }
        XCTAssertEqual(leaves.map(\.hex), ["5e7bb245604f28753b5f554db743da63a92a6664ed4bee57ef8aa1944b62d87c",
                                           "61525986897130bcf955c55cc59ec82e049517428ab1646d5190efc9ae5df289",
                                           "e9755b513d60aea5ec66b0a65958320ce58a4250d22926b0c0602b1423edd25d"])
        let root2 = MerkleHash.node(leaves[0], leaves[1])
        XCTAssertEqual(root2.hex, "7f59646833ef3da5b9185d747c254f9c746a0bec2d86d52332a6d7ae46f96353")
        XCTAssertEqual(try log.verify().root.hex, "413cdfa1d264bc81182b50195116d55460b56528ebef69283607669806519691")

        let first = segmentPaths(directory)[0]
        XCTAssertTrue(first.hasSuffix("seg-00000000000000000001.open.lz4"))
        let bytes = readBytes(first)
        let allFrames = frames(of: first)
        XCTAssertEqual(allFrames.count, 4)
        XCTAssertEqual(Array(bytes[0..<12]), [0x5A, 0x2A, 0x4D, 0x18, 0x41, 0, 0, 0, 0x27, 0x29, 0x46, 0xC9])
        XCTAssertEqual(String(decoding: bytes[12..<73], as: UTF8.self), #"{"type":"segment","format":1,"firstPosition":1,"frontier":[]}"#)
        XCTAssertEqual(allFrames[1].start, 73)
        XCTAssertEqual(allFrames[1].kind, .data(contentSize: 207))
        XCTAssertEqual(allFrames[2].kind, .data(contentSize: 102))
        XCTAssertEqual(bytes[allFrames[1].start + 4], 0x7C, "FLG")
        XCTAssertEqual(String(decoding: bytes[(allFrames[3].start + 12)..<allFrames[3].end], as: UTF8.self),
                       #"{"type":"checkpoint","treeSize":3,"root":"413cdfa1d264bc81182b50195116d55460b56528ebef69283607669806519691","recordedAt":"2026-11-02T09:00:00.002Z","frontier":["7f59646833ef3da5b9185d747c254f9c746a0bec2d86d52332a6d7ae46f96353","e9755b513d60aea5ec66b0a65958320ce58a4250d22926b0c0602b1423edd25d"]}"#)

        let second = readBytes(segmentPaths(directory)[1])
        let header = try XCTUnwrap(String(decoding: second[12...], as: UTF8.self).split(separator: "}").first)
        XCTAssertEqual(header + "}", #"{"type":"segment","format":1,"firstPosition":4,"frontier":["7f59646833ef3da5b9185d747c254f9c746a0bec2d86d52332a6d7ae46f96353","e9755b513d60aea5ec66b0a65958320ce58a4250d22926b0c0602b1423edd25d"]}"#)
    }

    /// §11.1: the example log cut three ways, with the verdicts of §10, from both verifiers.
    func testTheExampleCutThreeWays() throws {
        let original = try exampleLog().directory
        let (first, second) = ("seg-00000000000000000001.open.lz4", "seg-00000000000000000004.open.lz4")
        let firstBytes = readBytes(original + "/" + first), secondBytes = readBytes(original + "/" + second)
        XCTAssertEqual(firstBytes.count, 677)
        XCTAssertEqual(secondBytes.count, 206)
        XCTAssertEqual(frames(of: original + "/" + first)[3].start, 370, "the checkpoint")
        var directory = ""
        func variant(_ change: (String) -> Void) -> LogReader {
            directory = temporaryDirectory(self) + "/log"
            copyDirectory(original, directory)
            change(directory)
            return try! LogReader(directory: directory, configuration: testConfiguration())
        }
        // 1. Half a frame written after the second segment's header: a torn tail, everything before it valid.
        let torn = try variant { writeBytes(secondBytes + Array(secondBytes[0..<20]), $0 + "/" + second) }.verify()
        XCTAssertEqual(torn.tornTail, TornTail(file: second, offset: 206, bytes: 20, position: 4))
        XCTAssertEqual(torn.events, 3)
        let python = try pythonVerifier(["log", directory])
        XCTAssertEqual(python.status, 73, python.stderr)
        XCTAssertEqual(python.json["oordeel"] as? String, "intact-met-afgebroken-staart")
        let tail = python.json["afgebrokenStaart"] as? [String: Any]
        XCTAssertEqual(tail?["bestand"] as? String, second)
        XCTAssertEqual([tail?["offset"], tail?["bytes"], tail?["positie"]].map { $0 as? Int }, [206, 20, 4])
        // 2. The first segment's checkpoint cut short: a segment that is not the last is damaged.
        // 3. Its checkpoint removed whole: every frame left is valid, but a closed segment ends with one.
        for size in [670, 370] {
            assertDamaged(try variant { writeBytes(Array(firstBytes[0..<size]), $0 + "/" + first) }.verify(),
                          file: first, offset: 370, position: 4, "cut to \(size)")
            let python = try pythonVerifier(["log", directory])
            XCTAssertEqual(python.status, 76, python.stderr)
            XCTAssertEqual(python.json["bestand"] as? String, first)
            XCTAssertEqual(python.json["offset"] as? Int, 370)
            XCTAssertEqual(python.json["positie"] as? Int, 4)
        }
    }

    /// §11.2: the example's checkpoint signed with the example key (seed 00 01 … 1f). The expected
    /// values were computed with Python's `cryptography` package, not with this code.
    func testTheSignedCheckpointOfTheSpec() throws {
        let signer = try CheckpointSigner(seed: Array(0..<32))
        XCTAssertEqual(HexBytes.encode(signer.publicKey.raw), "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8")
        XCTAssertEqual(signer.publicKey.keyId, "56475aa75463474c")
        var tree = MerkleFrontier()
        for line in [#"{"positie":1,"id":"e-1","zaak":"Z-1","vastgelegdOp":"2026-11-02T09:00:00.001Z","type":"ZaakGeopend"}"#,
                     #"{"positie":2,"id":"e-2","zaak":"Z-1","vastgelegdOp":"2026-11-02T09:00:00.001Z","type":"MeldingOntvangen"}"#,
                     #"{"positie":3,"id":"e-3","zaak":"Z-1","vastgelegdOp":"2026-11-02T09:00:00.002Z","type":"Doorverwezen"}"#] {
            Array(line.utf8).withUnsafeBytes { tree.append(line: $0) }
        }
        let checkpoint = Checkpoint(tree: tree, recordedAt: try XCTUnwrap(Timestamp.parse(Array("2026-11-02T09:00:00.002Z".utf8)))).signed(by: signer)
        XCTAssertEqual(String(decoding: checkpoint.signedMessage, as: UTF8.self),
                       "zaaklog-checkpoint-v1\n3\n413cdfa1d264bc81182b50195116d55460b56528ebef69283607669806519691\n2026-11-02T09:00:00.002Z\n")
        XCTAssertEqual(checkpoint.signature?.hex,
                       "07362ccaf42e88976a2f432c6fe0c14811996e08d78f3563f3efda70ee04605a3df20fe197f4ff08b429bea2771bd0dfbe7786ae6738511cd35534a2396f3903")
        XCTAssertEqual(MetadataRecord.checkpoint(checkpoint).json,
                       #"{"type":"checkpoint","treeSize":3,"root":"413cdfa1d264bc81182b50195116d55460b56528ebef69283607669806519691","recordedAt":"2026-11-02T09:00:00.002Z","frontier":["7f59646833ef3da5b9185d747c254f9c746a0bec2d86d52332a6d7ae46f96353","e9755b513d60aea5ec66b0a65958320ce58a4250d22926b0c0602b1423edd25d"],"signature":{"keyId":"56475aa75463474c","ed25519":"07362ccaf42e88976a2f432c6fe0c14811996e08d78f3563f3efda70ee04605a3df20fe197f4ff08b429bea2771bd0dfbe7786ae6738511cd35534a2396f3903"}}"#)
        XCTAssertEqual(signer.publicKey.fileContents,
                       #"{"type":"zaaklog-public-key","algorithm":"ed25519","keyId":"56475aa75463474c","publicKey":"03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"}"# + "\n")
    }
}
