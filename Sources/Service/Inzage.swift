import Domain
import EventLog
import Projections
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Everything held about one inwoner (AVG art. 15, the right of access): their zaken as the log
/// says they stand, every event of those zaken, and the processing log's records of who read their
/// data when. Read-only, like every query: the log, the read models as they stand (and the log's
/// tail beyond them, so a zaak opened a moment ago is not missed) and the processing log.
public struct Inzage: Sendable {
    public struct ZaakInzage: Sendable {
        public let zaak: Zaak
        public let gebeurtenissen: [ZaakGebeurtenis]
    }

    public let inwoner: String
    /// Oldest first.
    public let zaken: [ZaakInzage]
    public let verwerkingen: [Verwerking]
    /// The log's last position when the inzage was drawn up.
    public let logPositie: Int64
}

extension Inzage {
    /// The inzage as one JSON document, the same from `zaak avg inzage --json` and `GET /inzage`:
    /// the zaken with their events as the log holds them, and the processing-log records.
    public struct Document: Encodable, Sendable {
        public struct ZaakDocument: Encodable, Sendable {
            let zaak: String, onderwerp: String, status: String, geopendOp: Tijdstip, afgeslotenOp: Tijdstip?
            let gebeurtenissen: [ZaakGebeurtenis]
        }
        let inwoner: String, opgesteldOp: Tijdstip, logPositie: Int64
        let zaken: [ZaakDocument]
        let verwerkingen: [Verwerking]
    }

    public func document(opgesteldOp: Tijdstip) -> Document {
        Document(inwoner: inwoner, opgesteldOp: opgesteldOp, logPositie: logPositie, zaken: zaken.map {
            Document.ZaakDocument(zaak: $0.zaak.nummer.description, onderwerp: $0.zaak.onderwerp, status: Self.statusTekst($0.zaak.status),
                                  geopendOp: $0.zaak.geopendOp, afgeslotenOp: $0.zaak.afgeslotenOp, gebeurtenissen: $0.gebeurtenissen)
        }, verwerkingen: verwerkingen)
    }

    /// "open", "gesloten (opgelost)", "gekoppeld aan Z-…".
    public static func statusTekst(_ status: Zaak.Status) -> String {
        switch status {
        case .open: return "open"
        case let .gesloten(resultaat): return "gesloten (\(resultaat.rawValue))"
        case let .gekoppeld(hoofdzaak): return "gekoppeld aan \(hoofdzaak)"
        }
    }
}

extension Raadpleging {
    public func inzage(inwoner: String) throws -> Inzage {
        var vraag = Zoekvraag()
        vraag.inwoner = inwoner
        vraag.limiet = Int(Int32.max)
        var nummers = Set(try lezer.zoek(vraag).compactMap { Zaaknummer($0.zaak) })
        let end = try log.lastPosition()
        try log.read(from: try lezer.positie() + 1) { entry in
            if let event = try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels), case let .zaakGeopend(opening) = event.gebeurtenis, opening.inwoner.ref == inwoner {
                nummers.insert(event.zaak)
            }
            return entry.position < end
        }
        let zaken = try nummers.compactMap { nummer -> Inzage.ZaakInzage? in
            let events = try log.events(ofZaak: nummer.description, before: end + 1).compactMap { entry -> ZaakGebeurtenis? in
                var event = try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels)
                event?.positie = entry.position
                return event
            }
            // The state as far as the events fold: an event a later rule refuses still shows in the list.
            var zaak: Zaak?
            for event in events {
                guard let next = try? evolve(zaak, event) else { break }
                zaak = next
            }
            return zaak.map { Inzage.ZaakInzage(zaak: $0, gebeurtenissen: events) }
        }.sorted { ($0.zaak.geopendOp.milliseconden, $0.zaak.nummer.description) < ($1.zaak.geopendOp.milliseconden, $1.zaak.nummer.description) }
        return Inzage(inwoner: inwoner, zaken: zaken, verwerkingen: try verwerkingen(van: inwoner), logPositie: end)
    }

    /// The processing log's records about `inwoner`; none when nothing was ever read through the API.
    private func verwerkingen(van inwoner: String) throws -> [Verwerking] {
        try Verwerkingslezer(dataDirectory: dataDirectory, keys: sleutels.keys)?.verwerkingen(betrokkene: inwoner) ?? []
    }
}
