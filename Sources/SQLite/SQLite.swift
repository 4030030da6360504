import CSQLite
import CSQLiteReserve
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error reported by SQLite, with its result code and message.
public struct SQLiteError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite-fout \(code): \(message)" }

    /// What kind of trouble, for whoever must say what to do about it.
    public enum Kind: Sendable {
        /// The disk (or a quota) is full.
        case full
        /// A read, write, sync or open failed, or the file may not be written.
        case io
        /// Another connection holds the file longer than the busy timeout.
        case busy
        /// The file is not a database, or its pages do not add up.
        case damaged
        case other
    }

    public var kind: Kind {
        switch code & 0xFF {
        case SQLITE_FULL: return .full
        case SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_READONLY, SQLITE_NOMEM: return .io
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .damaged
        default: return .other
        }
    }
}

// SQLite copies bound text/blobs when given SQLITE_TRANSIENT (a sentinel pointer value of -1).
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: each owner serialises its own use.
public final class Database {
    let handle: OpaquePointer

    public init(path: String, readOnly: Bool = false) throws {
        let installed = zaaklog_sqlite_reserve_shm()
        guard installed == SQLITE_OK else { throw SQLiteError(code: installed, message: "kan de SQLite-VFS niet installeren") }
        var db: OpaquePointer?
        let flags = readOnly
            ? SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        if !readOnly, path != ":memory:" { Self.restrictToOwner(path) }
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "kan database niet openen"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "\(path): \(message)")
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
    }

    /// The database (created 0600 when new) and its -wal and -shm only for the owner: they hold
    /// personal data. SQLite gives a new -wal or -shm the database file's mode.
    private static func restrictToOwner(_ path: String) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            if stat(file, &info) == 0, info.st_mode & 0o077 != 0 { chmod(file, info.st_mode & 0o700) }
        }
    }

    deinit {
        // Only the last connection to close empties the -wal, and a read-only one cannot: when a
        // process's reader outlives its writer, the frames would stay and every later open would
        // recover and copy them again. So a writer empties it as it goes, unless someone is busy
        // with the file (then that connection's close does it): no waiting at close.
        if sqlite3_db_readonly(handle, "main") == 0 {
            sqlite3_busy_timeout(handle, 0)
            sqlite3_wal_checkpoint_v2(handle, "main", SQLITE_CHECKPOINT_TRUNCATE, nil, nil)
        }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "onbekend"
            sqlite3_free(errorMessage)
            throw SQLiteError(code: rc, message: message)
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Puts the file in WAL mode. Converting needs the file to itself, and SQLite does not wait for
    /// that with the busy handler: a second process opening a new file at the same moment got
    /// "database is locked" at once. WAL is a property of the file, so this reads the mode first
    /// (nothing to do after the first open) and otherwise retries for up to the busy timeout.
    public func enableWAL() throws {
        // The -wal file stays (empty) when the last writer closes: otherwise the next read-only
        // connection would have to create it, and a read would add a file to the data directory.
        var persist: Int32 = 1
        sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        // A kept -wal must still be emptied when the last connection closes: without a size limit
        // SQLite leaves its frames in place, and every later open recovers them all from the file
        // and copies them into the database again (2,400 page writes per agent command on four
        // weeks of traffic). With any limit set, the last close truncates the -wal to zero bytes.
        try execute("PRAGMA journal_size_limit=67108864")
        for attempt in 0... {
            do {
                let current = try prepare("PRAGMA journal_mode")
                guard try current.step() else { return }
                // An in-memory database keeps its "memory" journal: nothing to convert.
                if ["wal", "memory"].contains(current.string(0).lowercased()) { return }
                current.reset()
                // When the conversion cannot get the file, SQLite either says busy or leaves the
                // mode as it was and answers with that.
                let set = try prepare("PRAGMA journal_mode=WAL")
                if try set.step(), set.string(0).lowercased() == "wal" { return }
            } catch let error as SQLiteError where error.code & 0xFF == SQLITE_BUSY {
                // Another connection holds the file; try again below.
            }
            guard attempt < 1_000 else {
                throw SQLiteError(code: SQLITE_BUSY, message: "kan de database niet in WAL-modus zetten: een ander proces houdt haar 10 s bezet")
            }
            usleep(10_000)
        }
        preconditionFailure("unreachable")
    }

    /// Forces what was written to the database file onto the disk: for a file filled with
    /// `synchronous=OFF`, before it is renamed into place.
    public func syncToDisk() throws {
        let path = String(cString: sqlite3_db_filename(handle, "main"))
        let file = open(path, O_RDONLY)
        defer { if file >= 0 { close(file) } }
        guard file >= 0, fsync(file) == 0 else {
            throw SQLiteError(code: SQLITE_IOERR, message: "\(path): kan niet naar schijf schrijven: \(String(cString: strerror(errno)))")
        }
    }

    /// Replaces this database's whole content with `source`'s (SQLite's online backup, in one
    /// write transaction): a connection reading this file, in WAL mode, sees the old content or the
    /// new, never a mix, and needs no reopening.
    public func replaceContent(with source: Database) throws {
        guard let backup = sqlite3_backup_init(handle, "main", source.handle, "main") else { try check(sqlite3_errcode(handle)); return }
        var rc = SQLITE_OK
        for _ in 0..<1_000 {
            rc = sqlite3_backup_step(backup, -1)
            guard rc == SQLITE_BUSY || rc == SQLITE_LOCKED else { break }
            usleep(10_000)
        }
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else { throw SQLiteError(code: rc, message: "kan de database niet vervangen: \(String(cString: sqlite3_errstr(rc)))") }
        try check(finished)
    }

    func check(_ rc: Int32) throws {
        if rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)))
        }
    }
}

