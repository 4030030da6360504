import Foundation

/// Command-line options. Hand-parsed: the target deliberately depends only on what it measures.
struct Options {
    var directory = FileManager.default.currentDirectoryPath + "/.bench-tmp"
    var jsonPath: String?
    var scale = 1.0
    var rounds = 3
    var sections = Set(Section.allCases)
    /// Section 1 at this batch size only (a profile of one size: `perf record … --batch 1000`).
    var batch: Int?

    static let usage = """
        usage: LogBenchmark [--dir PATH] [--json PATH] [--scale X] [--rounds N] [--only SECTIONS] [--batch N]

          --dir PATH    where the temporary logs and files go (default ./.bench-tmp); must be a real
                        disk: tmpfs and ramfs are refused, fdatasync is a no-op there
          --json PATH   also write the results as JSON to PATH
          --scale X     multiply every event count by X (default 1; 0.1 for a quick smoke run)
          --rounds N    measure everything N times and report the best round (default 3)
          --only LIST   run only these sections, comma-separated: \(Section.allCases.map(\.rawValue).joined(separator: ","))
          --batch N     section 1 at batch size N only (1, 10, 100 or 1000), e.g. to profile one size
        """

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ name: String) throws -> String {
            guard let value = rest.popFirst() else { throw BenchmarkFailure("\(name) needs a value\n\(usage)") }
            return value
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--dir":
                options.directory = try value(argument)
            case "--json":
                options.jsonPath = try value(argument)
            case "--scale":
                guard let scale = Double(try value(argument)), scale > 0, scale <= 100 else {
                    throw BenchmarkFailure("--scale needs a number between 0 and 100, e.g. 0.1")
                }
                options.scale = scale
            case "--rounds":
                guard let rounds = Int(try value(argument)), rounds >= 1 else {
                    throw BenchmarkFailure("--rounds needs a whole number ≥ 1")
                }
                options.rounds = rounds
            case "--only":
                let names = try value(argument).split(separator: ",").map(String.init)
                let sections = names.compactMap(Section.init(rawValue:))
                guard sections.count == names.count, !sections.isEmpty else {
                    throw BenchmarkFailure("--only takes a comma-separated list of \(Section.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                options.sections = Set(sections)
            case "--batch":
                guard let batch = Int(try value(argument)), Plan.batchSizes.contains(batch) else {
                    throw BenchmarkFailure("--batch takes one of \(Plan.batchSizes.map(String.init).joined(separator: ", "))")
                }
                options.batch = batch
            case "-h", "--help":
                print(usage)
                exit(0)
            default:
                throw BenchmarkFailure("unknown argument '\(argument)'\n\(usage)")
            }
        }
        return options
    }
}

/// The parts of the report, each runnable on its own (`--only`).
enum Section: String, CaseIterable {
    case append, group, archive, proofs
}

/// How many events each measurement uses. Sized so that each one takes about 1–3 s on the reference
/// machine (raw fdatasync ~4,000/s at 350 B) and the whole default run stays well under 3 minutes.
struct Plan {
    let appends: [(batch: Int, events: Int)]
    let groupThreads = 16
    let groupPerThread: Int
    let archiveEvents: Int
    /// The archive log rolls at this size so its events span several segments, as a real log's do.
    let archiveRollBytes: Int64 = 2 << 20
    /// The raw ceiling repeats its pass until this long: a pass at batch 1000 takes only ~0.1 s.
    let rawMinimumSeconds: Double
    /// Section 5 grows one synthetic log through these sizes (multiples of its commits of 10,000).
    let proofSizes: [Int]
    let proofSamples = 100

    static let batchSizes = [1, 10, 100, 1000]

    init(scale: Double, batch: Int? = nil) {
        // Whole batches only, and at least one, so every append in a run has the stated size.
        func scaled(_ events: Int, batch: Int = 1) -> Int { max(batch, Int(Double(events) * scale) / batch * batch) }
        appends = zip(Self.batchSizes, [4_000, 30_000, 80_000, 150_000]).filter { batch == nil || $0.0 == batch }
            .map { ($0.0, scaled($0.1, batch: $0.0)) }
        groupPerThread = scaled(1_000)
        rawMinimumSeconds = min(1, scale)
        archiveEvents = scaled(200_000, batch: 100)
        var sizes: [Int] = []
        for size in [10_000, 100_000, 1_000_000, 10_000_000].map({ scaled($0, batch: ProofMeasurements.batch) }) where !sizes.contains(size) {
            sizes.append(size)
        }
        proofSizes = sizes
    }

    /// Events the workload must hold for the largest measurement.
    var maxEvents: Int {
        max(appends.map(\.events).max()!, groupThreads * groupPerThread, archiveEvents)
    }
}
