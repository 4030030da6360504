import Domain
import EventLog
import HTTPTypes
import Hummingbird
import JSONReading
import NIOCore
import Service
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A request body, and which of its fields are integers: those are refused when written as `2.0` or
/// `2e0` (JSONDecoder would read 2), as on every other way in.
protocol Verzoekbody: Decodable {
    static var gehelen: Set<String> { get }
}

/// The body of the contact routes (bericht, gesprek, melding); which fields a route needs is in
/// schemas/openapi.yaml.
struct ContactVerzoek: Verzoekbody {
    static let gehelen: Set<String> = ["versie", "wachttijdSeconden", "duurSeconden", "bijlagen"]

    var inwoner: String?, onderwerp: String?, omschrijving: String?, zaak: String?, nieuweZaak: Bool?, versie: Int?
    var naam: String?, telefoon: String?, email: String?
    var medewerker: String?, plaatsgevondenOp: String?
    var kanaal: String?, inhoud: String?, richting: String?, externeId: String?, afsluiten: Bool?
    var uitkomst: String?, wachttijdSeconden: Int?, duurSeconden: Int?, samenvatting: String?
    var locatie: MeldingOntvangen.Locatie?, bijlagen: Int?
}

/// The body of the routes on one zaak.
struct ZaakVerzoek: Verzoekbody {
    static let gehelen: Set<String> = ["versie", "score"]

    var versie: Int?, medewerker: String?, plaatsgevondenOp: String?
    var afdeling: String?, soort: String?, toelichting: String?, gevraagdeHandeling: String?, toegewezenAanMedewerker: String?
    var telefoon: String?, doorverwijzing: String?, uitkomst: String?, doorgestuurdNaar: String?
    var kanaal: String?, resultaat: String?, afwijkingsreden: String?, reden: String?
    var score: Int?, opgelostVolgensInwoner: Bool?
}

/// The body of `POST /wissingen`.
struct WisVerzoek: Verzoekbody {
    static let gehelen: Set<String> = []

    var inwoner: String?, reden: String?, medewerker: String?
}

func vereist<T>(_ value: T?, _ veld: String) throws -> T {
    guard let value else { throw Probleem.ongeldig("het veld '\(veld)' ontbreekt") }
    return value
}

