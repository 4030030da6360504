// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "zaaklog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "zaak", targets: ["zaak"]),
        .library(name: "EventLog", targets: ["EventLog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // Hummingbird's own: NIOCore names its body limit's error and its time amounts.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        // The server's access and error log.
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // The backoffice pages: templates, and bcrypt for the medewerkers' passwords.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    ],
    targets: [
        // System libraries come from Debian packages; tools/ensure-deps.sh installs them.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // A thin, typed wrapper over the SQLite C API (derived indexes, baselines, later projections).
        .target(name: "SQLite", dependencies: ["CSQLite", "CSQLiteReserve"]),
        // A VFS that allocates SQLite's WAL index before it is used: a full disk is an error, not SIGBUS.
        .target(name: "CSQLiteReserve", dependencies: ["CSQLite"]),

        // A pthread mutex, a condition variable and an advisory file lock, without Foundation (the CLI's start-up stays short).
        .target(name: "Locking"),

        // Civil dates and the log's UTC timestamps, shared by the log and the domain; and the program's one
        // clock (ZAAK_NU, docs/clock.md), which only the shells and the log's writer read.
        .target(name: "CivilTime"),

        // The append-only log: bytes and positions, never zaken.
        .target(
            name: "EventLog",
            dependencies: [
                "CLZ4", "SQLite", "CivilTime", "Locking", "JSONReading",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The zaken's data keys (AES-256-GCM, one per zaak) beside the signing key, outside the log.
        .target(name: "ZaakKeys", dependencies: ["EventLog", "SQLite", "Locking", .product(name: "Crypto", package: "swift-crypto")]),

        // The NDJSON lines of `zaak log toevoegen` (id and zaak among the members) as log records.
        .target(name: "LogImport", dependencies: ["EventLog"]),

        // The case domain: value types, events, commands, per-zaak state, deciders, the catalogue
        // and the working-day calendar. Pure Swift: no I/O, time and ids come in as arguments.
        .target(name: "Domain", dependencies: ["CivilTime", "JSONReading"]),

        // The one strict JSON reader for everything parsed by hand: a pull reader for decoding known shapes
        // (log lines on replay) and a syntax check without building anything (the log's lines, the catalogue).
        .target(name: "JSONReading"),

        // Read models rebuilt from the log (SQLite), each with its checkpoint in the same transaction.
        .target(name: "Projections", dependencies: ["Domain", "EventLog", "SQLite", "Locking", "ZaakKeys", .product(name: "Crypto", package: "swift-crypto")]),

        // The application layer shared by the CLI and (later) the HTTP server: load a zaak from the
        // log, decide, append on the condition that the zaak did not change meanwhile.
        .target(name: "Service", dependencies: ["Domain", "EventLog", "Projections", "ZaakKeys", "CivilTime", "Audit", "OCEL",
                                                .product(name: "Crypto", package: "swift-crypto")]),

        // The KCC's history as an OCEL 2.0 object-centric event log for process-mining tools: the
        // mapping (nothing personal goes out) and its SQLite and JSON forms.
        .target(name: "OCEL", dependencies: ["Domain", "SQLite"]),

        // The HTTP API (`zaak serve`): routes, bearer-token roles, the processing log and the SSE
        // feed over the same service and read models as the CLI. One app builder for main and tests.
        .target(
            name: "Server",
            dependencies: [
                "Domain", "EventLog", "Projections", "Service", "CivilTime", "Audit", "JSONReading",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The backoffice's pages (`zaak serve` at /): medewerker accounts and sessions, server-rendered
        // HTML from templates, SVG charts and a live queue over the same Bron and routes' rules as the API.
        .target(
            name: "Web",
            dependencies: [
                "Server", "Domain", "EventLog", "Projections", "Service", "CivilTime", "Audit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),

        // The audit artefacts (schemas/audit-proofs.md) as values, and their offline checks: what an
        // auditor verifies with a public key and no log. Shared by `zaak audit` and the HTTP server.
        .target(name: "Audit", dependencies: ["EventLog", "CivilTime"]),

        // Realistic KCC traffic made by the deciders, for the demo and the benchmarks.
        .target(name: "DemoTraffic", dependencies: ["Domain", "EventLog", "CivilTime"]),

        // `zaak genereer`'s runs: the traffic into the log in batches of simulated time, then the read
        // models; or as NDJSON. Apart from DemoTraffic, which the benchmarks use without read models.
        .target(name: "DemoLoad", dependencies: ["DemoTraffic", "Domain", "EventLog", "Projections"]),

        .executableTarget(
            name: "zaak",
            dependencies: [
                "EventLog", "Domain", "Projections", "Service", "Server", "Web", "DemoTraffic", "CivilTime", "Audit", "LogImport", "DemoLoad",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Release-built benchmark harness; run through benchmarks/run.sh.
        .executableTarget(
            name: "LogBenchmark",
            dependencies: ["EventLog", "SQLite", "DemoTraffic", "CivilTime"],
            path: "benchmarks/LogBenchmark"
        ),

        // Release-built decoding benchmark (hand decoder vs JSONDecoder); run through benchmarks/decode.sh.
        .executableTarget(
            name: "DecodeBenchmark",
            dependencies: ["Domain", "DemoTraffic", "EventLog"],
            path: "benchmarks/DecodeBenchmark"
        ),

        // Release-built cost of per-zaak encryption (append, rebuild, verify); run through benchmarks/encryption.sh.
        .executableTarget(
            name: "EncryptionBenchmark",
            dependencies: ["Domain", "DemoTraffic", "EventLog", "Projections"],
            path: "benchmarks/EncryptionBenchmark"
        ),

        // Release-built end-to-end benchmark against naive SQLite and PostgreSQL (mt_events); run through
        // benchmarks/e2e.sh. libpq is loaded at run time (dlopen), so building needs no libpq headers.
        .executableTarget(
            name: "E2EBenchmark",
            dependencies: ["EventLog", "LogImport", "SQLite", "Domain", "JSONReading", "Projections", "CivilTime"],
            path: "benchmarks/E2EBenchmark"
        ),

        // libFuzzer target for the segment reader, the event-line decoder and the NDJSON import. A normal
        // build makes a corpus replayer (the regression tests); tools/fuzz.sh builds it with -sanitize=fuzzer.
        .executableTarget(name: "LogFuzz", dependencies: ["EventLog", "LogImport"], path: "Tests/Fuzz/LogFuzz"),

        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "LogImport", "SQLite", "DemoTraffic", "CivilTime", "JSONReading"]),
        .testTarget(name: "DomainTests", dependencies: ["Domain", "CivilTime", "JSONReading", "DemoTraffic", "EventLog"]),
        .testTarget(name: "ProjectionTests", dependencies: ["Projections", "Service", "Domain", "EventLog", "DemoTraffic", "SQLite", "ZaakKeys"]),
        // Runs the built `zaak` binary; the dependency makes `swift test` build it first.
        .testTarget(name: "ZaakCLITests", dependencies: ["zaak"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Web", "Service", "Domain", "EventLog", "Projections",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
