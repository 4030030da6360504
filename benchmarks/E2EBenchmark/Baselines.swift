import Domain
import EventLog
import SQLite

// What a team would build instead of the log. Both event tables have the columns of Marten's
// mt_events (seq_id, id, stream_id, version, data, type, timestamp) with its two unique constraints:
// the event id (idempotency) and (stream_id, version) (optimistic concurrency). Ids here are the
// domain's text ids, not uuids; Marten's mt_streams table and tenant/archive columns are left out,
// which spares the baselines an extra write per batch.

// MARK: Naive SQLite: one row per event, the JSON line as text, WAL, synchronous=FULL

private let sqliteSchema = """
    PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
    CREATE TABLE events(seq_id INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, version INTEGER NOT NULL,
        data TEXT NOT NULL, type TEXT NOT NULL, timestamp TEXT NOT NULL, UNIQUE(stream_id, version));
    """

func importSQLite(events: [InputEvent], path: String, batch: Int) throws {
    let database = try Database(path: path)
    try database.execute(sqliteSchema)
    let insert = try database.prepare("INSERT INTO events(id, stream_id, version, data, type, timestamp) VALUES(?, ?, ?, ?, ?, ?)")
    let time = try timed {
        for slice in batches(events, size: batch) {
            try database.transaction {
                for event in slice {
                    try insert.run {
                        try $0.bind(1, event.id)
                        try $0.bind(2, event.stream)
                        try $0.bind(3, Int64(event.version))
                        try $0.bind(4, event.text)
                        try $0.bind(5, event.type)
                        try $0.bind(6, event.timestamp)
                    }
                }
            }
        }
    }
    let beforeCheckpoint = fileSize(path) + fileSize(path + "-wal")
    try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    emit([("events", events.count), ("seconds", time.seconds), ("cpu", time.cpuSeconds),
          ("bytesBeforeCheckpoint", beforeCheckpoint), ("bytes", fileSize(path) + fileSize(path + "-wal"))])
}

/// `PRAGMA integrity_check`: SQLite's own check of its B-trees. Not the log's verify (no hashes, so
/// no proof that history was not rewritten); labelled as such in the report.
func integritySQLite(path: String, events: Int) throws {
    let database = try Database(path: path, readOnly: true)
    var answer = ""
    let time = try timed {
        let check = try database.prepare("PRAGMA integrity_check")
        _ = try check.step()
        answer = check.string(0)
    }
    guard answer == "ok" else { throw BenchmarkFailure("integrity_check: \(answer)") }
    emit([("events", events), ("seconds", time.seconds), ("cpu", time.cpuSeconds)])
}

// MARK: PostgreSQL: mt_events with data jsonb, synchronous_commit=on, fsync=on

func importPostgreSQL(events: [InputEvent], conninfo: String, batch: Int) throws {
    let pg = try PostgreSQL(conninfo)
    try pg.execute("""
        CREATE TABLE mt_events(seq_id bigserial PRIMARY KEY, id text NOT NULL UNIQUE, stream_id text NOT NULL, version integer NOT NULL,
            data jsonb NOT NULL, type varchar(500) NOT NULL, timestamp timestamptz NOT NULL, UNIQUE(stream_id, version));
        """)
    let settings = try pg.query("SELECT current_setting('synchronous_commit'), current_setting('fsync'), current_setting('wal_sync_method')") {
        "synchronous_commit=\($0.string(0, 0)) fsync=\($0.string(0, 1)) wal_sync_method=\($0.string(0, 2))"
    }
    try pg.prepare("append", "INSERT INTO mt_events(id, stream_id, version, data, type, timestamp) VALUES($1, $2, $3, $4, $5, $6)", parameters: 6)
    let time = try timed {
        for slice in batches(events, size: batch) {
            try pg.execute("BEGIN")
            for event in slice {
                try pg.run("append", [event.id, event.stream, String(event.version), event.text, event.type, event.timestamp])
            }
            try pg.execute("COMMIT")
        }
    }
    let bytes = try pg.query("SELECT pg_total_relation_size('mt_events'), pg_relation_size('mt_events'), pg_indexes_size('mt_events')") {
        (Int($0.string(0, 0)) ?? 0, Int($0.string(0, 1)) ?? 0, Int($0.string(0, 2)) ?? 0)
    }
    emit([("events", events.count), ("seconds", time.seconds), ("cpu", time.cpuSeconds), ("bytes", bytes.0),
          ("heapBytes", bytes.1), ("indexBytes", bytes.2), ("settings", settings)])
}

// MARK: The baselines' projection rebuild