extension Verzoek {
    mutating func body<T: Verzoekbody>(_ type: T.Type) async throws -> T {
        let contentType = request.headers[.contentType]
        let media = contentType.map { $0.split(separator: ";").first.map(String.init) ?? "" }?.trimmingCharacters(in: .whitespaces).lowercased()
        guard let media, media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json")) else {
            throw Probleem.geenJSON(contentType)
        }
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: 1 << 20) } catch is NIOTooManyBytesError { throw Probleem.teGroot }
        // JSONDecoder keeps the first of two equal names, other readers the last: refuse both.
        let bytes = Array(buffer.readableBytesView)
        if let problem = Self.jsonProblem(bytes, gehelen: T.gehelen) { throw Probleem.ongeldig("de body is geen geldig JSON-object voor deze opdracht: \(problem)") }
        do { return try JSONDecoder().decode(T.self, from: Data(bytes)) } catch let error as DecodingError {
            throw Probleem.ongeldig("de body is geen geldig JSON-object voor deze opdracht: \(Self.uitleg(error))")
        }
    }

    private static func jsonProblem(_ bytes: [UInt8], gehelen: Set<String>) -> String? {
        bytes.withUnsafeBytes { raw -> String? in
            var fractional: String?
            do throws(JSONReaderError) {
                let rules = JSONReader.Rules(maxDepth: 64, uniqueNames: true)
                guard raw.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") else {
                    try JSONReader.check(raw, rules: rules)
                    return nil  // not an object: JSONDecoder says so in its terms
                }
                try JSONReader.checkObject(raw, rules: rules) { member in
                    let name = String(decoding: raw[member.name], as: UTF8.self)
                    guard gehelen.contains(name) else { return true }
                    var reader = JSONReader(UnsafeRawBufferPointer(rebasing: raw[member.value]))
                    do throws(JSONReaderError) {
                        guard case .number = try reader.peek() else { return true }
                        _ = try reader.readPlainInteger(Int.self)
                        return true
                    } catch {
                        fractional = "veld '\(name)': \(error.reason)"
                        return false
                    }
                }
                return fractional
            } catch {
                return error.reason
            }
        }
    }

    private static func uitleg(_ error: DecodingError) -> String {
        func pad(_ path: [any CodingKey]) -> String { path.map(\.stringValue).joined(separator: ".") }
        switch error {
        case let .typeMismatch(type, context): return "veld '\(pad(context.codingPath))' moet van type \(type) zijn"
        case let .valueNotFound(_, context): return "veld '\(pad(context.codingPath))' ontbreekt"
        case let .keyNotFound(key, context): return "veld '\(pad(context.codingPath + [key]))' ontbreekt"
        case .dataCorrupted: return "geen geldige JSON"
        @unknown default: return "onleesbaar"
        }
    }

    /// The version the client saw: `If-Match: "3"` or the body's `versie` (they must agree).
    func verwachteVersie(_ veld: Int?) throws -> Int? {
        guard let header = request.headers[.ifMatch] else { return veld }
        let digits = String((header.hasPrefix("W/") ? header.dropFirst(2) : header[...]).filter { $0 != "\"" && $0 != " " })
        guard let versie = Int(digits) else { throw Probleem.ongeldig("If-Match '\(header.citaat)' is geen versie; gebruik de ETag van GET /zaken/{nummer}, bijv. \"3\"") }
        if let veld, veld != versie { throw Probleem.ongeldig("If-Match (\(versie)) en versie (\(veld)) spreken elkaar tegen") }
        return versie
    }

    /// The moment of deciding. An Idempotency-Key makes the event ids deterministic (per token),
    /// so a retry finds the first attempt's events instead of writing them again.
    func moment(_ actor: Actor, plaatsgevondenOp: String?) throws -> (Beslismoment, herhaalbaar: Bool) {
        let now = Tijdstip.nu()
        var happened = now
        if let text = plaatsgevondenOp {
            guard let moment = Tijdstip(text) else { throw Probleem.ongeldig("plaatsgevondenOp '\(text.citaat)' is geen tijdstip; gebruik UTC, bijv. 2026-11-23T08:15:00.000Z") }
            guard moment.milliseconden <= now.milliseconden + 5 * 60_000 else { throw Probleem.ongeldig("plaatsgevondenOp \(text) ligt in de toekomst") }
            happened = moment
        }
        let key = request.headers[.idempotencyKey]
        if let key, key.isEmpty || key.count > 80 || !ZaakGebeurtenis.isGeldigeId("api-\(token.id)-\(key).1") {
            throw Probleem.ongeldig("Idempotency-Key '\(key.citaat)' is ongeldig; gebruik 1–80 tekens uit A-Z a-z 0-9 . _ : -")
        }
        let basis = key.map { "api-\(token.id)-\($0)" } ?? "api-\(token.id)-\(now.milliseconden)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        return (Beslismoment(nu: now, plaatsgevondenOp: happened, actor: actor, catalogus: bron.catalogus, idBasis: basis), key != nil)
    }

    /// Who records it: the body's medewerker, else the token as a system.
    func actor(_ medewerker: String?) throws -> Actor {
        guard let medewerker else { return Actor(soort: .systeem, id: "api-\(token.id)") }
        guard Inwoner.isGeldigeRef(medewerker) else { throw Probleem.ongeldig("medewerker '\(medewerker.citaat)' is ongeldig; gebruik 1–64 tekens uit A-Z a-z 0-9 . _ : -") }
        return Actor(soort: .medewerker, id: medewerker)
    }

    /// Runs a command through the shared service and answers with the CLI's acknowledgement.
    func uitvoeren(herhaalbaar: Bool, _ body: @escaping @Sendable (ZaakService) throws -> ZaakService.Uitkomst) async throws -> Response {
        let uitkomst = try await bron.metWerker { werker in
            werker.service.herkenHerhalingen = herhaalbaar
            return try body(werker.service)
        }
        if !uitkomst.alVastgelegd { bron.metingen.vastgelegd(uitkomst.gebeurtenissen.count) }
        let nummer = uitkomst.zaak.nummer.description
        return try JSONUitvoer.response(UitkomstJSON(uitkomst), status: uitkomst.alVastgelegd ? .ok : .created,
                                        headers: [.eTag: "\"\(uitkomst.zaak.versie)\"", .location: "/zaken/\(nummer)"])
    }
}

