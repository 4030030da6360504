import Domain
import EventLog
import SQLite

/// The read models (BRIEF §5): zaken with their state and closure verdict, contacts, doorverwijzingen
/// per afdeling and closings, in one SQLite file (`<data>/projecties.sqlite`). All of it is derived
/// from the log: it can be deleted at any time and rebuilt. The checkpoint (last position applied,
/// and that line's id) is committed in the same transaction as the rows, so a crash never applies an
/// event twice or skips one. Only this type writes; readers use `Leesmodel`.
public final class Projecties {
    let database: Database
    public let pad: String
    /// The zaken's keys: the read models hold decrypted members, and forget them on erasure.
    public let sleutels: LogSleutels

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
        // The zakenregister grows into the backoffice's read models. Its rows lack the new columns,
        // so the checkpoint is dropped and everything is projected again.
        ("0002-leesmodellen", """
            ALTER TABLE zaken ADD COLUMN omschrijving TEXT NOT NULL DEFAULT '';
            ALTER TABLE zaken ADD COLUMN geopend_dag TEXT NOT NULL DEFAULT '';
            ALTER TABLE zaken ADD COLUMN uiterlijk_afgehandeld_op TEXT NOT NULL DEFAULT '';
            ALTER TABLE zaken ADD COLUMN resultaat TEXT;
            ALTER TABLE zaken ADD COLUMN afgesloten_op TEXT;
            ALTER TABLE zaken ADD COLUMN heropen_tot TEXT;
            ALTER TABLE zaken ADD COLUMN hoofdzaak TEXT;
            ALTER TABLE zaken ADD COLUMN eerste_uitkomst TEXT NOT NULL DEFAULT 'anders';
            ALTER TABLE zaken ADD COLUMN contacten INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE zaken ADD COLUMN heropend INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE zaken ADD COLUMN niet_echt_opgelost INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE zaken ADD COLUMN bevindingen TEXT NOT NULL DEFAULT '';
            ALTER TABLE zaken ADD COLUMN volgende_stap TEXT NOT NULL DEFAULT '';
            CREATE INDEX zaken_per_dag ON zaken(geopend_dag);
            CREATE INDEX zaken_per_status ON zaken(status, heropen_tot);
            CREATE TABLE contacten(
                positie INTEGER PRIMARY KEY, zaak TEXT NOT NULL, versie INTEGER NOT NULL, type TEXT NOT NULL,
                kanaal TEXT NOT NULL, richting TEXT NOT NULL, plaatsgevonden_op TEXT NOT NULL, dag TEXT NOT NULL,
                uitkomst TEXT, wachttijd_seconden INTEGER, duur_seconden INTEGER,
                vraag INTEGER NOT NULL, beantwoord_op TEXT, antwoord_seconden INTEGER);
            CREATE INDEX contacten_per_zaak ON contacten(zaak);
            CREATE INDEX contacten_per_dag ON contacten(dag, kanaal);
            CREATE TABLE doorverwijzingen(
                zaak TEXT NOT NULL, id TEXT NOT NULL, afdeling TEXT NOT NULL, soort TEXT NOT NULL,
                terugbelverzoek INTEGER NOT NULL, gevraagde_handeling TEXT NOT NULL, aangemaakt_op TEXT NOT NULL,
                uiterlijk_op TEXT NOT NULL, status TEXT NOT NULL, uitkomst TEXT, teruggekoppeld_op TEXT,
                te_laat_werkdagen INTEGER, PRIMARY KEY(zaak, id));
            CREATE INDEX doorverwijzingen_per_afdeling ON doorverwijzingen(afdeling, status, uiterlijk_op);
            CREATE INDEX doorverwijzingen_per_termijn ON doorverwijzingen(status, uiterlijk_op);
            CREATE TABLE afsluitingen(
                zaak TEXT NOT NULL, volgnummer INTEGER NOT NULL, afgesloten_op TEXT NOT NULL, dag TEXT NOT NULL,
                resultaat TEXT NOT NULL, direct INTEGER NOT NULL, doorlooptijd_seconden INTEGER NOT NULL,
                afwijking_regels TEXT, afwijking_reden TEXT, heropend_op TEXT, heropen_aanleiding TEXT, heropen_reden TEXT,
                PRIMARY KEY(zaak, volgnummer));
            CREATE INDEX afsluitingen_per_dag ON afsluitingen(dag);
            CREATE TABLE meta(sleutel TEXT PRIMARY KEY, waarde TEXT NOT NULL);
            DELETE FROM zaken;
            DELETE FROM checkpoint;
            """),
        // Rows computed by new definitions (issue 15): a handoff answered on a day after its deadline is
        // late even with no werkdag in between; the first contact's outcome comes from the call's
        // uitkomst, not from equal clocks; a niet-bereikt call does not answer a question. And the
        // next step's text lost its command syntax, its steps stored as data. Everything is projected again.
        ("0003-definities-kpi", """
            ALTER TABLE zaken ADD COLUMN volgende_acties TEXT NOT NULL DEFAULT '';
            DELETE FROM zaken;
            DELETE FROM contacten;
            DELETE FROM doorverwijzingen;
            DELETE FROM afsluitingen;
            DELETE FROM checkpoint;
            """),
        // The VNG archive fields (issue 18): archiefnominatie from the opening, archiefactiedatum
        // from the last closing while the zaak is closed, archiefstatus. Everything is projected again.
        ("0004-archief", """
            ALTER TABLE zaken ADD COLUMN archiefnominatie TEXT NOT NULL DEFAULT '';
            ALTER TABLE zaken ADD COLUMN archiefactiedatum TEXT;
            ALTER TABLE zaken ADD COLUMN archiefstatus TEXT NOT NULL DEFAULT 'nog_te_archiveren';
            CREATE INDEX zaken_per_archiefactie ON zaken(archiefnominatie, archiefstatus, archiefactiedatum);
            DELETE FROM zaken;
            DELETE FROM contacten;
            DELETE FROM doorverwijzingen;
            DELETE FROM afsluitingen;
            DELETE FROM checkpoint;
            """),
    ]

    /// The tables whose content is the projections' (and their fingerprint), in a fixed order.
    static let tabellen: [(naam: String, sleutel: String)] = [
        ("zaken", "nummer"), ("contacten", "positie"), ("doorverwijzingen", "zaak, id"), ("afsluitingen", "zaak, volgnummer"),
    ]

    static let naam = "leesmodellen"

    public init(path: String, sleutels: LogSleutels) throws {
        pad = path
        self.sleutels = sleutels
        database = try Database(path: path)
        // WAL with NORMAL sync: a power cut may lose the last commits, but rows and checkpoint
        // together, so the next catch-up redoes exactly those events.
        try database.enableWAL()
        // Rows an erasure rewrites are overwritten in the file, not left in free space (docs/avg.md).
        try database.execute("PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;")
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
        try legeWALNaWissen()
    }

    /// Ends an erasure's work: the WALs of these read models and of the key store still hold the
    /// pages as they were before, until a truncating checkpoint empties them. The mark, committed with those rows,
    /// lets the next open finish it after a crash.
    private func legeWALNaWissen() throws {
        let mark = try database.prepare("SELECT 1 FROM meta WHERE sleutel = 'wal-legen'")
        guard try mark.step() else { return }
        mark.reset()
        try sleutels.keys.emptyWAL()
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try database.execute("DELETE FROM meta WHERE sleutel = 'wal-legen'")
    }

    /// Commits the open transaction; after an erasure, with the mark that `legeWALNaWissen` clears.
    private func commit(_ toepasser: Toepasser) throws {
        if toepasser.wisteGegevens { try database.execute("INSERT OR REPLACE INTO meta VALUES('wal-legen', '1')") }
        try database.execute("COMMIT")
        if toepasser.wisteGegevens { try legeWALNaWissen() }
    }

    /// Reads on this connection (the CLI reads right after catching up).
    public var lezer: Leesmodel { Leesmodel(database: database) }

    /// What a catch-up did.
    public struct Bijwerking: Sendable {
        public var toegepast = 0
        /// Lines that are not (valid) domain events, such as raw `zaak log toevoegen` data: skipped,
        /// the same way on every rebuild.
        public var overgeslagen = 0
        /// The checkpoint's line was no longer in the log (a restored backup, a lost unsynced
        /// tail): everything was projected again from the start.
        public var herbouwd = false
        public var positie: Int64 = 0
    }

    /// A zaak's state as a command saw it, so the catch-up need not read that zaak from the log:
    /// `zaak` holds every event of the zaak before position `voor` (the command appended with a
    /// condition, so nothing came in between).
    public struct Voorkennis: Sendable {
        public let zaak: Zaak
        public let voor: Int64

        public init(zaak: Zaak, voor: Int64) {
            self.zaak = zaak
            self.voor = voor
        }
    }

    /// Applies the log's events after the checkpoint, committing every `batch` events with the
    /// checkpoint. With `tot`, stops before the first event the log recorded after that moment
    /// (a point-in-time replay). Memory stays bounded: rows are streamed, and at most `cache` zaak
    /// states are kept (others are read back from the log).
    @discardableResult
    public func bijwerken(uit log: LogReader, voorkennis: [Voorkennis] = [], tot: Tijdstip? = nil, batch: Int = 20_000,
                          cache: Int = 50_000, voortgang: ((Int64) -> Void)? = nil) throws -> Bijwerking {
        var result = Bijwerking()
        let settings = Ronde(log: log, voorkennis: voorkennis, tot: tot, batch: batch, cache: cache, voortgang: voortgang)
        // Another process may commit between our batches; then this pass stops and the next one
        // continues from that process's checkpoint.
        while try ronde(settings, &result) == .onderbroken {}
        return result
    }

    private struct Ronde {
        let log: LogReader, voorkennis: [Voorkennis], tot: Tijdstip?, batch: Int, cache: Int, voortgang: ((Int64) -> Void)?
    }

    enum Afloop { case klaar, onderbroken }

    private func ronde(_ settings: Ronde, _ result: inout Bijwerking) throws -> Afloop {
        let log = settings.log, tot = settings.tot, batch = settings.batch
        // Nothing new (the usual case before a read or after another process caught up): no write
        // transaction, no checkpoint rewritten, no reader thread.
        let (seen, seenId) = try checkpoint()
        let end = try log.lastPosition()
        if end == seen, try seen == 0 || log.entryId(at: seen) == seenId {
            result.positie = seen
            return .klaar
        }
        try database.execute("BEGIN IMMEDIATE")
        do {
            var (position, id) = try checkpoint()
            if position > 0, try log.entryId(at: position) != id {
                try wis()
                (position, id) = (0, "")
                result.herbouwd = true
            }
            let toepasser = try Toepasser(database: database, log: log, sleutels: sleutels, voorkennis: settings.voorkennis, capaciteit: settings.cache)
            var afloop = Afloop.klaar
            var pending = 0
            // A few lines (a command's own) are decoded inline; a thread pays off for a rebuild.
            try ReadAhead.read(log, sleutels: sleutels, from: position + 1, until: tot, onThread: end - position > 256) { entry, event in
                if try toepasser.pasToe(entry, event) { result.toegepast += 1 } else { result.overgeslagen += 1 }
                (position, id) = (entry.position, entry.id)
                pending += 1
                guard pending >= batch else { return true }
                try toepasser.flush()
                try schrijfCheckpoint(position, id)
                try commit(toepasser)
                settings.voortgang?(position)
                pending = 0
                try database.execute("BEGIN IMMEDIATE")
                guard try checkpoint() == (position, id) else {
                    afloop = .onderbroken
                    return false
                }
                return true
            }
            if afloop == .klaar {
                try toepasser.flush()
                try schrijfCheckpoint(position, id)
            }
            try commit(toepasser)
            result.positie = position
            return afloop
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// Fills these read models, in a new file nobody reads yet, from the log's first event (with
    /// `tot`: up to that moment) as a bulk load: no journal and no syncs while loading (a failed
    /// build is thrown away, never used), and the secondary indexes built once at the end instead of
    /// kept up to date row by row. The file is journalled again and synced to disk on return, so it
    /// can be renamed into place.
    public func bouwNieuw(uit log: LogReader, tot: Tijdstip? = nil, voortgang: ((Int64) -> Void)? = nil) throws -> Bijwerking {
        let (start, _) = try checkpoint()
        precondition(start == 0, "bouwNieuw fills a new file only")
        try database.execute("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-16384;")
        // The load's own lookups need contacten_per_zaak (answered questions); the rest can wait.
        let lookup = try database.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name <> 'contacten_per_zaak'")
        var deferred: [(name: String, sql: String)] = []
        while try lookup.step() { deferred.append((lookup.string(0), lookup.string(1))) }
        for index in deferred { try database.execute("DROP INDEX \(index.name)") }
        let result = try bijwerken(uit: log, tot: tot, batch: 100_000, voortgang: voortgang)
        try database.transaction {
            for index in deferred { try database.execute(index.sql) }
        }
        try database.enableWAL()
        try database.execute("PRAGMA synchronous=NORMAL;")
        try database.syncToDisk()
        return result
    }

    /// Projects just these entries (one zaak's, for `zaak toon --per`), without a checkpoint.
    public func projecteer(_ entries: [LogEntry], log: LogReader) throws {
        try database.transaction {
            let toepasser = try Toepasser(database: database, log: log, sleutels: sleutels, voorkennis: [])
            for entry in entries { _ = try toepasser.pasToe(entry, try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels)) }
            try toepasser.flush()
        }
    }

    /// Deletes every row and the checkpoint (in the caller's transaction).
    private func wis() throws {
        for table in Self.tabellen { try database.execute("DELETE FROM \(table.naam)") }
        try database.execute("DELETE FROM checkpoint")
    }

    func checkpoint() throws -> (Int64, String) {
        let statement = try database.prepare("SELECT positie, id FROM checkpoint WHERE projectie = ?")
        try statement.bind(1, Self.naam)
        return try statement.step() ? (statement.int64(0), statement.string(1)) : (0, "")
    }

    private func schrijfCheckpoint(_ position: Int64, _ id: String) throws {
        try database.prepare("INSERT OR REPLACE INTO checkpoint VALUES(?, ?, ?)").run {
            try $0.bind(1, Self.naam)
            try $0.bind(2, position)
            try $0.bind(3, id)
        }
    }

    /// The last log position the read models reflect.
    public var positie: Int64 { get throws { try checkpoint().0 } }

    /// Records the moment a point-in-time replay stands at; readers take it as "now".
    public func zetPeilmoment(_ moment: Tijdstip) throws {
        try database.prepare("INSERT OR REPLACE INTO meta VALUES('peilmoment', ?)").run { try $0.bind(1, moment.description) }
    }
}

extension LogReader {
    /// The id of the line at `position`, nil when the log is shorter.
    func entryId(at position: Int64) throws -> String? {
        var found: String?
        try read(from: position) { entry in
            found = entry.position == position ? entry.id : nil
            return false
        }
        return found
    }
}
