import Audit
import Crypto
import Domain
import EventLog
import OCEL
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum OCELFormaat: String, Sendable, CaseIterable {
    case sqlite, json
}

/// What an OCEL export holds and where it came from: inside the export (SQLite: table
/// `zaaklog_export`; JSON: member `zaaklog`) and, with the export's SHA-256, in the manifest
/// beside it (`<bestand>.zaaklog.json`). docs/process-mining.md.
public struct OCELExportBeschrijving: Codable, Sendable {
    public struct Periode: Codable, Sendable { public let van: String, tot: String }
    public struct Posities: Codable, Sendable { public let van: Int64, tot: Int64 }

    public var type = "zaaklog-ocel-export"
    public var versie = 1
    public let formaat: String
    /// The zaken opened in this period (local dates, inclusive), with all their events in `posities`.
    public let periode: Periode
    public let posities: Posities
    /// The checkpoint of exactly `posities.tot` events: what the export was taken from.
    public let checkpoint: AuditJSON.CheckpointValue
    /// `per-export`: inwoners and medewerkers as pseudonyms of this export alone; `echte-ids`: as they are.
    public let pseudoniemen: String
    public let gebeurtenissen: [String: Int]
    public let objecten: [String: Int]
    public let gemaaktOp: String
}

/// The file beside an export that says which file it describes and its SHA-256.
public struct OCELManifest: Codable, Sendable {
    public var type = "zaaklog-ocel-manifest"
    public let bestand: String
    public let sha256: String
    public let export: OCELExportBeschrijving

    public static func pad(bij export: String) -> String { export + ".zaaklog.json" }
}

/// How an export checks out (`zaak export controleer`).
public struct OCELControle: Sendable {
    public let manifest: OCELManifest
    /// The checkpoint, parsed: its signature is the caller's to check against the keys it trusts.
    public let checkpoint: Checkpoint
    /// Whether the log here was compared: its checkpoint of that size has the same root, and the
    /// mapping over it gives the same counts.
    public let vergelekenMetLog: Bool
}

extension Raadpleging {
    /// Writes an OCEL 2.0 export of the zaken opened in `van`…`tot` to `naar` (which must not exist
    /// yet), taken from the log up to its newest checkpoint, and the manifest beside it. The export
    /// is written under a temporary name and renamed only once complete: an interrupted or failed
    /// export leaves nothing at `naar`. Returns the manifest and how many events came after the
    /// checkpoint (they are in the next export).
    public func exporteerOCEL(van: Datum, tot: Datum, formaat: OCELFormaat, naar: String, echteIds: Bool,
                              nu: Tijdstip, voortgang: (Int64) -> Void = { _ in }) throws -> (manifest: OCELManifest, naHetCheckpoint: Int64) {
        guard access(naar, F_OK) != 0 else { throw ZaakFout(.ongeldig, "\(naar) bestaat al; kies een nieuw bestand (een export overschrijft niets)") }
        let map = naar.contains("/") ? String(naar[..<naar.lastIndex(of: "/")!]) : "."
        guard access(map.isEmpty ? "/" : map, W_OK) == 0 else {
            throw ZaakFout(.ongeldig, "de map \(map.isEmpty ? "/" : map) van --naar bestaat niet of is niet schrijfbaar; er is niets geschreven")
        }
        guard let checkpoint = try AuditProver(reader: log).checkpoint(covering: 1) else {
            throw ZaakFout(.onbekend, "het log heeft nog geen checkpoint om van te exporteren; `zaak log checkpoint` schrijft er een")
        }
        let pseudoniem = echteIds ? { (_: OCELToewijzing.Rol, waarde: String) in waarde } : Self.pseudoniemen()
        var mapping = OCELToewijzing(van: van, tot: tot, pseudoniem: pseudoniem)
        let deel = naar + ".deel-\(getpid())", tussenvorm = formaat == .sqlite ? deel : deel + ".sqlite"
        defer { unlink(tussenvorm); unlink(deel) }
        do {
            var vorm = try OCELSQLiteVorm(path: tussenvorm)
            try Self.read(log, sleutels: sleutels, upTo: checkpoint.treeSize) { event in
                try mapping.verwerk(event, naar: &vorm)
            } voortgang: { voortgang($0) }
            let beschrijving = OCELExportBeschrijving(
                formaat: formaat.rawValue, periode: .init(van: van.description, tot: tot.description),
                posities: .init(van: 1, tot: checkpoint.treeSize), checkpoint: AuditJSON.CheckpointValue(checkpoint),
                pseudoniemen: echteIds ? "echte-ids" : "per-export", gebeurtenissen: mapping.gebeurtenissenPerType,
                objecten: mapping.objectenPerType, gemaaktOp: nu.description)
            let tekst = String(decoding: try Self.encoder.encode(beschrijving), as: UTF8.self)
            try vorm.sluit(beschrijving: tekst)
            if formaat == .json { try OCELJSONVorm.schrijf(uit: vorm, naar: deel, beschrijving: tekst) }
            try plaatsBestand(deel, op: naar)
            let manifest = OCELManifest(bestand: String(naar.split(separator: "/").last ?? Substring(naar)), sha256: try sha256(van: naar), export: beschrijving)
            try vervangBestand(OCELManifest.pad(bij: naar), door: Array(try Self.encoder.encode(manifest)) + [0x0A])
            return (manifest, try log.lastPosition() - checkpoint.treeSize)
        } catch let OCELFout.schrijven(pad, reden) {
            throw LogError(.io, "kan \(pad) niet schrijven: \(reden); er is geen export geschreven")
        }
    }

