import ArgumentParser
import DemoTraffic
import EventLog

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Demonstratie: een maand KCC-verkeer vastleggen, teruglezen, verzegelen en verifiëren.",
        discussion: """
            Legt een maand verkeer van een middelgrote gemeente vast (telefoon, WhatsApp, webformulier, \
            e-mail, balie; doorverwijzingen, terugkoppelingen, afsluitingen) in batches zoals een KCC \
            ze aanbiedt, herhaalt een batch om idempotentie te tonen, leest alles terug, toont de \
            tijdlijn van één zaak, verzegelt en verifieert het log.

            Voorbeeld: zaak demo --data /tmp/zaak-demo
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Aantal zaken in de maand.") var zaken = 12_000
    @Option(help: "Startwaarde van de toevalsgenerator (zelfde waarde, zelfde verkeer).") var seed: UInt64 = 2026

    func validate() throws {
        guard (1...1_000_000).contains(zaken) else { throw ValidationError("--zaken moet tussen 1 en 1000000 liggen") }
    }

    func run() throws {
        try reportingErrors {
            let clock = ContinuousClock()
            func step(_ text: String) { print("▸ " + text); Console.flush() }

            step("Verkeer maken: \(zaken) zaken in november 2026 (seed \(seed))…")
            var traffic = DemoTraffic(seed: seed, startMilliseconds: DemoTraffic.november2026, days: 26)
            let records = traffic.records(zaakCount: zaken)
            print("  \(records.count) gebeurtenissen")

            let log = try EventLog(directory: global.logDirectory)
            for repair in log.repairs { Console.warning(repair.description) }
            let before = try log.lastPosition()
            step("Vastleggen in \(global.logDirectory), in batches van 1–200 zoals agenten en kanalen ze aanbieden…")
            var random = SeededRandom(seed: seed)
            var index = 0, batches = 0, fresh = 0
            let appendTime = try clock.measure {
                while index < records.count {
                    let size = min(records.count - index, 1 + random.below(200))
                    let results = try log.append(Array(records[index..<(index + size)]))
                    fresh += results.filter { !$0.alreadyPresent }.count
                    index += size
                    batches += 1
                    if batches % 100 == 0 { print("  \(index)/\(records.count)…"); Console.flush() }
                }
            }
            print("  \(fresh) nieuw vastgelegd in \(batches) duurzame batches (fsync elk) in \(appendTime.secondsText)")
            if fresh < records.count { print("  \(records.count - fresh) stonden er al (eerdere run met dezelfde seed): niet dubbel geschreven") }

            step("Idempotentie: de eerste 100 gebeurtenissen nogmaals aanbieden (zoals een herhaalde poging na een time-out)…")
            let retry = try log.append(Array(records.prefix(100)))
            print("  \(retry.filter(\.alreadyPresent).count) van 100 herkend als al aanwezig, 0 dubbel geschreven")

            step("Teruglezen vanaf positie 1…")
            var count = 0, previous: Int64 = 0, gaps = 0
            let readTime = try clock.measure {
                try log.read { entry in
                    if entry.position != previous + 1 { gaps += 1 }
                    previous = entry.position
                    count += 1
                    return true
                }
            }
            print("  \(count) gebeurtenissen gelezen, posities 1–\(previous) zonder gaten (\(gaps) gaten) in \(readTime.secondsText)")
            guard gaps == 0, previous == before + Int64(fresh) else {
                throw LogError(.damaged, "teruglezen gaf \(count) gebeurtenissen met \(gaps) gaten; verwacht \(before + Int64(fresh))")
            }

            let zaak = "Z-2026-000042"
            step("Tijdlijn van zaak \(zaak) (via de index, zonder het log te doorlopen):")
            for entry in try log.events(ofZaak: zaak) {
                print("  \(entry.position)  \(entry.recordedAtText)  \(String(decoding: entry.line, as: UTF8.self).prefix(140))…")
            }

            step("Verzegelen: actief segment sluiten en hercomprimeren in blokken van 1 MiB (LZ4 HC)…")
            var sealed: [SealReport] = []
            let sealTime = try clock.measure {
                try log.rollActiveSegment()
                sealed = try log.sealClosedSegments()
            }
            for report in sealed {
                print("  \(report.segment): \(report.lines) gebeurtenissen, \(report.openBytes.humanBytes) → \(report.sealedBytes.humanBytes)")
            }
            print("  klaar in \(sealTime.secondsText)")

            step("Status (zaak log status):")
            let status = try log.status()
            let ratio = status.rawBytes == 0 ? 0 : Double(status.fileBytes) / Double(status.rawBytes)
            print("  \(status.lastPosition) gebeurtenissen, \(status.segments.count) segmenten, \(status.fileBytes.humanBytes) op schijf voor \(status.rawBytes.humanBytes) JSON Lines: \(Int((ratio * 100).rounded()))%")

            step("Verifiëren (zaak log verifieer): elk frame, elke regel, elke hash, elk checkpoint…")
            var report: VerifyReport?
            let verifyTime = try clock.measure { report = try log.verify() }
            print("  in orde: \(report!.events) gebeurtenissen, \(report!.checkpoints) checkpoints, wortel \(report!.root.hex) in \(verifyTime.secondsText)")
            print("")
            print("Klaar. Probeer zelf: zaak log status --data \(global.dataDirectory)  |  lz4 -dc \(global.logDirectory)/seg-*.lz4 | head -3")
        }
    }
}
