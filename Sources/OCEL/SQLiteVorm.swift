import Domain
import SQLite

/// The OCEL 2.0 SQLite form (ocel-standard.org/specification/formats/sqlite), written as the
/// mapping goes: the type-independent tables, one table per event type and per object type, and
/// the table `zaaklog_export` with the export's description. The file is filled without a journal
/// (it is renamed into place only once complete), in one transaction.
public final class OCELSQLiteVorm: OCELOntvanger {
    let database: Database
    private var eventTypes: [String: (type: OCELType, insert: Statement)] = [:]
    private var objectTypes: [String: (type: OCELType, insert: Statement)] = [:]
    private let insertEvent, insertObject, insertEventObject, insertObjectObject: Statement

    /// The time OCEL gives an object's attribute values from the start.
    static let beginwaardeTijd = "1970-01-01T00:00:00.000Z"

    public init(path: String) throws {
        database = try Database(path: path)
        try database.execute("""
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-131072;
            CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT NOT NULL);
            CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT NOT NULL);
            CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT NOT NULL REFERENCES event_map_type (ocel_type));
            CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT NOT NULL REFERENCES object_map_type (ocel_type));
            CREATE TABLE event_object (
                ocel_event_id TEXT NOT NULL REFERENCES event (ocel_id), ocel_object_id TEXT NOT NULL REFERENCES object (ocel_id),
                ocel_qualifier TEXT NOT NULL, PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier));
            CREATE TABLE object_object (
                ocel_source_id TEXT NOT NULL REFERENCES object (ocel_id), ocel_target_id TEXT NOT NULL REFERENCES object (ocel_id),
                ocel_qualifier TEXT NOT NULL, PRIMARY KEY (ocel_source_id, ocel_target_id, ocel_qualifier));
            CREATE TABLE zaaklog_export (sleutel TEXT PRIMARY KEY, waarde TEXT NOT NULL);
            BEGIN;
            """)
        insertEvent = try database.prepare("INSERT INTO event (ocel_id, ocel_type) VALUES (?, ?)")
        insertObject = try database.prepare("INSERT INTO object (ocel_id, ocel_type) VALUES (?, ?)")
        insertEventObject = try database.prepare("INSERT OR IGNORE INTO event_object VALUES (?, ?, ?)")
        insertObjectObject = try database.prepare("INSERT OR IGNORE INTO object_object VALUES (?, ?, ?)")
        for type in OCELTypen.gebeurtenissen {
            let table = quoted("event_" + type.tabelnaam)
            try database.execute("""
                INSERT INTO event_map_type VALUES (\(literal(type.naam)), \(literal(type.tabelnaam)));
                CREATE TABLE \(table) (ocel_id TEXT PRIMARY KEY REFERENCES event (ocel_id), ocel_time TIMESTAMP NOT NULL\(columns(type)));
                """)
            eventTypes[type.naam] = (type, try database.prepare("INSERT INTO \(table) VALUES (?, ?\(placeholders(type)))"))
        }
        for type in OCELTypen.objecten {
            let table = "object_" + type.tabelnaam
            try database.execute("""
                INSERT INTO object_map_type VALUES (\(literal(type.naam)), \(literal(type.tabelnaam)));
                CREATE TABLE \(quoted(table)) (ocel_id TEXT NOT NULL REFERENCES object (ocel_id), ocel_time TIMESTAMP NOT NULL,
                    ocel_changed_field TEXT\(columns(type)));
                CREATE INDEX \(quoted("ix_" + table)) ON \(quoted(table)) (ocel_id);
                """)
            objectTypes[type.naam] = (type, try database.prepare("INSERT INTO \(quoted(table)) VALUES (?, ?, ?\(placeholders(type)))"))
        }
    }

    public func object(id: String, type: String, attributen: [String: OCELWaarde]) throws {
        guard let (declared, insert) = objectTypes[type] else { preconditionFailure("undeclared object type \(type)") }
        try insertObject.run { try $0.bind(1, id); try $0.bind(2, type) }
        try insert.run { statement in
            try statement.bind(1, id)
            try statement.bind(2, Self.beginwaardeTijd)
            for (offset, attribute) in declared.attributen.enumerated() {
                try bind(attributen[attribute.naam], to: statement, at: Int32(offset + 4))
            }
        }
    }

    public func wijziging(id: String, type: String, veld: String, waarde: OCELWaarde, op tijd: String) throws {
        guard let (declared, insert) = objectTypes[type], let column = declared.attributen.firstIndex(where: { $0.naam == veld }) else {
            preconditionFailure("undeclared attribute \(type).\(veld)")
        }
        try insert.run { statement in
            try statement.bind(1, id)
            try statement.bind(2, tijd)
            try statement.bind(3, veld)
            try bind(waarde, to: statement, at: Int32(column + 4))
        }
    }

    public func relatie(van: String, naar: String, kwalificatie: String) throws {
        try insertObjectObject.run { try $0.bind(1, van); try $0.bind(2, naar); try $0.bind(3, kwalificatie) }
    }

    public func gebeurtenis(_ gebeurtenis: OCELGebeurtenis) throws {
        guard let (declared, insert) = eventTypes[gebeurtenis.type] else { preconditionFailure("undeclared event type \(gebeurtenis.type)") }
        try insertEvent.run { try $0.bind(1, gebeurtenis.id); try $0.bind(2, gebeurtenis.type) }
        try insert.run { statement in
            try statement.bind(1, gebeurtenis.id)
            try statement.bind(2, gebeurtenis.tijd)
            for (offset, attribute) in declared.attributen.enumerated() {
                try bind(gebeurtenis.attributen[attribute.naam], to: statement, at: Int32(offset + 3))
            }
        }
        for relation in gebeurtenis.relaties {
            try insertEventObject.run { try $0.bind(1, gebeurtenis.id); try $0.bind(2, relation.objectId); try $0.bind(3, relation.kwalificatie) }
        }
    }

    /// Records the export's description and completes the file on disk.
    public func sluit(beschrijving: String) throws {
        try database.prepare("INSERT INTO zaaklog_export VALUES ('beschrijving', ?)").run { try $0.bind(1, beschrijving) }
        try database.execute("COMMIT")
        try database.syncToDisk()
    }

    private func bind(_ value: OCELWaarde?, to statement: Statement, at index: Int32) throws {
        switch value {
        case nil: try statement.bind(index, nil as String?)
        case let .tekst(text): try statement.bind(index, text)
        case let .geheel(number): try statement.bind(index, number)
        case let .waarheid(flag): try statement.bind(index, flag ? 1 : 0)
        case let .tijd(time): try statement.bind(index, time.description)
        }
    }

    private func columns(_ type: OCELType) -> String {
        type.attributen.map { ", \(quoted($0.naam)) \($0.soort.sqliteType)" }.joined()
    }

    private func placeholders(_ type: OCELType) -> String {
        String(repeating: ", ?", count: type.attributen.count)
    }
}

func quoted(_ identifier: String) -> String { "\"" + doubling("\"", in: identifier) + "\"" }

private func literal(_ text: String) -> String { "'" + doubling("'", in: text) + "'" }

private func doubling(_ quote: Character, in text: String) -> String {
    text.split(separator: quote, omittingEmptySubsequences: false).joined(separator: String(repeating: quote, count: 2))
}
