import DemoTraffic
import EventLog
import CivilTime

/// The events every measurement appends, and the exact JSON Lines a fresh log makes of them, so the
/// baselines write and store the same bytes as the log (checked against `log.status().rawBytes`).
struct Workload {
    static let seed: UInt64 = 2026

    let records: [LogRecord]
    /// The lines of `records` at positions 1, 2, …, each with its newline, back to back.
    let jsonLines: [UInt8]
    /// `lineEnds[i]` is the offset just past the newline of line i.
    let lineEnds: [Int]

    init(events: Int) {
        records = Self.demoTraffic(events: events)
        // Any instant will do: every `vastgelegdOp` is 24 bytes (log-format §3).
        let recordedAt = Timestamp.format(millisecondsSinceEpoch: DemoTraffic.november2026)
        var bytes: [UInt8] = []
        var ends: [Int] = []
        bytes.reserveCapacity(events * 400)
        ends.reserveCapacity(events)
        for (index, record) in records.enumerated() {
            Self.appendLine(record, position: index + 1, recordedAt: recordedAt, to: &bytes)
            ends.append(bytes.count)
        }
        jsonLines = bytes
        lineEnds = ends
    }

    /// A month of KCC traffic, cut to `events` in time order (the last zaken are unfinished, as on
    /// any real day). The zaak count is a guess from ~4.5 events per zaak, doubled until it suffices.
    private static func demoTraffic(events: Int) -> [LogRecord] {
        var zaken = max(1, events / 4)
        while true {
            let traffic = DemoTraffic(seed: seed, startMilliseconds: DemoTraffic.november2026, days: 30)
            let records = traffic.records(zaakCount: zaken)
            if records.count >= events { return Array(records.prefix(events)) }
            zaken *= 2
        }
    }

    /// The line layout of log-format §3, as `EventLine.encode` writes it (that type is internal).
    private static func appendLine(_ record: LogRecord, position: Int, recordedAt: String, to out: inout [UInt8]) {
        out += #"{"positie":\#(position),"id":"\#(record.id)","zaak":"\#(record.zaak)","vastgelegdOp":"\#(recordedAt)""#.utf8
        if record.body.count > 2 {
            out.append(UInt8(ascii: ","))
            out += record.body.dropFirst()
        } else {
            out.append(UInt8(ascii: "}"))
        }
        out.append(0x0A)
    }

    /// Byte range in `jsonLines` of the lines of `events`, newlines included.
    func byteRange(_ events: Range<Int>) -> Range<Int> {
        (events.lowerBound == 0 ? 0 : lineEnds[events.lowerBound - 1])..<lineEnds[events.upperBound - 1]
    }

    /// Bytes of JSON Lines of the first `count` events: what `lz4 -dc` of their segments prints.
    func jsonBytes(_ count: Int) -> Int { lineEnds[count - 1] }

    /// The first `count` lines as text without newline, for the SQLite baseline's `data` column.
    func lineTexts(_ count: Int) -> [String] {
        (0..<count).map { String(decoding: jsonLines[byteRange($0..<($0 + 1))].dropLast(), as: UTF8.self) }
    }

    /// The first `count` records cut into appends of `batch` (the last one may be shorter).
    func batches(_ count: Int, of batch: Int) -> [[LogRecord]] {
        stride(from: 0, to: count, by: batch).map { Array(records[$0..<min($0 + batch, count)]) }
    }
}
