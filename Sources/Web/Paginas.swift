import Domain
import EventLog
import HTTPTypes
import Hummingbird
import NIOCore
import Server
import Service
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The pages of `zaak serve` for people: signing in, the werkvoorraad, a zaak with its
/// terugkoppeling form, the afsluitcontrole, the kerncijfers and the log's status. Each page reads
/// through the same `Bron`, rules and processing log as the API; the pages only translate.
public struct Paginas: Sendable {
    let bron: Bron
    let gebruikers: Gebruikersbestand
    let sessies: Sessies
    let pogingen = Aanmeldpogingen()

    /// The largest form body taken: a terugkoppeling is a few sentences.
    static let maximaleForm = 64 * 1024
    static let sessieCookie = "zaak_sessie"
    static let aanmeldCookie = "zaak_aanmelden"

    /// What `buildApplication(paginas:)` takes: the pages added to the API's router.
    /// `sessieduur`: a session ends this long after its last request.
    public static func routes(sessieduur: Duration) -> @Sendable (Router<BasicRequestContext>, Bron) -> Void {
        { router, bron in
            Paginas(bron: bron, gebruikers: Gebruikersbestand(dataDirectory: bron.dataDirectory), sessies: Sessies(inactief: sessieduur))
                .registreer(router)
        }
    }

    func registreer(_ router: Router<BasicRequestContext>) {
        router.add(middleware: Paginamiddleware())
        router.get("/") { request, _ in
            let signedIn = if case .geldig = sessie(request) { true } else { false }
            return Self.doorsturen(signedIn ? "/werkvoorraad" : "/aanmelden")
        }
        router.get("/aanmelden") { request, _ in await aanmeldpagina(request) }
        router.post("/aanmelden") { request, _ in await aanmelden(request) }
        router.post("/afmelden") { request, context in
            await pagina(request, context) { aangemeld in
                _ = try await formulier(request, aangemeld)
                sessies.beeindig(aangemeld.geheim)
                var response = Self.doorsturen("/aanmelden?afgemeld=1")
                response.setCookie(Self.cookie(Self.sessieCookie, "", request: request, maxAge: 0))
                return response
            }
        }
        router.get("/werkvoorraad") { request, context in await pagina(request, context) { try await werkvoorraad($0) } }
        router.get("/zaak/{nummer}") { request, context in await pagina(request, context) { try await zaakpagina($0, nummer: context.parameters.get("nummer") ?? "") } }
        router.post("/zaak/{nummer}/terugkoppeling") { request, context in
            await pagina(request, context) { try await terugkoppeling($0, nummer: context.parameters.get("nummer") ?? "") }
        }
        router.get("/afsluitcontrole") { request, context in await pagina(request, context) { try await afsluitcontrole($0) } }
        router.get("/kerncijfers") { request, context in await pagina(request, context) { try await kerncijfers($0) } }
        router.get("/knelpunten") { request, context in await pagina(request, context) { try await knelpunten($0) } }
        router.get("/logstatus") { request, context in await pagina(request, context) { try await logstatus($0) } }
        router.get("/live") { request, context in
            await pagina(request, context) { aangemeld in
                var verzoek = aangemeld.verzoek
                verzoek.alleenSignalen = true
                let (sessies, gebruikers, secret, id) = (sessies, gebruikers, aangemeld.geheim, aangemeld.gebruiker.id)
                verzoek.nogGeldig = { sessies.isGeldig(secret) && ((try? gebruikers.actief(id: id)) ?? nil) != nil }
                return try await Feed.stroom(&verzoek)
            }
        }
        router.get("/static/zaaklog.css") { _, _ in Self.statisch(Statisch.css, type: "text/css; charset=utf-8") }
        router.get("/static/zaaklog.js") { _, _ in Self.statisch(Statisch.js, type: "text/javascript; charset=utf-8") }
    }

    // MARK: Signing in

