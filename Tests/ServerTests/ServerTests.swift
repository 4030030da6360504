import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Server
import XCTest

final class ServerTests: XCTestCase, @unchecked Sendable {
    var omgeving: Omgeving!
    /// Zaak handed to Stadsbeheer (D1) and one handed to Parkeren.
    var stadsbeheerZaak = "", parkerenZaak = ""

    override func setUpWithError() throws {
        omgeving = try Omgeving()
    }

    override func tearDownWithError() throws {
        try controleerTegenSpec()
        omgeving = nil
    }

    func app() -> some ApplicationProtocol { buildApplication(bron: omgeving.bron, poort: 0) }

    /// Two zaken through the API itself: a WhatsApp message handed to Stadsbeheer, a parking
    /// question handed to Parkeren.
    func zaken(_ client: some TestClientProtocol) async throws {
        let first = try await omgeving.call(client, .post, "/berichten", rol: "kcc", json: """
            {"inwoner":"inw-4821","onderwerp":"afval.container-niet-geleegd","kanaal":"whatsapp","inhoud":"Mijn container is niet geleegd","medewerker":"kcc-112"}
            """)
        XCTAssertEqual(first.status, .created, String(buffer: first.body))
        stadsbeheerZaak = try omgeving.object(first)["zaak"] as! String
        let handoff = try await omgeving.call(client, .post, "/zaken/\(stadsbeheerZaak)/doorverwijzingen", route: "/zaken/{nummer}/doorverwijzingen",
                                              rol: "kcc", json: #"{"soort":"warm","afdeling":"Stadsbeheer","toelichting":"Staat sinds maandag vol"}"#)
        XCTAssertEqual(handoff.status, .created, String(buffer: handoff.body))
        let second = try await omgeving.call(client, .post, "/gesprekken", rol: "kcc", json: """
            {"inwoner":"inw-77","onderwerp":"parkeren.vergunning","uitkomst":"doorverbonden","duurSeconden":120}
            """)
        XCTAssertEqual(second.status, .created, String(buffer: second.body))
        parkerenZaak = try omgeving.object(second)["zaak"] as! String
        let other = try await omgeving.call(client, .post, "/zaken/\(parkerenZaak)/doorverwijzingen", route: "/zaken/{nummer}/doorverwijzingen",
                                            rol: "kcc", json: #"{"soort":"koud","afdeling":"Parkeren","toelichting":"Vergunning verlopen"}"#)
        XCTAssertEqual(other.status, .created, String(buffer: other.body))
    }

    /// A concrete request for each route: Stadsbeheer's zaak and queue, a finite feed.
    func uri(_ route: Route) -> String {
        switch route.pad {
        case "/kpi": "/kpi?van=2026-01-01&tot=2026-12-31"
        case "/inzage": "/inzage?inwoner=inw-4821"
        case "/gebeurtenissen": "/gebeurtenissen?afdeling=Stadsbeheer&tot=1"
        default: route.pad.replacingOccurrences(of: "{nummer}", with: stadsbeheerZaak).replacingOccurrences(of: "{afdeling}", with: "Stadsbeheer")
        }
    }

    /// The routes on one zaak an afdeling may use for zaken handed to it; for others they answer 404.
    static let zaakVanEenAndereAfdeling: Set = ["get /zaken/{nummer}", "get /zaken/{nummer}/geschiedenis", "post /zaken/{nummer}/terugkoppelingen"]

    /// Who may use which route, written out by hand (not derived from the server's own table).
    static let toegestaan: [String: Set<String>] = {
        let lezen: Set = ["kcc", "afdeling:Stadsbeheer", "auditor", "beheer"]
        let alles: Set = ["kcc", "auditor", "beheer"]
        let vastleggen: Set = ["kcc", "beheer"]
        return [
            "get /zaken": alles, "get /zaken/{nummer}": lezen, "get /zaken/{nummer}/geschiedenis": lezen,
            "get /afdelingen/{afdeling}/werkvoorraad": lezen, "get /controle": alles, "get /kpi": Set(Omgeving.rollen), "get /checkpoint": Set(Omgeving.rollen),
            "get /verwerkingen": ["auditor", "beheer"], "get /inzage": ["auditor", "beheer"], "get /gebeurtenissen": lezen,
            "post /wissingen": ["beheer"],
            "post /berichten": vastleggen, "post /gesprekken": vastleggen, "post /meldingen": vastleggen,
            "post /zaken/{nummer}/doorverwijzingen": vastleggen, "post /zaken/{nummer}/terugbelverzoeken": vastleggen,
            "post /zaken/{nummer}/informeer": vastleggen, "post /zaken/{nummer}/sluit": vastleggen, "post /zaken/{nummer}/heropen": vastleggen,
            "post /zaken/{nummer}/tevredenheid": vastleggen,
            "post /zaken/{nummer}/terugkoppelingen": ["kcc", "beheer", "afdeling:Stadsbeheer"],
        ]
    }()

    func testElkeRouteGeeft401ZonderOfMetOngeldigTokenEn403VoorEenRolDieNietMag() async throws {
        try await app().test(.router) { client in
            try await zaken(client)
            XCTAssertEqual(Set(Route.alle.map { "\($0.methode.rawValue.lowercased()) \($0.pad)" }), Set(Self.toegestaan.keys))
            for route in Route.alle {
                let key = "\(route.methode.rawValue.lowercased()) \(route.pad)"
                // An empty command: a role that may use the route gets 400, never 401/403.
                let body = route.pad.hasSuffix("terugkoppelingen") ? #"{"doorverwijzing":"D1"}"# : (route.methode == .post ? "{}" : nil)
                for rol in [nil, "zk_ongeldig"] as [String?] {
                    let response = try await omgeving.call(client, route.methode, uri(route), route: route.pad, rol: rol, json: body)
                    XCTAssertEqual(response.status, .unauthorized, "\(key) zonder geldig token")
                    XCTAssertEqual(response.headers[.contentType], "application/problem+json")
                    XCTAssertEqual(try omgeving.object(response)["title"] as? String, "Niet aangemeld")
                }
                for rol in Omgeving.rollen {
                    let response = try await omgeving.call(client, route.methode, uri(route), route: route.pad, rol: rol, json: body)
                    if Self.toegestaan[key]!.contains(rol) {
                        XCTAssertFalse([401, 403].contains(response.status.code), "\(key) als \(rol): \(response.status) \(String(buffer: response.body))")
                    } else if rol.hasPrefix("afdeling:"), Self.zaakVanEenAndereAfdeling.contains(key) {
                        // Another afdeling's zaak is as absent as one that does not exist (after the body's own checks).
                        XCTAssertTrue([400, 404].contains(response.status.code), "\(key) als \(rol): \(response.status) \(String(buffer: response.body))")
                    } else {
                        XCTAssertEqual(response.status, .forbidden, "\(key) als \(rol): \(String(buffer: response.body))")
                        XCTAssertEqual(try omgeving.object(response)["title"] as? String, "Geen toegang")
                    }
                }
            }
            // A revoked token is refused from the next request on.
            let id = try omgeving.bron.tokens.lijst().first { $0.rol == "auditor" }!.id
            _ = try omgeving.bron.tokens.intrek(id)
            let revoked = try await omgeving.call(client, .get, "/controle", rol: "auditor")
            XCTAssertEqual(revoked.status, .unauthorized, "a revoked token still works")
        }
    }

    func testStadsbeheerLeestZijnWerkvoorraadEnKrijgt403OpDeZaakVanEenAndereAfdeling() async throws {
        try await app().test(.router) { client in
            try await zaken(client)
            let queue = try await omgeving.call(client, .get, "/afdelingen/Stadsbeheer/werkvoorraad", route: "/afdelingen/{afdeling}/werkvoorraad",
                                                rol: "afdeling:Stadsbeheer")
            XCTAssertEqual(queue.status, .ok)
            let rows = try omgeving.array(queue)
            XCTAssertEqual(rows.map { $0["zaak"] as? String }, [stadsbeheerZaak])
            XCTAssertEqual(rows.first?["doorverwijzing"] as? String, "D1")
            let own = try await omgeving.call(client, .get, "/zaken/\(stadsbeheerZaak)", route: "/zaken/{nummer}", rol: "afdeling:Stadsbeheer")
            XCTAssertEqual(own.status, .ok)
            XCTAssertEqual(own.headers[.eTag], "\"3\"")
            XCTAssertNotNil(try omgeving.object(own)["oordeel"])
            // Another afdeling's zaak answers exactly as one that does not exist: nothing to probe.
            let foreign = try await omgeving.call(client, .get, "/zaken/\(parkerenZaak)", route: "/zaken/{nummer}", rol: "afdeling:Stadsbeheer")
            let missing = "Z-2026-099999"
            let absent = try await omgeving.call(client, .get, "/zaken/\(missing)", route: "/zaken/{nummer}", rol: "afdeling:Stadsbeheer")
            XCTAssertEqual(foreign.status, .notFound)
            XCTAssertEqual(absent.status, .notFound)
            XCTAssertEqual(foreign.headers[.contentType], "application/problem+json")
            func detail(_ response: TestResponse, _ nummer: String) throws -> String {
                (try omgeving.object(response)["detail"] as! String).replacingOccurrences(of: nummer, with: "…")
            }
            XCTAssertEqual(try detail(foreign, parkerenZaak), try detail(absent, missing))
            for body in [#"{"doorverwijzing":"D1","uitkomst":"opgelost","toelichting":"x"}"#, #"{"doorverwijzing":"D7","uitkomst":"opgelost","toelichting":"x"}"#] {
                let foreignPost = try await omgeving.call(client, .post, "/zaken/\(parkerenZaak)/terugkoppelingen", route: "/zaken/{nummer}/terugkoppelingen",
                                                          rol: "afdeling:Stadsbeheer", json: body)
                let absentPost = try await omgeving.call(client, .post, "/zaken/\(missing)/terugkoppelingen", route: "/zaken/{nummer}/terugkoppelingen",
                                                         rol: "afdeling:Stadsbeheer", json: body)
                XCTAssertEqual(foreignPost.status, .notFound, String(buffer: foreignPost.body))
                XCTAssertEqual(absentPost.status, .notFound)
                XCTAssertEqual(try detail(foreignPost, parkerenZaak), try detail(absentPost, missing))
            }
            let otherQueue = try await omgeving.call(client, .get, "/afdelingen/Parkeren/werkvoorraad", route: "/afdelingen/{afdeling}/werkvoorraad",
                                                     rol: "afdeling:Stadsbeheer")
            XCTAssertEqual(otherQueue.status, .forbidden)
            // Its own terugkoppeling is accepted and recorded with the afdeling as actor.
            let feedback = try await omgeving.call(client, .post, "/zaken/\(stadsbeheerZaak)/terugkoppelingen", route: "/zaken/{nummer}/terugkoppelingen",
                                                   rol: "afdeling:Stadsbeheer", json: #"{"doorverwijzing":"D1","uitkomst":"opgelost","toelichting":"Alsnog geleegd"}"#)
            XCTAssertEqual(feedback.status, .created, String(buffer: feedback.body))
            let event = try XCTUnwrap((try omgeving.object(feedback)["gebeurtenissen"] as? [[String: Any]])?.first)
            XCTAssertEqual(event["actor"] as? [String: String], ["soort": "afdeling", "id": "Stadsbeheer"])
        }
    }

    func testEenInzageStaatDuurzaamInHetVerwerkingenlogEnDeAuditorLeestHem() async throws {
        try await app().test(.router) { client in
            try await zaken(client)
            let read = try await omgeving.call(client, .get, "/zaken/\(stadsbeheerZaak)", route: "/zaken/{nummer}", rol: "kcc",
                                               headers: [HTTPField.Name("traceparent")!: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"])
            XCTAssertEqual(read.status, .ok)
            XCTAssertEqual(read.headers[HTTPField.Name("Trace-Id")!], "4bf92f3577b34da6a3ce929d0e0e4736")
            let log = try await omgeving.call(client, .get, "/verwerkingen?betrokkene=inw-4821", route: "/verwerkingen", rol: "auditor")
            XCTAssertEqual(log.status, .ok)
            let records = try omgeving.array(log)
            let record = try XCTUnwrap(records.first { $0["traceId"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736" }, "\(records)")
            XCTAssertEqual(record["operatie"] as? String, "GET /zaken/{nummer}")
            XCTAssertEqual(record["verwerkingsactiviteit"] as? String, "zaak inzien")
            XCTAssertEqual(record["betrokkene"] as? String, "inw-4821")
            XCTAssertEqual(record["zaken"] as? [String], [stadsbeheerZaak])
            XCTAssertEqual(record["status"] as? String, "ok")
            XCTAssertEqual(record["rol"] as? String, "kcc")
            XCTAssertNotNil(record["tijdstip"])
            // The other inwoner's data was not read by that request.
            XCTAssertFalse(records.contains { ($0["zaken"] as? [String])?.contains(parkerenZaak) == true })
            // Looking for an inwoner is processing their reference, even when nothing is found.
            let none = try await omgeving.call(client, .get, "/zaken?inwoner=inw-onbekend", route: "/zaken", rol: "kcc")
            XCTAssertEqual(try omgeving.array(none).count, 0)
            let searched = try await omgeving.call(client, .get, "/verwerkingen?betrokkene=inw-onbekend", route: "/verwerkingen", rol: "auditor")
            XCTAssertEqual(try omgeving.array(searched).map { $0["verwerkingsactiviteit"] as? String }, ["zaken zoeken"])
            // A KCC token may not read the processing log.
            let kcc = try await omgeving.call(client, .get, "/verwerkingen", rol: "kcc")
            XCTAssertEqual(kcc.status, .forbidden)
        }
    }

    func testEenHerhaaldeOpdrachtMetDezelfdeIdempotencyKeyWordtEenKeerVastgelegd() async throws {
        try await app().test(.router) { client in
            let body = #"{"inwoner":"inw-9","onderwerp":"openbare-ruimte.stoeptegel","inhoud":"Losse tegel","locatie":{"straat":"Kerkstraat","huisnummer":"12"}}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "web-melding-778"]
            let first = try await omgeving.call(client, .post, "/meldingen", rol: "kcc", json: body, headers: key)
            let again = try await omgeving.call(client, .post, "/meldingen", rol: "kcc", json: body, headers: key)
            XCTAssertEqual(first.status, .created)
            XCTAssertEqual(again.status, .ok)
            let a = try omgeving.object(first), b = try omgeving.object(again)
            XCTAssertEqual(b["alVastgelegd"] as? Bool, true)
            XCTAssertEqual(a["zaak"] as? String, b["zaak"] as? String)
            let ids = { (o: [String: Any]) in (o["gebeurtenissen"] as! [[String: Any]]).map { $0["id"] as! String } }
            XCTAssertEqual(ids(a), ids(b))
            let history = try await omgeving.call(client, .get, "/zaken/\(a["zaak"] as! String)/geschiedenis", route: "/zaken/{nummer}/geschiedenis", rol: "kcc")
            XCTAssertEqual(try omgeving.array(history).count, ids(a).count, "written once")
        }
    }

    func testVersieconflictGeeft409OngeldigeInvoer400OnbekendeZaak404EnEenRegel422() async throws {
        try await app().test(.router) { client in
            try await zaken(client)
            let path = "/zaken/\(stadsbeheerZaak)"
            let stale = try await omgeving.call(client, .post, path + "/informeer", route: "/zaken/{nummer}/informeer", rol: "kcc",
                                                json: #"{"kanaal":"whatsapp"}"#, headers: [.ifMatch: "\"1\""])
            XCTAssertEqual(stale.status, .conflict)
            XCTAssertTrue((try omgeving.object(stale)["detail"] as! String).contains("u ging uit van versie 1"))
            let invalid = try await omgeving.call(client, .post, path + "/doorverwijzingen", route: "/zaken/{nummer}/doorverwijzingen", rol: "kcc",
                                                  json: #"{"soort":"lauw","toelichting":"x"}"#)
            XCTAssertEqual(invalid.status, .badRequest)
            XCTAssertEqual(try omgeving.object(invalid)["detail"] as? String, "soort 'lauw' bestaat niet; kies uit: warm, koud")
            // A name twice: JSONDecoder would take the first, other readers the last.
            let twice = try await omgeving.call(client, .post, path + "/informeer", route: "/zaken/{nummer}/informeer", rol: "kcc",
                                                json: #"{"kanaal":"whatsapp","kanaal":"email"}"#)
            XCTAssertEqual(twice.status, .badRequest)
            XCTAssertTrue((try omgeving.object(twice)["detail"] as! String).contains("kanaal"), String(buffer: twice.body))
            // 2.0 is not the version 2 a client meant (JSONDecoder would read it so); nor a moment before the zaak began.
            let fractional = try await omgeving.call(client, .post, path + "/informeer", route: "/zaken/{nummer}/informeer", rol: "kcc",
                                                     json: #"{"kanaal":"whatsapp","versie":3.0}"#)
            XCTAssertEqual(fractional.status, .badRequest)
            XCTAssertTrue((try omgeving.object(fractional)["detail"] as! String).contains("veld 'versie': getal 3.0 is geen geheel getal"), String(buffer: fractional.body))
            let early = try await omgeving.call(client, .post, path + "/informeer", route: "/zaken/{nummer}/informeer", rol: "kcc",
                                                json: #"{"kanaal":"whatsapp","plaatsgevondenOp":"1969-07-20T20:17:00.000Z"}"#)
            XCTAssertEqual(early.status, .badRequest)
            XCTAssertTrue((try omgeving.object(early)["detail"] as! String).contains("ligt meer dan een dag vóór de opening van zaak"), String(buffer: early.body))
            let long = try await omgeving.call(client, .post, "/berichten", route: "/berichten", rol: "kcc",
                                               json: #"{"kanaal":"whatsapp","inwoner":"inw-1","inhoud":"x","onderwerp":"\#(String(repeating: "x", count: 10_000))"}"#)
            XCTAssertEqual(long.status, .badRequest)
            XCTAssertLessThan(String(buffer: long.body).utf8.count, 1_000, "a 10 KB onderwerp is not echoed back whole")
            let unknown = try await omgeving.call(client, .get, "/zaken/Z-2026-999999", route: "/zaken/{nummer}", rol: "kcc")
            XCTAssertEqual(unknown.status, .notFound)
            let refused = try await omgeving.call(client, .post, path + "/sluit", route: "/zaken/{nummer}/sluit", rol: "kcc", json: #"{"resultaat":"opgelost"}"#)
            XCTAssertEqual(refused.status, .unprocessableContent, String(buffer: refused.body))
            XCTAssertEqual(try omgeving.object(refused)["regels"] as? [Int], [1])
            // The steps come as values with the route that takes each, and the text names no command.
            let acties = try XCTUnwrap(try omgeving.object(refused)["acties"] as? [[String: Any]], String(buffer: refused.body))
            XCTAssertEqual(acties.map { $0["soort"] as? String }, ["terugkoppeling", "sluit-met-afwijking"])
            XCTAssertEqual(acties.first?["route"] as? String, "POST /zaken/\(stadsbeheerZaak)/terugkoppelingen")
            XCTAssertEqual(acties.first?["doorverwijzing"] as? String, "D1")
            XCTAssertNil(acties.first?["opdracht"])
            XCTAssertFalse((try omgeving.object(refused)["detail"] as! String).contains("--"))
            let zaak = try await omgeving.call(client, .get, path, route: "/zaken/{nummer}", rol: "kcc")
            let stappen = try XCTUnwrap(try omgeving.object(zaak)["volgendeActies"] as? [[String: Any]], String(buffer: zaak.body))
            XCTAssertEqual(stappen.first?["route"] as? String, "POST /zaken/\(stadsbeheerZaak)/terugkoppelingen")
            let current = try await omgeving.call(client, .post, path + "/informeer", route: "/zaken/{nummer}/informeer", rol: "kcc",
                                                  json: #"{"kanaal":"whatsapp","toelichting":"Doorgezet naar Stadsbeheer"}"#, headers: [.ifMatch: "\"3\""])
            XCTAssertEqual(current.status, .created, String(buffer: current.body))
            XCTAssertEqual(current.headers[.eTag], "\"4\"")
        }
    }

    func testHetNieuwsteCheckpointIsVoorElkeRolOmBuitenDeInstallatieTeBewaren() async throws {
        try await app().test(.router) { client in
            try await zaken(client)
            // A few events: no checkpoint yet until one is written over them (as `zaak serve` does within the hour).
            let none = try await omgeving.call(client, .get, "/checkpoint", rol: "auditor")
            XCTAssertEqual(none.status, .notFound, String(buffer: none.body))
            let written = try XCTUnwrap(try omgeving.bron.log.checkpointUncoveredLines())
            let response = try await omgeving.call(client, .get, "/checkpoint", rol: "afdeling:Stadsbeheer")
            XCTAssertEqual(response.status, .ok, String(buffer: response.body))
            let body = try omgeving.object(response)
            XCTAssertEqual(body["type"] as? String, "zaaklog-checkpoint")
            let checkpoint = try XCTUnwrap(body["checkpoint"] as? [String: Any])
            XCTAssertEqual((checkpoint["treeSize"] as? Int).map(Int64.init), written.treeSize)
            XCTAssertEqual(checkpoint["root"] as? String, written.root.hex)
        }
    }

    func testEenOnbekendeRouteGeeftOokEenProbleem() async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: "/zaakjes", method: .get, headers: omgeving.headers("kcc"))
            XCTAssertEqual(response.status, .notFound)
            XCTAssertEqual(response.headers[.contentType], "application/problem+json")
            XCTAssertEqual(try omgeving.object(response)["detail"] as? String, "/zaakjes bestaat niet; de routes staan in schemas/openapi.yaml")
        }
    }

    func testRoutesEnSpecLopenGelijk() throws {
        let spec = try Spec.operaties()
        let documented = Set(spec.flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
        let served = Set(Route.alle.map { "\($0.methode.rawValue.lowercased()) \($0.pad)" } + OpenRoute.alle.map { "get \($0.pad)" })
        XCTAssertEqual(served.subtracting(documented), [], "routes missing from schemas/openapi.yaml")
        XCTAssertEqual(documented.subtracting(served), [], "operations in schemas/openapi.yaml the server does not serve")
    }

    /// Every answer the tests saw has its status documented for that operation.
    func controleerTegenSpec() throws {
        guard let omgeving, !omgeving.antwoorden.isEmpty else { return }
        let spec = try Spec.operaties()
        for (method, route, status) in omgeving.antwoorden {
            let documented = spec[route]?[method] ?? []
            XCTAssertTrue(documented.contains(status), "\(method.uppercased()) \(route) answered \(status), not in schemas/openapi.yaml")
        }
    }
}
