#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSONReading

// Personal data in the log is encrypted per zaak (docs/avg.md, schemas/log-format.md §3.1): the
// members that can hold it are taken out of `data` and stored as one `versleuteld` member, the AEAD
// ciphertext of a JSON object with those members, under the zaak's own data key. Erasing the key
// forgets them; the line, and so every Merkle proof over it, stays as it was. The domain decides
// which members are personal and what stands in for them once erased; the cryptography and the keys
// belong to the layers that do I/O (KeyStore, Projections), behind `Sleutelbron`.

/// The zaken's data keys, as the decoder and the writer of log lines need them.
public protocol Sleutelbron: Sendable {
    /// The stored form of `klaartekst` (a JSON object) under the data key of `zaak`, bound to the
    /// event `id` (creating the zaak's key when it has none yet).
    func versleutel(_ klaartekst: [UInt8], zaak: Zaaknummer, id: String) throws -> String
    /// The JSON object `geheim` was made from, or nil when the zaak's key has been erased.
    func ontsleutel(_ geheim: String, zaak: Zaaknummer, id: String) throws(ZaakFout) -> [UInt8]?
}

/// The member of `data` (and of an object inside it) that holds the encrypted members.
let versleuteldVeld = "versleuteld"

/// What an erased member reads as: the required text members say so, the optional ones are absent.
public let gewisteTekst = "[gewist]"

extension Inwoner {
    /// The reference an erased zaak's inwoner reads as: unique per zaak, so that nothing links
    /// erased zaken to each other or to anyone (rule 4 looks up the inwoner's reference).
    public static func gewisteRef(_ zaak: Zaaknummer) -> String { "gewist:\(zaak)" }

    /// Whether a reference is one `gewisteRef` gave; no live inwoner may have one.
    public static func isGewisteRef(_ ref: String) -> Bool { ref.hasPrefix("gewist:") }
}

/// The members of one object that can hold personal data.
struct PersoonlijkeVelden {
    /// Members whose whole value is personal.
    var velden: Set<String> = []
    /// Members that are objects with personal members of their own.
    var binnen: [String: PersoonlijkeVelden] = [:]
}

extension Gebeurtenis.Soort {
    /// The personal members of the type's `data` (the list in docs/avg.md and in the event schemas).
    var persoonlijkeVelden: PersoonlijkeVelden { Self.allePersoonlijkeVelden[self]! }

    /// Made once: every event written or checked asks for its type's members.
    private static let allePersoonlijkeVelden = Dictionary(uniqueKeysWithValues: allCases.map { ($0, $0.maakPersoonlijkeVelden) })

    private var maakPersoonlijkeVelden: PersoonlijkeVelden {
        switch self {
        case .zaakGeopend: PersoonlijkeVelden(velden: ["omschrijving", "inwoner"])
        case .meldingOntvangen: PersoonlijkeVelden(velden: ["inhoud", "locatie"])
        case .gesprekGevoerd: PersoonlijkeVelden(velden: ["samenvatting"])
        case .berichtOntvangen, .berichtVerstuurd: PersoonlijkeVelden(velden: ["inhoud", "externeId"])
        case .doorverwezen: PersoonlijkeVelden(velden: ["gevraagdeHandeling", "toelichting"])
        case .terugbelverzoekAangemaakt: PersoonlijkeVelden(velden: ["toelichting", "persoonsgegevens"])
        case .terugkoppelingOntvangen, .inwonerGeinformeerd, .tevredenheidGemeten: PersoonlijkeVelden(velden: ["toelichting"])
        case .zakenGekoppeld, .zaakHeropend: PersoonlijkeVelden(velden: ["reden"])
        case .zaakAfgesloten: PersoonlijkeVelden(velden: ["toelichting"], binnen: ["afwijking": PersoonlijkeVelden(velden: ["reden"])])
        case .gegevensGewist: PersoonlijkeVelden()
        }
    }

