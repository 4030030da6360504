import CivilTime
import JSONReading
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// What a client hands the log: an event id (idempotency key), the zaak (stream) it belongs to, and
/// the rest of the event as a JSON object. The log adds `positie` and `vastgelegdOp` (log-format §3).
public struct LogRecord: Sendable, Equatable {
    public let id: String
    public let zaak: String
    /// A compact JSON object; its members follow the log's envelope in the line.
    public let body: [UInt8]
    /// Set by initialisers that already checked everything `EventLine.validate` checks, so that
    /// the append path does not walk the same JSON again.
    var isValidated = false

    public static func == (lhs: LogRecord, rhs: LogRecord) -> Bool {
        lhs.id == rhs.id && lhs.zaak == rhs.zaak && lhs.body == rhs.body
    }

    public init(id: String, zaak: String, body: [UInt8]) {
        self.id = id
        self.zaak = zaak
        self.body = body
    }

    public init(id: String, zaak: String, json: String) {
        self.init(id: id, zaak: zaak, body: Array(json.utf8))
    }
}

/// One decoded line: the envelope fields the log itself owns, plus the whole line's bytes.
public struct LogEntry: Sendable {
    public let position: Int64
    public let id: String
    public let zaak: String
    public let recordedAt: Int64
    /// The line without its terminating newline: exactly the Merkle leaf bytes.
    public let line: [UInt8]

    public var recordedAtText: String { Timestamp.format(millisecondsSinceEpoch: recordedAt) }
}

/// The envelope layout of log-format §3, written and read without a general JSON parser.
enum EventLine {
    static let maxKeyLength = 128
    /// Largest line the log accepts; anything bigger is almost certainly a mistake (an attachment).
    static let maxLineBytes = 1 << 20
    static let reservedNames: [[UInt8]] = ["positie", "id", "zaak", "vastgelegdOp"].map { Array($0.utf8) }

    /// A top-level member name a body may not use: one of the envelope's, or any escaped name
    /// (which could spell one of them).
    static func isForbiddenName(_ name: UnsafeRawBufferPointer) -> Bool {
        guard !name.isEmpty else { return false }
        if memchr(name.baseAddress!, Int32(UInt8(ascii: "\\")), name.count) != nil { return true }
        return reservedNames.contains { reserved in
            reserved.count == name.count && reserved.withUnsafeBytes { memcmp($0.baseAddress!, name.baseAddress!, name.count) } == 0
        }
    }