/// Every event in order, decoded with the domain's own decoder and folded per stream with the
/// domain's `evolve`; every 20,000 events (our rebuild's commit interval) the changed zaken and
/// their doorverwijzingen are upserted and committed. It writes two tables (a subset of our
/// read models' columns) where ours writes four, and keeps every zaak's state in memory where
/// ours keeps at most 50,000: both favour the baseline.
private struct Fold {
    var zaken: [String: Zaak] = [:]
    var changed: Set<String> = []
    var applied = 0

    mutating func apply(_ line: UnsafeRawBufferPointer) throws {
        let event = try ZaakGebeurtenis(logregel: line, sleutels: ZonderSleutels())
        let key = event.zaak.description
        zaken[key] = try evolve(zaken[key], event)
        changed.insert(key)
        applied += 1
    }

    static func zaakRow(_ zaak: Zaak) -> [String?] {
        let status: String, resultaat: String?
        switch zaak.status {
        case .open: (status, resultaat) = ("open", nil)
        case .gesloten(let result): (status, resultaat) = ("gesloten", result.rawValue)
        case .gekoppeld: (status, resultaat) = ("gekoppeld", nil)
        }
        return [zaak.nummer.description, zaak.inwoner.ref, zaak.onderwerp, zaak.opening.omschrijving, zaak.opening.kanaal.rawValue,
                zaak.opening.afdeling, status, resultaat, String(zaak.versie), zaak.geopendOp.description, zaak.afgeslotenOp?.description]
    }

    static func handoffRows(_ zaak: Zaak) -> [[String?]] {
        zaak.overdrachten.map {
            [zaak.nummer.description, $0.id, $0.afdeling, $0.soort.rawValue, $0.isTerugbelverzoek ? "1" : "0", $0.gevraagdeHandeling,
             $0.aangemaaktOp.description, $0.uiterlijkOp.description, $0.isOpen ? "te_verwerken" : "afgehandeld"]
        }
    }
}

private let projectionTables = """
    CREATE TABLE zaken(nummer TEXT PRIMARY KEY, inwoner TEXT NOT NULL, onderwerp TEXT NOT NULL, omschrijving TEXT NOT NULL,
        kanaal TEXT NOT NULL, afdeling TEXT NOT NULL, status TEXT NOT NULL, resultaat TEXT, versie INTEGER NOT NULL,
        geopend_op TEXT NOT NULL, afgesloten_op TEXT);
    CREATE TABLE doorverwijzingen(zaak TEXT NOT NULL, id TEXT NOT NULL, afdeling TEXT NOT NULL, soort TEXT NOT NULL,
        terugbelverzoek INTEGER NOT NULL, gevraagde_handeling TEXT NOT NULL, aangemaakt_op TEXT NOT NULL, uiterlijk_op TEXT NOT NULL,
        status TEXT NOT NULL, PRIMARY KEY(zaak, id));
    CREATE INDEX doorverwijzingen_per_afdeling ON doorverwijzingen(afdeling, status, uiterlijk_op);
    """
private let chunk = 20_000

