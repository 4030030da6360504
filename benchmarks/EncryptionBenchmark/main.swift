import DemoTraffic
import Domain
import EventLog
import Foundation
import Projections

// What encrypting personal data per zaak costs (docs/avg.md): the same generated traffic appended,
// rebuilt and verified twice in one run, once in plain text (the form of logs before log-format
// revision 4) and once encrypted, each into a fresh data directory. Appending includes encoding,
// and for the encrypted run making the zaak keys durable and sealing every event; rebuilding
// decodes (and decrypts) every line into fresh read models; verifying reads every frame and hash.
// Run it through benchmarks/encryption.sh.

let dagen = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 28
var generator = Verkeersgenerator(profiel: .utrecht, seed: 1, van: Datum("2026-01-05")!, dagen: dagen)
var events: [ZaakGebeurtenis] = []
while generator.volgendeDag({ events.append($0) }) != nil {}

struct Run { var append = 0.0, rebuild = 0.0, verify = 0.0, bytes: Int64 = 0 }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func run(encrypted: Bool, _ events: [ZaakGebeurtenis]) throws -> Run {
    let data = NSTemporaryDirectory() + "zaaklog-encryption-\(encrypted ? "aan" : "uit")-\(getpid())"
    try? FileManager.default.removeItem(atPath: data)
    defer { try? FileManager.default.removeItem(atPath: data) }
    setenv("ZAAK_SLEUTELMAP", data + "/sleutels", 1)
    var result = Run()
    let log = try EventLog(directory: data + "/log")
    let sleutels = try LogSleutels(dataDirectory: data)
    result.append = try seconds {
        // Batches as the generator's load appends them (at most 2000 events, each batch fsynced).
        for start in stride(from: 0, to: events.count, by: 2000) {
            let batch = Array(events[start..<min(start + 2000, events.count)])
            let records = encrypted ? try sleutels.records(batch)
                : batch.map { LogRecord(id: $0.id, zaak: $0.zaak.description, body: $0.logBody()) }
            _ = try log.append(records)
        }
    }
    try log.rollActiveSegment()
    _ = try log.sealClosedSegments()
    let reader = try LogReader(directory: data + "/log")
    result.rebuild = try seconds {
        let projecties = try Projecties(path: data + "/projecties.sqlite", sleutels: sleutels)
        let applied = try projecties.bouwNieuw(uit: reader).toegepast
        precondition(applied == events.count, "every event applied")
    }
    result.verify = try seconds { _ = try reader.verify() }
    result.bytes = try FileManager.default.contentsOfDirectory(atPath: data + "/log").filter { $0.hasPrefix("seg-") }
        .reduce(0) { $0 + ((try FileManager.default.attributesOfItem(atPath: data + "/log/" + $1)[.size] as? Int64) ?? 0) }
    return result
}

// Rounds alternate plain and encrypted, and each figure is the fastest of its rounds: on a shared
// machine one run can lose 10% to a neighbour, which a single pair of runs would read as a cost.
let rounds = CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 3
func fastest(_ runs: [Run]) -> Run {
    Run(append: runs.map(\.append).min()!, rebuild: runs.map(\.rebuild).min()!, verify: runs.map(\.verify).min()!, bytes: runs[0].bytes)
}
var plainRuns: [Run] = [], encryptedRuns: [Run] = []
for _ in 0..<rounds {
    plainRuns.append(try run(encrypted: false, events))
    encryptedRuns.append(try run(encrypted: true, events))
}
let plain = fastest(plainRuns), encrypted = fastest(encryptedRuns)
print("rounds: \(rounds), plain and encrypted alternating; each figure is the fastest round")
let count = Double(events.count)
func rate(_ seconds: Double) -> String { String(format: "%9.0f events/s", count / seconds) }
print("traffic: profiel utrecht, \(dagen) dagen, \(events.count) events of \(Set(events.map(\.zaak)).count) zaken")
print("                  plain text             encrypted              encrypted / plain (time)")
for (name, a, b) in [("append", plain.append, encrypted.append), ("rebuild", plain.rebuild, encrypted.rebuild), ("verify", plain.verify, encrypted.verify)] {
    print("\(name.padding(toLength: 10, withPad: " ", startingAt: 0))  \(rate(a)) (\(String(format: "%6.2f", a)) s)  \(rate(b)) (\(String(format: "%6.2f", b)) s)  \(String(format: "%.2f", b / a))")
}
print("segments    \(plain.bytes / 1024) KiB               \(encrypted.bytes / 1024) KiB                \(String(format: "%.2f", Double(encrypted.bytes) / Double(plain.bytes)))")
