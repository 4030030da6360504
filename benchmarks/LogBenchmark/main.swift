import Foundation

// The benchmark of the append-only log (GitHub issue "The append-only compressed event log", item 6).
// Run it through benchmarks/run.sh; benchmarks/README.md explains every figure.
do {
    let options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
    let results = try Benchmark(options: options).run()
    print(results.text(), terminator: "")
    if let path = options.jsonPath {
        try results.json().write(to: URL(fileURLWithPath: path))
        progress("results written to \(path)")
    }
} catch {
    progress("LogBenchmark: \(error)")
    exit(1)
}
