#if canImport(Glibc)
import Glibc
#endif

/// The few libpq calls the PostgreSQL baseline needs, bound at run time with dlopen. No headers and
/// no link-time dependency: `swift build` and the test suite never need libpq-dev, and only a run of
/// the end-to-end benchmark needs libpq.so.5 (benchmarks/e2e.sh installs it when missing).
final class PostgreSQL {
    private typealias Connect = @convention(c) (UnsafePointer<CChar>) -> OpaquePointer?
    private typealias Status = @convention(c) (OpaquePointer?) -> Int32
    private typealias Message = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    private typealias Finish = @convention(c) (OpaquePointer?) -> Void
    private typealias Exec = @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> OpaquePointer?
    private typealias Prepare = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, UnsafePointer<CChar>, Int32, UnsafePointer<UInt32>?) -> OpaquePointer?
    private typealias ExecPrepared = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, Int32, UnsafePointer<UnsafePointer<CChar>?>?,
                                                     UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> OpaquePointer?
    private typealias Count = @convention(c) (OpaquePointer?) -> Int32
    private typealias Value = @convention(c) (OpaquePointer?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    private typealias Length = @convention(c) (OpaquePointer?, Int32, Int32) -> Int32

    // Loaded once and never closed; only read after that.
    nonisolated(unsafe) private static let library: UnsafeMutableRawPointer = {
        guard let handle = dlopen("libpq.so.5", RTLD_NOW) else {
            fatalError("libpq.so.5 not found (apt-get install libpq5): \(String(cString: dlerror()))")
        }
        return handle
    }()

    private static func symbol<T>(_ name: String, as: T.Type) -> T {
        guard let pointer = dlsym(library, name) else { fatalError("libpq has no \(name)") }
        return unsafeBitCast(pointer, to: T.self)
    }

    private let connection: OpaquePointer
    private let status = symbol("PQresultStatus", as: Status.self)
    private let resultError = symbol("PQresultErrorMessage", as: Message.self)
    private let clear = symbol("PQclear", as: Finish.self)
    private let exec = symbol("PQexec", as: Exec.self)
    private let prepareCall = symbol("PQprepare", as: Prepare.self)
    private let execPrepared = symbol("PQexecPrepared", as: ExecPrepared.self)
    private let ntuples = symbol("PQntuples", as: Count.self)
    private let getvalue = symbol("PQgetvalue", as: Value.self)
    private let getlength = symbol("PQgetlength", as: Length.self)

    init(_ conninfo: String) throws {
        let connect = Self.symbol("PQconnectdb", as: Connect.self)
        let connectionStatus = Self.symbol("PQstatus", as: Status.self)
        let message = Self.symbol("PQerrorMessage", as: Message.self)
        let connection = connect(conninfo)
        guard let connection, connectionStatus(connection) == 0 else {
            throw BenchmarkFailure("PostgreSQL: \(connection.flatMap { message($0) }.map { String(cString: $0) } ?? "geen verbinding")")
        }
        self.connection = connection
    }

    deinit { Self.symbol("PQfinish", as: Finish.self)(connection) }

    /// A result's rows as text, valid until `body` returns.
    struct Rows {
        fileprivate let result: OpaquePointer?
        fileprivate let owner: PostgreSQL
        var count: Int { Int(owner.ntuples(result)) }
        func bytes(_ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(start: owner.getvalue(result, Int32(row), Int32(column)),
                                   count: Int(owner.getlength(result, Int32(row), Int32(column))))
        }
        func string(_ row: Int, _ column: Int) -> String { String(decoding: bytes(row, column), as: UTF8.self) }
    }

    /// Runs SQL (one or more statements when there are no results to read).
    func execute(_ sql: String) throws { try check(exec(connection, sql)) { _ in } }

    func query<T>(_ sql: String, _ body: (Rows) throws -> T) throws -> T { try check(exec(connection, sql), body) }

    func prepare(_ name: String, _ sql: String, parameters: Int) throws {
        try check(prepareCall(connection, name, sql, Int32(parameters), nil)) { _ in }
    }

    /// Runs a prepared statement with text parameters.
    func run<T>(_ name: String, _ parameters: [String?], _ body: (Rows) throws -> T) throws -> T {
        var copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let result = copies.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: UnsafePointer<CChar>?.self) {
                execPrepared(connection, name, Int32(parameters.count), $0.baseAddress, nil, nil, 0)
            }
        }
        return try check(result, body)
    }

    func run(_ name: String, _ parameters: [String?]) throws { try run(name, parameters) { _ in } }

    private func check<T>(_ result: OpaquePointer?, _ body: (Rows) throws -> T) throws -> T {
        defer { clear(result) }
        // PGRES_COMMAND_OK = 1, PGRES_TUPLES_OK = 2.
        guard let result, [1, 2].contains(status(result)) else {
            let text = result.flatMap { resultError($0) }.map { String(cString: $0) } ?? "geen resultaat"
            throw BenchmarkFailure("PostgreSQL: \(text)")
        }
        return try body(Rows(result: result, owner: self))
    }
}
