import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Server
import XCTest

/// A data directory with one token per role, and a helper to call the app and keep what the spec
/// must document.
final class Omgeving: @unchecked Sendable {
    let directory: String
    let bron: Bron
    var tokens: [String: String] = [:]
    /// (method, route template, status) of every answer seen, checked against the spec afterwards.
    let gezien = NSLock()
    var antwoorden: [(String, String, Int)] = []

    static let rollen = ["kcc", "afdeling:Stadsbeheer", "afdeling:Parkeren", "auditor", "beheer"]

    init() throws {
        directory = NSTemporaryDirectory() + "zaaklog-server-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        bron = try Bron(dataDirectory: directory)
        for rol in Self.rollen {
            tokens[rol] = try bron.tokens.maak(rol: try Rol(rol), omschrijving: "test \(rol)").geheim
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func headers(_ rol: String?, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = extra
        if let rol { headers[.authorization] = "Bearer " + (tokens[rol] ?? rol) }
        headers[.contentType] = "application/json"
        return headers
    }

    @discardableResult
    func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, route: String? = nil, rol: String?,
              json: String? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: method, headers: headers(rol, extra), body: json.map { ByteBuffer(string: $0) })
        gezien.withLock { antwoorden.append((method.rawValue.lowercased(), route ?? uri, Int(response.status.code))) }
        return response
    }

    func object(_ response: TestResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any], String(buffer: response.body))
    }

    func array(_ response: TestResponse) throws -> [[String: Any]] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [[String: Any]], String(buffer: response.body))
    }
}

/// The spec's paths, methods and documented statuses, read with Python's YAML parser (the same
/// the schemathesis run uses).
enum Spec {
    static func operaties() throws -> [String: [String: Set<Int>]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = """
            import json, sys, yaml
            spec = yaml.safe_load(open(sys.argv[1]))
            print(json.dumps({p: {m: sorted(int(s) for s in op['responses']) for m, op in ops.items()} for p, ops in spec['paths'].items()}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, root.appendingPathComponent("schemas/openapi.yaml").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "schemas/openapi.yaml is not readable YAML (is PyYAML installed?)")
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [String: [Int]]])
        return parsed.mapValues { $0.mapValues(Set.init) }
    }
}
