// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "zaaklog",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zaak", targets: ["zaak"]),
        .library(name: "EventLog", targets: ["EventLog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // System libraries come from Debian packages; tools/ensure-deps.sh installs them.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // A thin, typed wrapper over the SQLite C API (derived indexes, baselines, later projections).
        .target(name: "SQLite", dependencies: ["CSQLite"]),

        // The append-only log: bytes and positions, never zaken.
        .target(
            name: "EventLog",
            dependencies: [
                "CLZ4", "SQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        .executableTarget(
            name: "zaak",
            dependencies: [
                "EventLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Release-built benchmark harness; run through benchmarks/run.sh.
        .executableTarget(
            name: "LogBenchmark",
            dependencies: ["EventLog", "SQLite"],
            path: "benchmarks/LogBenchmark"
        ),

        // libFuzzer entry points; built only by tools/fuzz.sh with -sanitize=fuzzer.
        .target(name: "LogFuzz", dependencies: ["EventLog"], path: "Tests/Fuzz/LogFuzz"),

        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "SQLite"]),
        .testTarget(name: "ZaakCLITests", dependencies: ["EventLog"]),
    ],
    swiftLanguageModes: [.v6]
)
