import Audit
import Domain
import EventLog
import HTTPTypes
import Hummingbird
import Projections
import Server
import Service

/// The pages' bodies: each reads what the matching API route reads, records the same processing,
/// and hands a view to its template.
extension Paginas {
    /// The events that change a werkvoorraad: the live page refreshes its rows on these.
    static let werkvoorraadTypes = ["Doorverwezen", "TerugbelverzoekAangemaakt", "TerugkoppelingOntvangen", "ZakenGekoppeld",
                                    "ZaakAfgesloten", "GegevensGewist"]

    // MARK: Werkvoorraad

    func werkvoorraad(_ a: Aangemeld) async throws -> Response {
        let afdelingen = bron.catalogus.afdelingen.map(\.naam)
        let afdeling: String
        if case let .afdeling(eigen) = a.rol {
            if let gevraagd = a.query("afdeling"), gevraagd.lowercased() != eigen.lowercased() {
                throw Paginafout.geenToegang("U werkt bij afdeling \(eigen) en ziet alleen de werkvoorraad van uw eigen afdeling.")
            }
            afdeling = eigen
        } else {
            let gevraagd = a.query("afdeling") ?? afdelingen.first ?? ""
            guard let match = afdelingen.first(where: { $0.lowercased() == gevraagd.lowercased() }) else {
                throw Paginafout(.notFound, "Onbekende afdeling", "Afdeling '\(gevraagd.citaat)' staat niet in de catalogus; kies uit: \(afdelingen.joined(separator: ", ")).")
            }
            afdeling = match
        }
        let teLaat = a.query("te-laat") == "ja", onderwerp = a.query("onderwerp"), kanaal = a.query("kanaal")
        let (alle, positie, nu) = try await bron.lees { lezer, nu in (try lezer.werkvoorraad(afdeling: afdeling, nu: nu), try lezer.positie(), nu) }
        let rows = alle.filter { row in
            (!teLaat || row.teLaatWerkdagen > 0) && (onderwerp.map { row.onderwerp == $0 } ?? true) && (kanaal.map { row.kanaal == $0 } ?? true)
        }
        try await a.verzoek.verwerkt("werkvoorraad inzien", betrokkenen: rows.map { ($0.inwoner, $0.zaak) })

        let rijen: [String: Any] = ["aantal": rows.count, "rijen": rows.map { Self.werkvoorraadRij($0, nu: nu) }, "leeg": rows.isEmpty,
                                    "teLaatAantal": rows.filter { $0.teLaatWerkdagen > 0 }.count]
        if a.query("deel") == "rijen" { return Self.html(Sjablonen.deel("werkvoorraad-rijen", rijen)) }

        var filters = [("afdeling", a.rol.isAfdeling ? nil : afdeling), ("te-laat", teLaat ? "ja" : nil), ("onderwerp", onderwerp), ("kanaal", kanaal)]
            .compactMap { name, value in value.map { "\(name)=\(Self.url($0))" } }
        let live = (["vanaf=\(positie + 1)", "type=\(Self.werkvoorraadTypes.joined(separator: ","))"]
                    + (a.rol.isAfdeling ? [] : ["afdeling=\(Self.url(afdeling))"])).joined(separator: "&")
        filters.append("deel=rijen")
        func opties(_ values: [String], _ chosen: String?) -> [[String: Any]] {
            Array(Set(values + (chosen.map { [$0] } ?? []))).sorted().map { ["waarde": $0, "gekozen": $0 == chosen] }
        }
        return Self.html(Sjablonen.pagina("werkvoorraad", titel: "Werkvoorraad \(afdeling)", aangemeld: a, rijen.merging([
            "afdeling": afdeling,
            "kiesAfdeling": !a.rol.isAfdeling,
            "afdelingen": afdelingen.map { ["waarde": $0, "gekozen": $0 == afdeling] },
            "teLaat": teLaat,
            "onderwerpen": opties(alle.map(\.onderwerp), onderwerp),
            "kanalen": opties(alle.map(\.kanaal), kanaal),
            "gefilterd": teLaat || onderwerp != nil || kanaal != nil,
            "totaal": alle.count,
            "live": "/live?" + live,
            "rijenUrl": "/werkvoorraad?" + filters.joined(separator: "&"),
        ]) { $1 }, live: true))
    }

