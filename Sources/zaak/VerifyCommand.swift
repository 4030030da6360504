import ArgumentParser
import Audit
import EventLog
import Service

/// The keys an auditor trusts (log-format §5.1): files, or fingerprints of keys found elsewhere;
/// never the installation's key on its own say-so.
struct TrustOptions: ParsableArguments {
    @Option(name: .customLong("sleutel"), help: ArgumentHelp("Publiek sleutelbestand dat de auditor vertrouwt (herhaalbaar).", valueName: "bestand"))
    var sleutels: [String] = []
    @Option(name: .customLong("vingerafdruk"), help: ArgumentHelp(
        "SHA-256 (64 hexcijfers) van een publieke sleutel die de auditor vertrouwt; de sleutel van de installatie telt alleen als hij deze vingerafdruk heeft (herhaalbaar).",
        valueName: "sha256"))
    var vingerafdrukken: [String] = []

    func validate() throws {
        for fingerprint in vingerafdrukken where fingerprint.count != 64 || !fingerprint.allSatisfy(\.isHexDigit) {
            throw ValidationError("--vingerafdruk '\(fingerprint.prefix(70))' is geen SHA-256: 64 hexcijfers, zoals `zaak audit sleutel` ze toont")
        }
    }

    /// The keys to check signatures against: the files given, and the installation's key only when
    /// the auditor holds its fingerprint.
    func trustedKeys(installation: CheckpointPublicKey?) throws -> [CheckpointPublicKey] {
        let files = try sleutels.map { try KeyStore.readPublicKey(path: $0) }
        var keys = files
        for fingerprint in vingerafdrukken.map({ $0.lowercased() }) {
            guard let key = (files + [installation].compactMap { $0 }).first(where: { $0.fingerprint == fingerprint }) else {
                let found = installation.map { "; de sleutel van deze installatie (\($0.keyId)) heeft vingerafdruk \($0.fingerprint): vervangen?" } ?? "; deze installatie heeft geen publieke sleutel"
                throw CLIFout(.ongeldig, "geen publieke sleutel met vingerafdruk \(fingerprint)" + found)
            }
            if !keys.contains(key) { keys.append(key) }
        }
        return keys
    }
}

/// What `zaak log verifieer` and `zaak audit verifieer` share: trust that comes from the auditor
/// only (keys, fingerprints, kept checkpoints; log-format §5.1, §10), and one verdict.
struct VerifyOptions: ParsableArguments {
    @OptionGroup var trust: TrustOptions
    @Option(name: .customLong("vertrouwd"), help: ArgumentHelp(
        "Een checkpoint (of bewijs of bundel) dat de auditor bewaarde: het log moet het nog bevatten en mag alleen gegroeid zijn (herhaalbaar).",
        valueName: "bestand"))
    var vertrouwd: [String] = []
    @Flag(help: "Uitvoer als JSON.") var json = false

    /// The checkpoints of the artefacts given with `--vertrouwd`, their hashes and signatures checked.
    func trustedCheckpoints(keys: [CheckpointPublicKey]) throws -> [TrustedCheckpoint] {
        try vertrouwd.flatMap { path -> [TrustedCheckpoint] in
            let artefact = try checkArtefact(path)
            return try artefact.checkpoints.map { checkpoint in
                // A kept checkpoint the auditor's key does not sign is bad input, not a damaged log.
                do { try AuditCheck.checkSignature(of: checkpoint, keys: keys) } catch let error as AuditFileError {
                    guard case let .doesNotHold(reason) = error else { throw error }
                    throw CLIFout(.ongeldig, "het vertrouwde checkpoint in \(path) telt niet: \(reason)")
                }
                return TrustedCheckpoint(checkpoint, source: path)
            }
        }
    }
}

