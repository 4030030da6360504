import ArgumentParser
import Audit
import Domain
import EventLog
import Service
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

/// What auditors run: history as it stood (`replay`), and evidence they check with their own tools
/// that it was never rewritten (docs/audit.md).
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Voor auditors: bewijs dat het log alleen groeide (sleutel, checkpoints, bewijzen, bundels) en de toestand op een moment.",
        discussion: """
            Het log is een Merkle-boom (RFC 9162); checkpoints leggen grootte en wortel vast en worden \
            ondertekend met de sleutel van de installatie. Een auditor krijgt de publieke sleutel (of \
            zijn vingerafdruk) en controleert log, bewijzen en bundels zelf, bijvoorbeeld met \
            tools/zaaklog-verify.py; de sleutel naast het log bewijst op zichzelf niets.

            Voorbeeld:
              zaak audit sleutel
              zaak audit bewijs --positie 1042 > bewijs.json
              zaak audit controleer bewijs.json --sleutel checkpoint-ed25519.pub
            """,
        subcommands: [
            Sleutel.self,
            CheckpointCommand.self,
            Bewijs.self,
            Consistentie.self,
            Export.self,
            Verifieer.self,
            Controleer.self,
            AuditReplay.self,
        ]
    )
}

/// What the audit commands share: the data directory, the log, the key directory, a prover.
struct AuditOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    var keyDirectory: String { KeyStore.standardDirectory(forLog: global.logDirectory) }

    func openLog() throws -> LogReader {
        try LogReader(directory: global.logDirectory)
    }

}

/// An unsigned checkpoint is evidence of nothing the operator could not have written: say so.
private func warnIfUnsigned(_ checkpoint: Checkpoint) {
    if checkpoint.signature == nil {
        Console.warning("het checkpoint van \(checkpoint.treeSize) gebeurtenissen is niet ondertekend; maak een sleutel met `zaak audit sleutel`")
    }
}

/// The checkpoint of exactly `treeSize`, or an error that names the nearest ones.
private func exactCheckpoint(_ prover: AuditProver, _ treeSize: Int64, option: String) throws -> Checkpoint {
    try explainingLookup(option: option) { try prover.checkpoint(exactly: treeSize) }
}

/// The newest checkpoint whose tree holds `position`, or an error saying how to get one.
private func checkpoint(_ prover: AuditProver, covering position: Int64, log: LogReader) throws -> Checkpoint {
    try explainingLookup { try prover.checkpoint(covering: position, of: log) }
}

/// A failed lookup in Dutch; `option` names what asked for a size.
private func explainingLookup(option: String? = nil, _ lookup: () throws -> Checkpoint) throws -> Checkpoint {
    do { return try lookup() } catch let error as CheckpointLookupError {
        switch error {
        case let .noneOfSize(treeSize, near):
            let sizes = near.map(String.init).joined(separator: ", ")
            throw ZaakFout(.onbekend, "er is geen checkpoint van \(treeSize) gebeurtenissen" + (option.map { " (\($0))" } ?? "") + (sizes.isEmpty ? "; het log heeft nog geen checkpoints" : "; wel van: \(sizes)"))
        case let .beyondLog(position, last):
            throw ZaakFout(.onbekend, "positie \(position) bestaat niet; het log heeft \(last) gebeurtenissen")
        case let .afterLastCheckpoint(position):
            throw ZaakFout(.onbekend, "positie \(position) valt na het laatste checkpoint; er volgt er een na 1024 gebeurtenissen of binnen een uur (met `zaak serve` of een timer op `zaak log checkpoint --als-nodig`), en `zaak log checkpoint` schrijft er meteen een")
        }
    }
}