    static func werkvoorraadRij(_ row: WerkvoorraadRegel, nu: Tijdstip) -> [String: Any] {
        let (urgentie, termijn): (String, String) =
            if row.teLaatWerkdagen > 0 { ("te-laat", teLaatTekst(row.teLaatWerkdagen)) }
            else if row.werkdagenOver == 0 { ("bijna", "uiterlijk vandaag") }
            else if row.werkdagenOver == 1 { ("bijna", "nog 1 werkdag") }
            else { ("op-tijd", "nog \(row.werkdagenOver) werkdagen") }
        return [
            "zaak": row.zaak, "doorverwijzing": row.doorverwijzing, "urgentie": urgentie, "termijn": termijn,
            "uiterlijk": leesbaar(row.uiterlijkOp),
            "soort": row.terugbelverzoek ? "terugbelverzoek" : row.soort,
            "onderwerp": row.onderwerp, "kanaal": row.kanaal, "omschrijving": row.omschrijving.citaat,
            "leeftijd": Tijdstip(row.aangemaaktOp).map { duur(van: $0, tot: nu) } ?? "",
        ]
    }

    // MARK: Zaak

    /// What a refused terugkoppeling form held, shown again with the rule's words at its field.
    struct Formstaat {
        var doorverwijzing = "", uitkomst = "", toelichting = "", doorgestuurdNaar = ""
        var fout: String?
        var veld: String?
    }

