import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Server
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The live feed against a running server, through a plain socket: an SSE client that drops the
/// connection mid-stream and comes back with Last-Event-ID gets every event exactly once.
final class FeedTests: XCTestCase {
    func testEenAfgebrokenStroomHervatMetLastEventIDKrijgtElkeGebeurtenisPreciesEenKeer() async throws {
        let omgeving = try Omgeving()
        let app = buildApplication(bron: omgeving.bron, poort: 0)
        try await app.test(.live) { client in
            let port = try XCTUnwrap(client.port)
            func contact(_ n: Int) async throws {
                let response = try await omgeving.call(client, .post, "/berichten", rol: "kcc", json: """
                    {"inwoner":"inw-\(n)","onderwerp":"afval.grofvuil","kanaal":"email","inhoud":"Grofvuil ophalen \(n)"}
                    """)
                XCTAssertEqual(response.status, .created, String(buffer: response.body))
            }
            for n in 1...3 { try await contact(n) }

            var first = try SSEVerbinding(port: port, token: omgeving.tokens["kcc"]!, lastEventID: nil)
            let before = try first.lees(totMinstens: 3)
            first.sluit()  // gone mid-stream
            XCTAssertEqual(before.first, 1)

            for n in 4...6 { try await contact(n) }  // while the client is away
            var second = try SSEVerbinding(port: port, token: omgeving.tokens["kcc"]!, lastEventID: before.last!)
            let caughtUp = try second.lees(totMinstens: 1)
            for n in 7...8 { try await contact(n) }  // pushed while connected, without asking again
            let end = try omgeving.bron.log.lastPosition()
            var after = caughtUp
            while after.last! < end { after += try second.lees(totMinstens: 1) }
            second.sluit()

            let all = before + after
            XCTAssertEqual(all, Array(1...end), "every event exactly once, in log order")
            XCTAssertEqual(end, 16, "8 contacts, each a ZaakGeopend and a BerichtOntvangen")
        }
    }

    func testEenAfdelingVolgtAlleenZakenDieNaarHaarZijnDoorverwezen() async throws {
        let omgeving = try Omgeving()
        try await buildApplication(bron: omgeving.bron, poort: 0).test(.router) { client in
            for (inwoner, onderwerp) in [("inw-1", "parkeren.vergunning"), ("inw-2", "openbare-ruimte.stoeptegel")] {
                let response = try await omgeving.call(client, .post, "/meldingen", rol: "kcc", json: """
                    {"inwoner":"\(inwoner)","onderwerp":"\(onderwerp)","inhoud":"Melding"}
                    """)
                XCTAssertEqual(response.status, .created, String(buffer: response.body))
            }
            let end = try omgeving.bron.log.lastPosition()
            let feed = try await omgeving.call(client, .get, "/gebeurtenissen?tot=\(end)", route: "/gebeurtenissen", rol: "afdeling:Stadsbeheer")
            XCTAssertEqual(feed.status, .ok)
            XCTAssertEqual(feed.headers[.contentType], "text/event-stream")
            let text = String(buffer: feed.body)
            XCTAssertTrue(text.contains("\"openbare-ruimte.stoeptegel\""), text)
            XCTAssertFalse(text.contains("parkeren.vergunning"), "Parkeren's zaak must not reach Stadsbeheer")
            let typed = try await omgeving.call(client, .get, "/gebeurtenissen?tot=\(end)&type=Doorverwezen", route: "/gebeurtenissen", rol: "kcc")
            let types = String(buffer: typed.body).split(separator: "\n").filter { $0.hasPrefix("event: ") }
            XCTAssertEqual(Set(types), ["event: Doorverwezen"])
        }
    }
}

/// A minimal SSE client over a blocking socket, so a test can drop the connection at will.
struct SSEVerbinding {
    let fd: Int32
    var pending = ""

    init(port: Int, token: String, lastEventID: Int64?) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET /gebeurtenissen HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nAccept: text/event-stream\r\n"
            + (lastEventID.map { "Last-Event-ID: \($0)\r\n" } ?? "") + "\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
    }

    /// The ids of the events that arrived whole, reading until there are at least `count`.
    mutating func lees(totMinstens count: Int) throws -> [Int64] {
        var ids: [Int64] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while ids.count < count {
            let received = recv(fd, &buffer, buffer.count, 0)
            guard received > 0 else { throw POSIXError(.ETIMEDOUT) }
            pending += String(decoding: buffer[0..<received], as: UTF8.self)
            // An event counts once its blank line arrived (chunk-size lines of the HTTP framing are skipped).
            while let end = pending.range(of: "\n\n") {
                let block = pending[..<end.lowerBound]
                pending = String(pending[end.upperBound...])
                // "\r\n" is one Character in Swift: split on both line ends.
                for line in block.split(whereSeparator: \.isNewline) where line.hasPrefix("id: ") {
                    ids.append(Int64(line.dropFirst(4).trimmingCharacters(in: .whitespaces))!)
                }
            }
        }
        return ids
    }

    func sluit() { close(fd) }
}