    private static let positionKey = Array(#"{"positie":"#.utf8)
    private static let idKey = Array(#","id":""#.utf8)
    private static let zaakKey = Array(#"","zaak":""#.utf8)
    private static let recordedKey = Array(#"","vastgelegdOp":""#.utf8)

    static func isValidKey<S: Sequence>(_ bytes: S) -> Bool where S.Element == UInt8 {
        var count = 0
        for byte in bytes {
            count += 1
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: ":"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return count >= 1 && count <= maxKeyLength
    }

    /// The JSON of a line (log-format §3): one object on one line, nothing around it, nesting
    /// bounded. A lone `\u` surrogate passes, as RFC 8259's grammar and tools/zaaklog-verify.py have it.
    static var jsonRules: JSONReader.Rules { JSONReader.Rules(maxDepth: 256, singleLine: true, pairsSurrogates: false) }
    /// What an append accepts: the same, and no name twice in one object, so that every reader
    /// (jq and Python keep the last of two, JSONDecoder the first) sees the same event.
    static var inputRules: JSONReader.Rules { JSONReader.Rules(maxDepth: 256, singleLine: true, pairsSurrogates: false, uniqueNames: true) }

    static func invalidJSON(_ error: JSONReaderError) -> String { "ongeldige JSON op byte \(error.offset): \(error.reason)" }

    /// Checks a record before it goes anywhere near the disk. Errors say what to fix.
    static func validate(_ record: LogRecord) throws {
        if record.isValidated { return }
        try validateEnvelope(record)
        try record.body.withUnsafeBytes { raw in
            let members: [JSONReader.Member]
            do throws(JSONReaderError) {
                members = try JSONReader.checkObject(raw, rules: inputRules)
            } catch {
                throw LogError(.invalidRecord, invalidJSON(error))
            }
            for member in members {
                let name = UnsafeRawBufferPointer(rebasing: raw[member.name])
                if isForbiddenName(name) { throw forbiddenName(name) }
            }
        }
    }

    /// The id, the zaak and the size: everything but the body's JSON.
    static func validateEnvelope(_ record: LogRecord) throws {
        guard isValidKey(record.id.utf8) else {
            throw LogError(.invalidRecord, "id '\(record.id.prefix(40))' is ongeldig; gebruik 1–128 tekens uit A-Z a-z 0-9 . _ : -")
        }
        guard isValidKey(record.zaak.utf8) else {
            throw LogError(.invalidRecord, "zaak '\(record.zaak.prefix(40))' is ongeldig; gebruik 1–128 tekens uit A-Z a-z 0-9 . _ : -")
        }
        let envelopeBytes = 80 + record.id.utf8.count + record.zaak.utf8.count
        guard record.body.count + envelopeBytes <= maxLineBytes else {
            throw LogError(.invalidRecord, "de gebeurtenis is \(record.body.count) bytes; het maximum is \(maxLineBytes - envelopeBytes) bytes per gebeurtenis")
        }
    }

    static func forbiddenName(_ name: UnsafeRawBufferPointer) -> LogError {
        name.contains(UInt8(ascii: "\\"))
            ? LogError(.invalidRecord, "veldnamen op het hoogste niveau mogen geen escape (\\) bevatten")
            : LogError(.invalidRecord, "het veld '\(String(decoding: name, as: UTF8.self))' vult het log zelf in; laat het weg")
    }

    /// Appends the line for `record` at `position`, with its newline, to `out`.
    static func encode(_ record: LogRecord, position: Int64, recordedAt: [UInt8], into out: inout [UInt8]) {
        out.append(contentsOf: positionKey)
        appendDecimal(position, to: &out)
        out.append(contentsOf: idKey)
        out.append(contentsOf: record.id.utf8)
        out.append(contentsOf: zaakKey)
        out.append(contentsOf: record.zaak.utf8)
        out.append(contentsOf: recordedKey)
        out.append(contentsOf: recordedAt)
        out.append(UInt8(ascii: "\""))
        if record.body.count > 2 {
            out.append(UInt8(ascii: ","))
            out.append(contentsOf: record.body[1...])
        } else {
            out.append(UInt8(ascii: "}"))
        }
        out.append(0x0A)
    }

    static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = value
        repeat { digits.append(UInt8(48 + rest % 10)); rest /= 10 } while rest > 0
        out.append(contentsOf: digits.reversed())
    }

    struct Fields {
        let position: Int64
        let id: Range<Int>
        let zaak: Range<Int>
        let recordedAt: Int64
        /// Where the members after the envelope start (`,`) or the object ends (`}`).
        let restStart: Int
    }

    struct Failure: Error {
        let reason: String
    }

    /// The last `vastgelegdOp` a scanner parsed. The lines of one commit share it, so comparing 24
    /// bytes usually replaces parsing them.
    struct TimestampMemo {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)  // all zero bytes: never a valid timestamp
        var milliseconds: Int64 = 0
    }

    static func decode(_ line: UnsafeRawBufferPointer, checkJSON: Bool) throws(Failure) -> Fields {
        var memo = TimestampMemo()
        return try decode(line, checkJSON: checkJSON, timestamps: &memo)
    }

    /// Decodes the envelope of one line (without its newline). With `checkJSON`, the whole line must
    /// also be well-formed JSON whose later top-level names repeat none of the envelope's.
    static func decode(_ line: UnsafeRawBufferPointer, checkJSON: Bool, timestamps memo: inout TimestampMemo) throws(Failure) -> Fields {
        var index = 0
        func match(_ expected: [UInt8]) -> Bool {
            guard index + expected.count <= line.count,
                  expected.withUnsafeBytes({ memcmp(line.baseAddress! + index, $0.baseAddress!, expected.count) }) == 0
            else { return false }
            index += expected.count
            return true
        }
        /// A key up to its closing quote, checked as it is walked (log-format §3).
        func key() -> Range<Int>? {
            let start = index
            while index < line.count {
                switch line[index] {
                case UInt8(ascii: "\""):
                    let length = index - start
                    return length >= 1 && length <= maxKeyLength ? start..<index : nil
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                     UInt8(ascii: ":"), UInt8(ascii: "-"):
                    index += 1
                default:
                    return nil
                }
            }
            return nil
        }
        guard match(positionKey) else { throw Failure(reason: "regel begint niet met {\"positie\":") }
        let digitsStart = index
        var position: Int64 = 0
        while index < line.count, (48...57).contains(line[index]), index - digitsStart < 18 {
            position = position * 10 + Int64(line[index] - 48)
            index += 1
        }
        guard index > digitsStart, position >= 1, line[digitsStart] != UInt8(ascii: "0") else {
            throw Failure(reason: "positie is geen geheel getal ≥ 1")
        }
        guard match(idKey), let id = key() else { throw Failure(reason: "id ontbreekt of is ongeldig") }
        guard match(zaakKey), let zaak = key() else { throw Failure(reason: "zaak ontbreekt of is ongeldig") }
        guard match(recordedKey), index + Timestamp.length < line.count, line[index + Timestamp.length] == UInt8(ascii: "\"") else {
            throw Failure(reason: "vastgelegdOp ontbreekt of is ongeldig")
        }
        let text = (line.loadUnaligned(fromByteOffset: index, as: UInt64.self), line.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self),
                    line.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self))
        if text != memo.text {
            guard let parsed = Timestamp.parse(UnsafeRawBufferPointer(rebasing: line[index..<(index + Timestamp.length)])) else {
                throw Failure(reason: "vastgelegdOp ontbreekt of is ongeldig")
            }
            memo = TimestampMemo(text: text, milliseconds: parsed)
        }
        let recordedAt = memo.milliseconds
        index += Timestamp.length + 1
        guard index < line.count, line[index] == UInt8(ascii: ",") || line[index] == UInt8(ascii: "}") else {
            throw Failure(reason: "verwacht ',' of '}' na vastgelegdOp")
        }
        if checkJSON {
            var count = 0
            var forbidden: Range<Int>?
            do throws(JSONReaderError) {
                try JSONReader.checkObject(line, rules: jsonRules) { member in
                    count += 1
                    guard count > 4, isForbiddenName(UnsafeRawBufferPointer(rebasing: line[member.name])) else { return true }
                    forbidden = member.name
                    return false
                }
            } catch {
                throw Failure(reason: invalidJSON(error))
            }
            if let forbidden {
                throw Failure(reason: "veldnaam '\(String(decoding: line[forbidden], as: UTF8.self))' na de envelop is niet toegestaan")
            }
        }
        return Fields(position: position, id: id, zaak: zaak, recordedAt: recordedAt, restStart: index)
    }
}

extension LogRecord {
    /// A body the log assembled itself from a checked JSON object, so `append` need not walk it again.
    public struct Body: Sendable {
        let bytes: [UInt8]
    }