    func zaakpagina(_ a: Aangemeld, nummer text: String, formulier: Formstaat? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let nummer = try zaaknummer(text)
        let overzicht: ZaakOverzicht
        do { overzicht = try await Route.zichtbareZaak(a.verzoek, nummer) } catch let probleem as Probleem where probleem.status == 404 {
            throw nietZichtbaar(nummer, a) ?? probleem
        }
        let log = bron.lezer, sleutels = bron.projector.sleutels
        let events = try await bron.blokkerend {
            try log.events(ofZaak: nummer.description).map { entry in
                (entry, try ZaakGebeurtenis(logregel: entry.line, sleutels: sleutels))
            }
        }
        try await a.verzoek.verwerkt("zaak inzien", betrokkenen: [(overzicht.inwoner, overzicht.zaak)])

        let toezicht = a.rol.isToezicht
        let nu = Tijdstip.nu()
        let tijdlijn: [[String: Any]] = events.map { entry, event in
            [
                "positie": entry.position, "type": event.gebeurtenis.type, "tijd": tijdTekst(event.plaatsgevondenOp),
                "datetime": event.plaatsgevondenOp.description, "wie": "\(event.actor.soort.rawValue) \(event.actor.id)",
                "kanaal": Sjablonen.ofNiets(event.gebeurtenis.kanaal?.rawValue), "wat": event.beschrijving,
                "bladhash": Sjablonen.ofNiets(toezicht ? entry.line.withUnsafeBytes { MerkleHash.leaf($0) }.hex : nil),
            ]
        }
        let informed = events.compactMap { _, event -> Tijdstip? in
            if case .inwonerGeinformeerd = event.gebeurtenis { return event.plaatsgevondenOp } else { return nil }
        }
        let geopend = events.first.map { $0.1.plaatsgevondenOp }
        let hops: [[String: Any]] = overzicht.doorverwijzingen.map { hop in
            let sent = Tijdstip(hop.aangemaaktOp), answered = hop.teruggekoppeldOp.flatMap(Tijdstip.init)
            let told = answered.flatMap { moment in informed.first { $0 >= moment } }
            return [
                "doorverwijzing": hop.doorverwijzing, "afdeling": hop.afdeling, "soort": hop.terugbelverzoek ? "terugbelverzoek" : hop.soort,
                "kccNaarAfdeling": zip2(geopend, sent).map { duur(van: $0, tot: $1) } ?? "–",
                "afdelingNaarTerugkoppeling": sent.map { start in answered.map { duur(van: start, tot: $0) } ?? "wacht al \(duur(van: start, tot: nu))" } ?? "–",
                "terugkoppelingNaarInwoner": answered.map { start in told.map { duur(van: start, tot: $0) } ?? "nog niet geïnformeerd" } ?? "–",
                "uiterlijk": leesbaar(hop.uiterlijkOp),
                "uitkomst": hop.uitkomst ?? "open",
                "teLaat": Sjablonen.ofNiets(hop.teLaatWerkdagen > 0 ? teLaatTekst(hop.teLaatWerkdagen) : nil),
            ]
        }
        let open = overzicht.doorverwijzingen.filter { $0.status == "te_verwerken" && a.magTerugkoppelen(op: $0.afdeling) }
        var form = formulier ?? Formstaat()
        if form.doorverwijzing.isEmpty { form.doorverwijzing = open.first?.doorverwijzing ?? "" }
        if form.uitkomst.isEmpty { form.uitkomst = TerugkoppelingUitkomst.opgelost.rawValue }
        let velden = ["toelichting", "uitkomst", "doorgestuurdNaar", "doorverwijzing"]
        var context: [String: Any] = [
            "zaak": overzicht.zaak, "versie": overzicht.versie, "status": overzicht.status, "onderwerp": overzicht.onderwerp,
            "omschrijving": overzicht.omschrijving, "kanaal": overzicht.kanaal, "afdeling": overzicht.afdeling,
            "geopend": leesbaar(overzicht.geopendOp),
            "uiterlijk": leesbaar(overzicht.uiterlijkAfgehandeldOp),
            "oordeelCode": overzicht.oordeel.code, "oordeel": Self.zin(overzicht.oordeel.tekst), "redenen": overzicht.oordeel.redenen.map(Self.zin),
            "bevindingen": overzicht.afsluitbevindingen.map(Self.zin), "heeftRedenen": !overzicht.oordeel.redenen.isEmpty,
            "heeftBevindingen": !overzicht.afsluitbevindingen.isEmpty && overzicht.afsluitbevindingen != overzicht.oordeel.redenen, "aangemeldCsrf": a.sessie.csrf, "volgendeStap": Self.zin(overzicht.volgendeStap),
            "archief": "\(overzicht.archiefnominatie.replacingOccurrences(of: "_", with: " ")), \(overzicht.archiefstatus.replacingOccurrences(of: "_", with: " "))",
            "doorverwijzingen": hops, "heeftDoorverwijzingen": !hops.isEmpty,
            "tijdlijn": tijdlijn, "toezicht": toezicht, "aantalGebeurtenissen": events.count,
            "vastgelegd": a.query("vastgelegd") != nil && formulier == nil,
            "formulier": open.isEmpty ? false as Any : [
                "open": open.map { ["waarde": $0.doorverwijzing, "tekst": "\($0.doorverwijzing) — \($0.afdeling), uiterlijk \(leesbaar($0.uiterlijkOp))",
                                    "gekozen": $0.doorverwijzing == form.doorverwijzing] },
                "uitkomsten": TerugkoppelingUitkomst.allCases.map { ["waarde": $0.rawValue, "gekozen": $0.rawValue == form.uitkomst] },
                "afdelingen": bron.catalogus.afdelingen.map { ["waarde": $0.naam, "gekozen": $0.naam == form.doorgestuurdNaar] },
                "toelichting": form.toelichting,
                "fout": Sjablonen.ofNiets(form.veld == nil ? form.fout : nil),
            ] as [String: Any] as Any,
        ]
        for veld in velden {
            context["fout" + veld.prefix(1).uppercased() + veld.dropFirst()] = Sjablonen.ofNiets(form.veld == veld ? form.fout : nil)
        }
        return Self.html(Sjablonen.pagina("zaak", titel: "Zaak \(overzicht.zaak)", aangemeld: a, context), status: status)
    }

