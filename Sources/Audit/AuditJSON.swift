import CivilTime
import EventLog
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON artefacts of schemas/audit-proofs.md. Their member names are the log format's
/// (English), like the checkpoint records they carry; command reports (`--json`) stay Dutch.
/// Whoever prints them encodes with sorted keys and unescaped slashes, as the schemas' examples.
public enum AuditJSON {
    public static let version = 1

    public struct Signature: Codable, Sendable {
        public let keyId: String
        public let ed25519: String
    }

    public struct CheckpointValue: Codable, Sendable {
        public let treeSize: Int64
        public let root: String
        public let recordedAt: String
        public let signature: Signature?

        public init(_ checkpoint: Checkpoint) {
            treeSize = checkpoint.treeSize
            root = checkpoint.root.hex
            recordedAt = checkpoint.recordedAtText
            signature = checkpoint.signature.map { Signature(keyId: $0.keyId, ed25519: $0.hex) }
        }

        public func checkpoint() throws(AuditFileError) -> Checkpoint {
            guard treeSize >= 1, let root = MerkleHash(hex: root), let time = Timestamp.parse(Array(recordedAt.utf8)) else {
                throw .invalidField("checkpoint met ongeldige treeSize, root of recordedAt")
            }
            var parsed: CheckpointSignature?
            if let signature {
                guard let valid = CheckpointSignature(keyId: signature.keyId, hex: signature.ed25519) else {
                    throw .invalidField("handtekening zonder geldige keyId of ed25519")
                }
                parsed = valid
            }
            return Checkpoint(treeSize: treeSize, root: root, recordedAt: time, signature: parsed)
        }
    }

    public struct CheckpointFile: Codable, Sendable {
        public var type = "zaaklog-checkpoint"
        public var version = AuditJSON.version
        public let checkpoint: CheckpointValue

        public init(_ checkpoint: Checkpoint) {
            self.checkpoint = CheckpointValue(checkpoint)
        }
    }

    public struct InclusionProofFile: Codable, Sendable {
        public var type = "zaaklog-inclusion-proof"
        public var version = AuditJSON.version
        public let position: Int64
        public let leafIndex: Int64
        public let treeSize: Int64
        public let line: String
        public let leafHash: String
        public let path: [String]
        public let checkpoint: CheckpointValue

        public init(_ proof: InclusionProof) {
            position = proof.entry.position
            leafIndex = proof.entry.position - 1
            treeSize = proof.checkpoint.treeSize
            line = String(decoding: proof.entry.line, as: UTF8.self)
            leafHash = proof.leafHash.hex
            path = proof.path.map(\.hex)
            checkpoint = CheckpointValue(proof.checkpoint)
        }
    }

    public struct ConsistencyProofFile: Codable, Sendable {
        public var type = "zaaklog-consistency-proof"
        public var version = AuditJSON.version
        public let from: CheckpointValue
        public let to: CheckpointValue
        public let path: [String]

        public init(_ proof: ConsistencyProof) {
            from = CheckpointValue(proof.from)
            to = CheckpointValue(proof.to)
            path = proof.path.map(\.hex)
        }
    }

    public struct Selection: Codable, Sendable {
        public let zaak: String?
        /// Dutch local dates, both included, of `vastgelegdOp`.
        public let from: String?
        public let to: String?

        public init(zaak: String) {
            self.zaak = zaak
            from = nil
            to = nil
        }

        public init(from: String, to: String) {
            zaak = nil
            self.from = from
            self.to = to
        }
    }

    public struct BundleEvent: Codable, Sendable {
        public let position: Int64
        public let line: String
        public let leafHash: String
        public let path: [String]
    }

    public struct BundleFile: Codable, Sendable {
        public var type = "zaaklog-audit-bundle"
        public var version = AuditJSON.version
        public let selection: Selection
        public let checkpoint: CheckpointValue
        public let events: [BundleEvent]

