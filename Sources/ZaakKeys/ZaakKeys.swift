import Crypto
import EventLog
import Foundation
import Locking
import SQLite

/// The zaken's data keys (docs/avg.md, log-format §3.1): one random AES-256 key per zaak in a SQLite
/// file in the installation's key directory (`<data>/sleutels/`, or `$ZAAK_SLEUTELMAP`), outside the
/// log, so that a copy of the log never carries them. Erasing a zaak deletes its key for good and
/// keeps a row saying so: the zaak never gets a new key, and a reader tells "erased" from "missing".
///
/// A marker file in the data directory records that the store exists: when it says so and the store
/// is gone, opening fails instead of reading every encrypted member as erased.
public final class ZaakKeys: @unchecked Sendable {
    public static let fileName = "zaaksleutels.sqlite"
    public static let markerName = "zaaksleutels.json"

    public let path: String
    private let markerPath: String
    private let directory: String
    /// Read-only until something is written: a reader of the log writes nothing.
    private var database: Database?
    private var writable = false
    private var lookup: Statement?
    private let lock = Lock()

    /// The store of the data directory `data` (the log is `data/log`). Nothing is created here:
    /// the first `ensureKeys` does that.
    public init(dataDirectory data: String) throws {
        directory = KeyStore.standardDirectory(forLog: data + "/log")
        path = directory + "/" + Self.fileName
        markerPath = data + "/" + Self.markerName
        if FileManager.default.fileExists(atPath: path) {
            try open(writable: false)
        } else if FileManager.default.fileExists(atPath: markerPath) {
            throw LogError(.unavailable, "De sleutelkluis \(path) ontbreekt, maar \(markerPath) zegt dat deze gegevens hem gebruiken. "
                + "Zet de reservekopie van de sleutelmap terug (docs/avg.md), of wijs hem aan met $ZAAK_SLEUTELMAP; er is niets gewijzigd.")
        }
    }

    private func open(writable: Bool) throws {
        lookup = nil
        database = nil
        let database = try Database(path: path, readOnly: !writable)
        if writable {
            try database.enableWAL()
            // Deleted keys are overwritten in the file, not left in a free page.
            try database.execute("""
                PRAGMA secure_delete=ON; PRAGMA synchronous=FULL;
                CREATE TABLE IF NOT EXISTS sleutels(zaak TEXT PRIMARY KEY, sleutel TEXT, gewist INTEGER NOT NULL DEFAULT 0);
                CREATE TABLE IF NOT EXISTS betrokkenen(ref TEXT PRIMARY KEY, pseudoniem TEXT NOT NULL UNIQUE);
                """)
        }
        self.database = database
        self.writable = writable
    }

    /// The connection, opened read-only when another process created the store after this one
    /// looked for it; nil while there is none.
    private func openedIfCreated() throws -> Database? {
        if database == nil, FileManager.default.fileExists(atPath: path) { try open(writable: false) }
        return database
    }

    /// The lookup, prepared once the table exists: another process may have created the file (after
    /// this one opened the store) or created the file a moment before its table.
    private func lookupStatement() throws -> Statement? {
        if let lookup { return lookup }
        guard let database = try openedIfCreated() else { return nil }
        let table = try database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sleutels'")
        guard try table.step() else { return nil }
        lookup = try database.prepare("SELECT sleutel FROM sleutels WHERE zaak = ?")
        return lookup
    }

    /// The connection for a change, made writable (and the store created) on first use.
    private func writer() throws -> Database {
        if let database, writable { return database }
        let isNew = !FileManager.default.fileExists(atPath: path)
        if isNew { try Directory.create(directory) }
        try open(writable: true)
        if isNew {
            try Directory.sync(directory)
            try writeMarker()
        }
        return database!
    }

    /// The key of `zaak`: `.key` when it has one, `.erased` after `shred`, `.none` when it never had one.
    public enum Lookup { case key(SymmetricKey), erased, none }

