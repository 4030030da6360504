#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the log ended (its last segment and that file's size) and the index's mark after a
/// catch-up for reading.
struct IndexedEnd: Equatable {
    let segment: SegmentName
    let size: Int64
    let through: Int64
}

/// The end of the log as a writer left it, taken under `LOCK` so it holds no append in progress.
struct LogSnapshot {
    let segment: SegmentName
    let size: Int
}

extension EventLog {
    /// Visits the log's lines in order from `start`, checking frames, lines and positions (the
    /// Merkle tree and JSON bodies are the verifier's job), and returns the position after the last
    /// line read. A half-written last frame of the last segment (an append in progress, or a
    /// crashed one no writer has cut off yet) ends the scan; damage anywhere else is thrown.
    @discardableResult
    func scanLog(
        from start: Int64,
        snapshot: LogSnapshot? = nil,
        onFrame: (SegmentName, DataFrameInfo) throws -> Void = { _, _ in },
        onLine: (LineView) throws -> Bool
    ) throws -> Int64 {
        // A reader sees only what writers have made durable: the end of the log as of now, taken
        // under their lock. A writer holds that lock itself, or reads its own acknowledged lines.
        let snapshot = try snapshot ?? (writer == nil ? self.snapshot() : nil)
        var segments = try self.segments()
        if let snapshot { segments = segments.filter { $0.firstPosition <= snapshot.segment.firstPosition } }
        let first = segments.lastIndex { $0.firstPosition <= start } ?? 0
        let scanner = SegmentScanner(checkJSON: false)
        var nextPosition: Int64 = 1
        var lastRecordedAt = Int64.min
        for (offset, listed) in segments[first...].enumerated() {
            let isLast = first + offset == segments.count - 1
            // Jump to the data frame holding `start` instead of decompressing the segment's head.
            let jump = start > listed.firstPosition ? (try? index.frame(containing: start)).flatMap { location in
                location.segment == listed && location.firstPosition <= start ? location : nil
            } : nil
            let (segment, bytes) = try readListedSegment(listed, snapshot: snapshot, resumingAt: jump.map { Int($0.offset) })
            func damage(_ offset: Int, _ position: Int64, _ reason: String) -> LogError {
                .damaged(DamageLocation(file: segment.fileName, offset: Int64(offset), position: position, reason: reason))
            }
            let header = bytes.withUnsafeBytes { scanner.header(of: $0) }
            guard case let .success((headerFirst, _, headerEnd)) = header else {
                if case let .failure(.invalid(at, reason, _)) = header { throw damage(at, segment.firstPosition, reason) }
                preconditionFailure()
            }
            guard headerFirst == segment.firstPosition else {
                throw damage(0, segment.firstPosition, "segmentkop noemt positie \(headerFirst), de bestandsnaam \(segment.firstPosition)")
            }
            if offset > 0, headerFirst != nextPosition {
                throw damage(0, nextPosition, "segment begint bij positie \(headerFirst), verwacht \(nextPosition) (ontbrekend of dubbel segment)")
            }
            var state = ScanState(nextPosition: headerFirst, lastRecordedAt: lastRecordedAt)
            var from = headerEnd
            if let location = jump, location.segment == segment, Int(location.offset) >= headerEnd {
                from = Int(location.offset)
                state.nextPosition = location.firstPosition
                state.lastRecordedAt = Int64.min
            }
            let outcome = try bytes.withUnsafeBytes { raw in
                try scanner.scan(raw, from: from, state: &state,
                                 onFrame: { try onFrame(segment, $0) },
                                 onLine: { $0.position >= start ? try onLine($0) : true })
            }
            nextPosition = state.nextPosition
            lastRecordedAt = state.lastRecordedAt
            switch outcome {
            case .complete:
                continue
            case .stoppedByVisitor:
                return nextPosition
            case let .invalid(_, _, short):
                guard isLast, short, !segment.sealed else {
                    throw LogError.damaged(outcome.damage(in: segment, position: state.nextPosition)!)
                }
                return nextPosition
            }
        }
        return nextPosition
    }