    /// Checks the export at `pad` against its manifest (SHA-256) and, when `log` is given and holds
    /// the checkpoint it names, against the log: the same root, and the same counts of events and
    /// objects per type from the same mapping. An analyst without the log checks the first part.
    public static func controleerOCEL(_ pad: String, log: LogReader?, sleutels: any Sleutelbron) throws -> OCELControle {
        guard let bytes = try leesBestand(OCELManifest.pad(bij: pad)) else {
            throw ZaakFout(.onbekend, "naast \(pad) staat geen \(OCELManifest.pad(bij: pad)); zonder dat bestand is niet te controleren wat de export bevat")
        }
        guard let manifest = try? JSONDecoder().decode(OCELManifest.self, from: Data(bytes)), manifest.type == "zaaklog-ocel-manifest" else {
            throw ZaakFout(.ongeldig, "\(OCELManifest.pad(bij: pad)) is geen manifest van een zaaklog-export")
        }
        guard access(pad, F_OK) == 0 else { throw ZaakFout(.onbekend, "\(pad) bestaat niet") }
        let actual = try sha256(van: pad)
        guard actual == manifest.sha256 else {
            throw afwijking("\(pad) is gewijzigd na de export: SHA-256 \(actual), het manifest zegt \(manifest.sha256)")
        }
        let checkpoint: Checkpoint
        do { checkpoint = try manifest.export.checkpoint.checkpoint() } catch { throw afwijking("het manifest heeft een ongeldig checkpoint: \(error)") }
        guard let log, let here = try AuditProver(reader: log).checkpoint(treeSize: checkpoint.treeSize) else {
            return OCELControle(manifest: manifest, checkpoint: checkpoint, vergelekenMetLog: false)
        }
        guard here.root == checkpoint.root else {
            throw afwijking("het checkpoint van \(checkpoint.treeSize) gebeurtenissen in dit log heeft wortel \(here.root.hex), de export zegt \(checkpoint.root.hex): een ander of herschreven log")
        }
        guard let van = Datum(manifest.export.periode.van), let tot = Datum(manifest.export.periode.tot) else {
            throw afwijking("het manifest heeft een ongeldige periode")
        }
        var mapping = OCELToewijzing(van: van, tot: tot) { _, waarde in waarde }
        var counter = OCELTeller()
        try read(log, sleutels: sleutels, upTo: checkpoint.treeSize) { try mapping.verwerk($0, naar: &counter) }
        for (wat, log, export) in [("gebeurtenissen", mapping.gebeurtenissenPerType, manifest.export.gebeurtenissen),
                                   ("objecten", mapping.objectenPerType, manifest.export.objecten)] where log != export {
            let verschil = Set(log.keys).union(export.keys).sorted().filter { log[$0] != export[$0] }
                .map { "\($0): log \(log[$0] ?? 0), export \(export[$0] ?? 0)" }.joined(separator: "; ")
            throw afwijking("de export is niet volledig of niet van dit log; \(wat) per type verschillen (\(verschil))")
        }
        return OCELControle(manifest: manifest, checkpoint: checkpoint, vergelekenMetLog: true)
    }

    /// The zaak events at positions 1…`end`, in order; lines that are no zaak event are skipped.
    private static func read(_ log: LogReader, sleutels: any Sleutelbron, upTo end: Int64, _ body: (ZaakGebeurtenis) throws -> Void, voortgang: (Int64) -> Void = { _ in }) throws {
        guard end > 0 else { return }
        try log.read(from: 1) { entry in
            if let event = try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels) { try body(event) }
            if entry.position % 100_000 == 0 { voortgang(entry.position) }
            return entry.position < end
        }
    }

    /// Pseudonyms under a random key that exists only while this export is written: consistent
    /// within it, unrelated to those of any other export, and not reversible from the file.
    private static func pseudoniemen() -> (OCELToewijzing.Rol, String) -> String {
        let key = SymmetricKey(size: .bits256)
        return { rol, waarde in
            let mac = HMAC<SHA256>.authenticationCode(for: Array("\(rol.rawValue)\u{0}\(waarde)".utf8), using: key)
            return HexBytes.encode(Array(mac).prefix(8))
        }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// The export does not match its manifest or the log: damage (exit 76, like a failed audit check).
private func afwijking(_ melding: String) -> LogError { LogError(.damaged, melding) }

/// Counts only: what `controleerOCEL` needs from the mapping.
private struct OCELTeller: OCELOntvanger {
    func object(id: String, type: String, attributen: [String: OCELWaarde]) {}
    func wijziging(id: String, type: String, veld: String, waarde: OCELWaarde, op tijd: String) {}
    func relatie(van: String, naar: String, kwalificatie: String) {}
    func gebeurtenis(_ gebeurtenis: OCELGebeurtenis) {}
}

/// SHA-256 of a file, read in 1 MiB pieces.
func sha256(van pad: String) throws -> String {
    let fd = open(pad, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ioFout("kan \(pad) niet lezen") }
    defer { close(fd) }
    var hasher = SHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0, errno == EINTR { continue }
        guard count >= 0 else { throw ioFout("kan \(pad) niet lezen") }
        if count == 0 { break }
        buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }
    return HexBytes.encode(Array(hasher.finalize()))
}