    /// What the encrypted members of an erased zaak read as: a JSON object with the type's required
    /// personal members (at any level: a member an object does not have is skipped by the decoder).
    func gewisteWaarden(_ zaak: Zaaknummer) -> String {
        let tekst = "\"\(gewisteTekst)\""
        return switch self {
        case .zaakGeopend: #"{"omschrijving":\#(tekst),"inwoner":{"ref":"\#(Inwoner.gewisteRef(zaak))"}}"#
        case .meldingOntvangen, .berichtOntvangen, .berichtVerstuurd: #"{"inhoud":\#(tekst)}"#
        case .doorverwezen: #"{"gevraagdeHandeling":\#(tekst),"toelichting":\#(tekst)}"#
        case .terugbelverzoekAangemaakt, .terugkoppelingOntvangen: #"{"toelichting":\#(tekst)}"#
        case .zakenGekoppeld, .zaakHeropend, .zaakAfgesloten: #"{"reden":\#(tekst)}"#
        case .gesprekGevoerd, .inwonerGeinformeerd, .tevredenheidGemeten, .gegevensGewist: "{}"
        }
    }
}

extension ZaakGebeurtenis {
    /// The body as the log stores it with personal data encrypted under the zaak's key.
    public func logBody(sleutels: any Sleutelbron) throws -> [UInt8] {
        let persoonlijk = gebeurtenis.soort.persoonlijkeVelden
        let data = try Array(JSONEncoder.gebeurtenissen.encode(gebeurtenis))
        let gesplitst = try data.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            return try splits(&reader, bytes, persoonlijk, sleutels)
        }
        return logBody(data: gesplitst)
    }

    /// `object` (the reader at its start) with the members `persoonlijk` names moved into one
    /// encrypted `versleuteld` member, the other members' bytes copied as they are.
    private func splits(_ reader: inout JSONReader, _ bytes: UnsafeRawBufferPointer, _ persoonlijk: PersoonlijkeVelden,
                        _ sleutels: any Sleutelbron) throws -> [UInt8] {
        var publiek: [UInt8] = [UInt8(ascii: "{")], geheim: [UInt8] = [UInt8(ascii: "{")]
        publiek.reserveCapacity(bytes.count)
        let quote = UInt8(ascii: "\"")
        // A member as the encoder wrote it: its name's bytes (escapes as written) and its value's.
        func lid(_ naam: some Sequence<UInt8>, _ waarde: some Sequence<UInt8>, in object: inout [UInt8]) {
            if object.count > 1 { object.append(UInt8(ascii: ",")) }
            object.append(quote)
            object += naam
            object += [quote, UInt8(ascii: ":")]
            object += waarde
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            // The sets hold one or two names: comparing bytes spares a String per member.
            if persoonlijk.velden.contains(where: key.equals) {
                lid(key.raw, bytes[try reader.valueRange()], in: &geheim)
            } else if let binnen = persoonlijk.binnen.first(where: { key.equals($0.key) })?.value, try reader.peek() == .object {
                lid(key.raw, try splits(&reader, bytes, binnen, sleutels), in: &publiek)
            } else {
                lid(key.raw, bytes[try reader.valueRange()], in: &publiek)
            }
        }
        if geheim.count > 1 {
            geheim.append(UInt8(ascii: "}"))
            let sealed = try sleutels.versleutel(geheim, zaak: zaak, id: id)
            lid(versleuteldVeld.utf8, [quote] + sealed.utf8 + [quote], in: &publiek)
        }
        publiek.append(UInt8(ascii: "}"))
        return publiek
    }
}

/// For lines known to be in plain text (logs before log-format revision 4, the baselines of
/// benchmarks/): an encrypted member is an error, never read as erased.
public struct ZonderSleutels: Sleutelbron {
    public init() {}

    public func versleutel(_ klaartekst: [UInt8], zaak: Zaaknummer, id: String) throws -> String {
        throw ZaakFout(.ongeldig, "er is geen sleutelkluis om de gegevens van zaak \(zaak) mee te versleutelen")
    }

    public func ontsleutel(_ geheim: String, zaak: Zaaknummer, id: String) throws(ZaakFout) -> [UInt8]? {
        throw ZaakFout(.ongeldig, "gebeurtenis \(id) van zaak \(zaak) heeft versleutelde velden, en er is geen sleutelkluis")
    }
}

