import SQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The OCEL 2.0 JSON form (ocel-standard.org/specification/formats/json), translated from a
/// complete SQLite form row by row, so that neither is ever held in memory: `eventTypes`,
/// `objectTypes`, `events` in log order, `objects`, and `zaaklog` with the export's description.
public enum OCELJSONVorm {
    public static func schrijf(uit vorm: OCELSQLiteVorm, naar path: String, beschrijving: String) throws {
        let database = vorm.database
        var out = try BufferedFile(path: path)
        func types(_ list: [OCELType]) {
            out.write(list.map { type in
                "{\"name\":\(json(type.naam)),\"attributes\":["
                    + type.attributen.map { "{\"name\":\(json($0.naam)),\"type\":\"\($0.soort.rawValue)\"}" }.joined(separator: ",") + "]}"
            }.joined(separator: ","))
        }
        out.write("{\"eventTypes\":[")
        types(OCELTypen.gebeurtenissen)
        out.write("],\"objectTypes\":[")
        types(OCELTypen.objecten)
        out.write("],\"events\":[")

        let relations = try database.prepare("SELECT ocel_object_id, ocel_qualifier FROM event_object WHERE ocel_event_id = ?")
        var eventRows: [String: (OCELType, Statement)] = [:]
        for type in OCELTypen.gebeurtenissen {
            eventRows[type.naam] = (type, try database.prepare("SELECT * FROM \(quoted("event_" + type.tabelnaam)) WHERE ocel_id = ?"))
        }
        let events = try database.prepare("SELECT ocel_id, ocel_type FROM event ORDER BY rowid")
        var first = true
        while try events.step() {
            let id = events.string(0), (type, row) = eventRows[events.string(1)]!
            try row.bind(1, id)
            guard try row.step() else { preconditionFailure("event \(id) without its row") }
            var attributes: [String] = []
            for (offset, attribute) in type.attributen.enumerated() {
                if let value = value(row, Int32(offset + 2), attribute.soort) { attributes.append("{\"name\":\(json(attribute.naam)),\"value\":\(value)}") }
            }
            out.write((first ? "" : ",") + "\n{\"id\":\(json(id)),\"type\":\(json(type.naam)),\"time\":\(json(row.string(1))),\"attributes\":[\(attributes.joined(separator: ","))],\"relationships\":[")
            row.reset()
            out.write(try pairs(relations, id, "objectId"))
            out.write("]}")
            first = false
        }
        out.write("],\"objects\":[")

        let links = try database.prepare("SELECT ocel_target_id, ocel_qualifier FROM object_object WHERE ocel_source_id = ?")
        var objectRows: [String: (OCELType, Statement)] = [:]
        for type in OCELTypen.objecten {
            objectRows[type.naam] = (type, try database.prepare("SELECT * FROM \(quoted("object_" + type.tabelnaam)) WHERE ocel_id = ? ORDER BY rowid"))
        }
        let objects = try database.prepare("SELECT ocel_id, ocel_type FROM object ORDER BY rowid")
        first = true
        while try objects.step() {
            let id = objects.string(0), (type, rows) = objectRows[objects.string(1)]!
            var attributes: [String] = []
            try rows.bind(1, id)
            while try rows.step() {
                let time = rows.string(1), changed = rows.optionalString(2)
                for (offset, attribute) in type.attributen.enumerated() where changed == nil || changed == attribute.naam {
                    guard let value = value(rows, Int32(offset + 3), attribute.soort) else { continue }
                    attributes.append("{\"name\":\(json(attribute.naam)),\"time\":\(json(time)),\"value\":\(value)}")
                }
            }
            rows.reset()
            out.write((first ? "" : ",") + "\n{\"id\":\(json(id)),\"type\":\(json(type.naam)),\"attributes\":[\(attributes.joined(separator: ","))],\"relationships\":[")
            out.write(try pairs(links, id, "objectId"))
            out.write("]}")
            first = false
        }
        out.write("],\n\"zaaklog\":" + beschrijving + "}\n")
        try out.close()
    }

    /// The `{objectId, qualifier}` list of `id` from a two-column query.
    private static func pairs(_ query: Statement, _ id: String, _ key: String) throws -> String {
        defer { query.reset() }
        try query.bind(1, id)
        var items: [String] = []
        while try query.step() { items.append("{\"\(key)\":\(json(query.string(0))),\"qualifier\":\(json(query.string(1)))}") }
        return items.joined(separator: ",")
    }

    /// A column as a JSON value of its OCEL type; nil for NULL.
    private static func value(_ row: Statement, _ column: Int32, _ soort: OCELAttribuutsoort) -> String? {
        if row.isNull(column) { return nil }
        switch soort {
        case .integer: return String(row.int64(column))
        case .float: return String(row.double(column))
        case .boolean: return row.int64(column) != 0 ? "true" : "false"
        case .string, .time: return json(row.string(column))
        }
    }
}

/// A JSON string literal.
func json(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}

/// Appends to a new file through a 1 MiB buffer; `close` flushes and fsyncs.
struct BufferedFile {
    private let fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var failure: Int32 = 0

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        self.path = path
        guard fd >= 0 else { throw OCELFout.schrijven(path, String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    private mutating func flush() {
        var offset = 0
        while offset < buffer.count, failure == 0 {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 { if errno != EINTR { failure = errno } } else { offset += written }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        flush()
        if failure == 0, fsync(fd) != 0 { failure = errno }
        Glibc.close(fd)
        if failure != 0 { throw OCELFout.schrijven(path, String(cString: strerror(failure))) }
    }
}

public enum OCELFout: Error, Sendable {
    case schrijven(String, String)
}