    func terugkoppeling(_ a: Aangemeld, nummer text: String) async throws -> Response {
        let form = try await formulier(a.request, a)
        let nummer = try zaaknummer(text)
        guard a.rol != .auditor else { throw Paginafout.geenToegang("Een auditor leest mee en legt niets vast.") }
        let id = (form["doorverwijzing"] ?? "").uppercased()
        var staat = Formstaat(doorverwijzing: id, uitkomst: form["uitkomst"] ?? "", toelichting: form["toelichting"] ?? "",
                              doorgestuurdNaar: form["doorgestuurdNaar"] ?? "")
        let zaak: Zaak
        do { zaak = try await Route.bestaat(a.verzoek, nummer) } catch let probleem as Probleem {
            throw nietZichtbaar(nummer, a) ?? probleem
        }
        // An afdeling answers only its own handoffs; another's is as absent as a zaak that does not exist.
        if let refusal = nietZichtbaar(nummer, a), !a.magTerugkoppelen(op: zaak.overdracht(id)?.afdeling ?? "") { throw refusal }
        do {
            let uitkomst: TerugkoppelingUitkomst = try keuze(staat.uitkomst, "uitkomst")
            let command = Opdracht.registreerTerugkoppeling(doorverwijzing: id, uitkomst: uitkomst, toelichting: staat.toelichting,
                                                           doorgestuurdNaar: staat.doorgestuurdNaar.isEmpty ? nil : staat.doorgestuurdNaar)
            let now = Tijdstip.nu()
            let moment = Beslismoment(nu: now, actor: Actor(soort: .medewerker, id: a.gebruiker.naam), catalogus: bron.catalogus,
                                      idBasis: "web-\(a.gebruiker.id)-\(now.milliseconden)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))")
            let versie = form["versie"].flatMap { Int($0) }
            let uitkomstVanZaak = try await bron.metWerker { werker in
                werker.service.herkenHerhalingen = false
                return try werker.service.voerUit(command, op: nummer, verwachteVersie: versie, moment: moment, gelezen: zaak)
            }
            bron.metingen.vastgelegd(uitkomstVanZaak.gebeurtenissen.count)
            return Self.doorsturen("/zaak/\(nummer)?vastgelegd=1#tijdlijn")
        } catch let fout as ZaakFout where fout.soort != .nietBeschikbaar {
            let melding = fout.melding.lowercased()
            staat.fout = Self.zin(fout.melding)
            staat.veld = melding.hasPrefix("toelichting") ? "toelichting"
                : melding.hasPrefix("uitkomst") ? "uitkomst"
                : melding.contains("afdeling '") ? "doorgestuurdNaar"
                : nil
            return try await zaakpagina(a, nummer: text, formulier: staat, status: fout.soort == .conflict ? .conflict : .unprocessableContent)
        }
    }

    private func zaaknummer(_ text: String) throws -> Zaaknummer {
        guard let nummer = Zaaknummer(text) else {
            throw Paginafout(.notFound, "Niet gevonden", "'\(text.citaat)' is geen zaaknummer; een zaaknummer ziet eruit als Z-2026-000042.")
        }
        return nummer
    }

    /// For an afdeling, a zaak not handed to it and one that does not exist are the same 403: no
    /// probing which zaken exist.
    private func nietZichtbaar(_ nummer: Zaaknummer, _ a: Aangemeld) -> Paginafout? {
        guard case let .afdeling(eigen) = a.rol else { return nil }
        return .geenToegang("Zaak \(nummer) is niet naar afdeling \(eigen) doorverwezen, of bestaat niet. U ziet alleen zaken die naar uw afdeling zijn doorverwezen.")
    }

    // MARK: Afsluitcontrole