/// An artefact file read and checked (schemas/audit-proofs.md), refusals in the CLI's terms.
func checkArtefact(_ path: String) throws -> AuditArtefact {
    guard let bytes = try leesBestand(path) else { throw CLIFout(.ongeldig, "\(path) bestaat niet") }
    return try reportingArtefactErrors(path) { try AuditCheck.check(bytes) }
}

/// Runs a check, turning its refusal into the CLI's error for `file`: damage (76) or bad input (65).
func reportingArtefactErrors<T>(_ file: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as AuditFileError {
        switch error {
        case let .notAnArtefact(detail):
            throw CLIFout(.ongeldig, "\(file) is geen checkpoint, bewijs of bundel volgens schemas/audit-proofs.md: \(detail)")
        case let .unknownType(type):
            throw CLIFout(.ongeldig, "\(file) is een '\(type)'; verwacht een checkpoint, bewijs of bundel van zaaklog")
        case let .invalidField(reason):
            throw CLIFout(.ongeldig, "\(file): \(reason)")
        case let .doesNotHold(reason):
            throw LogError(.damaged, "\(file) klopt niet: \(reason)")
        case let .noSharedSize(sizes):
            throw CLIFout(.ongeldig, "geen checkpoint in \(file) heeft de grootte van het vertrouwde (\(sizes.map(String.init).joined(separator: ", "))); vraag een consistentiebewijs vanaf die grootte")
        }
    }
}

/// The verdict of log-format §10 as both verifiers print it.
struct VerifyVerdict: Encodable {
    struct Tail: Encodable {
        let bestand: String, offset: Int64, bytes: Int64, positie: Int64
    }

    let oordeel: String, handtekeningen: String, afgebrokenStaart: Tail?
    var gebeurtenissen: Int64?, segmenten: Int?, dataframes: Int?, checkpoints: Int?, ondertekend: Int?, nietOndertekend: Int?
    var laatsteOndertekend: Int64?, sleutels: [String]?, wortel: String?
    var bestand: String?, offset: Int64?, positie: Int64?, fout: String?

    enum CodingKeys: String, CodingKey {
        case oordeel, handtekeningen, afgebrokenStaart, gebeurtenissen, segmenten, dataframes, checkpoints, ondertekend, nietOndertekend
        case laatsteOndertekend, sleutels, wortel, bestand, offset, positie, fout
    }

    /// As the synthesised encoder, except that `afgebrokenStaart` is `null` rather than left out:
    /// the spec makes it a member of every verdict.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(oordeel, forKey: .oordeel)
        try container.encode(handtekeningen, forKey: .handtekeningen)
        try container.encode(afgebrokenStaart, forKey: .afgebrokenStaart)
        try container.encodeIfPresent(gebeurtenissen, forKey: .gebeurtenissen)
        try container.encodeIfPresent(segmenten, forKey: .segmenten)
        try container.encodeIfPresent(dataframes, forKey: .dataframes)
        try container.encodeIfPresent(checkpoints, forKey: .checkpoints)
        try container.encodeIfPresent(ondertekend, forKey: .ondertekend)
        try container.encodeIfPresent(nietOndertekend, forKey: .nietOndertekend)
        // Present (possibly null) whenever the counts are: no signed checkpoint yet is information.
        if gebeurtenissen != nil { try container.encode(laatsteOndertekend, forKey: .laatsteOndertekend) }
        try container.encodeIfPresent(sleutels, forKey: .sleutels)
        try container.encodeIfPresent(wortel, forKey: .wortel)
        try container.encodeIfPresent(bestand, forKey: .bestand)
        try container.encodeIfPresent(offset, forKey: .offset)
        try container.encodeIfPresent(positie, forKey: .positie)
        try container.encodeIfPresent(fout, forKey: .fout)
    }
}