extension Route {
    static let schrijfroutes: [Route] = [
        contactroute("/berichten") { body in
            let channel: Kanaal = try keuze(try vereist(body.kanaal, "kanaal"), "kanaal")
            let inhoud = try vereist(body.inhoud, "inhoud")
            let direction: Richting = try keuze(body.richting ?? "inkomend", "richting")
            return direction == .inkomend
                ? .berichtOntvangen(BerichtOntvangen(kanaal: channel, inhoud: inhoud, externeId: body.externeId))
                : .berichtVerstuurd(BerichtVerstuurd(kanaal: channel, inhoud: inhoud, externeId: body.externeId))
        },
        contactroute("/gesprekken") { body in
            let outcome: GesprekUitkomst = try keuze(try vereist(body.uitkomst, "uitkomst"), "uitkomst")
            if body.afsluiten == true, outcome != .directBeantwoord { throw Probleem.ongeldig("afsluiten hoort bij uitkomst direct-beantwoord") }
            return .gesprek(GesprekGevoerd(kanaal: try keuze(body.kanaal ?? "telefoon", "kanaal"), richting: try keuze(body.richting ?? "inkomend", "richting"),
                                           wachttijdSeconden: body.wachttijdSeconden, duurSeconden: body.duurSeconden ?? 0, uitkomst: outcome,
                                           indicatieContactGelukt: outcome != .nietBereikt, samenvatting: body.samenvatting))
        },
        contactroute("/meldingen") { body in
            .melding(MeldingOntvangen(kanaal: try keuze(body.kanaal ?? "webformulier", "kanaal"), inhoud: try vereist(body.inhoud, "inhoud"),
                                      locatie: body.locatie, bijlagen: body.bijlagen ?? 0))
        },
        zaakroute("/doorverwijzingen") { body, _ in
            .doorverwijs(afdeling: body.afdeling, soort: try keuze(try vereist(body.soort, "soort"), "soort"),
                         gevraagdeHandeling: body.gevraagdeHandeling ?? "afhandelen", toelichting: try vereist(body.toelichting, "toelichting"),
                         toegewezenAanMedewerker: body.toegewezenAanMedewerker)
        },
        zaakroute("/terugbelverzoeken") { body, _ in
            .vraagTerugbellen(afdeling: body.afdeling, toelichting: try vereist(body.toelichting, "toelichting"), telefoon: body.telefoon)
        },
        zaakroute("/informeer") { body, _ in
            .informeerInwoner(kanaal: try keuze(try vereist(body.kanaal, "kanaal"), "kanaal"), toelichting: body.toelichting)
        },
        zaakroute("/sluit") { body, _ in
            .sluit(resultaat: try keuze(try vereist(body.resultaat, "resultaat"), "resultaat"), toelichting: body.toelichting,
                   afwijkingsreden: body.afwijkingsreden)
        },
        zaakroute("/heropen") { body, _ in .heropen(reden: try vereist(body.reden, "reden")) },
        zaakroute("/tevredenheid", actor: { body, verzoek, _ in
            // Without a medewerker the survey system records it, as on the CLI.
            try body.medewerker.map { try verzoek.actor($0) } ?? Actor(soort: .systeem, id: "kto")
        }) { body, _ in
            let score = try vereist(body.score, "score")
            return .meetTevredenheid(score: score, opgelostVolgensInwoner: try vereist(body.opgelostVolgensInwoner, "opgelostVolgensInwoner"),
                                     kanaal: try body.kanaal.map { try keuze($0, "kanaal") }, toelichting: body.toelichting)
        },
        zaakroute("/terugkoppelingen", toegang: .terugkoppelen, actor: { body, verzoek, zaak in
            // The afdeling of the handoff gives the feedback, whoever sends it; an afdeling only its
            // own, and to an afdeling another's handoff is as absent as a zaak that does not exist.
            let id = try vereist(body.doorverwijzing, "doorverwijzing").uppercased()
            let afdeling = zaak.overdracht(id)?.afdeling
            if case let .afdeling(eigen) = verzoek.rol, afdeling?.lowercased() != eigen.lowercased() {
                throw Probleem.nietZichtbaar(zaak.nummer, afdeling: eigen)
            }
            guard let afdeling else { throw Probleem.ongeldig("zaak \(zaak.nummer) heeft geen doorverwijzing \(id)") }
            return Actor(soort: .afdeling, id: afdeling)
        }) { body, _ in
            try terugkoppeling(body)
        },
    ]

    /// AVG art. 17 for beheer, as `zaak avg wis`: every zaak of the inwoner erased, or none.
    static let wisroute = Route(methode: .post, pad: "/wissingen", toegang: .beheren) { verzoek in
        let body = try await verzoek.body(WisVerzoek.self)
        let inwoner = try vereist(body.inwoner, "inwoner")
        if let reden = Inwoner.weigering(inwoner) { throw Probleem.ongeldig("inwoner '\(inwoner.citaat)' is ongeldig; \(reden)") }
        let reden = try vereist(body.reden, "reden")
        let actor = try verzoek.actor(body.medewerker)
        let wissing = try await verzoek.bron.metWerker { werker in
            try werker.service.wis(inwoner: inwoner, grondslag: .avgArtikel17, reden: reden, door: actor, nu: Tijdstip.nu())
        }
        verzoek.bron.metingen.vastgelegd(wissing.gewist.count)
        // The record names no inwoner: their pseudonym is gone with their last zaak, and writing
        // the reference again would tie the erased zaken to them.
        try await verzoek.verwerkt("persoonsgegevens wissen", betrokkenen: [])
        return try JSONUitvoer.response(wissing.document(inwoner: inwoner))
    }