    func afsluitcontrole(_ a: Aangemeld) async throws -> Response {
        if case let .afdeling(eigen) = a.rol {
            throw Paginafout.geenToegang("De afsluitcontrole is voor het KCC, auditors en beheer; afdeling \(eigen) werkt vanuit haar werkvoorraad.")
        }
        let controle = try await bron.lees { lezer, nu in try lezer.controle(nu: nu) }
        try await a.verzoek.verwerkt("afsluitcontrole inzien", betrokkenen: [])
        let nietEcht = controle.nietEchtOpgelost.map {
            ["zaak": $0.zaak, "afgesloten": leesbaar($0.afgeslotenOp), "heropend": leesbaar($0.heropendOp), "aanleiding": $0.aanleiding,
             "reden": $0.reden, "status": $0.statusNu, "onderwerp": $0.onderwerp, "afdeling": $0.afdeling]
        }
        let klaar = controle.klaarOmTeSluiten.map {
            ["zaak": $0.zaak, "onderwerp": $0.onderwerp, "afdeling": $0.afdeling, "terugkoppeling": leesbaar($0.laatsteTerugkoppelingOp)]
        }
        let verlopen = controle.termijnVerlopen.map {
            ["zaak": $0.zaak, "doorverwijzing": $0.doorverwijzing, "afdeling": $0.afdeling, "soort": $0.terugbelverzoek ? "terugbelverzoek" : $0.soort,
             "uiterlijk": leesbaar($0.uiterlijkOp), "teLaat": "\($0.teLaatWerkdagen)"] as [String: Any]
        }
        return Self.html(Sjablonen.pagina("afsluitcontrole", titel: "Afsluitcontrole", aangemeld: a, [
            "nietEchtOpgelost": nietEcht, "klaarOmTeSluiten": klaar, "termijnVerlopen": verlopen,
            "aantalNietEcht": nietEcht.count, "aantalKlaar": klaar.count, "aantalVerlopen": verlopen.count,
        ]))
    }

    // MARK: Kerncijfers

    func kerncijfers(_ a: Aangemeld) async throws -> Response {
        let (van, tot) = try periode(a, standaardDagen: 56, vandaag: Kalender.lokaleDatum(Tijdstip.nu()))
        let (totaal, kanalen, weken, afdelingen) = try await bron.lees { lezer, nu in
            (try lezer.kpi(van: van, tot: tot, per: nil, nu: nu), try lezer.kpi(van: van, tot: tot, per: .kanaal, nu: nu),
             try lezer.kpi(van: van, tot: tot, per: .week, nu: nu), try lezer.kpi(van: van, tot: tot, per: .afdeling, nu: nu))
        }
        let grafieken = [
            Grafiek.staven(id: "per-kanaal", titel: "Zaken per kanaal", eenheid: "zaken",
                           reeks: kanalen.map { ($0.groep, Double($0.zaken)) }),
            Grafiek.staven(id: "per-week", titel: "Zaken per week", eenheid: "zaken", reeks: weken.map { ($0.groep, Double($0.zaken)) }),
            Grafiek.lijn(id: "echt-opgelost", titel: "Echt opgelost per week (% van de afsluitingen als opgelost)",
                         reeks: weken.map { ($0.groep, $0.echtOpgelostProcent) }),
            Grafiek.staven(id: "termijn-per-afdeling", titel: "Doorverwijzingen binnen de termijn per afdeling", eenheid: "%",
                           reeks: afdelingen.map { ($0.groep, $0.binnenTermijnProcent) }),
        ]
        return Self.html(Sjablonen.pagina("kerncijfers", titel: "Kerncijfers", aangemeld: a, [
            "van": van.description, "tot": tot.description, "vanTekst": datumTekst(van), "totTekst": datumTekst(tot),
            "rijen": (totaal.map { Self.kpiRij($0, groep: "Totaal") } + kanalen.map { Self.kpiRij($0, groep: $0.groep) }),
            "grafieken": grafieken.map(\.context),
        ]))
    }

