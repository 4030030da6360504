import Audit
import CivilTime
import Domain
import EventLog
import HTTPTypes
import Hummingbird
import Projections
import Service
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which roles may use a route at all. Conditions on the data (an afdeling's own zaken, queue and
/// handoffs) are checked by the handler.
public enum Toegang: Sendable {
    /// kcc, auditor, beheer, and an afdeling for what was handed to it.
    case lezen
    /// kcc, auditor, beheer.
    case lezenAlles
    /// auditor and beheer: the processing log.
    case toezicht
    /// beheer alone: erasure.
    case beheren
    /// kcc and beheer: contacts, handoffs and their follow-up.
    case vastleggen
    /// kcc, beheer and the afdeling of the handoff.
    case terugkoppelen
    /// Everyone with a token (no personal data).
    case iedereen

    /// The roles that may, as an error tells them.
    var rollen: String {
        switch self {
        case .lezen: "kcc, auditor, beheer, en een afdeling voor wat naar haar is doorverwezen"
        case .lezenAlles: "kcc, auditor, beheer"
        case .toezicht: "auditor, beheer"
        case .beheren: "beheer"
        case .vastleggen: "kcc, beheer"
        case .terugkoppelen: "kcc, beheer, en de afdeling van de doorverwijzing"
        case .iedereen: "iedere rol"
        }
    }

    public func staatToe(_ rol: Rol) -> Bool {
        switch (self, rol) {
        case (_, .beheer), (.iedereen, _): true
        case (.lezen, _): true
        case (.lezenAlles, .kcc), (.lezenAlles, .auditor): true
        case (.toezicht, .auditor): true
        case (.vastleggen, .kcc): true
        case (.terugkoppelen, .kcc), (.terugkoppelen, .afdeling): true
        default: false
        }
    }
}

/// One route of the API, as in schemas/openapi.yaml (`pad` in OpenAPI's template syntax).
public struct Route: Sendable {
    public let methode: HTTPRequest.Method
    public let pad: String
    public let toegang: Toegang
    let handler: @Sendable (inout Verzoek) async throws -> Response
}

/// A request that passed authentication: by a token, or by a medewerker's session (`medewerker`).
package struct Verzoek {
    package var request: Request
    package let context: BasicRequestContext
    package let bron: Bron
    package let rol: Rol
    package let token: Token
    package let traceId: String
    /// The signed-in medewerker of a page, recorded with every read.
    package var medewerker: String?
    /// Whoever asked may still see what a long answer (the feed) goes on sending: a page's
    /// session ends when it expires, is signed out or its account revoked. Tokens are checked once.
    package var nogGeldig: @Sendable () -> Bool = { true }
    /// The feed sends only which event happened where (type, position, zaak), no event data: for
    /// a page that only needs to know when to fetch again. No inwoner is named, so its reads are
    /// recorded without a data subject.
    package var alleenSignalen = false

    package init(request: Request, context: BasicRequestContext, bron: Bron, rol: Rol, token: Token, traceId: String, medewerker: String? = nil) {
        self.request = request
        self.context = context
        self.bron = bron
        self.rol = rol
        self.token = token
        self.traceId = traceId
        self.medewerker = medewerker
    }

    func parameter(_ naam: String) -> String {
        let raw = context.parameters.get(naam) ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    func query(_ naam: String) -> String? {
        guard let value = request.uri.queryParameters[naam[...]] else { return nil }
        return String(value)
    }

    func zaaknummer() throws -> Zaaknummer {
        let text = parameter("nummer")
        guard let nummer = Zaaknummer(text) else {
            throw Probleem.ongeldig("'\(text.citaat)' is geen zaaknummer; een zaaknummer ziet eruit als Z-2026-000042")
        }
        return nummer
    }

    /// The afdeling role may only touch what was handed to its own afdeling.
    func eigenAfdeling(_ afdeling: String) throws {
        if case let .afdeling(eigen) = rol, eigen.lowercased() != afdeling.lowercased() {
            throw Probleem.verboden("dit token is van afdeling \(eigen) en mag niet bij afdeling \(afdeling)")
        }
    }

    /// Records reads of personal data, durably, before the answer leaves.
    package func verwerkt(_ activiteit: String, betrokkenen: [(inwoner: String, zaak: String?)]) async throws {
        var grouped: [String: [String]] = [:]
        var order: [String] = []
        for (inwoner, zaak) in betrokkenen {
            if grouped[inwoner] == nil { order.append(inwoner); grouped[inwoner] = [] }
            if let zaak, !grouped[inwoner]!.contains(zaak) { grouped[inwoner]!.append(zaak) }
        }
        if order.isEmpty { order = [Verwerkingslog.zonderBetrokkene]; grouped[order[0]] = [] }
        let operatie = "\(request.method.rawValue) \(context.endpointPath ?? request.uri.path)"
        let now = Timestamp.format(millisecondsSinceEpoch: Clock.nowMilliseconds())
        let records = order.map {
            Verwerking(traceId: traceId, operatie: operatie, verwerkingsactiviteit: activiteit, betrokkene: $0, betrokkeneSoort: "inwoner",
                       zaken: grouped[$0]!, tijdstip: now, status: "ok", rol: rol.description, token: token.id, medewerker: medewerker)
        }
        let log = bron.verwerkingen
        try await bron.blokkerend { try log.vastleggen(records) }
        bron.metingen.verwerkingenVastgelegd(records.count)
    }
}

extension Route {
    /// Every route of the API; the router is built from this list and a test holds it against
    /// schemas/openapi.yaml.
    public static let alle: [Route] = leesroutes + schrijfroutes + [
        wisroute,
        Route(methode: .get, pad: "/gebeurtenissen", toegang: .lezen, handler: { try await Feed.stroom(&$0) }),
    ]

    static let leesroutes: [Route] = [
        Route(methode: .get, pad: "/zaken", toegang: .lezenAlles) { verzoek in
            var vraag = Zoekvraag()
            if let inwoner = verzoek.query("inwoner") {
                guard Inwoner.isGeldigeRef(inwoner) else {
                    throw Probleem.ongeldig("inwoner '\(inwoner.citaat)' is ongeldig; gebruik de referentie uit het klantsysteem (1–64 tekens uit A-Z a-z 0-9 . _ : -)")
                }
                vraag.inwoner = inwoner
            }
            vraag.onderwerp = verzoek.query("onderwerp")
            vraag.afdeling = verzoek.query("afdeling")
            if let status = verzoek.query("status") {
                guard ["open", "gesloten", "gekoppeld"].contains(status) else {
                    throw Probleem.ongeldig("status '\(status)' bestaat niet; kies uit: open, gesloten, gekoppeld")
                }
                vraag.status = status
            }
            vraag.kanaal = try verzoek.query("kanaal").map { (try keuze($0, "kanaal") as Kanaal).rawValue }
            vraag.van = try verzoek.query("van").map { try datum($0, "van") }
            vraag.tot = try verzoek.query("tot").map { try datum($0, "tot") }
            vraag.limiet = try verzoek.query("max").map { try getal($0, "max", 1...10_000) } ?? 50
            let gevraagd = vraag
            let rows = try await verzoek.bron.lees { lezer, _ in try lezer.zoek(gevraagd) }
            // Searching for an inwoner processes their reference even when nothing is found.
            let betrokkenen = rows.isEmpty ? gevraagd.inwoner.map { [($0, nil)] } ?? [] : rows.map { ($0.inwoner, $0.zaak) }
            try await verzoek.verwerkt("zaken zoeken", betrokkenen: betrokkenen)
            return try JSONUitvoer.response(rows)
        },
        Route(methode: .get, pad: "/zaken/{nummer}", toegang: .lezen) { verzoek in
            let nummer = try verzoek.zaaknummer()
            let overzicht = try await zichtbareZaak(verzoek, nummer)
            try await verzoek.verwerkt("zaak inzien", betrokkenen: [(overzicht.inwoner, overzicht.zaak)])
            return try JSONUitvoer.response(overzicht, headers: [.eTag: "\"\(overzicht.versie)\""])
        },
        Route(methode: .get, pad: "/zaken/{nummer}/geschiedenis", toegang: .lezen) { verzoek in
            let nummer = try verzoek.zaaknummer()
            let overzicht = try await zichtbareZaak(verzoek, nummer)
            let log = verzoek.bron.lezer, sleutels = verzoek.bron.projector.sleutels
            let rows = try await verzoek.bron.blokkerend {
                try log.events(ofZaak: nummer.description).map { entry in
                    let event = try ZaakGebeurtenis(logregel: entry.line, sleutels: sleutels)
                    return GeschiedenisRegel(positie: entry.position, id: entry.id, vastgelegdOp: entry.recordedAtText,
                                             plaatsgevondenOp: event.plaatsgevondenOp, actor: event.actor, type: event.gebeurtenis.type,
                                             bladhash: entry.line.withUnsafeBytes { MerkleHash.leaf($0) }.hex, gebeurtenis: event)
                }
            }
            try await verzoek.verwerkt("zaakgeschiedenis inzien", betrokkenen: [(overzicht.inwoner, overzicht.zaak)])
            return try JSONUitvoer.response(rows)
        },
        Route(methode: .get, pad: "/afdelingen/{afdeling}/werkvoorraad", toegang: .lezen) { verzoek in
            let afdeling = verzoek.parameter("afdeling")
            try verzoek.eigenAfdeling(afdeling)
            let catalogus = verzoek.bron.catalogus
            let rows = try await verzoek.bron.lees { lezer, nu in
                let known = Set(catalogus.afdelingen.map(\.naam)).union(try lezer.afdelingen())
                guard known.contains(where: { $0.lowercased() == afdeling.lowercased() }) else {
                    throw Probleem.nietGevonden("afdeling '\(afdeling)' is onbekend; kies uit: \(known.sorted().joined(separator: ", "))")
                }
                return try lezer.werkvoorraad(afdeling: afdeling, nu: nu)
            }
            try await verzoek.verwerkt("werkvoorraad inzien", betrokkenen: rows.map { ($0.inwoner, $0.zaak) })
            return try JSONUitvoer.response(rows)
        },
        Route(methode: .get, pad: "/controle", toegang: .lezenAlles) { verzoek in
            let result = try await verzoek.bron.lees { lezer, nu in try lezer.controle(nu: nu) }
            // Zaak numbers and reasons, no inwoner references: one record without a data subject.
            try await verzoek.verwerkt("afsluitcontrole inzien", betrokkenen: [])
            return try JSONUitvoer.response(result)
        },
        Route(methode: .get, pad: "/checkpoint", toegang: .iedereen) { verzoek in
            // The newest signed checkpoint, for auditors and witnesses to keep outside the
            // installation (docs/audit.md); no personal data, so every role may fetch it.
            let reader = verzoek.bron.lezer
            let checkpoint = try await verzoek.bron.blokkerend { try AuditProver(reader: reader).checkpoint(covering: 1) }
            guard let checkpoint else { throw Probleem.nietGevonden("het log heeft nog geen checkpoint") }
            return try JSONUitvoer.response(AuditJSON.CheckpointFile(checkpoint))
        },
        Route(methode: .get, pad: "/kpi", toegang: .iedereen) { verzoek in
            guard let vanText = verzoek.query("van"), let totText = verzoek.query("tot") else {
                throw Probleem.ongeldig("geef de periode met ?van=JJJJ-MM-DD&tot=JJJJ-MM-DD")
            }
            let first = try datum(vanText, "van"), last = try datum(totText, "tot")
            guard first <= last else { throw Probleem.ongeldig("van \(vanText) ligt na tot \(totText)") }
            let indeling: KPIIndeling? = try verzoek.query("per").map { try keuze($0, "per") }
            let rows = try await verzoek.bron.lees { lezer, nu in try lezer.kpi(van: first, tot: last, per: indeling, nu: nu) }
            return try JSONUitvoer.response(rows)
        },
        // AVG art. 15 for the privacy officer: everything held about one inwoner, as `zaak avg inzage --json`.
        Route(methode: .get, pad: "/inzage", toegang: .toezicht) { verzoek in
            guard let inwoner = verzoek.query("inwoner") else { throw Probleem.ongeldig("geef de inwoner met ?inwoner=<referentie uit het klantsysteem>") }
            if let reden = Inwoner.weigering(inwoner) { throw Probleem.ongeldig("inwoner '\(inwoner.citaat)' is ongeldig; \(reden)") }
            let dataDirectory = verzoek.bron.dataDirectory
            let inzage = try await verzoek.bron.blokkerend { try Raadpleging(dataDirectory: dataDirectory).inzage(inwoner: inwoner) }
            try await verzoek.verwerkt("inzageverzoek", betrokkenen: [(inwoner, nil)])
            return try JSONUitvoer.response(inzage.document(opgesteldOp: Tijdstip.nu()))
        },
        Route(methode: .get, pad: "/verwerkingen", toegang: .toezicht) { verzoek in
            let vanaf = try verzoek.query("vanaf").map { try getal($0, "vanaf", 1...Int.max) } ?? 1
            let limiet = try verzoek.query("max").map { try getal($0, "max", 1...10_000) } ?? 1000
            let betrokkene = verzoek.query("betrokkene")
            let verwerkingen = verzoek.bron.verwerkingen
            let lines = try await verzoek.bron.blokkerend { try verwerkingen.lezer.lijnen(vanaf: Int64(vanaf), betrokkene: betrokkene, limiet: limiet) }
            // The log lines are JSON objects already: an array of them.
            var body = ByteBuffer(string: "[")
            for (index, line) in lines.enumerated() {
                if index > 0 { body.writeString(",") }
                body.writeBytes(line)
            }
            body.writeString("]")
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: body))
        },
    ]

    /// The zaak as the read models show it, if this token may see it. For an afdeling, a zaak that
    /// was not handed to it and one that does not exist answer the same 404.
    package static func zichtbareZaak(_ verzoek: Verzoek, _ nummer: Zaaknummer) async throws -> ZaakOverzicht {
        let rol = verzoek.rol
        return try await verzoek.bron.lees { lezer, nu in
            if case let .afdeling(eigen) = rol, try !lezer.isDoorverwezen(nummer.description, naar: eigen) {
                throw Probleem.nietZichtbaar(nummer, afdeling: eigen)
            }
            guard let overzicht = try lezer.zaak(nummer, nu: nu) else { throw Probleem.nietGevonden("zaak \(nummer) bestaat niet; controleer het nummer") }
            return overzicht
        }
    }
}

/// One line of a zaak's history, as `zaak geschiedenis --json` gives it, with the whole event.
struct GeschiedenisRegel: Encodable, Sendable {
    let positie: Int64, id: String, vastgelegdOp: String, plaatsgevondenOp: Tijdstip, actor: Actor, type: String
    let bladhash: String
    let gebeurtenis: ZaakGebeurtenis
}

func datum(_ text: String, _ veld: String) throws -> Datum {
    guard let datum = Datum(text) else { throw Probleem.ongeldig("\(veld) '\(text.citaat)' is geen datum; gebruik JJJJ-MM-DD, bijv. 2026-11-23") }
    return datum
}

func getal(_ text: String, _ veld: String, _ bereik: ClosedRange<Int>) throws -> Int {
    guard let value = Int(text), bereik.contains(value) else {
        throw Probleem.ongeldig("\(veld) '\(text.citaat)' moet een geheel getal zijn van \(bereik.lowerBound) tot en met \(bereik.upperBound)")
    }
    return value
}