    /// Streams entries from `position` in log order, in memory bounded by one segment. `body`
    /// returns false to stop. Damage is thrown when reached, after every line before it was delivered.
    public func read(from position: Int64 = 1, _ body: (LogEntry) throws -> Bool) throws {
        _ = try scanLog(from: max(1, position)) { try body($0.entry()) }
    }

    /// The last position in the log (0 when empty).
    public func lastPosition() throws -> Int64 {
        // Starting past the end reads only the last segment, from its last indexed frame.
        try scanLog(from: Int64.max) { _ in true } - 1
    }

    /// Every event of one zaak before position `end`, in log order, found through the index (caught
    /// up first) without a scan of the log.
    public func events(ofZaak zaak: String, before end: Int64 = .max) throws -> [LogEntry] {
        try catchUpIndexForReading()
        let candidates = try index.candidates(ofZaak: zaak).filter { $0 < end }
        let wanted = Set(candidates)
        var found: [LogEntry] = []
        var next = 0
        while next < candidates.count {
            // A sealed frame holds thousands of lines: materialise only the candidates.
            guard let entries = try frameEntries(containing: candidates[next], only: wanted),
                  entries.contains(where: { $0.position == candidates[next] }) else {
                // A stale index (say, sealing moved frames under it): answer from the log itself.
                found = []
                _ = try scanLog(from: candidates[0]) { line in
                    guard line.position < end else { return false }
                    if zaak.utf8.elementsEqual(line.zaak) { found.append(line.entry()) }
                    return true
                }
                return found
            }
            for entry in entries where next < candidates.count && entry.position == candidates[next] {
                if entry.zaak == zaak { found.append(entry) }  // not a fingerprint collision
                next += 1
            }
        }
        return found
    }

    /// The position of the event with this id, or nil when it is not in the log. Needs no lock:
    /// the index is caught up first and its candidates are confirmed against the log.
    public func position(ofId id: String) throws -> Int64? {
        try catchUpIndexForReading()
        return try index.candidates(ofId: id).first { try entry(at: $0)?.id == id }
    }

    /// The positions of the events with these ids (nil where an id is not in the log): one index
    /// catch-up and one read transaction for all of them, so an import can ask about every line.
    public func positions(ofIds ids: [String]) throws -> [Int64?] {
        try catchUpIndexForReading()
        let candidates = try index.reading { try ids.map { try index.candidates(ofId: $0) } }
        return try zip(ids, candidates).map { id, found in try found.first { try entry(at: $0)?.id == id } }
    }

    /// The position of the zaak's last event (0 when it has none): what a caller reads before it
    /// appends with a `StreamCondition`.
    public func lastPosition(ofZaak zaak: String) throws -> Int64 {
        try catchUpIndexForReading()
        return try lastIndexedPosition(ofZaak: zaak) { try entry(at: $0)?.zaak }
    }

    /// The zaak's last event in the index (0: none): candidates highest first, each confirmed with
    /// `zaakAt` until one is not a fingerprint collision.
    func lastIndexedPosition(ofZaak zaak: String, zaakAt: (Int64) throws -> String?) throws -> Int64 {
        var before = Int64.max
        while let candidate = try index.lastCandidate(ofZaak: zaak, before: before) {
            if try zaakAt(candidate) == zaak { return candidate }
            before = candidate
        }
        return 0
    }

    /// The entries of the data frame that the index says holds `position` (of those, only the
    /// positions in `only`, when given); nil when the index has no such frame or its file is gone.
    func frameEntries(containing position: Int64, only: Set<Int64>? = nil) throws -> [LogEntry]? {
        guard let location = try index.frame(containing: position),
              let frame = try? FileHandle(path: logPath(location.segment), flags: O_RDONLY).read(at: location.offset, count: location.length)
        else { return nil }
        var entries: [LogEntry] = []
        var state = ScanState(nextPosition: location.firstPosition)
        let outcome = try frame.withUnsafeBytes { raw in
            try SegmentScanner(checkJSON: false).scan(raw, from: 0, state: &state, onLine: { line in
                if only?.contains(line.position) ?? true { entries.append(line.entry()) }
                return true
            })
        }
        guard case .complete = outcome else { return nil }
        return entries
    }