    static func contactroute(_ pad: String, _ soort: @escaping @Sendable (ContactVerzoek) throws -> Contact.Soort) -> Route {
        Route(methode: .post, pad: pad, toegang: .vastleggen) { verzoek in
            let body = try await verzoek.body(ContactVerzoek.self)
            let inwoner = try vereist(body.inwoner, "inwoner")
            if let reden = Inwoner.weigering(inwoner) { throw Probleem.ongeldig("inwoner '\(inwoner.citaat)' is ongeldig; \(reden)") }
            if body.zaak != nil, body.nieuweZaak == true { throw Probleem.ongeldig("zaak en nieuweZaak gaan niet samen; kies één") }
            let nummer: Zaaknummer? = try body.zaak.map {
                guard let nummer = Zaaknummer($0) else { throw Probleem.ongeldig("'\($0.citaat)' is geen zaaknummer; een zaaknummer ziet eruit als Z-2026-000042") }
                return nummer
            }
            let versie = try verzoek.verwachteVersie(body.versie)
            if versie != nil, nummer == nil { throw Probleem.ongeldig("een verwachte versie hoort bij een zaak (veld 'zaak')") }
            let personal = Persoonsgegevens(naam: body.naam, telefoon: body.telefoon, email: body.email)
            let contact = Contact(soort: try soort(body), inwoner: Inwoner(ref: inwoner, persoonsgegevens: personal.isLeeg ? nil : personal),
                                  onderwerp: try vereist(body.onderwerp, "onderwerp").lowercased(), omschrijving: body.omschrijving,
                                  afsluiten: body.afsluiten ?? false)
            let (moment, herhaalbaar) = try verzoek.moment(try verzoek.actor(body.medewerker), plaatsgevondenOp: body.plaatsgevondenOp)
            let gelezen: Zaak? = if let nummer { try await bestaat(verzoek, nummer) } else { nil }
            let nieuweZaak = body.nieuweZaak ?? false
            return try await verzoek.uitvoeren(herhaalbaar: herhaalbaar) { service in
                try service.registreerContact(contact, zaak: nummer, nieuweZaak: nieuweZaak, verwachteVersie: versie, moment: moment, gelezen: gelezen)
            }
        }
    }

    /// A terugkoppeling's own fields, checked before the zaak is looked up: what is wrong with the
    /// body is said alike whether or not the zaak exists.
    static func terugkoppeling(_ body: ZaakVerzoek) throws -> Opdracht {
        .registreerTerugkoppeling(doorverwijzing: try vereist(body.doorverwijzing, "doorverwijzing").uppercased(),
                                  uitkomst: try keuze(try vereist(body.uitkomst, "uitkomst"), "uitkomst"),
                                  toelichting: try vereist(body.toelichting, "toelichting"), doorgestuurdNaar: body.doorgestuurdNaar)
    }

    static func zaakroute(_ suffix: String, toegang: Toegang = .vastleggen,
                          actor: (@Sendable (ZaakVerzoek, Verzoek, Zaak) throws -> Actor)? = nil,
                          _ opdracht: @escaping @Sendable (ZaakVerzoek, Zaak) throws -> Opdracht) -> Route {
        Route(methode: .post, pad: "/zaken/{nummer}" + suffix, toegang: toegang) { verzoek in
            let nummer = try verzoek.zaaknummer()
            let body = try await verzoek.body(ZaakVerzoek.self)
            let versie = try verzoek.verwachteVersie(body.versie)
            let zaak: Zaak
            if case let .afdeling(eigen) = verzoek.rol {
                // An afdeling learns nothing about zaken it may not see: the body first, then one 404.
                _ = try terugkoppeling(body)
                do { zaak = try await bestaat(verzoek, nummer) } catch is Probleem { throw Probleem.nietZichtbaar(nummer, afdeling: eigen) }
            } else {
                zaak = try await bestaat(verzoek, nummer)
            }
            let who = try actor?(body, verzoek, zaak) ?? verzoek.actor(body.medewerker)
            let command = try opdracht(body, zaak)
            let (moment, herhaalbaar) = try verzoek.moment(who, plaatsgevondenOp: body.plaatsgevondenOp)
            return try await verzoek.uitvoeren(herhaalbaar: herhaalbaar) { service in
                try service.voerUit(command, op: nummer, verwachteVersie: versie, moment: moment, gelezen: zaak)
            }
        }
    }

    /// The zaak from the log, or 404.
    package static func bestaat(_ verzoek: Verzoek, _ nummer: Zaaknummer) async throws -> Zaak {
        guard let zaak = try await verzoek.bron.metWerker({ try $0.service.zaak(nummer) }) else {
            throw Probleem.nietGevonden("zaak \(nummer) bestaat niet; controleer het nummer")
        }
        return zaak
    }
}
