import Locking
import SQLite

/// The derived index of log-format §9: event id → position (idempotent appends), zaak → positions
/// (one zaak without a full scan), position → data frame (reads from any position). It is a cache of
/// the log: behind it is caught up, broken it is rebuilt, and it never decides what the log holds.
///
/// Ids and zaken are stored as 64-bit fingerprints (integer keys keep the B-trees small and cheap
/// to update), so a lookup yields *candidate* positions: callers confirm each against the line in
/// the log, and a fingerprint collision costs a read, never a wrong answer.
final class LogIndex: @unchecked Sendable {
    struct FrameLocation: Equatable {
        let segment: SegmentName
        let offset: Int64
        let length: Int
        let firstPosition: Int64
    }

    /// Recursive: `reading` holds it while the lookups inside take it again.
    private let lock = Lock(recursive: true)
    private let database: Database
    /// A reader's index over the file (`init(readingPath:)`): writes go to the in-memory overlay.
    private let overlaid: Bool
    private let selectId: Statement
    private let insertId: Statement
    private let insertStream: Statement
    private let insertFrame: Statement
    private let selectStream: Statement
    private let selectStreamBefore: Statement
    private let selectFrame: Statement
    private let deleteFrames: Statement
    private let setThrough: Statement
    private let insertSubtree: Statement
    private let selectSubtree: Statement
    private let insertCheckpoint: Statement
    private let selectCheckpoint: Statement
    private let selectCoveringCheckpoint: Statement
    private let selectCheckpointBefore: Statement
    private let selectNearestCheckpoints: Statement

    /// Bumped when the tables change; an index of another version is dropped and rebuilt from the log.
    private static let schemaVersion = 3
    private static let tables = ["meta", "ids", "streams", "frames", "subtrees", "checkpoints"]
    /// `subtrees` and `checkpoints` are the proof index (docs/audit.md): perfect-subtree hashes from
    /// level `ProofIndex.minimumLevel` up, and every checkpoint seen, complete through the
    /// checkpoint of tree size `hashedThrough`. Hashes and records are text (hex, JSON).
    private static func schema(in schema: String = "") -> String {
        """
        CREATE TABLE IF NOT EXISTS \(schema)meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS \(schema)ids(fingerprint INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY(fingerprint, position)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS \(schema)streams(fingerprint INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY(fingerprint, position)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS \(schema)frames(first_position INTEGER PRIMARY KEY, segment INTEGER NOT NULL,
            sealed INTEGER NOT NULL, offset INTEGER NOT NULL, length INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS \(schema)subtrees(level INTEGER NOT NULL, idx INTEGER NOT NULL, hash TEXT NOT NULL, PRIMARY KEY(level, idx)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS \(schema)checkpoints(tree_size INTEGER PRIMARY KEY, signed INTEGER NOT NULL, recorded_at INTEGER NOT NULL, record TEXT NOT NULL);
        INSERT OR IGNORE INTO \(schema)meta VALUES('indexedThrough', 0);
        INSERT OR IGNORE INTO \(schema)meta VALUES('hashedThrough', 0);
        """
    }

    /// The index file, created or migrated as needed: the writers' index.
    convenience init(path: String) throws {
        let database = try Database(path: path)
        try database.enableWAL()
        try self.init(database: database, migrate: true, overlaid: false)
    }

    /// A reader's index, which never writes the file: the file opened read-only (when it exists and
    /// has this schema) under an overlay of in-memory temporary tables (`o_…`) that take what the
    /// reader itself indexes (the lines after the writers' high-water mark, proof hashes).
    /// Temporary views with the tables' names join both, and INSTEAD OF triggers send writes to the
    /// overlay, so every statement below serves both kinds of index unchanged (those only writers
    /// run, such as moving a sealed segment's frames, fail). Without a usable
    /// file, all of it is in memory.
    convenience init(readingPath path: String) throws {
        if let file = try? Database(path: path, readOnly: true), (try? Self.version(of: file)) == Int64(Self.schemaVersion) {
            try file.execute("PRAGMA temp_store=MEMORY;")
            try file.execute(Self.schema(in: "temp.o_"))
            try file.execute(Self.overlayViews)
            try self.init(database: file, migrate: false, overlaid: true)
        } else {
            try self.init(database: try Database(path: ":memory:"), migrate: true, overlaid: false)
        }
    }