    static func kpiRij(_ row: KPIRegel, groep: String) -> [String: Any] {
        func procent(_ value: Double?) -> String { value.map { "\(Int(($0).rounded())) %" } ?? "–" }
        return [
            "groep": groep, "zaken": row.zaken, "direct": procent(row.directAfgehandeldProcent), "doorverbonden": procent(row.doorverbondenProcent),
            "terugbel": procent(row.terugbelProcent), "echtOpgelost": procent(row.echtOpgelostProcent), "binnenTermijn": procent(row.binnenTermijnProcent),
            "whatsapp": procent(row.whatsappBinnenUurProcent),
            "doorlooptijd": row.mediaanDoorlooptijdSeconden.map { duur(milliseconden: $0 * 1000) } ?? "–",
        ]
    }

    // MARK: Knelpunten

    /// Where zaken wait: each hop's median in office hours per group, as a heatmap (the number in
    /// every cell, the shade how it compares with the same hop for all groups together). Read from the log itself, as
    /// `zaak knelpunten`: an analysis page, slower than the others on a long log.
    func knelpunten(_ a: Aangemeld) async throws -> Response {
        let vandaag = Kalender.lokaleDatum(Tijdstip.nu())
        let (van, tot) = try periode(a, standaardDagen: 28, vandaag: vandaag)
        let per: KnelpuntIndeling
        do { per = try keuze(a.query("per") ?? KnelpuntIndeling.afdeling.rawValue, "per") } catch let fout as ZaakFout {
            throw Paginafout(.badRequest, "Ongeldige indeling", Self.zin(fout.melding))
        }
        let dataDirectory = bron.dataDirectory
        let rows = try await bron.blokkerend { try Raadpleging(dataDirectory: dataDirectory).knelpunten(van: van, tot: tot, per: per) }
        let hops = Knelpunten.Hop.allCases
        let groups = Array(Set(rows.compactMap(\.groep))).sorted()
        var cell: [String: Knelpuntregel] = [:]
        for row in rows { cell["\(row.hop.rawValue)|\(row.groep ?? "")"] = row }
        let overall = Dictionary(uniqueKeysWithValues: hops.map { hop in (hop, cell["\(hop.rawValue)|"]?.mediaanWerkuren ?? 0) })
        func cells(_ group: String?) -> [[String: Any]] {
            hops.map { hop in
                guard let row = cell["\(hop.rawValue)|\(group ?? "")"], let median = row.mediaanWerkuren else {
                    return ["tekst": "–", "niveau": 0, "aantal": ""]
                }
                let ratio = overall[hop]! > 0 ? median / overall[hop]! : (median > 0 ? 2 : 1)
                let (level, words) = group == nil ? (0, "")
                    : ratio < 0.8 ? (1, "sneller") : ratio < 1.25 ? (2, "gelijk") : ratio < 2 ? (3, "trager") : (4, "≥ 2× trager")
                return ["tekst": Self.uren(median), "niveau": level, "vergelijking": words,
                        "aantal": "\(row.aantal)×, p90 \(row.p90Werkuren.map(Self.uren) ?? "–")"]
            }
        }
        return Self.html(Sjablonen.pagina("knelpunten", titel: "Knelpunten", aangemeld: a, [
            "van": van.description, "tot": tot.description, "vanTekst": datumTekst(van), "totTekst": datumTekst(tot),
            "indelingen": KnelpuntIndeling.allCases.map { ["waarde": $0.rawValue, "gekozen": $0 == per] },
            "indeling": per.rawValue,
            "hops": hops.map(\.naam),
            "alle": cells(nil),
            "groepen": groups.map { ["groep": $0, "cellen": cells($0)] },
        ]))
    }

    static func uren(_ hours: Double) -> String {
        let tenths = Int((hours * 10).rounded())
        return "\(tenths / 10),\(tenths % 10) u"
    }