    public func key(for zaak: String) throws -> Lookup {
        try lock.withLock {
            try forgetIfChangedElsewhere()
            if let known = cache[zaak] { return known }
            guard let lookup = try lookupStatement() else { return .none }
            defer { lookup.reset() }
            try lookup.bind(1, zaak)
            guard try lookup.step() else { return .none }
            let found: Lookup
            if let hex = lookup.optionalString(0), let bytes = HexBytes.decode(hex), bytes.count == 32 {
                found = .key(SymmetricKey(data: bytes))
            } else {
                found = .erased
            }
            if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[zaak] = found
            return found
        }
    }

    /// Keys looked up before, so that a rebuild does not query the store once per line. An erasure
    /// by this process updates it at once; one by another process empties it within
    /// `recheckInterval`, when SQLite's data_version says the file changed.
    private var cache: [String: Lookup] = [:]
    private static let cacheLimit = 100_000
    private static let recheckInterval = Duration.milliseconds(50)
    private var checkedAt = ContinuousClock.now
    private var dataVersion: Int64?

    private func forgetIfChangedElsewhere() throws {
        let now = ContinuousClock.now
        guard now - checkedAt >= Self.recheckInterval || dataVersion == nil, let database else { return }
        checkedAt = now
        let version = try database.prepare("PRAGMA data_version")
        guard try version.step() else { return }
        let current = version.int64(0)
        if current != dataVersion { cache.removeAll(keepingCapacity: true) }
        dataVersion = current
    }

    /// Makes a key for each of `zaken` that has none (never for an erased one), durably, before
    /// the caller writes anything encrypted under it: a key lost after its ciphertext was written
    /// would lose the event's personal data. A key made by another process meanwhile is kept.
    public func ensureKeys(for zaken: some Sequence<String>) throws {
        var missing: [String] = [], seen: Set<String> = []
        for zaak in zaken where seen.insert(zaak).inserted {
            if case .none = try key(for: zaak) { missing.append(zaak) }
        }
        guard !missing.isEmpty else { return }
        try lock.withLock {
            let database = try writer()
            // RETURNING gives a row only for a key made here; one another process made is looked up.
            let insert = try database.prepare("INSERT INTO sleutels(zaak, sleutel) VALUES(?, ?) ON CONFLICT(zaak) DO NOTHING RETURNING zaak")
            var made: [(String, SymmetricKey)] = []
            try database.transaction {
                for zaak in missing {
                    let key = SymmetricKey(data: RandomPool.shared.bytes(32))
                    try insert.bind(1, zaak)
                    try insert.bind(2, key.withUnsafeBytes { HexBytes.encode($0) })
                    defer { insert.reset() }
                    if try insert.step() { made.append((zaak, key)) }
                }
            }
            // Committed (durable): the keys made here serve the writes that follow without a lookup.
            for zaak in missing { cache.removeValue(forKey: zaak) }
            for (zaak, key) in made where cache.count < Self.cacheLimit { cache[zaak] = .key(key) }
        }
    }

    private func writeMarker() throws {
        guard !FileManager.default.fileExists(atPath: markerPath) else { return }
        let contents = #"{"type":"zaaklog-zaaksleutels","sleutelkluis":"\#(path)"}"# + "\n"
        guard FileManager.default.createFile(atPath: markerPath, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw LogError(.io, "Kan \(markerPath) niet aanmaken")
        }
        try Directory.sync(String(markerPath.dropLast(Self.markerName.count + 1)))
    }

    /// Deletes the keys of `zaken` for good, durably, leaving a row that says so (secure_delete
    /// overwrites the key in the file; `emptyWAL` then removes the WAL's copies). Erasing an
    /// erased zaak again changes nothing.
    public func shred(_ zaken: [String]) throws {
        try lock.withLock {
            let database = try writer()
            let erase = try database.prepare("""
                INSERT INTO sleutels(zaak, sleutel, gewist) VALUES(?1, NULL, 1)
                ON CONFLICT(zaak) DO UPDATE SET sleutel = NULL, gewist = 1
                """)
            try database.transaction {
                for zaak in zaken { try erase.run { try $0.bind(1, zaak) } }
            }
            for zaak in zaken { cache[zaak] = .erased }
        }
    }