    /// Reads see the file's rows and the overlay's; `meta` takes the larger high-water mark. The
    /// writer writes its index late (at checkpoints), so the overlay may hold lines the file took
    /// since: the file has every line up to its own mark (rows and mark go in one transaction), and
    /// the overlay counts only above it, or such a line would be listed twice.
    private static let overlayViews = """
        CREATE TEMP VIEW ids AS SELECT * FROM main.ids UNION ALL SELECT * FROM o_ids WHERE position > \(fileMark);
        CREATE TEMP TRIGGER ids_insert INSTEAD OF INSERT ON ids BEGIN INSERT OR IGNORE INTO o_ids VALUES(NEW.fingerprint, NEW.position); END;
        CREATE TEMP VIEW streams AS SELECT * FROM main.streams UNION ALL SELECT * FROM o_streams WHERE position > \(fileMark);
        CREATE TEMP TRIGGER streams_insert INSTEAD OF INSERT ON streams BEGIN INSERT OR IGNORE INTO o_streams VALUES(NEW.fingerprint, NEW.position); END;
        CREATE TEMP VIEW frames AS SELECT * FROM o_frames UNION ALL SELECT * FROM main.frames WHERE first_position NOT IN (SELECT first_position FROM o_frames);
        CREATE TEMP TRIGGER frames_insert INSTEAD OF INSERT ON frames BEGIN INSERT OR REPLACE INTO o_frames VALUES(NEW.first_position, NEW.segment, NEW.sealed, NEW.offset, NEW.length); END;
        CREATE TEMP TRIGGER frames_delete INSTEAD OF DELETE ON frames BEGIN SELECT RAISE(ABORT, 'een lezer verplaatst geen frames'); END;
        """ + proofViews(trustingFile: true)

    private static let fileMark = "(SELECT value FROM main.meta WHERE key = 'indexedThrough')"

    /// The proof tables and `meta`. A reader whose proof catch-up found the file's proof rows wrong
    /// cannot delete them: from then on it uses only the proofs it computes itself.
    private static func proofViews(trustingFile: Bool) -> String {
        let file = { (table: String) in trustingFile ? "SELECT * FROM main.\(table) UNION ALL " : "" }
        return """
            CREATE TEMP VIEW meta AS SELECT key, max(value) AS value FROM (SELECT * FROM main.meta\(trustingFile ? "" : " WHERE key <> 'hashedThrough'")
                UNION ALL SELECT * FROM o_meta) GROUP BY key;
            CREATE TEMP TRIGGER meta_update INSTEAD OF UPDATE ON meta BEGIN INSERT OR REPLACE INTO o_meta VALUES(NEW.key, NEW.value); END;
            CREATE TEMP VIEW subtrees AS \(file("subtrees"))SELECT * FROM o_subtrees;
            CREATE TEMP TRIGGER subtrees_insert INSTEAD OF INSERT ON subtrees BEGIN INSERT OR REPLACE INTO o_subtrees VALUES(NEW.level, NEW.idx, NEW.hash); END;
            CREATE TEMP VIEW checkpoints AS \(trustingFile ? "SELECT * FROM main.checkpoints UNION ALL SELECT * FROM o_checkpoints WHERE tree_size NOT IN (SELECT tree_size FROM main.checkpoints)" : "SELECT * FROM o_checkpoints");
            CREATE TEMP TRIGGER checkpoints_insert INSTEAD OF INSERT ON checkpoints BEGIN INSERT OR REPLACE INTO o_checkpoints VALUES(NEW.tree_size, NEW.signed, NEW.recorded_at, NEW.record); END;
            """
    }

    private static func version(of database: Database) throws -> Int64 {
        let statement = try database.prepare("PRAGMA user_version")
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : 0
    }