extension Audit {
    struct Sleutel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sleutel",
            abstract: "Maakt de sleutel van deze installatie (als die er nog niet is) en toont de publieke sleutel.",
            discussion: """
                De privésleutel komt in <data>/sleutels/ (of $ZAAK_SLEUTELMAP), buiten de logmap, met \
                rechten 0600; een bestaande sleutel wordt nooit overschreven. Vanaf dan is elk nieuw \
                checkpoint ondertekend. Geef auditors het bestand checkpoint-ed25519.pub.

                Voorbeeld: zaak audit sleutel --data /srv/zaakdata
                """)

        @OptionGroup var audit: AuditOptions
        @Flag(help: "Uitvoer als JSON.") var json = false

        struct Report: Encodable {
            let nieuw: Bool, sleutelId: String, publiekeSleutel: String, vingerafdruk: String, publiekeSleutelBestand: String, privesleutelBestand: String
        }

        func run() throws {
            try reportingErrors(json: json) {
                let directory = audit.keyDirectory
                let (key, created) = try KeyStore.create(in: directory)
                let publicFile = directory + "/" + KeyStore.publicKeyFile, privateFile = directory + "/" + KeyStore.privateKeyFile
                if json {
                    try Console.json(Report(nieuw: created, sleutelId: key.keyId, publiekeSleutel: key.hex, vingerafdruk: key.fingerprint,
                                            publiekeSleutelBestand: publicFile, privesleutelBestand: privateFile))
                    return
                }
                print(created ? "Nieuwe sleutel gemaakt; vanaf nu wordt elk checkpoint ondertekend." : "Deze installatie heeft al een sleutel; die blijft zoals hij is.")
                print("  sleutel-id:        \(key.keyId)")
                print("  publieke sleutel:  \(key.hex)")
                print("  vingerafdruk:      \(key.fingerprint) (SHA-256; bewaar hem buiten dit systeem, voor --vingerafdruk)")
                print("  voor auditors:     \(publicFile)")
                print("  privésleutel:      \(privateFile) (alleen voor dit systeem; maak een reservekopie)")
            }
        }
    }

    struct CheckpointCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Print een ondertekend checkpoint (grootte, wortel, tijd, handtekening) als JSON.",
            discussion: """
                Zonder --grootte het nieuwste (ondertekende) checkpoint. Een auditor bewaart het en \
                vraagt later een consistentiebewijs vanaf die grootte.

                Voorbeeld: zaak audit checkpoint > checkpoint-2026-11-23.json
                """)

        @OptionGroup var audit: AuditOptions
        @Option(help: ArgumentHelp("Het checkpoint van precies zoveel gebeurtenissen.", valueName: "aantal")) var grootte: Int64?
        @Flag(help: "Fouten als JSON (het checkpoint zelf is altijd JSON).") var json = false

        func run() throws {
            try reportingErrors(json: json) {
                let log = try audit.openLog()
                let prover = try AuditProver(reader: log)
                let checkpoint = try grootte.map { try exactCheckpoint(prover, $0, option: "--grootte") }
                    ?? prover.checkpoint(covering: 1)
                guard let checkpoint else { throw ZaakFout(.onbekend, "het log heeft nog geen checkpoint; `zaak log verzegel` schrijft er een") }
                warnIfUnsigned(checkpoint)
                try Console.json(AuditJSON.CheckpointFile(checkpoint))
            }
        }
    }

    struct Bewijs: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bewijs",
            abstract: "Print het inclusiebewijs (RFC 9162) van één gebeurtenis tegen een ondertekend checkpoint.",
            discussion: """
                Het bewijs bevat de regel zelf, de hashes van het pad naar de wortel en het checkpoint; \
                schema: schemas/inclusion-proof.schema.json. Zonder --grootte: het nieuwste \
                ondertekende checkpoint dat de positie bevat.

                Voorbeeld: zaak audit bewijs --positie 1042 > bewijs-1042.json
                """)

        @OptionGroup var audit: AuditOptions
        @Option(help: ArgumentHelp("De positie van de gebeurtenis.", valueName: "positie")) var positie: Int64
        @Option(help: ArgumentHelp("Bewijs tegen het checkpoint van precies zoveel gebeurtenissen.", valueName: "aantal")) var grootte: Int64?
        @Flag(help: "Fouten als JSON (het bewijs zelf is altijd JSON).") var json = false

        func validate() throws {
            guard positie >= 1 else { throw ValidationError("--positie moet 1 of groter zijn, bijvoorbeeld --positie 1042") }
            if let grootte, grootte < positie { throw ValidationError("--grootte moet minstens --positie zijn: een checkpoint van \(grootte) gebeurtenissen bevat positie \(positie) niet") }
        }

        func run() throws {
            try reportingErrors(json: json) {
                let log = try audit.openLog()
                let prover = try AuditProver(reader: log)
                let against = try grootte.map { try exactCheckpoint(prover, $0, option: "--grootte") }
                    ?? checkpoint(prover, covering: positie, log: log)
                warnIfUnsigned(against)
                try Console.json(AuditJSON.InclusionProofFile(try prover.inclusionProof(position: positie, against: against)))
            }
        }
    }

    struct Consistentie: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "consistentie",
            abstract: "Print het consistentiebewijs (RFC 9162) tussen twee checkpoints: het log is alleen gegroeid.",
            discussion: """
                --van en --tot zijn groottes van checkpoints; zonder --tot het nieuwste ondertekende. \
                Schema: schemas/consistency-proof.schema.json.

                Voorbeeld: zaak audit consistentie --van 120000 > consistentie.json
                """)

        @OptionGroup var audit: AuditOptions
        @Option(help: ArgumentHelp("Grootte van het oude checkpoint (bijv. dat van gisteren).", valueName: "aantal")) var van: Int64
        @Option(help: ArgumentHelp("Grootte van het nieuwe checkpoint.", valueName: "aantal")) var tot: Int64?
        @Flag(help: "Fouten als JSON (het bewijs zelf is altijd JSON).") var json = false

        func validate() throws {
            guard van >= 1 else { throw ValidationError("--van moet 1 of groter zijn") }
            if let tot, tot < van { throw ValidationError("--tot moet minstens --van zijn: een log krimpt niet") }
        }

        func run() throws {
            try reportingErrors(json: json) {
                let log = try audit.openLog()
                let prover = try AuditProver(reader: log)
                let from = try exactCheckpoint(prover, van, option: "--van")
                let to = try tot.map { try exactCheckpoint(prover, $0, option: "--tot") } ?? checkpoint(prover, covering: van, log: log)
                for checkpoint in [from, to] { warnIfUnsigned(checkpoint) }
                try Console.json(AuditJSON.ConsistencyProofFile(try prover.consistencyProof(from: from, to: to)))
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Schrijft een auditbundel: de gebeurtenissen van een zaak of periode, hun bewijzen en het checkpoint.",
            discussion: """
                Eén bestand (schemas/audit-bundle.schema.json) dat een auditor meeneemt en met de \
                publieke sleutel controleert. Een periode gaat over vastgelegdOp, in Nederlandse datums, \
                beide dagen inbegrepen.

                Voorbeelden:
                  zaak audit export --zaak 2026-42 --uitvoer zaak-42.json
                  zaak audit export --van 2026-11-01 --tot 2026-11-30 --uitvoer november.json
                """)

        @OptionGroup var audit: AuditOptions
        @Option(help: ArgumentHelp("Alle gebeurtenissen van deze zaak (Z-2026-000042 of kort 2026-42).", valueName: "zaaknummer")) var zaak: String?
        @Option(help: ArgumentHelp("Eerste dag van de periode (JJJJ-MM-DD).", valueName: "datum")) var van: String?
        @Option(help: ArgumentHelp("Laatste dag van de periode (JJJJ-MM-DD).", valueName: "datum")) var tot: String?
        @Option(help: ArgumentHelp("Schrijf de bundel naar dit bestand in plaats van naar standaarduitvoer.", valueName: "bestand")) var uitvoer: String?

        func validate() throws {
            switch (zaak, van, tot) {
            case (.some, nil, nil), (nil, .some, .some): return
            case (.some, _, _): throw ValidationError("kies --zaak of een periode (--van en --tot), niet beide")
            default: throw ValidationError("geef --zaak, of --van en --tot voor een periode")
            }
        }

        func run() throws {
            try reportingErrors {
                let log = try audit.openLog()
                let (selection, entries) = try select(log)
                guard let last = entries.last else {
                    throw ZaakFout(.onbekend, zaak.map { "zaak \($0) heeft geen gebeurtenissen in het log" } ?? "er zijn geen gebeurtenissen vastgelegd van \(van!) tot en met \(tot!)")
                }
                let prover = try AuditProver(reader: log)
                let against = try checkpoint(prover, covering: last.position, log: log)
                warnIfUnsigned(against)
                let bundle = try AuditJSON.BundleFile(selection: selection, entries: entries, prover: prover, against: against)
                guard let uitvoer else { return try Console.json(bundle) }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                try writeFile(uitvoer, Array(try encoder.encode(bundle)) + [0x0A])
                print("Bundel \(uitvoer): \(bundle.events.count) gebeurtenissen, bewezen tegen het checkpoint van \(against.treeSize) gebeurtenissen"
                    + (against.signature.map { " (ondertekend, sleutel \($0.keyId))" } ?? " (niet ondertekend)"))
            }
        }

        private func select(_ log: LogReader) throws -> (AuditJSON.Selection, [LogEntry]) {
            if let zaak {
                let nummer = try zaaknummer(zaak).description
                return (AuditJSON.Selection(zaak: nummer), try log.events(ofZaak: nummer))
            }
            guard let first = Datum(van!), let last = Datum(tot!) else {
                throw CLIFout(.ongeldig, "--van en --tot zijn datums als 2026-11-01")
            }
            guard first <= last else { throw CLIFout(.gebruik, "--tot (\(last)) ligt vóór --van (\(first))") }
            let start = Kalender.tijdstip(first, minuut: 0).milliseconden, end = Kalender.tijdstip(last.plus(dagen: 1), minuut: 0).milliseconden
            return (AuditJSON.Selection(from: first.description, to: last.description),
                    try AuditProver(reader: log).entries(of: log, recordedFrom: start, before: end))
        }

        private func writeFile(_ path: String, _ bytes: [UInt8]) throws {
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else { throw CLIFout(.ongeldig, "kan \(path) niet schrijven: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            Console.write(bytes, to: fd)
            guard fsync(fd) == 0 else { throw LogError(.io, "fsync van \(path) mislukt: \(String(cString: strerror(errno)))") }
        }
    }

    struct Verifieer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verifieer",
            abstract: "Controleert het hele log met de handtekeningen van de checkpoints, tegen de sleutel van de auditor.",
            discussion: """
                Als `zaak log verifieer`. Met --sleutel (de publieke sleutel die de auditor kreeg) of \
                --vingerafdruk moet het log ondertekende checkpoints hebben en moet elke handtekening \
                kloppen; zonder sleutel wordt alleen de vorm van handtekeningen gecontroleerd en heet \
                het log "intact", niet "geldig". --vertrouwd: een checkpoint dat de auditor eerder \
                bewaarde moet nog in het log staan (een ingekort of herschreven log valt zo op).

                Voorbeeld: zaak audit verifieer --data kopie-van-het-log --sleutel checkpoint-ed25519.pub --vertrouwd checkpoint-gisteren.json
                """)

        @OptionGroup var audit: AuditOptions
        @OptionGroup var options: VerifyOptions

        func run() throws {
            try verifyLog(in: audit.global.logDirectory, options)
        }
    }

    struct Controleer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "controleer",
            abstract: "Controleert een bewijs, consistentiebewijs, checkpoint of bundel zonder het log.",
            discussion: """
                Rekent elke bladhash en elk pad na tot de wortel van het checkpoint en controleert de \
                handtekening met --sleutel of --vingerafdruk (zonder: alleen de vorm, en dat staat erbij). \
                Met --vertrouwd moet elk checkpoint van dezelfde grootte als dat bewaarde checkpoint \
                dezelfde wortel hebben: zo toont een consistentiebewijs dat de geschiedenis sinds dat \
                checkpoint niet herschreven is. Klopt iets niet: exitcode 76.

                Voorbeeld: zaak audit controleer consistentie.json --sleutel checkpoint-ed25519.pub --vertrouwd checkpoint-gisteren.json
                """)

        @OptionGroup var audit: AuditOptions
        @Argument(help: ArgumentHelp("Het bestand met het bewijs of de bundel.", valueName: "bestand")) var bestand: String
        @OptionGroup var trust: TrustOptions
        @Option(help: ArgumentHelp("Een eerder bewaard checkpoint (of bewijs) om de wortels mee te vergelijken.", valueName: "bestand"))
        var vertrouwd: String?

        func run() throws {
            try reportingErrors {
                let keys = try trust.trustedKeys(installation: try KeyStore.publicKey(in: audit.keyDirectory))
                let artefact = try checkArtefact(bestand)
                if let vertrouwd {
                    let trusted = try checkArtefact(vertrouwd).checkpoints
                    try reportingArtefactErrors(bestand) { try AuditCheck.compare(artefact.checkpoints, with: trusted) }
                }
                for checkpoint in artefact.checkpoints { try reportingArtefactErrors(bestand) { try AuditCheck.checkSignature(of: checkpoint, keys: keys) } }
                print("Klopt: \(summary(artefact)).")
                let signatures = keys.isEmpty ? "handtekeningen niet gecontroleerd (geen --sleutel of --vingerafdruk): het checkpoint kan door de beheerder zelf gemaakt zijn"
                    : "handtekeningen geldig (sleutel \(keys.map(\.keyId).joined(separator: ", ")))"
                let checkpoints = artefact.checkpoints
                print("Checkpoint\(checkpoints.count > 1 ? "s" : "") \(checkpoints.map { String($0.treeSize) }.joined(separator: " en ")): \(signatures)"
                    + (vertrouwd.map { "; gelijk aan \($0)" } ?? "") + ".")
            }
        }

        private func summary(_ artefact: AuditArtefact) -> String {
            switch artefact {
            case let .checkpoint(checkpoint):
                return "checkpoint van \(checkpoint.treeSize) gebeurtenissen, wortel \(checkpoint.root.hex)"
            case let .inclusion(position, checkpoint):
                return "positie \(position) zit in het log van \(checkpoint.treeSize) gebeurtenissen"
            case let .consistency(from, to):
                return "het log van \(to.treeSize) gebeurtenissen is een voortzetting van dat van \(from.treeSize)"
            case let .bundle(selection, events, checkpoint):
                let what = selection.zaak.map { "zaak \($0)" } ?? "\(selection.from ?? "?") t/m \(selection.to ?? "?")"
                return "alle \(events) gebeurtenissen van \(what) zitten in het log van \(checkpoint.treeSize) gebeurtenissen"
            }
        }
    }
}
