import Domain
import EventLog
import Projections

/// Erasure on request (AVG art. 17, docs/avg.md): one `GegevensGewist` per zaak of the inwoner,
/// appended on the condition that none of the zaken changed; the projector then deletes each key
/// (durably) before the read models forget the members, and empties their WAL. The events are the
/// durable intent: after a crash at any point the next catch-up completes what they say.
extension ZaakService {
    public struct Wissing: Sendable {
        public let verzoek: String
        /// The zaken erased now, with the log position of their erasure event.
        public let gewist: [(zaak: Zaaknummer, positie: Int64)]
        /// The inwoner's zaken that were erased before.
        public let alGewist: [Zaaknummer]
        /// Set when the events are durable but the read models could not be brought up to date.
        public var projectieFout: String?

        /// The answer of `zaak avg wis --json` and `POST /wissingen`.
        public struct Document: Encodable, Sendable {
            public struct Gewist: Encodable, Sendable { let zaak: String, positie: Int64 }
            let inwoner: String, verzoek: String, gewist: [Gewist], alGewist: [String]
            public let waarschuwing: String?
        }

        public func document(inwoner: String) -> Document {
            Document(inwoner: inwoner, verzoek: verzoek, gewist: gewist.map { .init(zaak: $0.zaak.description, positie: $0.positie) },
                     alGewist: alGewist.map(\.description),
                     waarschuwing: projectieFout.map { "gewist in het log, maar de leesmodellen zijn niet bijgewerkt (\($0)); de volgende opdracht maakt het af" })
        }
    }

    public func wis(inwoner: String, grondslag: Wisgrondslag, reden: String, door actor: Actor, nu: Tijdstip) throws -> Wissing {
        try bijwerken()
        var vraag = Zoekvraag()
        vraag.inwoner = inwoner
        vraag.limiet = Int(Int32.max)
        let nummers = try register().zoek(vraag).compactMap { Zaaknummer($0.zaak) }.sorted()
        guard !nummers.isEmpty else {
            throw ZaakFout(.onbekend, "over inwoner \(inwoner) is niets vastgelegd (of het is al gewist); er is niets gewist")
        }
        return try wis(nummers, grondslag: grondslag, verzoek: "avg-\(nu.milliseconden)", reden: reden, door: actor, nu: nu)
    }

    /// Erases `nummers` (the zaken of one request or list), or nothing when one cannot be: a zaak
    /// with plain-text lines, or one for which `toets` gives a reason (all reasons are reported).
    public func wis(_ nummers: [Zaaknummer], grondslag: Wisgrondslag, verzoek: String, reden: String, door actor: Actor, nu: Tijdstip,
                    toets: (Zaak) -> String? = { _ in nil }) throws -> Wissing {
        for _ in 0..<Self.maximumPogingen {
            var events: [ZaakGebeurtenis] = [], conditions: [StreamCondition] = [], alGewist: [Zaaknummer] = [], redenen: [String] = []
            for nummer in nummers {
                // One read of the zaak's lines: for its state and for plain text.
                let lines = try log.reader.events(ofZaak: nummer.description)
                guard let zaak = try herstel(lines.map { entry throws(ZaakFout) in try ZaakGebeurtenis(logregel: entry.line, sleutels: sleutels) }) else {
                    throw ZaakFout(.onbekend, "zaak \(nummer) bestaat niet; er is niets gewist")
                }
                if let reden = toets(zaak) { redenen.append(reden) }
                // Erased before: nothing to do, unless this destroys a zaak erased on request.
                if let earlier = zaak.gewist, earlier.grondslag == .archiefwet || grondslag != .archiefwet {
                    alGewist.append(nummer)
                    continue
                }
                if let plain = lines.first(where: { ZaakGebeurtenis.heeftOnversleuteldePersoonsgegevens($0.line) }) {
                    throw ZaakFout(.regel, "zaak \(nummer) heeft persoonsgegevens in platte tekst (positie \(plain.position), vastgelegd vóór de versleuteling "
                        + "per zaak): die kan het log niet vergeten door een sleutel te wissen. Er is niets gewist; docs/avg.md beschrijft wat dan kan")
                }
                let event = ZaakGebeurtenis(id: "\(verzoek).\(nummer)", zaak: nummer, versie: zaak.versie + 1, plaatsgevondenOp: nu, actor: actor,
                                            gebeurtenis: .gegevensGewist(GegevensGewist(grondslag: grondslag, verzoek: verzoek, reden: reden)))
                _ = try evolve(zaak, event)
                events.append(event)
                conditions.append(StreamCondition(zaak: nummer.description, lastPosition: zaak.laatstePositie))
            }
            guard redenen.isEmpty else {
                throw ZaakFout(.regel, "deze zaken kunnen niet worden gewist: " + redenen.joined(separator: "; ") + "; er is niets gewijzigd")
            }
            guard !events.isEmpty else { return Wissing(verzoek: verzoek, gewist: [], alGewist: alGewist) }
            let results: [AppendResult]
            do {
                results = try log.append(try sleutels.records(events), conditions: conditions)
            } catch let error as LogError where error.kind == .conflict {
                continue  // one of the zaken changed meanwhile: read them again
            }
            var wissing = Wissing(verzoek: verzoek, gewist: zip(events, results).map { ($0.zaak, $1.position) }, alGewist: alGewist)
            do { try bijwerken() } catch { wissing.projectieFout = "\(LogError(storage: error) ?? error)" }
            return wissing
        }
        throw ZaakFout(.conflict, "de zaken werden \(Self.maximumPogingen) keer gewijzigd terwijl het wissen liep; er is niets gewist, probeer het opnieuw")
    }
}