func rebuildSQLite(path: String) throws {
    let reader = try Database(path: path, readOnly: true)
    let writer = try Database(path: path)
    try writer.execute("PRAGMA synchronous=NORMAL; DROP TABLE IF EXISTS zaken; DROP TABLE IF EXISTS doorverwijzingen;" + projectionTables)
    let upsertZaak = try writer.prepare("INSERT OR REPLACE INTO zaken VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    let upsertHandoff = try writer.prepare("INSERT OR REPLACE INTO doorverwijzingen VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")
    func write(_ fold: inout Fold) throws {
        try writer.transaction {
            for key in fold.changed {
                let zaak = fold.zaken[key]!
                try upsertZaak.run { statement in for (index, value) in Fold.zaakRow(zaak).enumerated() { try statement.bind(Int32(index + 1), value) } }
                for row in Fold.handoffRows(zaak) {
                    try upsertHandoff.run { statement in for (index, value) in row.enumerated() { try statement.bind(Int32(index + 1), value) } }
                }
            }
        }
        fold.changed.removeAll(keepingCapacity: true)
    }
    var fold = Fold()
    let time = try timed {
        let all = try reader.prepare("SELECT data FROM events ORDER BY seq_id")
        while try all.step() {
            var text = all.string(0)
            try text.withUTF8 { try fold.apply(UnsafeRawBufferPointer($0)) }
            if fold.applied % chunk == 0 { try write(&fold) }
        }
        try write(&fold)
    }
    emit([("events", fold.applied), ("seconds", time.seconds), ("cpu", time.cpuSeconds), ("zaken", fold.zaken.count)])
}

func rebuildPostgreSQL(conninfo: String) throws {
    let reader = try PostgreSQL(conninfo), writer = try PostgreSQL(conninfo)
    try writer.execute(projectionTables.replacingOccurrences(of: "terugbelverzoek INTEGER", with: "terugbelverzoek integer"))
    try writer.prepare("zaak", """
        INSERT INTO zaken VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT(nummer) DO UPDATE SET
        status = EXCLUDED.status, resultaat = EXCLUDED.resultaat, versie = EXCLUDED.versie, afgesloten_op = EXCLUDED.afgesloten_op
        """, parameters: 11)
    try writer.prepare("handoff", """
        INSERT INTO doorverwijzingen VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(zaak, id) DO UPDATE SET status = EXCLUDED.status
        """, parameters: 9)
    func write(_ fold: inout Fold) throws {
        try writer.execute("BEGIN")
        for key in fold.changed {
            let zaak = fold.zaken[key]!
            try writer.run("zaak", Fold.zaakRow(zaak))
            for row in Fold.handoffRows(zaak) { try writer.run("handoff", row) }
        }
        try writer.execute("COMMIT")
        fold.changed.removeAll(keepingCapacity: true)
    }
    var fold = Fold()
    let time = try timed {
        try reader.execute("BEGIN; DECLARE alles NO SCROLL CURSOR FOR SELECT data::text FROM mt_events ORDER BY seq_id")
        while try reader.query("FETCH \(chunk) FROM alles", { rows in
            for row in 0..<rows.count { try fold.apply(rows.bytes(row, 0)) }
            return rows.count > 0
        }) {
            try write(&fold)
        }
        try reader.execute("COMMIT")
    }
    emit([("events", fold.applied), ("seconds", time.seconds), ("cpu", time.cpuSeconds), ("zaken", fold.zaken.count)])
}

// MARK: In-process latencies of the baselines

private let queueSQL = """
    SELECT d.zaak, d.id, d.afdeling, d.soort, d.terugbelverzoek, d.gevraagde_handeling, d.aangemaakt_op, d.uiterlijk_op,
           z.onderwerp, z.omschrijving, z.inwoner
    FROM doorverwijzingen d JOIN zaken z ON z.nummer = d.zaak
    WHERE d.afdeling = ? AND d.status = 'te_verwerken'
    ORDER BY d.uiterlijk_op, d.aangemaakt_op, d.zaak, d.id
    """

func latencySQLite(path: String, stream: String, afdeling: String, runs: Int) throws {
    let database = try Database(path: path, readOnly: true)
    let events = try database.prepare("SELECT data FROM events WHERE stream_id = ? ORDER BY version")
    let queue = try database.prepare(queueSQL)
    var versions = 0, rows = 0
    let fold = try latency(runs: runs) { _ in
        try events.bind(1, stream)
        var zaak: Zaak?
        while try events.step() {
            var text = events.string(0)
            zaak = try text.withUTF8 { try evolve(zaak, ZaakGebeurtenis(logregel: UnsafeRawBufferPointer($0), sleutels: ZonderSleutels())) }
        }
        events.reset()
        versions = zaak?.versie ?? 0
    }
    let list = try latency(runs: runs) { _ in
        try queue.bind(1, afdeling)
        var result: [[String]] = []
        while try queue.step() { result.append((0..<11).map { queue.string($0) }) }
        queue.reset()
        rows = result.count
    }
    emit([("foldMedian", fold.median), ("foldP99", fold.p99), ("versions", versions),
          ("queueMedian", list.median), ("queueP99", list.p99), ("queueRows", rows)])
}

func latencyPostgreSQL(conninfo: String, stream: String, afdeling: String, runs: Int) throws {
    let pg = try PostgreSQL(conninfo)
    try pg.prepare("events", "SELECT data::text FROM mt_events WHERE stream_id = $1 ORDER BY version", parameters: 1)
    try pg.prepare("queue", queueSQL.replacingOccurrences(of: "= ?", with: "= $1"), parameters: 1)
    var versions = 0, rows = 0
    let fold = try latency(runs: runs) { _ in
        versions = try pg.run("events", [stream]) { result in
            var zaak: Zaak?
            for row in 0..<result.count { zaak = try evolve(zaak, ZaakGebeurtenis(logregel: result.bytes(row, 0), sleutels: ZonderSleutels())) }
            return zaak?.versie ?? 0
        }
    }
    let list = try latency(runs: runs) { _ in
        rows = try pg.run("queue", [afdeling]) { result in
            (0..<result.count).map { row in (0..<11).map { result.string(row, $0) } }.count
        }
    }
    emit([("foldMedian", fold.median), ("foldP99", fold.p99), ("versions", versions),
          ("queueMedian", list.median), ("queueP99", list.p99), ("queueRows", rows)])
}