    private init(database: Database, migrate: Bool, overlaid: Bool) throws {
        self.database = database
        self.overlaid = overlaid
        if migrate {
            // WAL without fsync per commit: a lost index tail after power loss is caught up from the log.
            try database.execute("PRAGMA synchronous=NORMAL;")
            // One process at a time creates or migrates the tables (16 CLI processes may open at once).
            try database.transaction {
                // (`version` resets its statement: an active one would keep the tables locked against DROP.)
                if try Self.version(of: database) != Self.schemaVersion {
                    try database.execute(Self.tables.map { "DROP TABLE IF EXISTS \($0);" }.joined())
                    try database.execute("PRAGMA user_version = \(Self.schemaVersion)")
                }
                try database.execute(Self.schema())
            }
        }
        selectId = try database.prepare("SELECT position FROM ids WHERE fingerprint = ?")
        insertId = try database.prepare("INSERT OR IGNORE INTO ids VALUES(?, ?)")
        insertStream = try database.prepare("INSERT OR IGNORE INTO streams VALUES(?, ?)")
        insertFrame = try database.prepare("INSERT OR REPLACE INTO frames VALUES(?, ?, ?, ?, ?)")
        selectStream = try database.prepare("SELECT position FROM streams WHERE fingerprint = ? ORDER BY position")
        selectStreamBefore = try database.prepare(
            "SELECT position FROM streams WHERE fingerprint = ? AND position < ? ORDER BY position DESC LIMIT 1")
        selectFrame = try database.prepare(
            "SELECT segment, sealed, offset, length, first_position FROM frames WHERE first_position <= ? ORDER BY first_position DESC LIMIT 1")
        deleteFrames = try database.prepare("DELETE FROM frames WHERE segment = ?")
        setThrough = try database.prepare("UPDATE meta SET value = max(value, ?) WHERE key = 'indexedThrough'")
        insertSubtree = try database.prepare("INSERT OR REPLACE INTO subtrees VALUES(?, ?, ?)")
        selectSubtree = try database.prepare("SELECT hash FROM subtrees WHERE level = ? AND idx = ?")
        insertCheckpoint = try database.prepare("INSERT OR REPLACE INTO checkpoints VALUES(?, ?, ?, ?)")
        selectCheckpoint = try database.prepare("SELECT record FROM checkpoints WHERE tree_size = ?")
        // The newest signed checkpoint covering a position; an unsigned one only when none is signed.
        selectCoveringCheckpoint = try database.prepare(
            "SELECT record FROM checkpoints WHERE tree_size >= ? ORDER BY signed DESC, tree_size DESC LIMIT 1")
        selectCheckpointBefore = try database.prepare(
            "SELECT record FROM checkpoints WHERE recorded_at < ? ORDER BY tree_size DESC LIMIT 1")
        selectNearestCheckpoints = try database.prepare("""
            SELECT tree_size FROM (SELECT tree_size FROM checkpoints WHERE tree_size < ?1 ORDER BY tree_size DESC LIMIT 2)
            UNION ALL SELECT tree_size FROM (SELECT tree_size FROM checkpoints WHERE tree_size > ?1 ORDER BY tree_size LIMIT 2)
            """)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Runs `body` in one read transaction: the id lookups of a commit then share one set of
    /// SQLite file locks instead of taking and releasing them per lookup.
    func reading<T>(_ body: () throws -> T) throws -> T {
        try locked {
            try database.execute("BEGIN")
            defer { try? database.execute("COMMIT") }
            return try body()
        }
    }

    var indexedThrough: Int64 {
        get throws {
            try locked {
                let statement = try database.prepare("SELECT value FROM meta WHERE key = 'indexedThrough'")
                return try statement.step() ? statement.int64(0) : 0
            }
        }
    }

    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> Int64 { Int64(bitPattern: fnv1a64(bytes)) }

    static func fingerprint(_ text: String) -> Int64 {
        var text = text
        return text.withUTF8 { fingerprint(UnsafeRawBufferPointer($0)) }
    }

    /// Positions whose id has the same fingerprint as `id`: usually none, at most the one with this id.
    func candidates(ofId id: String) throws -> [Int64] {
        try positions(selectId, Self.fingerprint(id))
    }

    /// Positions of the zaak's events, plus any of zaken with the same fingerprint.
    func candidates(ofZaak zaak: String) throws -> [Int64] {
        try positions(selectStream, Self.fingerprint(zaak))
    }

    /// The highest position before `position` of the zaak's events or of zaken with the same
    /// fingerprint: one row at a time, as the first one is almost always the zaak's own.
    func lastCandidate(ofZaak zaak: String, before position: Int64) throws -> Int64? {
        try locked {
            defer { selectStreamBefore.reset() }
            try selectStreamBefore.bind(1, Self.fingerprint(zaak))
            try selectStreamBefore.bind(2, position)
            return try selectStreamBefore.step() ? selectStreamBefore.int64(0) : nil
        }
    }

    private func positions(_ statement: Statement, _ fingerprint: Int64) throws -> [Int64] {
        try locked {
            defer { statement.reset() }
            try statement.bind(1, fingerprint)
            var result: [Int64] = []
            while try statement.step() { result.append(statement.int64(0)) }
            return result
        }
    }

    /// One batch of index rows, written in one transaction together with the new high-water mark.
    struct Batch {
        var lines: [(id: Int64, zaak: Int64, position: Int64)] = []
        var frames: [(SegmentName, DataFrameInfo)] = []
        var through: Int64 = 0

        mutating func add(_ line: LineView) {
            lines.append((LogIndex.fingerprint(line.id), LogIndex.fingerprint(line.zaak), line.position))
            through = max(through, line.position)
        }

        mutating func add(frame: DataFrameInfo, in segment: SegmentName) {
            frames.append((segment, frame))
        }

        mutating func append(_ other: Batch) {
            lines += other.lines
            frames += other.frames
            through = max(through, other.through)
        }

        var isEmpty: Bool { lines.isEmpty && frames.isEmpty }
    }

    private func insert(frame: DataFrameInfo, in segment: SegmentName) throws {
        try insertFrame.run {
            try $0.bind(1, frame.firstPosition)
            try $0.bind(2, segment.firstPosition)
            try $0.bind(3, segment.sealed ? 1 : 0)
            try $0.bind(4, Int64(frame.bounds.start))
            try $0.bind(5, Int64(frame.bounds.end - frame.bounds.start))
        }
    }

    func write(_ batch: Batch) throws {
        guard !batch.isEmpty else { return }
        try locked {
            try database.transaction {
                for (id, zaak, position) in batch.lines {
                    try insertId.run { try $0.bind(1, id); try $0.bind(2, position) }
                    try insertStream.run { try $0.bind(1, zaak); try $0.bind(2, position) }
                }
                for (segment, frame) in batch.frames { try insert(frame: frame, in: segment) }
                try setThrough.run { try $0.bind(1, batch.through) }
            }
        }
    }

    /// After sealing: the segment's frames now live at other offsets in another file.
    func replaceFrames(of segment: Int64, with frames: [(SegmentName, DataFrameInfo)]) throws {
        try locked {
            try database.transaction {
                try deleteFrames.run { try $0.bind(1, segment) }
                for (name, frame) in frames { try insert(frame: frame, in: name) }
            }
        }
    }

    func frame(containing position: Int64) throws -> FrameLocation? {
        try locked {
            defer { selectFrame.reset() }
            try selectFrame.bind(1, position)
            guard try selectFrame.step() else { return nil }
            return FrameLocation(
                segment: SegmentName(firstPosition: selectFrame.int64(0), sealed: selectFrame.int64(1) != 0),
                offset: selectFrame.int64(2), length: Int(selectFrame.int64(3)), firstPosition: selectFrame.int64(4))
        }
    }

    /// Forgets everything, for a rebuild (or an index that is ahead of its log).
    func reset() throws {
        try locked {
            try database.execute("DELETE FROM ids; DELETE FROM streams; DELETE FROM frames; UPDATE meta SET value = 0;")
            try resetProofs()
        }
    }

    // MARK: The proof index

    var hashedThrough: Int64 {
        get throws {
            try locked {
                let statement = try database.prepare("SELECT value FROM meta WHERE key = 'hashedThrough'")
                return try statement.step() ? statement.int64(0) : 0
            }
        }
    }

    /// What one catch-up of the proof index found.
    struct ProofBatch {
        var subtrees: [MerkleSubtree] = []
        var checkpoints: [Checkpoint] = []
    }

    /// Stores subtrees and checkpoints; `hashedThrough` moves to the last checkpoint of the batch.
    func write(_ batch: ProofBatch) throws {
        try locked {
            try database.transaction {
                for subtree in batch.subtrees {
                    try insertSubtree.run {
                        try $0.bind(1, Int64(subtree.level))
                        try $0.bind(2, subtree.index)
                        try $0.bind(3, subtree.hash.hex)
                    }
                }
                try insert(batch.checkpoints)
                if let last = batch.checkpoints.last {
                    try database.execute("UPDATE meta SET value = \(last.treeSize) WHERE key = 'hashedThrough'")
                }
            }
        }
    }

    /// Records checkpoints (sealing adds and signs some) without moving `hashedThrough`.
    func record(_ checkpoints: [Checkpoint]) throws {
        try locked { try database.transaction { try insert(checkpoints) } }
    }

    private func insert(_ checkpoints: [Checkpoint]) throws {
        try locked {
            for checkpoint in checkpoints {
                try insertCheckpoint.run {
                    try $0.bind(1, checkpoint.treeSize)
                    try $0.bind(2, checkpoint.signature == nil ? 0 : 1)
                    try $0.bind(3, checkpoint.recordedAt)
                    try $0.bind(4, MetadataRecord.checkpoint(checkpoint).json)
                }
            }
        }
    }

    func subtree(level: Int, index: Int64) throws -> MerkleHash? {
        try locked {
            defer { selectSubtree.reset() }
            try selectSubtree.bind(1, Int64(level))
            try selectSubtree.bind(2, index)
            return try selectSubtree.step() ? MerkleHash(hex: selectSubtree.string(0)) : nil
        }
    }

    func checkpoint(treeSize: Int64) throws -> Checkpoint? {
        try checkpoint(selectCheckpoint, treeSize)
    }

    /// The newest signed checkpoint with a tree of at least `position` lines, else the newest unsigned one.
    func checkpoint(covering position: Int64) throws -> Checkpoint? {
        try checkpoint(selectCoveringCheckpoint, position)
    }

    /// The last checkpoint recorded before `milliseconds`.
    func checkpoint(recordedBefore milliseconds: Int64) throws -> Checkpoint? {
        try checkpoint(selectCheckpointBefore, milliseconds)
    }

    /// Tree sizes of up to two checkpoints on either side of `treeSize`, for an error message.
    func checkpointSizes(near treeSize: Int64) throws -> [Int64] {
        try positions(selectNearestCheckpoints, treeSize).sorted()
    }

    private func checkpoint(_ statement: Statement, _ value: Int64) throws -> Checkpoint? {
        try locked {
            defer { statement.reset() }
            try statement.bind(1, value)
            guard try statement.step() else { return nil }
            var json = statement.string(0)
            guard case let .success(.checkpoint(checkpoint)) = json.withUTF8({ MetadataRecord.parse(json: UnsafeRawBufferPointer($0)) }) else {
                throw LogError(.unavailable, "De index van het log bevat een onleesbaar checkpoint (\(json.prefix(80))). Verwijder index.sqlite in de logmap; hij wordt uit het log opnieuw opgebouwd.")
            }
            return checkpoint
        }
    }

    func resetProofs() throws {
        try locked {
            if overlaid {
                try database.execute("DROP VIEW meta; DROP VIEW subtrees; DROP VIEW checkpoints; DELETE FROM o_subtrees; DELETE FROM o_checkpoints;"
                    + "UPDATE o_meta SET value = 0 WHERE key = 'hashedThrough';" + Self.proofViews(trustingFile: false))
            } else {
                try database.execute("DELETE FROM subtrees; DELETE FROM checkpoints; UPDATE meta SET value = 0 WHERE key = 'hashedThrough';")
            }
        }
    }
}
