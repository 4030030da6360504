import Audit
import Crypto
import Domain
import EventLog
import Projections
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Destruction under the Archiefwet (docs/avg.md): a vernietigingslijst (`zaak archief lijst --json`)
/// is approved by a named person, which fixes its bytes (SHA-256) in an approval file beside it; then
/// carried out: every zaak on it erased as an erasure on request is (`GegevensGewist`, grondslag
/// `archiefwet`), a checkpoint written over those events, and a verklaring van vernietiging beside
/// the list. Each step refuses a list that changed, a zaak that may not be destroyed (blijvend
/// bewaren, open, its date not passed) or an unapproved list, and changes nothing then. Carrying
/// out again after a crash finishes the verklaring without destroying anything twice; a zaak erased
/// earlier on request is destroyed all the same (the Archiefwet wants that record too).
public struct Vernietigingslijst: Codable, Sendable {
    public let tot: String
    public let opgesteldOp: Tijdstip
    public let zaken: [ArchiefRegel]

    public init(tot: String, opgesteldOp: Tijdstip, zaken: [ArchiefRegel]) {
        self.tot = tot
        self.opgesteldOp = opgesteldOp
        self.zaken = zaken
    }

    /// The approval's file beside the list.
    public static func goedkeuringPad(_ lijst: String) -> String { lijst + ".goedkeuring.json" }
    /// The verklaring's file beside the list.
    public static func verklaringPad(_ lijst: String) -> String { lijst + ".verklaring.json" }
}

public struct Goedkeuring: Codable, Sendable {
    public var type = "zaaklog-goedkeuring-vernietigingslijst"
    /// The list's id (`vl-` and the first 16 hex digits of its SHA-256): the `verzoek` of its erasures.
    public let lijst: String
    public let sha256: String
    public let zaken: Int
    public let goedgekeurdDoor: String
    public let goedgekeurdOp: Tijdstip
}

public struct VerklaringVanVernietiging: Encodable, Sendable {
    public var type = "zaaklog-verklaring-van-vernietiging"
    public let lijst: String
    public let sha256: String
    public let goedgekeurdDoor: String
    public let goedgekeurdOp: Tijdstip
    public let uitgevoerdDoor: String
    public let vernietigdOp: Tijdstip
    public let zaken: [Vernietigd]
    /// The signed checkpoint whose tree holds every destruction event (`zaak audit checkpoint`'s form).
    public let checkpoint: AuditJSON.CheckpointFile

    public struct Vernietigd: Encodable, Sendable {
        public let zaak: String, onderwerp: String, geopendOp: String, afgeslotenOp: String, archiefactiedatum: String
        /// The log position of the zaak's `GegevensGewist`.
        public let positie: Int64
    }
}

extension ZaakService {
    /// Approves the list at `pad` in the name of `door`: refused, with every reason, when a zaak on it
    /// may not be destroyed on `nu`'s date. Writes the approval beside the list (never over one).
    public func keur(_ pad: String, door: String, nu: Tijdstip) throws -> Goedkeuring {
        let (lijst, hash) = try Self.leesLijst(pad)
        try bijwerken()
        try controleer(lijst, op: Kalender.lokaleDatum(nu))
        let goedkeuring = Goedkeuring(lijst: Self.lijstId(hash), sha256: hash, zaken: lijst.zaken.count, goedgekeurdDoor: door, goedgekeurdOp: nu)
        let target = Vernietigingslijst.goedkeuringPad(pad)
        guard try leesBestand(target) == nil else {
            throw ZaakFout(.regel, "\(pad) is al goedgekeurd (\(target)); een nieuwe goedkeuring hoort bij een nieuwe lijst")
        }
        try vervangBestand(target, door: Array(try Self.encoder.encode(goedkeuring)) + [0x0A])
        return goedkeuring
    }