/// A prepared statement. Bind with 1-based indexes, then `step()` through the rows.
public final class Statement {
    let database: Database
    let handle: OpaquePointer

    init(database: Database, sql: String) throws {
        self.database = database
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(database.handle)) + " in: \(sql)")
        }
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    public func bind(_ index: Int32, _ value: Int64) throws {
        try database.check(sqlite3_bind_int64(handle, index, value))
    }

    public func bind(_ index: Int32, _ value: String) throws {
        try database.check(sqlite3_bind_text(handle, index, value, -1, SQLITE_TRANSIENT))
    }

    public func bind(_ index: Int32, _ value: Int64?) throws {
        guard let value else { return try database.check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    public func bind(_ index: Int32, _ value: String?) throws {
        guard let value else { return try database.check(sqlite3_bind_null(handle, index)) }
        try bind(index, value)
    }

    /// Advances to the next row; false when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        try database.check(rc)
        return rc == SQLITE_ROW
    }

    /// Resets for re-execution and clears bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// Nil for SQL NULL.
    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }

    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// A column's value in a canonical byte form (type tag, then the value), for fingerprints.
    public func canonicalBytes(_ column: Int32) -> [UInt8] {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: return [0]
        case SQLITE_INTEGER: return [1] + withUnsafeBytes(of: int64(column).bigEndian, Array.init)
        case SQLITE_FLOAT: return [2] + withUnsafeBytes(of: double(column).bitPattern.bigEndian, Array.init)
        default:
            let count = Int(sqlite3_column_bytes(handle, column))
            let bytes = sqlite3_column_blob(handle, column).map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
            return [3] + withUnsafeBytes(of: UInt64(count).bigEndian, Array.init) + bytes
        }
    }

    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        return String(cString: text)
    }

    /// Binds, runs to completion and resets: for INSERT/UPDATE/DELETE.
    public func run(_ bindings: (Statement) throws -> Void = { _ in }) throws {
        defer { reset() }
        try bindings(self)
        while try step() {}
    }
}