/// Verifies the log in `directory` as the auditor's options say and prints the verdict; throws the
/// exit code (73 for a torn tail, 76 for damage).
func verifyLog(in directory: String, _ options: VerifyOptions) throws {
    let log: LogReader
    do { log = try LogReader(directory: directory) } catch let error as LogError {
        throw ExitCode(reportText(error))
    }
    let keys: [CheckpointPublicKey], trusted: [TrustedCheckpoint]
    do {
        keys = try options.trust.trustedKeys(installation: try log.installationKey())
        trusted = try options.trustedCheckpoints(keys: keys)
    } catch {
        try reportingErrors(json: options.json) { throw error }
        return
    }
    let checked = keys.isEmpty ? "niet-gecontroleerd" : "gecontroleerd"
    do {
        var verified: VerifyReport?
        let duration = try ContinuousClock().measure { verified = try log.verify(trusting: keys, trustedCheckpoints: trusted) }
        let report = verified!
        let word = keys.isEmpty ? "intact" : "geldig"
        let tail = report.tornTail
        if options.json {
            try Console.json(VerifyVerdict(
                oordeel: tail == nil ? word : word + "-met-afgebroken-staart", handtekeningen: checked,
                afgebrokenStaart: tail.map { .init(bestand: $0.file, offset: $0.offset, bytes: $0.bytes, positie: $0.position) },
                gebeurtenissen: report.events, segmenten: report.segments, dataframes: report.dataFrames, checkpoints: report.checkpoints,
                ondertekend: report.signedCheckpoints, nietOndertekend: report.unsignedCheckpoints,
                laatsteOndertekend: report.lastSignedCheckpoint?.treeSize, sleutels: keys.map(\.keyId), wortel: report.root.hex))
        } else {
            print(tail == nil ? "Log is \(word): " : "Log is \(word) tot een afgebroken laatste frame: ", terminator: "")
            print("\(report.events) gebeurtenissen in \(report.segments) segmenten, \(report.dataFrames) dataframes en \(report.checkpoints) checkpoints gecontroleerd in \(duration.secondsText).")
            print("Merkle-wortel: \(report.root.hex)")
            if keys.isEmpty {
                print("Handtekeningen niet gecontroleerd (geen --sleutel of --vingerafdruk): wie deze map kan schrijven of de privésleutel van de installatie heeft, kan het log herschreven en opnieuw ondertekend hebben.")
                print(report.signedCheckpoints == 0 ? "Geen enkel checkpoint is ondertekend; `zaak audit sleutel` maakt een sleutel."
                      : "Checkpoints: \(report.signedCheckpoints) ondertekend (alleen de vorm gecontroleerd), \(report.unsignedCheckpoints) niet.")
            } else {
                print("Handtekeningen gecontroleerd met sleutel \(keys.map(\.keyId).joined(separator: ", ")): \(report.signedCheckpoints) checkpoints ondertekend, \(report.unsignedCheckpoints) niet (van vóór de sleutel).")
                if let lastSigned = report.lastSignedCheckpoint?.treeSize, lastSigned < report.events {
                    print("Posities \(lastSigned + 1)–\(report.events) vallen nog onder geen ondertekend checkpoint.")
                }
            }
            if !trusted.isEmpty {
                print("Vertrouwde checkpoints: \(trusted.map { "\($0.checkpoint.treeSize) (\($0.source))" }.joined(separator: ", ")) staan ongewijzigd in het log.")
            }
            if let tail {
                print("Afgebroken staart: \(tail). Dat frame is nooit bevestigd; de volgende schrijfactie of `zaak log herstel` zet het in quarantaine en kapt het af.")
            }
        }
        if tail != nil { throw ExitCode(ExitStatus.tornTail) }
    } catch let error as LogError {
        if options.json {
            let damage = error.damage
            try Console.json(VerifyVerdict(oordeel: "beschadigd", handtekeningen: checked, afgebrokenStaart: nil,
                                           bestand: damage?.file, offset: damage?.offset, positie: damage?.position, fout: damage?.reason ?? error.message))
        }
        throw ExitCode(reportText(error))
    }
}
