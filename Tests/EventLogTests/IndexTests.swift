import Foundation
import SQLite
import XCTest
@testable import EventLog

/// The derived index stores fingerprints; a collision must cost a read of the log, never a wrong answer.
final class IndexTests: XCTestCase {
    func testFingerprintCollisionsAreConfirmedAgainstTheLog() throws {
        let directory = temporaryDirectory(self)
        let configuration = testConfiguration(checkpointInterval: 10)
        let log = try EventLog(directory: directory, configuration: configuration)
        try log.append(records(1...20))
        XCTAssertEqual(try log.index.indexedThrough, 20)

        // Plant rows as if "e-new" and zaak "Z-other" had the fingerprints of position 7's id and zaak.
        let database = try Database(path: directory + "/index.sqlite")
        try database.execute("INSERT INTO ids VALUES(\(LogIndex.fingerprint("e-new")), 7)")
        try database.execute("INSERT INTO streams VALUES(\(LogIndex.fingerprint("Z-other")), 7)")

        let reopened = try EventLog(directory: directory, configuration: configuration)
        XCTAssertEqual(try reopened.append([LogRecord(id: "e-new", zaak: "Z-other", json: "{}")]),
                       [AppendResult(position: 21, alreadyPresent: false)], "a colliding id is not a retry")
        XCTAssertEqual(try reopened.append([record(7)]), [AppendResult(position: 7, alreadyPresent: true)])
        XCTAssertEqual(try reopened.events(ofZaak: "Z-other").map(\.position), [21], "a colliding zaak's event is not listed")
    }

    func testAnIndexOfAnotherSchemaIsRebuilt() throws {
        let directory = temporaryDirectory(self)
        try EventLog(directory: directory, configuration: testConfiguration(checkpointInterval: 10)).append(records(1...20))
        let database = try Database(path: directory + "/index.sqlite")
        try database.execute("PRAGMA user_version = 1")
        let log = try EventLog(directory: directory, configuration: testConfiguration())
        XCTAssertEqual(try log.append([record(3)]), [AppendResult(position: 3, alreadyPresent: true)])
        XCTAssertEqual(try log.events(ofZaak: "Z-2026-000003").map(\.position), [3])
    }
}
