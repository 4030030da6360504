import ArgumentParser
import Domain
import EventLog
import LogImport
import Projections
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

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Het gebeurtenissenlog zelf: status, verificatie, inhoud, verzegelen.",
        subcommands: [Status.self, Verifieer.self, Toon.self, CheckpointSchrijven.self, Verzegel.self, Herstel.self, Toevoegen.self]
    )
}

extension LogCommand {
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Segmenten, posities, grootte, compressie en het laatste checkpoint.",
            discussion: "Voorbeeld: zaak log status --data /srv/zaakdata --json")

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Uitvoer als JSON.") var json = false

        struct Report: Encodable {
            struct Segment: Encodable {
                let bestand: String, verzegeld: Bool, eerstePositie: Int64, laatstePositie: Int64
                let bytes: Int, jsonBytes: Int, dataframes: Int, checkpoints: Int
            }
            let map: String, laatstePositie: Int64, segmenten: [Segment]
            let bytes: Int, jsonBytes: Int, verhouding: Double
            let wortel: String, laatsteCheckpoint: CheckpointJSON?, onvolledigeStaart: String?, beschadiging: String?
        }

        func run() throws {
            try reportingErrors(json: json) {
                let log = try LogReader(directory: global.logDirectory)
                let status = try log.status()
                let ratio = status.rawBytes == 0 ? 0 : Double(status.fileBytes) / Double(status.rawBytes)
                if json {
                    try Console.json(Report(
                        map: status.directory, laatstePositie: status.lastPosition,
                        segmenten: status.segments.map {
                            .init(bestand: $0.file, verzegeld: $0.sealed, eerstePositie: $0.firstPosition, laatstePositie: $0.lastPosition,
                                  bytes: $0.fileBytes, jsonBytes: $0.rawBytes, dataframes: $0.dataFrames, checkpoints: $0.checkpoints)
                        },
                        bytes: status.fileBytes, jsonBytes: status.rawBytes, verhouding: (ratio * 10_000).rounded() / 10_000,
                        wortel: status.root.hex, laatsteCheckpoint: status.lastCheckpoint.map(CheckpointJSON.init),
                        onvolledigeStaart: status.tornTail?.description, beschadiging: status.damage?.description))
                    return
                }
                print("Log in \(status.directory)")
                print("  gebeurtenissen: \(status.lastPosition) (posities 1–\(status.lastPosition))")
                print("  op schijf:      \(status.fileBytes.humanBytes) voor \(status.rawBytes.humanBytes) JSON Lines (\(Int((ratio * 100).rounded()))%)")
                print("  Merkle-wortel:  \(status.root.hex)")
                if let checkpoint = status.lastCheckpoint {
                    print("  checkpoint:     \(checkpoint.treeSize) gebeurtenissen, wortel \(checkpoint.root.hex.prefix(16))…, \(checkpoint.recordedAtText)")
                }
                print("  segmenten:")
                for segment in status.segments {
                    let kind = segment.sealed ? "verzegeld" : "open     "
                    guard segment.lastPosition >= segment.firstPosition else {
                        print("    \(segment.file)  \(kind)  leeg (vanaf positie \(segment.firstPosition))  \(segment.fileBytes.humanBytes)")
                        continue
                    }
                    let share = Int((Double(segment.fileBytes) / Double(max(1, segment.rawBytes)) * 100).rounded())
                    print("    \(segment.file)  \(kind)  posities \(segment.firstPosition)–\(segment.lastPosition)  \(segment.fileBytes.humanBytes) (\(share)% van \(segment.rawBytes.humanBytes))")
                }
                if let torn = status.tornTail {
                    Console.warning("onvolledig laatste frame: \(torn). De volgende schrijfactie of `zaak log herstel` zet het in quarantaine en kapt het af.")
                }
                if let damage = status.damage {
                    Console.warning("het log is beschadigd: \(damage). Er wordt niets geschreven tot het hersteld is; `zaak log verifieer` noemt de eerste fout.")
                }
            }
        }
    }

    struct CheckpointJSON: Encodable {
        let boomgrootte: Int64, wortel: String, vastgelegdOp: String
        init(_ checkpoint: Checkpoint) {
            boomgrootte = checkpoint.treeSize
            wortel = checkpoint.root.hex
            vastgelegdOp = checkpoint.recordedAtText
        }
    }

    struct Verifieer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verifieer",
            abstract: "Controleert het hele log: elk frame, elke regel, elke hash en elk checkpoint.",
            discussion: """
                Herberekent elke LZ4-checksum, de Merkle-bladhash van elke regel en de wortel van elk \
                checkpoint, en meldt het eerste probleem in logvolgorde met bestand, byte-offset en \
                positie. Handtekeningen worden gecontroleerd met de sleutel die de auditor vertrouwt \
                (--sleutel of --vingerafdruk), nooit alleen met die van deze installatie; zonder sleutel \
                heet het log hooguit "intact". Met --vertrouwd moet een bewaard checkpoint nog in het log staan.

                Exitcodes: 0 geldig of intact, 73 geldig tot een afgebroken laatste frame, 76 beschadigd.

                Voorbeeld: zaak log verifieer --data /srv/zaakdata --sleutel checkpoint-ed25519.pub --vertrouwd checkpoint-gisteren.json
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: VerifyOptions

        func run() throws {
            try verifyLog(in: global.logDirectory, options)
        }
    }

    struct Toon: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "toon",
            abstract: "Print gebeurtenissen als JSON Lines, in logvolgorde.",
            discussion: """
                Versleutelde persoonsgegevens (docs/avg.md) staan ontsleuteld in de regel, of als [gewist] \
                na wissen. Met --zoals-opgeslagen komen de regels zoals het log ze bewaart, byte voor byte: \
                de vorm waarover de Merkle-bladhash gaat.

                Voorbeelden:
                  zaak log toon --vanaf 1000 --aantal 10
                  zaak log toon --zaak Z-2026-000042
                  zaak log toon --zaak Z-2026-000042 --zoals-opgeslagen
                """)

        @OptionGroup var global: GlobalOptions
        @Option(help: "Eerste positie om te tonen.") var vanaf: Int64 = 1
        @Option(help: "Hoeveel gebeurtenissen hoogstens.") var aantal: Int?
        @Option(help: "Alleen de gebeurtenissen van deze zaak (via de index, zonder het hele log te lezen).") var zaak: String?
        @Flag(help: "De regels zoals opgeslagen, met versleutelde velden versleuteld.") var zoalsOpgeslagen = false

        func validate() throws {
            guard vanaf >= 1 else { throw ValidationError("--vanaf moet 1 of groter zijn, bijvoorbeeld --vanaf 1") }
            if let aantal, aantal < 1 { throw ValidationError("--aantal moet 1 of groter zijn") }
        }

        func run() throws {
            try reportingErrors {
                let log = try LogReader(directory: global.logDirectory)
                let sleutels = try LogSleutels(dataDirectory: global.dataDirectory)
                var output = [UInt8]()
                output.reserveCapacity(1 << 16)
                func emit(_ entry: LogEntry) throws {
                    output += zoalsOpgeslagen ? entry.line : try ZaakGebeurtenis.leesbareRegel(entry.line, sleutels: sleutels)
                    output.append(0x0A)
                    if output.count >= 1 << 16 { flush() }
                }
                func flush() {
                    Console.write(output, to: STDOUT_FILENO)
                    output.removeAll(keepingCapacity: true)
                }
                defer { flush() }
                var remaining = aantal ?? Int.max
                if let zaak {
                    for entry in try log.events(ofZaak: zaak) where entry.position >= vanaf && remaining > 0 {
                        try emit(entry)
                        remaining -= 1
                    }
                    return
                }
                guard remaining > 0 else { return }
                try log.read(from: vanaf) { entry in
                    try emit(entry)
                    remaining -= 1
                    return remaining > 0
                }
            }
        }
    }

    struct Verzegel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verzegel",
            abstract: "Sluit het actieve segment en hercomprimeert gesloten segmenten in grote blokken.",
            discussion: """
                Regels, posities en hashes blijven gelijk; alleen de compressie verandert. Schrijvers \
                kunnen intussen doorgaan.

                Voorbeeld: zaak log verzegel
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Uitvoer als JSON.") var json = false

        struct Report: Encodable {
            let bestand: String, gebeurtenissen: Int, bytesVoor: Int, bytesNa: Int
        }

        func run() throws {
            try reportingErrors(json: json) {
                let log = try EventLog(directory: global.logDirectory)
                try log.rollActiveSegment()
                let reports = try log.sealClosedSegments()
                if json {
                    try Console.json(reports.map { Report(bestand: $0.segment, gebeurtenissen: $0.lines, bytesVoor: $0.openBytes, bytesNa: $0.sealedBytes) })
                    return
                }
                if reports.isEmpty { print("Niets te verzegelen.") }
                for report in reports {
                    print("Verzegeld: \(report.segment): \(report.lines) gebeurtenissen, \(report.openBytes.humanBytes) → \(report.sealedBytes.humanBytes)")
                }
            }
        }
    }

    struct CheckpointSchrijven: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "checkpoint",
            abstract: "Schrijft een (ondertekend) checkpoint over de gebeurtenissen die er nog geen hebben.",
            discussion: """
                Een schrijvende opdracht zet een checkpoint na 1024 gebeurtenissen of zodra de oudste \
                gebeurtenis zonder checkpoint een uur oud is; `zaak serve` kijkt daar elke minuut naar. \
                Draait er geen server, laat dan een timer `zaak log checkpoint --als-nodig` draaien \
                (docs/audit.md), zodat ook een stil log binnen het uur een checkpoint krijgt.

                Voorbeelden:
                  zaak log checkpoint
                  zaak log checkpoint --als-nodig --json
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("als-nodig"), help: "Alleen als de oudste gebeurtenis zonder checkpoint de maximale leeftijd (een uur) heeft bereikt.")
        var alsNodig = false
        @Flag(help: "Uitvoer als JSON.") var json = false

        struct Report: Encodable {
            let geschreven: Bool, checkpoint: CheckpointJSON?, ondertekend: Bool?
        }

        func run() throws {
            try reportingErrors(json: json) {
                let log = try EventLog(directory: global.logDirectory)
                let written = try log.checkpointUncoveredLines(onlyIfDue: alsNodig)
                if json {
                    return try Console.json(Report(geschreven: written != nil, checkpoint: written.map(CheckpointJSON.init),
                                                   ondertekend: written.map { $0.signature != nil }))
                }
                guard let written else {
                    return print(alsNodig ? "Geen checkpoint nodig: alle gebeurtenissen vallen onder een checkpoint, of de oudste zonder is nog geen uur oud."
                                          : "Geen checkpoint nodig: alle gebeurtenissen vallen al onder een checkpoint.")
                }
                print("Checkpoint geschreven: \(written.treeSize) gebeurtenissen, wortel \(written.root.hex), "
                    + (written.signature.map { "ondertekend (sleutel \($0.keyId))" } ?? "niet ondertekend (geen sleutel; `zaak audit sleutel`)") + ".")
            }
        }
    }

    struct Herstel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "herstel",
            abstract: "Opent het log om te schrijven: kapt een onvolledig laatste frame af na een crash, na een kopie in quarantaine.",
            discussion: """
                Elke schrijvende opdracht doet dit ook vanzelf, en meldt het. Wat afgekapt wordt, gaat \
                eerst naar <segment>.quarantine-<offset> naast het segment (bewijs; wordt nooit gewist). \
                Een beschadigd frame (volledige lengte, maar checksum of inhoud klopt niet) kan \
                bevestigde gebeurtenissen bevatten en wordt alleen met --forceer afgekapt, en alleen aan \
                het eind van het actieve segment; maak eerst een kopie van de logmap of zet een back-up terug.

                Voorbeelden:
                  zaak log herstel
                  zaak log herstel --forceer
                """)

        @OptionGroup var global: GlobalOptions
        @Flag(help: "Kap ook een beschadigd eind van het actieve segment af (na een kopie in quarantaine).") var forceer = false
        @Flag(help: "Uitvoer als JSON.") var json = false

        struct Report: Encodable {
            let bestand: String, offset: Int64, verwijderdeBytes: Int64, quarantaine: String, oorzaak: String
        }

        func run() throws {
            try reportingErrors(json: json) {
                var configuration = LogConfiguration()
                configuration.onRepair = { _ in }  // reported below, once
                let log = try EventLog(directory: global.logDirectory, configuration: configuration, cuttingDamage: forceer)
                if json {
                    try Console.json(log.repairs.map {
                        Report(bestand: $0.file, offset: $0.offset, verwijderdeBytes: $0.removedBytes, quarantaine: $0.quarantine,
                               oorzaak: $0.cause == .tornTail ? "afgebroken-staart" : "beschadiging-op-verzoek")
                    })
                    return
                }
                if log.repairs.isEmpty { print("Het log was heel; niets hersteld.") }
                for repair in log.repairs { print("Hersteld: \(repair)") }
            }
        }
    }

    struct Toevoegen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "toevoegen",
            abstract: "Voegt ruwe regels (NDJSON) toe zonder zaakcontroles; voor beheer en tests. Gebruik `zaak import`.",
            discussion: """
                Elke regel is één JSON-object met "id" (uniek; een herhaalde id wordt niet opnieuw \
                geschreven) en "zaak"; de overige velden volgen in het log. Er wordt niet op de \
                inhoud gecontroleerd: dit is het gereedschap onder de KCC-opdrachten, voor beheer; \
                zaakgebeurtenissen horen via `zaak import`, dat ze controleert zoals de opdrachten. \
                Na elke batch die duurzaam is (fsync), volgt één bevestigingsregel; wat niet bevestigd \
                is, staat niet in het log.

                Voorbeeld:
                  echo '{"id":"e-1","zaak":"Z-2026-000001"}' | zaak log toevoegen
                """,
            shouldDisplay: false)

        @OptionGroup var global: GlobalOptions
        @Argument(help: "NDJSON-bestand; zonder bestand of met - wordt standaardinvoer gelezen.") var bestand: String?
        @Option(help: "Regels per batch (elke batch is atomair); 1 tot en met 100000.") var batch = 1000
        @Flag(help: "Bevestigingen als JSON Lines.") var json = false

        func validate() throws {
            guard (1...100_000).contains(batch) else { throw ValidationError("--batch moet tussen 1 en 100000 liggen") }
        }

        func run() throws {
            try reportingErrors(json: json) {
                let input = try openInput(bestand)
                let log = try EventLog(directory: global.logDirectory)
                var reader = LineReader(fd: input, maxLineBytes: 1 << 20)
                var records: [LogRecord] = []
                var firstLine = 1
                var batchNumber = 0
                func commit() throws {
                    guard !records.isEmpty else { return }
                    batchNumber += 1
                    let results = try log.append(records)
                    let fresh = results.filter { !$0.alreadyPresent }.count
                    let last = results.map(\.position).max() ?? 0
                    let lastLine = firstLine + records.count - 1
                    try BatchAck(batch: batchNumber, regels: [firstLine, lastLine], laatstePositie: last, nieuw: fresh, alAanwezig: results.count - fresh)
                        .print(json: json)
                    firstLine = lastLine + 1
                    records.removeAll(keepingCapacity: true)
                }
                var lineNumber = 0
                while let line = try reader.next() {
                    lineNumber += 1
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        if records.isEmpty { firstLine += 1 }
                        continue
                    }
                    do {
                        records.append(try LogRecord(ndjsonLine: line.last == 0x0D ? Array(line.dropLast()) : line))
                    } catch let error as LogError {
                        throw LogError(.invalidRecord, "regel \(lineNumber): \(error.message). Batch \(batchNumber + 1) (vanaf regel \(firstLine)) is niet geschreven.")
                    }
                    if records.count == batch { try commit() }
                }
                try commit()
            }
        }
    }
}

/// Reads lines from a file descriptor in chunks, refusing (not buffering) overlong lines.
struct LineReader {
    let fd: Int32
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var lineNumber = 0

    init(fd: Int32, maxLineBytes: Int) {
        self.fd = fd
        self.maxLineBytes = maxLineBytes
    }

    mutating func next() throws -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = Array(buffer[start..<newline])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if buffer.count - start > maxLineBytes {
                throw LogError(.invalidRecord, "regel \(lineNumber + 1) is groter dan \(maxLineBytes / (1 << 20)) MiB; één gebeurtenis hoort klein te zijn (geen bijlagen in het log)")
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            if start > 0 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw LogError(.io, "Lezen van de invoer mislukt: \(String(cString: strerror(errno)))")
            }
            if count == 0 { atEnd = true } else { buffer += chunk[0..<count] }
        }
    }
}