    /// Carries out the approved list at `pad`: its zaken erased with grondslag archiefwet by
    /// `door`, a checkpoint over the events, and the verklaring written beside the list.
    public func vernietig(_ pad: String, door: Actor, nu: Tijdstip) throws -> VerklaringVanVernietiging {
        let (lijst, hash) = try Self.leesLijst(pad)
        guard let approvalBytes = try leesBestand(Vernietigingslijst.goedkeuringPad(pad)) else {
            throw ZaakFout(.regel, "\(pad) is niet goedgekeurd; laat iemand met de rol beheer hem eerst goedkeuren: zaak archief keur \(pad) --door …; er is niets vernietigd")
        }
        guard let goedkeuring = try? JSONDecoder().decode(Goedkeuring.self, from: Data(approvalBytes)), goedkeuring.type == "zaaklog-goedkeuring-vernietigingslijst" else {
            throw ZaakFout(.ongeldig, "\(Vernietigingslijst.goedkeuringPad(pad)) is geen goedkeuring van zaaklog; er is niets vernietigd")
        }
        guard goedkeuring.sha256 == hash else {
            throw ZaakFout(.regel, "\(pad) is gewijzigd na de goedkeuring (SHA-256 \(hash), goedgekeurd: \(goedkeuring.sha256)); "
                + "stel een nieuwe lijst op en laat die goedkeuren; er is niets vernietigd")
        }
        try bijwerken()
        let nummers = lijst.zaken.compactMap { Zaaknummer($0.zaak) }
        guard nummers.count == lijst.zaken.count else {
            throw ZaakFout(.ongeldig, "\(pad) noemt iets dat geen zaaknummer is; er is niets vernietigd")
        }
        let datum = Kalender.lokaleDatum(nu)
        let reden = "vernietigingslijst \(goedkeuring.lijst) t/m \(lijst.tot), goedgekeurd door \(goedkeuring.goedgekeurdDoor) op \(goedkeuring.goedgekeurdOp)"
        let wissing = try wis(nummers, grondslag: .archiefwet, verzoek: goedkeuring.lijst, reden: reden, door: door, nu: nu) {
            Self.bezwaar(tegen: $0, op: datum)
        }
        if let fout = wissing.projectieFout { throw LogError(.io, "de zaken zijn vernietigd in het log, maar de leesmodellen niet bijgewerkt (\(fout)); voer dit opnieuw uit") }
        var positions = Dictionary(wissing.gewist.map { ($0.zaak, $0.positie) }, uniquingKeysWith: { first, _ in first })
        // Destroyed before (by an interrupted run of this list): the position of that destruction.
        for nummer in wissing.alGewist {
            positions[nummer] = try gebeurtenissen(van: nummer).last { if case .gegevensGewist = $0.gebeurtenis { true } else { false } }?.positie
        }
        let last = positions.values.max() ?? 0
        _ = try log.checkpointUncoveredLines()
        guard let checkpoint = try AuditProver(reader: log.reader).checkpoint(covering: last) else {
            throw LogError(.io, "er is geen checkpoint over de vernietiging geschreven; voer dit opnieuw uit")
        }
        let verklaring = VerklaringVanVernietiging(
            lijst: goedkeuring.lijst, sha256: hash, goedgekeurdDoor: goedkeuring.goedgekeurdDoor, goedgekeurdOp: goedkeuring.goedgekeurdOp,
            uitgevoerdDoor: door.id, vernietigdOp: nu,
            zaken: lijst.zaken.map { .init(zaak: $0.zaak, onderwerp: $0.onderwerp, geopendOp: $0.geopendOp, afgeslotenOp: $0.afgeslotenOp,
                                           archiefactiedatum: $0.archiefactiedatum, positie: positions[Zaaknummer($0.zaak)!] ?? 0) },
            checkpoint: AuditJSON.CheckpointFile(checkpoint))
        try vervangBestand(Vernietigingslijst.verklaringPad(pad), door: Array(try Self.encoder.encode(verklaring)) + [0x0A])
        return verklaring
    }

    /// Every reason a zaak on `lijst` may not be destroyed on `datum`, or nothing.
    private func controleer(_ lijst: Vernietigingslijst, op datum: Datum) throws {
        var redenen: [String] = []
        for regel in lijst.zaken {
            guard let nummer = Zaaknummer(regel.zaak), let zaak = try zaak(nummer) else {
                redenen.append("\(regel.zaak) bestaat niet")
                continue
            }
            if let reden = Self.bezwaar(tegen: zaak, op: datum) { redenen.append(reden) }
        }
        guard redenen.isEmpty else {
            throw ZaakFout(.regel, "deze lijst kan niet worden vernietigd: " + redenen.joined(separator: "; ") + "; er is niets gewijzigd")
        }
    }

    /// Why `zaak` may not be destroyed on `datum`, if it may not.
    private static func bezwaar(tegen zaak: Zaak, op datum: Datum) -> String? {
        guard zaak.opening.archiefnominatie == .vernietigen else {
            return "\(zaak.nummer) heeft archiefnominatie \(zaak.opening.archiefnominatie.rawValue) en wordt nooit vernietigd"
        }
        guard case .gesloten = zaak.status, let actie = zaak.afsluitingen.last?.archiefactiedatum else {
            return "\(zaak.nummer) is niet gesloten en heeft dus geen archiefactiedatum"
        }
        return actie > datum ? "de archiefactiedatum van \(zaak.nummer) is \(actie), nog niet verstreken" : nil
    }

    private static func leesLijst(_ pad: String) throws -> (Vernietigingslijst, String) {
        guard let bytes = try leesBestand(pad) else { throw ZaakFout(.onbekend, "\(pad) bestaat niet") }
        guard let lijst = try? JSONDecoder().decode(Vernietigingslijst.self, from: Data(bytes)), !lijst.zaken.isEmpty else {
            throw ZaakFout(.ongeldig, "\(pad) is geen vernietigingslijst met zaken (zaak archief lijst --tot … --json)")
        }
        return (lijst, HexBytes.encode(Array(SHA256.hash(data: bytes))))
    }

    private static func lijstId(_ hash: String) -> String { "vl-" + hash.prefix(16) }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