    /// Whether `text` may be an id or a zaak: 1–128 characters of A-Z a-z 0-9 . _ : - (log-format §3).
    public static func isValidKey(_ text: some Sequence<UInt8>) -> Bool { EventLine.isValidKey(text) }

    /// The body of a record from a JSON object whose top-level members carry more than the body (an
    /// import format's id and zaak), in one walk that checks what `append` would. `claim` sees each
    /// member's name (as written, without quotes) and value, in order, and returns true to keep it out
    /// of the body; the others must be names a body may use and keep their order.
    public static func body(of object: [UInt8], claiming claim: (_ name: ArraySlice<UInt8>, _ value: ArraySlice<UInt8>) throws -> Bool) throws -> Body {
        let members: [JSONReader.Member]
        do {
            members = try object.withUnsafeBytes { raw throws(JSONReaderError) in try JSONReader.checkObject(raw, rules: EventLine.inputRules) }
        } catch let error as JSONReaderError {
            throw LogError(.invalidRecord, EventLine.invalidJSON(error))
        }
        var body: [UInt8] = [UInt8(ascii: "{")]
        for member in members {
            if try claim(object[member.name], object[member.value]) { continue }
            try object.withUnsafeBytes { raw in
                let name = UnsafeRawBufferPointer(rebasing: raw[member.name])
                if EventLine.isForbiddenName(name) { throw EventLine.forbiddenName(name) }
            }
            if body.count > 1 { body.append(UInt8(ascii: ",")) }
            body.append(UInt8(ascii: "\""))
            body.append(contentsOf: object[member.name])
            body.append(contentsOf: Array(#"":"#.utf8))
            body.append(contentsOf: object[member.value])
        }
        body.append(UInt8(ascii: "}"))
        return Body(bytes: body)
    }

    /// A record with a body from `body(of:claiming:)`: only its id, zaak and size are left to check.
    public init(id: String, zaak: String, body: Body) throws {
        self.init(id: id, zaak: zaak, body: body.bytes)
        try EventLine.validateEnvelope(self)
        isValidated = true
    }
}