    /// `van` and `tot` from the query (local dates), by default the `standaardDagen` up to today.
    func periode(_ a: Aangemeld, standaardDagen: Int, vandaag: Datum) throws -> (Datum, Datum) {
        func datum(_ naam: String, _ standaard: Datum) throws -> Datum {
            guard let text = a.query(naam) else { return standaard }
            guard let value = Datum(text) else {
                throw Paginafout(.badRequest, "Ongeldige periode", "\(naam) '\(text.citaat)' is geen datum; gebruik JJJJ-MM-DD, bijv. \(vandaag).")
            }
            return value
        }
        let tot = try datum("tot", vandaag)
        let van = try datum("van", tot.plus(dagen: 1 - standaardDagen))
        guard van <= tot else { throw Paginafout(.badRequest, "Ongeldige periode", "Van (\(van)) ligt na tot (\(tot)).") }
        guard tot.dagnummer - van.dagnummer <= 366 * 3 else { throw Paginafout(.badRequest, "Ongeldige periode", "Kies een periode van hooguit drie jaar.") }
        return (van, tot)
    }

    // MARK: Logstatus

    func logstatus(_ a: Aangemeld) async throws -> Response {
        guard a.rol.isToezicht else { throw Paginafout.geenToegang("De status van het log is voor auditors en beheer.") }
        let reader = bron.lezer
        let (laatste, checkpoint) = try await bron.blokkerend { (try reader.lastPosition(), try AuditProver(reader: reader).checkpoint(covering: 1)) }
        let geprojecteerd = try await bron.lees { lezer, _ in try lezer.positie() }
        var context: [String: Any] = ["laatste": laatste, "geprojecteerd": geprojecteerd, "achter": laatste - geprojecteerd]
        if let checkpoint {
            context["checkpoint"] = [
                "grootte": checkpoint.treeSize, "wortel": checkpoint.root.hex,
                "tijd": tijdTekst(Tijdstip(milliseconden: checkpoint.recordedAt)),
                "sleutel": checkpoint.signature?.keyId ?? "niet ondertekend",
                "handtekening": checkpoint.signature.map { HexBytes.encode($0.bytes) } ?? "–",
                "nietGedekt": laatste - checkpoint.treeSize,
            ] as [String: Any]
        }
        return Self.html(Sjablonen.pagina("logstatus", titel: "Status van het log", aangemeld: a, context))
    }

    static func url(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}

extension Paginas.Aangemeld {
    /// kcc and beheer for any handoff; an afdeling for its own (as the API's terugkoppelen).
    func magTerugkoppelen(op afdeling: String) -> Bool {
        switch rol {
        case .kcc, .beheer: true
        case let .afdeling(eigen): eigen.lowercased() == afdeling.lowercased()
        case .auditor: false
        }
    }
}

extension Rol {
    var isAfdeling: Bool { if case .afdeling = self { true } else { false } }
    /// The auditor and beheer: the log's status and leaf hashes.
    var isToezicht: Bool { self == .auditor || self == .beheer }
}

private func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// "1 werkdag te laat", "3 werkdagen te laat".
func teLaatTekst(_ werkdagen: Int) -> String {
    "\(werkdagen) werkdag\(werkdagen == 1 ? "" : "en") te laat"
}

/// A read model's moment ("2026-11-16T07:02:31.050Z") or date ("2026-11-18") in Dutch, local time.
func leesbaar(_ text: String) -> String {
    Tijdstip(text).map(tijdTekst) ?? Datum(text).map(datumTekst) ?? text
}

/// "3 min", "2 u 15 min", "4 d 3 u": a waiting time at a glance.
func duur(van start: Tijdstip, tot end: Tijdstip) -> String {
    duur(milliseconden: max(0, end.milliseconden - start.milliseconden))
}

func duur(milliseconden: Int64) -> String {
    let minutes = milliseconden / 60_000
    if minutes < 60 { return "\(minutes) min" }
    let hours = minutes / 60
    if hours < 24 { return "\(hours) u \(minutes % 60) min" }
    return "\(hours / 24) d \(hours % 24) u"
}
