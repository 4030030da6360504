import EventLog

/// Why an artefact file was refused. The reasons are Dutch, like the log's own errors; whoever
/// reports them names the file.
public enum AuditFileError: Error, Sendable, Equatable {
    /// Not JSON of one of the artefacts of schemas/audit-proofs.md: the detail says what is missing.
    case notAnArtefact(String)
    /// A zaaklog artefact of a type this version does not know.
    case unknownType(String)
    /// A field that does not parse: a hash, a checkpoint, a signature.
    case invalidField(String)
    /// Well-formed, but a hash, path, signature or root does not hold: damage or rewritten history.
    case doesNotHold(String)
    /// No checkpoint shares a size with the trusted ones (their sizes), so nothing could be compared.
    case noSharedSize([Int64])
}

/// What an artefact proves once its hashes hold, and the checkpoints that proof rests on.
public enum AuditArtefact: Sendable {
    case checkpoint(Checkpoint)
    /// The line at `position` is in the log of the checkpoint's size.
    case inclusion(position: Int64, checkpoint: Checkpoint)
    /// The log of `to`'s size begins with that of `from`.
    case consistency(from: Checkpoint, to: Checkpoint)
    /// Every event of the selection is in the log of the checkpoint's size.
    case bundle(selection: AuditJSON.Selection, events: Int, checkpoint: Checkpoint)

    public var checkpoints: [Checkpoint] {
        switch self {
        case let .checkpoint(checkpoint), let .inclusion(_, checkpoint), let .bundle(_, _, checkpoint): [checkpoint]
        case let .consistency(from, to): [from, to]
        }
    }
}

/// The offline checks of `zaak audit controleer`: everything an auditor can verify from an artefact
/// and a public key, without the log.
public enum AuditCheck {
    /// Recomputes every leaf hash and path of an artefact up to its checkpoint's root.
    public static func check(_ bytes: [UInt8]) throws(AuditFileError) -> AuditArtefact {
        let type = try AuditJSON.decode(AuditJSON.Kind.self, from: bytes).type
        try AuditJSON.refuseUnlistedMembers(of: type, in: bytes)
        switch type {
        case "zaaklog-checkpoint":
            return .checkpoint(try AuditJSON.decode(AuditJSON.CheckpointFile.self, from: bytes).checkpoint.checkpoint())
        case "zaaklog-inclusion-proof":
            let proof = try AuditJSON.decode(AuditJSON.InclusionProofFile.self, from: bytes)
            let checkpoint = try proof.checkpoint.checkpoint()
            guard proof.treeSize == checkpoint.treeSize, proof.leafIndex == proof.position - 1 else {
                throw .doesNotHold("treeSize of leafIndex past niet bij het checkpoint en de positie")
            }
            try checkLine(proof.line, position: proof.position, leafHash: proof.leafHash, path: proof.path, against: checkpoint)
            return .inclusion(position: proof.position, checkpoint: checkpoint)
        case "zaaklog-consistency-proof":
            let proof = try AuditJSON.decode(AuditJSON.ConsistencyProofFile.self, from: bytes)
            let from = try proof.from.checkpoint(), to = try proof.to.checkpoint()
            guard MerkleProof.isConsistent(firstSize: from.treeSize, firstRoot: from.root, secondSize: to.treeSize, secondRoot: to.root,
                                           path: try hashes(proof.path)) else {
                throw .doesNotHold("het log van \(to.treeSize) gebeurtenissen begint niet met dat van \(from.treeSize): de geschiedenis is herschreven")
            }
            return .consistency(from: from, to: to)
        case "zaaklog-audit-bundle":
            let bundle = try AuditJSON.decode(AuditJSON.BundleFile.self, from: bytes)
            let checkpoint = try bundle.checkpoint.checkpoint()
            guard !bundle.events.isEmpty, zip(bundle.events, bundle.events.dropFirst()).allSatisfy({ $0.position < $1.position }) else {
                throw .doesNotHold("de bundel is leeg of de posities lopen niet op")
            }
            for event in bundle.events {
                try checkLine(event.line, position: event.position, leafHash: event.leafHash, path: event.path, against: checkpoint)
                if let zaak = bundle.selection.zaak, !event.line.contains(#"","zaak":"\#(zaak)","vastgelegdOp":""#) {
                    throw .doesNotHold("positie \(event.position) hoort niet bij zaak \(zaak)")
                }
            }
            return .bundle(selection: bundle.selection, events: bundle.events.count, checkpoint: checkpoint)
        case let other:
            throw .unknownType(other)
        }
    }

    /// With no keys there is nothing to check against; with keys, the checkpoint must be signed by one of them.
    public static func checkSignature(of checkpoint: Checkpoint, keys: [CheckpointPublicKey]) throws(AuditFileError) {
        guard !keys.isEmpty else { return }
        guard let signature = checkpoint.signature else { throw .doesNotHold("het checkpoint van \(checkpoint.treeSize) gebeurtenissen is niet ondertekend") }
        guard let key = keys.first(where: { $0.keyId == signature.keyId }) else {
            throw .doesNotHold("het checkpoint van \(checkpoint.treeSize) gebeurtenissen is ondertekend met onbekende sleutel \(signature.keyId)")
        }
        guard key.isValid(signature, for: checkpoint) else {
            throw .doesNotHold("de handtekening van het checkpoint van \(checkpoint.treeSize) gebeurtenissen klopt niet")
        }
    }

    /// Checkpoints of the same size as a trusted one must have its root; one of them must share a size.
    public static func compare(_ checkpoints: [Checkpoint], with trusted: [Checkpoint]) throws(AuditFileError) {
        var matched = false
        for old in trusted {
            for checkpoint in checkpoints where checkpoint.treeSize == old.treeSize {
                guard checkpoint.root == old.root else {
                    throw .doesNotHold("het checkpoint van \(old.treeSize) gebeurtenissen heeft wortel \(checkpoint.root.hex), het vertrouwde \(old.root.hex): de geschiedenis is herschreven")
                }
                matched = true
            }
        }
        guard matched else { throw .noSharedSize(trusted.map(\.treeSize)) }
    }

    private static func hashes(_ hexes: [String]) throws(AuditFileError) -> [MerkleHash] {
        try hexes.map { hex throws(AuditFileError) in
            guard let hash = MerkleHash(hex: hex) else { throw .invalidField("'\(hex.prefix(70))' is geen hash van 64 hexcijfers") }
            return hash
        }
    }

    private static func checkLine(_ line: String, position: Int64, leafHash: String, path: [String], against checkpoint: Checkpoint) throws(AuditFileError) {
        let leaf = Array(line.utf8).withUnsafeBytes { MerkleHash.leaf($0) }
        guard leaf.hex == leafHash else { throw .doesNotHold("de regel van positie \(position) heeft niet de bladhash \(leafHash)") }
        guard line.hasPrefix("{\"positie\":\(position),") else { throw .doesNotHold("de regel staat niet op positie \(position)") }
        guard MerkleProof.root(leaf: leaf, index: position - 1, treeSize: checkpoint.treeSize, path: try hashes(path)) == checkpoint.root else {
            throw .doesNotHold("het pad van positie \(position) leidt niet naar de wortel van het checkpoint van \(checkpoint.treeSize) gebeurtenissen")
        }
    }
}