        /// The selected entries with their inclusion proofs against `checkpoint`, which must cover them all.
        public init(selection: Selection, entries: [LogEntry], prover: AuditProver, against checkpoint: Checkpoint) throws {
            self.selection = selection
            self.checkpoint = CheckpointValue(checkpoint)
            events = try entries.map { entry in
                let proof = try prover.inclusionProof(position: entry.position, against: checkpoint)
                return BundleEvent(position: entry.position, line: String(decoding: entry.line, as: UTF8.self),
                                   leafHash: proof.leafHash.hex, path: proof.path.map(\.hex))
            }
        }
    }

    /// Only `type` and `version`, to tell which artefact a file holds.
    struct Kind: Decodable {
        let type: String
        let version: Int
    }

    /// The member names of a JSON document, nested: the decoders above ignore members they do not
    /// know, and the spec says a reader MUST refuse them.
    indirect enum Shape: Decodable {
        case object([String: Shape])
        case array([Shape])
        case scalar

        private struct Name: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        init(from decoder: Decoder) throws {
            if let object = try? decoder.container(keyedBy: Name.self) {
                self = .object(Dictionary(uniqueKeysWithValues: try object.allKeys.map { ($0.stringValue, try object.decode(Shape.self, forKey: $0)) }))
            } else if var array = try? decoder.unkeyedContainer() {
                var items: [Shape] = []
                while !array.isAtEnd { items.append(try array.decode(Shape.self)) }
                self = .array(items)
            } else {
                self = .scalar
            }
        }
    }

    /// Refuses a member schemas/audit-proofs.md does not list for an artefact of `type` (an unknown
    /// `type` is left to the caller).
    static func refuseUnlistedMembers(of type: String, in bytes: [UInt8]) throws(AuditFileError) {
        let checkpoint: Set<String> = ["treeSize", "root", "recordedAt", "signature"]
        let top: Set<String>
        switch type {
        case "zaaklog-checkpoint": top = ["type", "version", "checkpoint"]
        case "zaaklog-inclusion-proof": top = ["type", "version", "position", "leafIndex", "treeSize", "line", "leafHash", "path", "checkpoint"]
        case "zaaklog-consistency-proof": top = ["type", "version", "from", "to", "path"]
        case "zaaklog-audit-bundle": top = ["type", "version", "selection", "checkpoint", "events"]
        default: return
        }
        guard case let .object(members) = try decode(Shape.self, from: bytes) else { return }
        func refuse(_ shape: Shape?, _ allowed: Set<String>, at path: String) throws(AuditFileError) {
            guard case let .object(members)? = shape else { return }  // a wrong type is the decoder's to report
            if let extra = members.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw .notAnArtefact("onbekend veld '\(path.isEmpty ? "" : path + ".")\(extra)'")
            }
        }
        try refuse(.object(members), top, at: "")
        for name in ["checkpoint", "from", "to"] {
            try refuse(members[name], checkpoint, at: name)
            if case let .object(inner)? = members[name] { try refuse(inner["signature"], ["keyId", "ed25519"], at: name + ".signature") }
        }
        if case let .object(selection)? = members["selection"] {
            let names = Set(selection.keys)
            guard names == ["zaak"] || names == ["from", "to"] else {
                throw .notAnArtefact("selection heeft \(names.sorted().map { "'\($0)'" }.joined(separator: ", ")); verwacht alleen 'zaak', of alleen 'from' en 'to'")
            }
        }
        if case let .array(events)? = members["events"] {
            for (index, event) in events.enumerated() { try refuse(event, ["position", "line", "leafHash", "path"], at: "events[\(index)]") }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(AuditFileError) -> T {
        do { return try JSONDecoder().decode(type, from: Data(bytes)) } catch let error as DecodingError {
            let detail: String
            switch error {
            case let .keyNotFound(key, context):
                detail = "het veld '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' ontbreekt"
            case let .typeMismatch(_, context), let .valueNotFound(_, context):
                detail = "het veld '\(context.codingPath.map(\.stringValue).joined(separator: "."))' heeft een verkeerd type"
            case .dataCorrupted:
                detail = "het is geen geldige JSON (leeg of afgebroken?)"
            @unknown default:
                detail = "\(error)"
            }
            throw .notAnArtefact(detail)
        } catch {
            throw .notAnArtefact("\(error)")
        }
    }
}