    /// A signed-in request: the session, the account as it is now, and the request as the API's
    /// handlers take it (role, processing log under the medewerker's name).
    struct Aangemeld {
        let geheim: String
        let sessie: Sessies.Sessie
        let gebruiker: Gebruiker
        var verzoek: Verzoek
        var rol: Rol { verzoek.rol }
        var request: Request { verzoek.request }
        func query(_ naam: String) -> String? {
            verzoek.request.uri.queryParameters[naam[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    private enum Sessiestand {
        case geldig(geheim: String, Sessies.Sessie)
        case verlopen
        case geen
    }

    private func sessie(_ request: Request) -> Sessiestand {
        guard let secret = request.cookies[Self.sessieCookie]?.value, !secret.isEmpty else { return .geen }
        switch sessies.zoek(secret) {
        case let .geldig(sessie): return .geldig(geheim: secret, sessie)
        case .verlopen: return .verlopen
        case .onbekend: return .geen
        }
    }

    /// Runs a page's body for a signed-in medewerker; sends anyone else to the sign-in page, and
    /// turns every error into a Dutch page with its status.
    func pagina(_ request: Request, _ context: BasicRequestContext, _ body: (Aangemeld) async throws -> Response) async -> Response {
        let traceId = Server.traceId(request)
        let start = ContinuousClock.now
        var aangemeld: Aangemeld?
        var response: Response
        do {
            switch sessie(request) {
            case .geen:
                response = Self.doorsturen("/aanmelden")
            case .verlopen:
                response = Self.doorsturen("/aanmelden?verlopen=1")
            case let .geldig(secret, sessie):
                let gebruikers = self.gebruikers
                guard let gebruiker = try await bron.blokkerend({ try gebruikers.actief(id: sessie.gebruiker) }) else {
                    // Revoked meanwhile (`zaak gebruiker intrek`): the session ends here.
                    sessies.beeindig(secret)
                    response = Self.doorsturen("/aanmelden")
                    break
                }
                let rol = try Rol(gebruiker.rol)
                let token = Token(id: gebruiker.id, rol: gebruiker.rol, omschrijving: "medewerker \(gebruiker.naam)", sha256: "",
                                  aangemaaktOp: gebruiker.aangemaaktOp, ingetrokkenOp: nil)
                let signedIn = Aangemeld(geheim: secret, sessie: sessie, gebruiker: gebruiker,
                                         verzoek: Verzoek(request: request, context: context, bron: bron, rol: rol, token: token,
                                                          traceId: traceId, medewerker: gebruiker.naam))
                aangemeld = signedIn
                response = try await body(signedIn)
            }
        } catch {
            response = foutpagina(error, aangemeld)
        }
        response.headers[HTTPField.Name("Trace-Id")!] = traceId
        bron.metingen.verzoek(methode: request.method.rawValue, route: context.endpointPath ?? "/", status: Int(response.status.code),
                              duur: ContinuousClock.now - start)
        return response
    }

    private func aanmeldpagina(_ request: Request, status: HTTPResponse.Status = .ok, naam: String = "", fout: String? = nil) async -> Response {
        if status == .ok, case .geldig = sessie(request) { return Self.doorsturen("/werkvoorraad") }
        var melding = fout
        let query = request.uri.queryParameters
        if melding == nil, query["verlopen"] != nil { melding = "Uw sessie is verlopen; meld u opnieuw aan." }
        let afgemeld = query["afgemeld"] != nil && melding == nil
        // A sign-in form carries a secret of its own, also in a cookie: a form posted from
        // elsewhere has not got it (login CSRF).
        let csrf = geheim()
        let html = Sjablonen.pagina("aanmelden", titel: "Aanmelden", aangemeld: nil, [
            "naam": naam, "fout": Sjablonen.ofNiets(melding), "afgemeld": afgemeld, "csrf": csrf,
        ])
        var response = Self.html(html, status: status)
        response.setCookie(Self.cookie(Self.aanmeldCookie, csrf, request: request, maxAge: 3600, path: "/aanmelden"))
        return response
    }

    private func aanmelden(_ request: Request) async -> Response {
        let form: [String: String]
        do { form = try await Self.formulierVelden(request) } catch {
            return foutpagina(error, nil)
        }
        let naam = form["naam"] ?? "", wachtwoord = form["wachtwoord"] ?? ""
        guard let expected = request.cookies[Self.aanmeldCookie]?.value, !expected.isEmpty, let sent = form["_csrf"],
              Self.gelijk(sent, expected) else {
            return await aanmeldpagina(request, status: .forbidden, naam: naam,
                                       fout: "Het formulier is ongeldig of verlopen; probeer het opnieuw.")
        }
        if pogingen.isGeblokkeerd(naam) {
            return await aanmeldpagina(request, status: .tooManyRequests, naam: naam,
                                       fout: "Te veel mislukte pogingen voor deze naam; probeer het over een kwartier opnieuw.")
        }
        let gebruikers = self.gebruikers
        let gebruiker: Gebruiker?
        do { gebruiker = try await bron.blokkerend { try gebruikers.controleer(naam: naam, wachtwoord: wachtwoord) } } catch {
            return foutpagina(error, nil)
        }
        guard let gebruiker else {
            pogingen.registreerMislukt(naam)
            return await aanmeldpagina(request, status: .unauthorized, naam: naam, fout: "Naam of wachtwoord klopt niet.")
        }
        pogingen.registreerGelukt(naam)
        var response = Self.doorsturen("/werkvoorraad")
        response.setCookie(Self.cookie(Self.sessieCookie, sessies.begin(gebruiker), request: request))
        response.setCookie(Self.cookie(Self.aanmeldCookie, "", request: request, maxAge: 0, path: "/aanmelden"))
        return response
    }

    // MARK: Forms

    /// The fields of a form post, after its CSRF token was checked against the session's.
    func formulier(_ request: Request, _ aangemeld: Aangemeld) async throws -> [String: String] {
        let form = try await Self.formulierVelden(request)
        guard let sent = form["_csrf"], Self.gelijk(sent, aangemeld.sessie.csrf) else {
            throw Paginafout(.forbidden, "Formulier ongeldig of verlopen",
                             "Dit formulier kwam niet van deze pagina of uw sessie is intussen vernieuwd (CSRF-controle); er is niets vastgelegd. Open de pagina opnieuw en probeer het nog eens.")
        }
        return form
    }

    /// `application/x-www-form-urlencoded`, at most `maximaleForm` bytes; a name given twice keeps its first value.
    static func formulierVelden(_ request: Request) async throws -> [String: String] {
        let media = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard media == "application/x-www-form-urlencoded" else {
            throw Paginafout(.unsupportedMediaType, "Geen formulier", "Deze pagina neemt alleen een formulier aan (application/x-www-form-urlencoded); er is niets vastgelegd.")
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maximaleForm) } catch is NIOTooManyBytesError {
            throw Paginafout(.contentTooLarge, "Formulier te groot",
                             "Het formulier is groter dan \(maximaleForm / 1024) KiB; er is niets vastgelegd. Een toelichting is hooguit een paar alinea's.")
        }
        var fields: [String: String] = [:]
        for pair in String(decoding: buffer.readableBytesView, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : "") else {
                throw Paginafout(.badRequest, "Ongeldig formulier", "Het formulier is niet goed gecodeerd; er is niets vastgelegd.")
            }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Compares secrets in time independent of where they differ.
    static func gelijk(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    // MARK: Answers

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func doorsturen(_ pad: String) -> Response {
        Response(status: .seeOther, headers: [.location: pad, .cacheControl: "no-store"])
    }

    private static func statisch(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A cookie for the pages: HttpOnly, SameSite=Strict, and Secure when the request came over
    /// TLS through a proxy (`X-Forwarded-Proto: https`).
    static func cookie(_ name: String, _ value: String, request: Request, maxAge: Int? = nil, path: String = "/") -> Cookie {
        let secure = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return Cookie(name: name, value: value, maxAge: maxAge, path: path, secure: secure, httpOnly: true, sameSite: .strict)
    }

    /// The Dutch page for an error: the API's problem (status, title, detail) as HTML.
    func foutpagina(_ error: any Error, _ aangemeld: Aangemeld?) -> Response {
        let (status, titel, uitleg): (HTTPResponse.Status, String, String)
        if let fout = error as? Paginafout {
            (status, titel, uitleg) = (fout.status, fout.titel, fout.uitleg)
        } else {
            let probleem = Probleem(error)
            (status, titel, uitleg) = (HTTPResponse.Status(code: probleem.status), probleem.title, Self.zin(probleem.detail))
        }
        return Self.html(Sjablonen.pagina("fout", titel: titel, aangemeld: aangemeld, ["titel": titel, "uitleg": uitleg, "status": status.code]),
                         status: status)
    }

    /// A core sentence ("zaak Z-… bestaat niet") as a sentence on a page.
    static func zin(_ text: String) -> String {
        guard let first = text.first else { return text }
        let sentence = first.uppercased() + text.dropFirst()
        return sentence.hasSuffix(".") ? sentence : sentence + "."
    }
}

/// Around every page (the routes added after it, and the router's answer for an unknown path):
/// the security headers, and for a browser that asks for a path that does not exist a Dutch page,
/// not the API's problem+json (which every other client still gets).
struct Paginamiddleware: RouterMiddleware {
    func handle(_ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where request.headers[.accept]?.contains("text/html") == true {
            let (titel, uitleg) = error.status == .notFound
                ? ("Pagina niet gevonden", "De pagina \(request.uri.path) bestaat niet. Begin bij de werkvoorraad.")
                : ("Ongeldig verzoek", "\(request.method.rawValue) \(request.uri.path) kan niet: \(error.status.reasonPhrase).")
            response = Paginas.html(Sjablonen.pagina("fout", titel: titel, aangemeld: nil, ["titel": titel, "uitleg": uitleg, "status": error.status.code]),
                                    status: error.status)
        }
        // No framing by other sites, no scripts but our own file, no guessing of types.
        response.headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}

/// A refusal of the pages themselves (a form, a role), with its status.
struct Paginafout: Error {
    let status: HTTPResponse.Status
    let titel: String
    let uitleg: String

    init(_ status: HTTPResponse.Status, _ titel: String, _ uitleg: String) {
        self.status = status
        self.titel = titel
        self.uitleg = uitleg
    }

    static func geenToegang(_ uitleg: String) -> Paginafout { Paginafout(.forbidden, "Geen toegang", uitleg) }
}
