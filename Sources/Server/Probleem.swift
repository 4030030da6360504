import Domain
import EventLog
import HTTPTypes
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An error answer as RFC 9457 `application/problem+json`, in Dutch, as the VNG APIs give them.
package struct Probleem: Error, Encodable, Sendable {
    let type: String
    package let title: String
    package let status: Int
    package let detail: String
    var instance: String?
    var traceId: String?
    /// The closure rules a refused `sluit` broke.
    var regels: [Int]?
    /// The steps the core suggests, each with the route that takes it.
    var acties: [Actie]?

    init(_ status: HTTPResponse.Status, code: String, title: String, detail: String, regels: [Int]? = nil) {
        self.type = "urn:zaaklog:probleem:\(code)"
        self.title = title
        self.status = status.code
        self.detail = detail
        self.regels = regels
    }

    static func ongeldig(_ detail: String) -> Probleem { Probleem(.badRequest, code: "ongeldig", title: "Ongeldig verzoek", detail: detail) }
    static func nietGevonden(_ detail: String) -> Probleem { Probleem(.notFound, code: "niet-gevonden", title: "Niet gevonden", detail: detail) }
    static let nietAangemeld = Probleem(.unauthorized, code: "niet-aangemeld", title: "Niet aangemeld",
                                        detail: "stuur een geldig token mee: Authorization: Bearer <token> (maak er een met `zaak token maak`)")
    static let teGroot = Probleem(.contentTooLarge, code: "te-groot", title: "Body te groot",
                                  detail: "de body is groter dan 1 MiB; een opdracht is een klein JSON-object")
    static func geenJSON(_ type: String?) -> Probleem {
        Probleem(.unsupportedMediaType, code: "geen-json", title: "Geen JSON",
                 detail: "stuur de body als JSON met Content-Type: application/json" + (type.map { " (niet \($0.prefix(60)))" } ?? ""))
    }
    static func verboden(_ detail: String) -> Probleem { Probleem(.forbidden, code: "geen-toegang", title: "Geen toegang", detail: detail) }
    /// What an afdeling may not see answers exactly as what does not exist: no probing which zaken
    /// exist or which afdeling handles them.
    static func nietZichtbaar(_ nummer: Zaaknummer, afdeling: String) -> Probleem {
        .nietGevonden("zaak \(nummer) bestaat niet of is niet naar afdeling \(afdeling) doorverwezen")
    }

    /// The answer for any error a handler throws.
    package init(_ error: any Error) {
        switch LogError(storage: error) ?? error {
        case let probleem as Probleem:
            self = probleem
        case let fout as ZaakFout:
            switch fout.soort {
            case .ongeldig, .onbekend: self = .ongeldig(fout.melding)
            case .regel:
                self = Probleem(.unprocessableContent, code: "regel", title: "Niet toegestaan door de regels van de zaak", detail: fout.melding,
                                regels: fout.regels.isEmpty ? nil : fout.regels)
            case .conflict: self = Probleem(.conflict, code: "conflict", title: "Zaak intussen gewijzigd", detail: fout.melding)
            case .nietBeschikbaar:
                self = Probleem(.serviceUnavailable, code: "sleutels-niet-beschikbaar", title: "Sleutels niet beschikbaar", detail: fout.melding)
            }
            acties = fout.acties.isEmpty ? nil : fout.acties
        case let fout as LogError:
            switch fout.kind {
            case .invalidRecord: self = .ongeldig(fout.message)
            case .conflict: self = Probleem(.conflict, code: "conflict", title: "Zaak intussen gewijzigd", detail: fout.message)
            case .io, .unavailable, .damaged:
                self = Probleem(.serviceUnavailable, code: "log-niet-beschikbaar", title: "Log niet beschikbaar",
                                detail: fout.message + "; er is niets vastgelegd")
            }
        default:
            self = Probleem(.internalServerError, code: "interne-fout", title: "Interne fout",
                            detail: "er ging iets mis in de server (\(error)); meld dit met het traceId")
        }
    }

    func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if status == 401 { headers[.wwwAuthenticate] = "Bearer realm=\"zaaklog\"" }
        let body = (try? JSONUitvoer.encoder.encode(self)).map { ByteBuffer(bytes: $0) } ?? ByteBuffer(string: detail)
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

enum JSONUitvoer {
    /// The same encoding as the CLI's `--json`, except that a suggested step carries its route.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[Actie.weergave] = Actie.routeWeergave
        return encoder
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) throws -> Response {
        var headers = extra
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