extension ZaakGebeurtenis {
    /// Whether the log line holds personal members in plain text (written before log-format
    /// revision 4): erasing its zaak's key would not forget those.
    public static func heeftOnversleuteldePersoonsgegevens(_ logregel: [UInt8]) -> Bool {
        logregel.withUnsafeBytes { bytes in
            var reader = JSONReader(bytes)
            var soort: Gebeurtenis.Soort?
            do throws(JSONReaderError) {
                try reader.beginObject()
                while let key = try reader.nextKey() {
                    if key.equals("type") {
                        soort = Gebeurtenis.Soort(rawValue: try reader.readString())
                    } else if key.equals("data"), let soort {
                        return try onversleuteld(&reader, soort.persoonlijkeVelden)
                    } else {
                        try reader.skipValue()
                    }
                }
            } catch {}
            return false
        }
    }

    private static func onversleuteld(_ reader: inout JSONReader, _ persoonlijk: PersoonlijkeVelden) throws(JSONReaderError) -> Bool {
        try reader.beginObject()
        var found = false
        while let key = try reader.nextKey() {
            let naam = key.string
            if persoonlijk.velden.contains(naam), try !reader.readNull() {
                try reader.skipValue()
                found = true
            } else if let binnen = persoonlijk.binnen[naam], try reader.peek() == .object {
                found = try onversleuteld(&reader, binnen) || found
            } else {
                try reader.skipValue()
            }
        }
        return found
    }
}

extension ZaakGebeurtenis {
    /// The log line with each encrypted member replaced by the members it holds, decrypted (or as
    /// they read once erased): the event as readers see it, in the line's own form. A line without
    /// encrypted members (another record, a plain-text line) comes back as it is.
    public static func leesbareRegel(_ logregel: [UInt8], sleutels: any Sleutelbron) throws(ZaakFout) -> [UInt8] {
        let marker = Array("\"\(versleuteldVeld)\"".utf8)
        guard logregel.count >= marker.count, logregel.indices.dropLast(marker.count - 1).contains(where: { logregel[$0...].starts(with: marker) }) else {
            return logregel
        }
        do {
            return try logregel.withUnsafeBytes { bytes in
                var reader = JSONReader(bytes)
                var envelop = Leesbaar(sleutels: sleutels)
                return try envelop.kopieer(&reader, bytes)
            }
        } catch let error as ZaakFout {
            throw error
        } catch {
            throw ZaakFout(.ongeldig, "de regel is geen geldige gebeurtenis: \(error)")
        }
    }
}

/// Copies a line's objects member by member, opening the encrypted ones.
private struct Leesbaar {
    let sleutels: any Sleutelbron
    var zaak: Zaaknummer?, id: String?, soort: Gebeurtenis.Soort?

    mutating func kopieer(_ reader: inout JSONReader, _ bytes: UnsafeRawBufferPointer, buitenste: Bool = true) throws -> [UInt8] {
        var object: [UInt8] = [UInt8(ascii: "{")]
        func lid(_ naam: [UInt8], _ waarde: some Sequence<UInt8>) {
            if object.count > 1 { object.append(UInt8(ascii: ",")) }
            object += naam
            object.append(UInt8(ascii: ":"))
            object += waarde
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            let naam = Array("\"".utf8) + Array(key.raw) + Array("\"".utf8)
            if key.equals(versleuteldVeld) {
                guard let zaak, let id, let soort else { throw ZaakFout(.ongeldig, "een versleuteld veld hoort in data, na id, zaak en type") }
                let geheim = try reader.readString()
                let leden = try sleutels.ontsleutel(geheim, zaak: zaak, id: id) ?? Array(soort.gewisteWaarden(zaak).utf8)
                // The members between the object's braces, after those before them.
                let binnen = leden.dropFirst().dropLast()
                if !binnen.isEmpty {
                    if object.count > 1 { object.append(UInt8(ascii: ",")) }
                    object += binnen
                }
                continue
            }
            if buitenste {
                var probe = reader
                if key.equals("zaak") { zaak = Zaaknummer(try probe.readString()) }
                if key.equals("id") { id = try probe.readString() }
                if key.equals("type") { soort = Gebeurtenis.Soort(rawValue: try probe.readString()) }
            }
            if try reader.peek() == .object {
                lid(naam, try kopieer(&reader, bytes, buitenste: false))
            } else {
                lid(naam, bytes[try reader.valueRange()])
            }
        }
        object.append(UInt8(ascii: "}"))
        return object
    }
}