    /// Empties the store's WAL, which holds the keys as first written until a truncating
    /// checkpoint: the end of an erasure, once for all the zaken it shredded.
    public func emptyWAL() throws {
        try lock.withLock {
            guard FileManager.default.fileExists(atPath: path) else { return }
            try writer().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    // MARK: Pseudonyms of data subjects

    /// The random pseudonym the processing log files `ref`'s records under (docs/avg.md): made
    /// durably on first use, kept here only, so that deleting it (`forgetSubject`) leaves records
    /// that nothing ties to the person.
    public func pseudonym(forSubject ref: String) throws -> String {
        if let known = try knownPseudonym(forSubject: ref) { return known }
        return try lock.withLock {
            let database = try writer()
            let pseudonym = "p-" + HexBytes.encode(SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) })
            try database.prepare("INSERT OR IGNORE INTO betrokkenen(ref, pseudoniem) VALUES(?, ?)").run {
                try $0.bind(1, ref)
                try $0.bind(2, pseudonym)
            }
            // Another process may have made one first: theirs stands.
            return try single(database, Self.pseudonymOfRef, ref) ?? pseudonym
        }
    }

    private static let pseudonymOfRef = "SELECT pseudoniem FROM betrokkenen WHERE ref = ?"

    /// The pseudonyms of many references at once, as `pseudonym(forSubject:)` gives each: one
    /// lock and one prepared statement for those that have one (a werkvoorraad read records
    /// hundreds of data subjects, and a lock and two statements each were a sixth of its cost).
    public func pseudonyms(forSubjects refs: Set<String>) throws -> [String: String] {
        var found: [String: String] = [:]
        try lock.withLock {
            guard let database = try readable() else { return }
            let select = try database.prepare(Self.pseudonymOfRef)
            for ref in refs {
                try select.bind(1, ref)
                if try select.step() { found[ref] = select.string(0) }
                select.reset()
            }
        }
        for ref in refs where found[ref] == nil { found[ref] = try pseudonym(forSubject: ref) }
        return found
    }

    /// `ref`'s pseudonym when it has one (an inzage or a query makes none).
    public func knownPseudonym(forSubject ref: String) throws -> String? {
        try lock.withLock { try readable().flatMap { try single($0, Self.pseudonymOfRef, ref) } }
    }

    /// The reference behind `pseudonym`; nil once it was forgotten (or never was one).
    public func subject(ofPseudonym pseudonym: String) throws -> String? {
        try lock.withLock { try readable().flatMap { try single($0, "SELECT ref FROM betrokkenen WHERE pseudoniem = ?", pseudonym) } }
    }

    /// Deletes `ref` and its pseudonym for good (secure_delete; the caller's `emptyWAL` removes the
    /// WAL's copy). Forgetting an unknown reference changes nothing.
    public func forgetSubject(_ ref: String) throws {
        guard try knownPseudonym(forSubject: ref) != nil else { return }
        try lock.withLock {
            try writer().prepare("DELETE FROM betrokkenen WHERE ref = ?").run { try $0.bind(1, ref) }
        }
    }

    /// The connection to read with, once the store and its table of pseudonyms exist.
    private func readable() throws -> Database? {
        guard let database = try openedIfCreated() else { return nil }
        let table = try database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'betrokkenen'")
        return try table.step() ? database : nil
    }

    private func single(_ database: Database, _ sql: String, _ value: String) throws -> String? {
        let statement = try database.prepare(sql)
        try statement.bind(1, value)
        return try statement.step() ? statement.string(0) : nil
    }

    /// AES-256-GCM under `key`, bound to `associatedData`: nonce, ciphertext and tag, in base64.
    public static func seal(_ plaintext: [UInt8], key: SymmetricKey, associatedData: [UInt8]) throws -> String {
        try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: RandomPool.shared.bytes(12)), authenticating: associatedData)
            .combined!.base64EncodedString()
    }

    /// The plaintext of `sealed`, or nil when it is not base64 or fails authentication.
    public static func open(_ sealed: String, key: SymmetricKey, associatedData: [UInt8]) -> [UInt8]? {
        guard let combined = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: combined),
              let plaintext = try? AES.GCM.open(box, using: key, authenticating: associatedData) else { return nil }
        return Array(plaintext)
    }
}