    /// The entry at `position`, through the frame index when it can, else by a scan.
    func entry(at position: Int64) throws -> LogEntry? {
        if let entry = try frameEntries(containing: position)?.first(where: { $0.position == position }) { return entry }
        var result: LogEntry?
        _ = try scanLog(from: position) { result = $0.entry(); return false }
        return result
    }

    /// Indexes the log from `position` to `last` (default: its end).
    func rebuildIndex(from position: Int64, through last: Int64 = .max) throws {
        var batch = LogIndex.Batch()
        _ = try scanLog(from: position, onFrame: { segment, frame in
            if frame.firstPosition + Int64(frame.count) > position, frame.firstPosition <= last { batch.add(frame: frame, in: segment) }
        }, onLine: { line in
            guard line.position <= last else { return false }
            batch.add(line)
            if batch.lines.count >= 100_000 {
                try index.write(batch)
                batch = LogIndex.Batch()
            }
            return true
        })
        try index.write(batch)
    }

    /// Indexes what was appended since the index's mark. While the log's end and that mark stay
    /// where the last catch-up left them there is nothing new, and the scan, which decodes the last
    /// indexed frame again to find its end, is skipped: a projection that reads back thousands of
    /// zaken after one large append would otherwise decode that frame once for each.
    func catchUpIndexForReading() throws {
        let through = try index.indexedThrough
        let end = try segments().last.flatMap { last in
            (try? FileHandle(path: logPath(last), flags: O_RDONLY).size()).map { IndexedEnd(segment: last, size: $0, through: through) }
        }
        if let end, indexedEndLock.withLock({ indexedEnd == end }) { return }
        try rebuildIndex(from: through + 1)
        // Only what the scan certainly covered: the end as seen before it, with the mark it left.
        let covered = try end.map { IndexedEnd(segment: $0.segment, size: $0.size, through: try index.indexedThrough) }
        indexedEndLock.withLock { indexedEnd = covered }
    }


    /// Reads a segment found in a directory listing: if it was sealed since, its sealed twin; if it
    /// is the snapshot's active segment, only the bytes the snapshot covers.
    /// With `resumingAt`, only the header and the bytes from that offset are read (the caller scans
    /// from there); that holds for `listed` itself, not for a sealed twin read in its place.
    func readListedSegment(_ listed: SegmentName, snapshot: LogSnapshot?, resumingAt resume: Int? = nil) throws -> (SegmentName, [UInt8]) {
        var segment = listed
        var bytes: [UInt8]
        do {
            bytes = try resume.map { try readSegment(segment, resumingAt: $0) } ?? readSegment(segment)
        } catch where !segment.sealed {
            segment = SegmentName(firstPosition: segment.firstPosition, sealed: true)
            bytes = try readSegment(segment)
        }
        if let snapshot, segment.firstPosition == snapshot.segment.firstPosition, !segment.sealed, bytes.count > snapshot.size {
            bytes.removeLast(bytes.count - snapshot.size)
        }
        return (segment, bytes)
    }

    /// The end of the log as of now, taken under the writers' lock (shared: readers do not wait for
    /// each other) so no append is half-done or unsynced in it.
    func snapshot() throws -> LogSnapshot? {
        guard let last = try segments().last else { return nil }
        let lockPath = directory + "/LOCK"
        guard Directory.exists(lockPath) else { return nil }
        let lock = try FileHandle(path: lockPath, flags: O_RDONLY)
        try lock.lockShared()
        defer { lock.unlock() }
        let current = try segments().last ?? last
        let size = try FileHandle(path: logPath(current), flags: O_RDONLY).size()
        return LogSnapshot(segment: current, size: Int(size))
    }
}
