/// The lines a writer knows that the index does not have yet (those after its high-water mark), for
/// the idempotency check and each zaak's last position, and the rows that take them into the index
/// at the next checkpoint.
///
/// Keyed by the index's own 64-bit fingerprints, which every line needs for its index rows anyway:
/// looking strings up in dictionaries (several per appended event, and a merge per commit) cost more
/// than the Merkle hashing of the line. A fingerprint only points at a line; the line's id or zaak is
/// compared before it counts, and a collision (never seen, but possible) falls back to a scan.
struct RecentLines {
    private(set) var rows = LogIndex.Batch()
    private var ids: [String] = []
    private var zaken: [String] = []
    /// Fingerprint → index in `rows.lines` of the first line with that id fingerprint.
    private var firstById: [Int64: Int] = [:]
    /// Fingerprint → index of the last line with that zaak fingerprint.
    private var lastByZaak: [Int64: Int] = [:]

    var count: Int { ids.count }

    mutating func add(id: String, zaak: String, position: Int64) {
        let line = (id: LogIndex.fingerprint(id), zaak: LogIndex.fingerprint(zaak), position: position)
        let index = ids.count
        rows.lines.append(line)
        rows.through = max(rows.through, position)
        ids.append(id)
        zaken.append(zaak)
        if firstById[line.id] == nil { firstById[line.id] = index }
        lastByZaak[line.zaak] = index
    }

    mutating func add(frame: DataFrameInfo, in segment: SegmentName) {
        rows.add(frame: frame, in: segment)
    }

    mutating func append(_ other: RecentLines) {
        for (index, line) in other.rows.lines.enumerated() {
            add(id: other.ids[index], zaak: other.zaken[index], position: line.position)
        }
        rows.frames += other.rows.frames
    }

    /// The position of the line with this id, if it is one of these.
    func position(ofId id: String) -> Int64? {
        guard let index = firstById[LogIndex.fingerprint(id)] else { return nil }
        if ids[index] == id { return rows.lines[index].position }
        return ids.firstIndex(of: id).map { rows.lines[$0].position }
    }

    /// The position of the zaak's last line among these, if it has one.
    func lastPosition(ofZaak zaak: String) -> Int64? {
        guard let index = lastByZaak[LogIndex.fingerprint(zaak)] else { return nil }
        if zaken[index] == zaak { return rows.lines[index].position }
        return zaken.lastIndex(of: zaak).map { rows.lines[$0].position }
    }

    /// Forgets the lines from the `count`th on and the frames from the `frames`th on: those of a
    /// commit whose write failed. Rare, so the maps are simply built again.
    mutating func truncate(toCount count: Int, frames: Int) {
        guard count < ids.count || frames < rows.frames.count else { return }
        var kept = RecentLines()
        for index in 0..<count { kept.add(id: ids[index], zaak: zaken[index], position: rows.lines[index].position) }
        kept.rows.frames = Array(rows.frames.prefix(frames))
        self = kept
    }
}
