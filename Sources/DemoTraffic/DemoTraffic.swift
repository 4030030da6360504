import CivilTime
import Domain
import EventLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SplitMix64: small, fast and the same on every machine, so a seed always gives the same traffic.
public struct SeededRandom {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    public mutating func chance(_ probability: Double) -> Bool { uniform() < probability }

    public mutating func pick<T>(_ weighted: [(T, Double)]) -> T {
        var roll = uniform() * weighted.reduce(0) { $0 + $1.1 }
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[weighted.count - 1].0
    }

    /// A Poisson count with the given mean (Knuth's method for small means, the normal
    /// approximation above 30, where it is within a fraction of a percent).
    public mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var count = 0, product = uniform()
            while product > limit {
                count += 1
                product *= uniform()
            }
            return count
        }
        let normal = (-2 * log(1 - uniform())).squareRoot() * cos(2 * Double.pi * uniform())
        return max(0, Int((mean + normal * mean.squareRoot()).rounded()))
    }
}

/// A fixed number of zaken of the `landelijk` profile as log records, in time order: the small
/// samples the tests and the log benchmarks use. `zaak genereer` streams whole periods instead.
public struct DemoTraffic {
    let seed: UInt64
    let start: Datum
    let days: Int

    /// A month starting on Monday 2 November 2026, the tests' and benchmarks' default.
    public static let november2026 = Timestamp.days(fromCivil: 2026, 11, 2) * 86_400_000

    public init(seed: UInt64, startMilliseconds: Int64, days: Int) {
        self.seed = seed
        start = Datum(dagnummer: startMilliseconds / 86_400_000)
        self.days = days
    }

    /// Events of `zaakCount` zaken. The volume is set so that they open in the first half of the
    /// period (on average), leaving the second half for their handoffs and closings.
    public func records(zaakCount: Int) -> [LogRecord] {
        var profiel = Verkeersprofiel.landelijk
        let zakenPerGesprek = profiel.kanalen.reduce(0) { $0 + $1.1 } / profiel.kanalen.first { $0.0 == .telefoon }!.1
        let werkdagen = max(1, Double(days) * 5 / 7)
        profiel.gesprekkenPerWerkdag = 2 * Double(zaakCount) / zakenPerGesprek / werkdagen
        var generator = Verkeersgenerator(profiel: profiel, seed: seed, van: start, dagen: days, maximumZaken: zaakCount)
        var records: [LogRecord] = []
        while generator.volgendeDag({ records.append(LogRecord(id: $0.id, zaak: $0.zaak.description, body: $0.logBody())) }) != nil {}
        return records
    }
}
