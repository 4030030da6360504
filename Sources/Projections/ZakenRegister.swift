import Domain
import EventLog
import SQLite

/// The register of zaken: which zaken exist, whose they are, on which onderwerp, open or not. The
/// agent commands need it to find an inwoner's open zaak on an onderwerp (on any kanaal) and to
/// number new zaken. A projection of the log: its checkpoint is committed with its rows, and it can
/// be deleted at any time and rebuilt.
public final class ZakenRegister {
    let database: Database

    /// Named, append-only: a migration once released is never edited, only followed by another.
    static let migraties: [(naam: String, sql: String)] = [
        ("0001-zaken", """
            CREATE TABLE zaken(
                nummer TEXT PRIMARY KEY, jaar INTEGER NOT NULL, volgnummer INTEGER NOT NULL,
                inwoner TEXT NOT NULL, onderwerp TEXT NOT NULL, kanaal TEXT NOT NULL, afdeling TEXT NOT NULL,
                status TEXT NOT NULL, versie INTEGER NOT NULL, laatste_positie INTEGER NOT NULL, geopend_op TEXT NOT NULL);
            CREATE INDEX zaken_per_inwoner ON zaken(inwoner, onderwerp, status);
            CREATE UNIQUE INDEX zaken_per_jaar ON zaken(jaar, volgnummer);
            CREATE TABLE checkpoint(projectie TEXT PRIMARY KEY, positie INTEGER NOT NULL, id TEXT NOT NULL);
            """),
    ]

    static let naam = "zakenregister"

    public init(path: String) throws {
        database = try Database(path: path)
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        try database.transaction {
            try database.execute("CREATE TABLE IF NOT EXISTS migraties(naam TEXT PRIMARY KEY)")
            let applied = try database.prepare("SELECT 1 FROM migraties WHERE naam = ?")
            let record = try database.prepare("INSERT INTO migraties VALUES(?)")
            for migration in Self.migraties {
                try applied.bind(1, migration.naam)
                let done = try applied.step()
                applied.reset()
                guard !done else { continue }
                try database.execute(migration.sql)
                try record.run { try $0.bind(1, migration.naam) }
            }
        }
    }

    /// What a catch-up did.
    public struct Bijwerking: Sendable {
        public var toegepast = 0
        /// Lines that are not domain events (raw `zaak log toevoegen` data): skipped, not fatal.
        public var overgeslagen = 0
        public var herbouwd = false
    }

    /// Applies the log's events after the checkpoint, in one transaction with the new checkpoint.
    /// If the line at the checkpoint is no longer the one applied (a log restored from backup, or
    /// an unsynced tail lost in a power cut), the register is rebuilt from the start.
    @discardableResult
    public func bijwerken(uit log: EventLog) throws -> Bijwerking {
        try database.transaction {
            var result = Bijwerking()
            var (position, id) = try checkpoint()
            if position > 0 {
                var lineThere: String?
                try log.read(from: position) { entry in
                    lineThere = entry.position == position ? entry.id : nil
                    return false
                }
                if lineThere != id {
                    try database.execute("DELETE FROM zaken")
                    (position, id) = (0, "")
                    result.herbouwd = true
                }
            }
            let apply = try Applier(database)
            try log.read(from: position + 1) { entry in
                position = entry.position
                id = entry.id
                guard let event = try? ZaakGebeurtenis(logregel: entry.line) else {
                    result.overgeslagen += 1
                    return true
                }
                try apply(event, position: entry.position)
                result.toegepast += 1
                return true
            }
            try database.prepare("INSERT OR REPLACE INTO checkpoint VALUES(?, ?, ?)").run {
                try $0.bind(1, Self.naam)
                try $0.bind(2, position)
                try $0.bind(3, id)
            }
            return result
        }
    }

    func checkpoint() throws -> (Int64, String) {
        let statement = try database.prepare("SELECT positie, id FROM checkpoint WHERE projectie = ?")
        try statement.bind(1, Self.naam)
        return try statement.step() ? (statement.int64(0), statement.string(1)) : (0, "")
    }

    /// The last log position the register reflects.
    public var positie: Int64 { get throws { try checkpoint().0 } }

    /// The inwoner's open zaak on this onderwerp (the most recent, should there be several).
    public func openZaak(inwoner: String, onderwerp: String) throws -> Zaaknummer? {
        let statement = try database.prepare("""
            SELECT nummer FROM zaken
            WHERE inwoner = ? AND onderwerp = ? AND status = 'open' ORDER BY geopend_op DESC, nummer DESC LIMIT 1
            """)
        try statement.bind(1, inwoner)
        try statement.bind(2, onderwerp)
        return try statement.step() ? Zaaknummer(statement.string(0)) : nil
    }

    /// The highest volgnummer used in `jaar` (0 when none).
    public func hoogsteVolgnummer(jaar: Int) throws -> Int {
        let statement = try database.prepare("SELECT max(volgnummer) FROM zaken WHERE jaar = ?")
        try statement.bind(1, Int64(jaar))
        return try statement.step() ? Int(statement.int64(0)) : 0
    }

    /// Applies one event's effect on the register's rows.
    private struct Applier {
        let insert: Statement
        let update: Statement

        init(_ database: Database) throws {
            insert = try database.prepare("INSERT OR REPLACE INTO zaken VALUES(?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)")
            update = try database.prepare("UPDATE zaken SET versie = ?, laatste_positie = ?, status = coalesce(?, status) WHERE nummer = ?")
        }

        func callAsFunction(_ event: ZaakGebeurtenis, position: Int64) throws {
            if case let .zaakGeopend(opening) = event.gebeurtenis {
                try insert.run {
                    try $0.bind(1, event.zaak.description)
                    try $0.bind(2, Int64(event.zaak.jaar))
                    try $0.bind(3, Int64(event.zaak.volgnummer))
                    try $0.bind(4, opening.inwoner.ref)
                    try $0.bind(5, opening.onderwerp)
                    try $0.bind(6, opening.kanaal.rawValue)
                    try $0.bind(7, opening.afdeling)
                    try $0.bind(8, Int64(event.versie))
                    try $0.bind(9, position)
                    try $0.bind(10, event.plaatsgevondenOp.description)
                }
                return
            }
            let status: String?
            switch event.gebeurtenis {
            case .zaakAfgesloten: status = "gesloten"
            case .zaakHeropend: status = "open"
            case let .zakenGekoppeld(link) where link.gekoppeldeZaak == event.zaak: status = "gekoppeld"
            default: status = nil
            }
            try update.run {
                try $0.bind(1, Int64(event.versie))
                try $0.bind(2, position)
                if let status { try $0.bind(3, status) }
                try $0.bind(4, event.zaak.description)
            }
        }
    }
}
