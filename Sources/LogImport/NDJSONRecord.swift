import EventLog

extension LogRecord {
    /// Builds a record from one NDJSON line of `zaak log toevoegen`: `id` and `zaak` as plain strings
    /// anywhere among its members; the other members, in their order, become the body. One walk over
    /// the JSON checks everything the log will. Errors are Dutch and say what to fix.
    public init(ndjsonLine line: [UInt8]) throws {
        var id: String?, zaak: String?
        let body = try LogRecord.body(of: line) { name, value in
            let isID = name.elementsEqual("id".utf8)
            guard isID || name.elementsEqual("zaak".utf8) else { return false }
            guard value.count >= 2, value.first == UInt8(ascii: "\""), LogRecord.isValidKey(value.dropFirst().dropLast()) else {
                throw LogError(.invalidRecord, "'\(isID ? "id" : "zaak")' moet een tekst zijn van 1–128 tekens uit A-Z a-z 0-9 . _ : -")
            }
            let text = String(decoding: value.dropFirst().dropLast(), as: UTF8.self)
            if isID { id = text } else { zaak = text }
            return true
        }
        guard let id else { throw LogError(.invalidRecord, "het veld 'id' ontbreekt (een unieke id per gebeurtenis, bijv. \"id\":\"e-2026-000001\")") }
        guard let zaak else { throw LogError(.invalidRecord, "het veld 'zaak' ontbreekt (het zaaknummer waar de gebeurtenis bij hoort)") }
        try self.init(id: id, zaak: zaak, body: body)
    }
}
