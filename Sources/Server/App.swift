import HTTPTypes
import Hummingbird
import NIOCore

/// The app of `zaak serve` and of the tests: every route of `Route.alle` behind bearer-token
/// authentication and the route's role check, errors as problem+json.
///
/// `inactiefNa`: a connection that sends nothing for this long (between requests, or while its
/// request headers or body trickle in) is closed; a response being written (the feed) is not.
public func buildApplication(bron: Bron, host: String = "127.0.0.1", poort: Int = 8080, inactiefNa: Duration = .seconds(30),
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    let router = Router()
    router.add(middleware: ProbleemMiddleware())
    for route in Route.alle {
        router.on(RouterPath(route.pad), method: route.methode) { request, context in
            await afhandelen(route, bron: bron, request: request, context: context)
        }
    }
    return Application(router: router, server: .http1(configuration: .init(idleTimeout: TimeAmount(inactiefNa))),
                       configuration: ApplicationConfiguration(address: .hostname(host, port: poort), serverName: "zaaklog"),
                       onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? poort) })
}

/// Authenticates, checks the role, runs the handler, and turns any error into problem+json with
/// the request's trace id.
func afhandelen(_ route: Route, bron: Bron, request: Request, context: BasicRequestContext) async -> Response {
    let traceId = traceId(request)
    var response: Response
    do {
        // The scheme is case-insensitive (RFC 9110 §11.1): "bearer" is "Bearer".
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer ",
              let (token, rol) = try bron.tokens.zoek(geheim: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)) else {
            throw Probleem.nietAangemeld
        }
        guard route.toegang.staatToe(rol) else {
            throw Probleem.verboden("de rol \(rol) mag \(route.methode.rawValue) \(route.pad) niet gebruiken")
        }
        var verzoek = Verzoek(request: request, context: context, bron: bron, rol: rol, token: token, traceId: traceId)
        response = try await route.handler(&verzoek)
    } catch {
        var probleem = Probleem(error)
        probleem.instance = request.uri.path
        probleem.traceId = traceId
        response = probleem.response()
    }
    response.headers[.traceId] = traceId
    return response
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
func traceId(_ request: Request) -> String {
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
