import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The app of `zaak serve` and of the tests: every route of `Route.alle` behind bearer-token
/// authentication and the route's role check, errors as problem+json; and what `paginas` adds.
///
/// `inactiefNa`: a connection that sends nothing for this long (between requests, or while its
/// request headers or body trickle in) is closed; a response being written (the feed) is not.
/// `toegangslog`: one line per request (route, status, duration, role; no personal data) and the
/// cause of every 5xx; nil logs nothing (the tests).
public func buildApplication(bron: Bron, host: String = "127.0.0.1", poort: Int = 8080, inactiefNa: Duration = .seconds(30),
                             toegangslog: Logger? = nil,
                             paginas: @Sendable (Router<BasicRequestContext>, Bron) -> Void = { _, _ in },
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: ProbleemMiddleware())
    for route in Route.alle {
        router.on(RouterPath(route.pad), method: route.methode) { request, context in
            await afhandelen(route, bron: bron, request: request, context: context, log: toegangslog)
        }
    }
    for route in OpenRoute.alle {
        router.get(RouterPath(route.pad)) { _, _ in await route.handler(bron) }
    }
    // The pages for people (module Web), beside the API.
    paginas(router, bron)
    return Application(router: router, server: .http1(configuration: .init(idleTimeout: TimeAmount(inactiefNa))),
                       configuration: ApplicationConfiguration(address: .hostname(host, port: poort), serverName: "zaaklog"),
                       onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? poort) })
}

/// Authenticates, checks the role, runs the handler, and turns any error into problem+json with
/// the request's trace id.
func afhandelen(_ route: Route, bron: Bron, request: Request, context: BasicRequestContext, log: Logger? = nil) async -> Response {
    let traceId = traceId(request)
    let start = ContinuousClock.now
    var response: Response
    var wie = (rol: "-", token: "-")
    do {
        // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" is "Bearer".
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer ",
              let (token, rol) = try bron.tokens.zoek(geheim: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            throw Probleem.nietAangemeld
        }
        wie = (rol.description, token.id)
        guard route.toegang.staatToe(rol) else {
            throw Probleem.verboden("de rol \(rol) mag \(route.methode.rawValue) \(route.pad) niet gebruiken; dat mag: \(route.toegang.rollen)")
        }
        var verzoek = Verzoek(request: request, context: context, bron: bron, rol: rol, token: token, traceId: traceId)
        response = try await route.handler(&verzoek)
    } catch {
        var probleem = Probleem(error)
        probleem.instance = request.uri.path
        probleem.traceId = traceId
        response = probleem.response()
        if response.status.code >= 500 {
            log?.error("verzoek mislukt", metadata: ["route": "\(route.methode.rawValue) \(route.pad)", "traceId": "\(traceId)", "oorzaak": "\(error)"])
        }
    }
    response.headers[.traceId] = traceId
    // The route's pattern, never the path or query: they may name an inwoner.
    let duration = ContinuousClock.now - start
    bron.metingen.verzoek(methode: route.methode.rawValue, route: route.pad, status: Int(response.status.code), duur: duration)
    log?.info("verzoek", metadata: ["methode": "\(route.methode.rawValue)", "route": "\(route.pad)", "status": "\(response.status.code)",
                                    "ms": "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)",
                                    "rol": "\(wie.rol)", "token": "\(wie.token)", "traceId": "\(traceId)"])
    return response
}

/// Routes without a token, for the platform (a load balancer, systemd, a probe): they say nothing
/// about zaken or inwoners.
public struct OpenRoute: Sendable {
    public let pad: String
    let handler: @Sendable (Bron) async -> Response

    public static let alle: [OpenRoute] = [
        // Prometheus: counters and latencies per route pattern; no personal data, like /gereed.
        OpenRoute(pad: "/metrics") { bron in
            await metPosities(bron, pad: "/metrics") { log, projected in
                Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: bron.metingen.tekst(logPositie: log, projectiePositie: projected))))
            }
        },
        // Liveness: the process answers.
        OpenRoute(pad: "/gezondheid") { _ in
            (try? JSONUitvoer.response(["status": "ok"])) ?? Response(status: .ok)
        },
        // Readiness: the log and the read models can be read, and how far each is.
        OpenRoute(pad: "/gereed") { bron in
            struct Gereed: Encodable { let status: String, logPositie: Int64, projectiePositie: Int64 }
            return await metPosities(bron, pad: "/gereed") { log, projected in
                try JSONUitvoer.response(Gereed(status: "gereed", logPositie: log, projectiePositie: projected))
            }
        },
    ]

    /// The answer made from the log's last position and the read models', or 503 when either cannot be read.
    private static func metPosities(_ bron: Bron, pad: String, _ answer: (Int64, Int64) throws -> Response) async -> Response {
        do {
            let reader = bron.lezer
            let log = try await bron.blokkerend { try reader.lastPosition() }
            let projected = try await bron.lees { lezer, _ in try lezer.positie() }
            return try answer(log, projected)
        } catch {
            var probleem = Probleem(.serviceUnavailable, code: "niet-gereed", title: "Niet gereed", detail: "de server kan nu niet lezen: \(error)")
            probleem.instance = pad
            return probleem.response()
        }
    }
}

/// Unknown paths and methods answer with a problem too, not the framework's empty body.
struct ProbleemMiddleware: RouterMiddleware {
    func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let detail = error.status == .notFound
                ? "\(request.uri.path) bestaat niet; de routes staan in schemas/openapi.yaml"
                : "\(request.method.rawValue) \(request.uri.path): \(error.status.reasonPhrase)"
            var probleem = Probleem(error.status, code: "route", title: error.status == .notFound ? "Niet gevonden" : "Ongeldig verzoek", detail: detail)
            probleem.instance = request.uri.path
            return probleem.response()
        }
    }
}

/// The W3C traceparent's trace id when the client sent one, so its logs and ours line up; else a new one.
package func traceId(_ request: Request) -> String {
    if let parent = request.headers[.traceparent] {
        let parts = parent.split(separator: "-")
        if parts.count == 4, parts[1].count == 32, parts[1].allSatisfy({ $0.isHexDigit }) { return String(parts[1]) }
    }
    var random = SystemRandomNumberGenerator()
    return (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &random), radix: 16).leftPadded() }.joined()
}

private extension String {
    func leftPadded() -> String { count == 1 ? "0" + self : self }
}

extension HTTPField.Name {
    static let traceId = HTTPField.Name("Trace-Id")!
    static let traceparent = HTTPField.Name("traceparent")!
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
