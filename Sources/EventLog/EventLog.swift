import Foundation
import SQLite

/// Settings of one open log. The defaults are the production ones; tests shrink sizes to exercise
/// rolling and sealing, and inject clocks and failing system calls.
public struct LogConfiguration: Sendable {
    /// The active segment is rolled once its file is at least this large.
    public var rollBytes: Int64 = 16 << 20
    /// A checkpoint frame follows the commit that brings this many lines since the last one.
    public var checkpointInterval = 4096
    /// Raw bytes of lines per data frame in sealed segments.
    public var sealedBlockBytes = 1 << 20
    /// LZ4 HC level for sealed segments.
    public var sealedCompressionLevel: Int32 = 9
    /// Milliseconds since the epoch; the log never lets `vastgelegdOp` go backwards.
    public var clock: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
    public var calls: FileSystemCalls = .system

    public init() {}
}

/// The outcome of appending one record.
public struct AppendResult: Sendable, Equatable {
    public let position: Int64
    /// True when an event with the same id was already in the log; nothing was written for it.
    public let alreadyPresent: Bool
}

/// A torn tail the writer cut off when it opened the log (log-format §8).
public struct TailRepair: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let offset: Int64
    public let removedBytes: Int64

    public var description: String {
        "onvolledig laatste frame verwijderd uit \(file): \(removedBytes) bytes vanaf byte \(offset) (nooit bevestigd)"
    }
}

/// The append-only event log of log-format.md. One instance per process and directory; thread-safe.
/// Appends from many threads share one write and one fdatasync (group commit); appends from many
/// processes are serialised by `flock` on `LOCK`.
public final class EventLog: @unchecked Sendable {
    public let directory: String
    let configuration: LogConfiguration
    let index: LogIndex

    // Group commit: appenders queue requests; one of them at a time leads and commits them all.
    private let condition = NSCondition()
    private var queue: [PendingAppend] = []
    private var leaderActive = false

    // Writer state, touched only by the current leader (or under `condition` before any leader runs).
    private var writer: Writer?
    private var tornTailRepairs: [TailRepair] = []

    private final class PendingAppend {
        let records: [LogRecord]
        var result: Result<[AppendResult], LogError>?
        init(_ records: [LogRecord]) { self.records = records }
    }

    /// Opens (creating if needed) the log in `directory`. For a writer (`forWriting`), a torn tail is
    /// truncated now and reported in `repairs`; damage makes every later append fail.
    public init(directory: String, configuration: LogConfiguration = LogConfiguration(), forWriting: Bool = true) throws {
        self.directory = directory
        self.configuration = configuration
        if forWriting { try Directory.create(directory) }
        guard Directory.exists(directory) else {
            throw LogError(.unavailable, "Er is geen log in \(directory). Geef met --data de juiste map op, of voeg eerst gebeurtenissen toe.")
        }
        do {
            index = try LogIndex(path: directory + "/index.sqlite")
        } catch {
            throw LogError(.unavailable, "Kan de index van het log niet openen: \(error)")
        }
        if forWriting {
            let writer = try Writer(log: self)
            self.writer = writer
            try writer.withLock { try writer.refresh() }
            tornTailRepairs = writer.repairs
        }
    }

    /// Torn tails cut off when this instance opened the log.
    public var repairs: [TailRepair] { tornTailRepairs }

    var logPath: (SegmentName) -> String { { [directory] in directory + "/" + $0.fileName } }

    // MARK: Appending

    /// Appends records as one atomic batch and returns once they are durable. Records whose id is
    /// already in the log (or earlier in the batch) are not written again; their earlier position is
    /// returned. Either every new record of the batch is written, or none is.
    @discardableResult
    public func append(_ records: [LogRecord]) throws -> [AppendResult] {
        guard !records.isEmpty else { return [] }
        for (index, record) in records.enumerated() {
            do { try EventLine.validate(record) } catch let error as LogError {
                throw LogError(.invalidRecord, "gebeurtenis \(index + 1): \(error.message)")
            }
        }
        let rawBytes = records.reduce(0) { $0 + $1.body.count + 128 }
        guard rawBytes <= FrameFormat.maxContentSize / 2 else {
            throw LogError(.invalidRecord, "De batch is \(rawBytes) bytes; splits hem in batches van hooguit \(FrameFormat.maxContentSize / 2) bytes")
        }
        guard writer != nil else { throw LogError(.unavailable, "Dit log is alleen-lezen geopend") }

        let request = PendingAppend(records)
        condition.lock()
        queue.append(request)
        while request.result == nil {
            if leaderActive {
                condition.wait()
                continue
            }
            leaderActive = true
            var group: [PendingAppend] = []
            var groupBytes = 0
            while let next = queue.first, group.isEmpty || groupBytes + next.records.count * 512 <= FrameFormat.maxContentSize / 2 {
                group.append(queue.removeFirst())
                groupBytes += next.records.reduce(0) { $0 + $1.body.count + 128 }
            }
            condition.unlock()
            let outcome = commit(group.map(\.records))
            condition.lock()
            for (pending, result) in zip(group, outcome) { pending.result = result }
            leaderActive = false
            condition.broadcast()
        }
        condition.unlock()
        return try request.result!.get()
    }

    /// Runs `body` as the only writer of this process (no group commit in flight), holding `LOCK`.
    func withExclusiveWriter<T>(_ body: (Writer) throws -> T) throws -> T {
        guard let writer else { throw LogError(.unavailable, "Dit log is alleen-lezen geopend") }
        condition.lock()
        while leaderActive { condition.wait() }
        leaderActive = true
        condition.unlock()
        defer {
            condition.lock()
            leaderActive = false
            condition.broadcast()
            condition.unlock()
        }
        return try writer.withLock {
            try writer.refresh()
            return try body(writer)
        }
    }

    /// Commits the batches of one group in one frame, one write and one fdatasync.
    private func commit(_ batches: [[LogRecord]]) -> [Result<[AppendResult], LogError>] {
        guard let writer else { return batches.map { _ in .failure(LogError(.unavailable, "alleen-lezen")) } }
        do {
            let results = try writer.withLock { try writer.commit(batches) }
            return results.map { .success($0) }
        } catch let error as LogError {
            return batches.map { _ in .failure(error) }
        } catch {
            return batches.map { _ in .failure(LogError(.io, "\(error)")) }
        }
    }

    // MARK: Segments

    /// The segments in log order; where both an open and a sealed file exist, the sealed one.
    public func segments() throws -> [SegmentName] {
        var byFirst: [Int64: SegmentName] = [:]
        for name in try Directory.entries(directory) {
            guard let segment = SegmentName(fileName: name) else { continue }
            if let existing = byFirst[segment.firstPosition], existing.sealed { continue }
            byFirst[segment.firstPosition] = segment
        }
        return byFirst.values.sorted()
    }

    func readSegment(_ segment: SegmentName) throws -> [UInt8] {
        try FileHandle(path: logPath(segment), flags: O_RDONLY).readAll()
    }
}

// MARK: - Writer

extension EventLog {
    /// Everything the appending side knows about the tail. Used only while holding `LOCK`.
    final class Writer {
        unowned let log: EventLog
        let lockFile: FileHandle
        var active: SegmentName?
        var file: FileHandle?
        var end: Int64 = 0
        var state = ScanState(nextPosition: 1, tree: MerkleFrontier())
        var damage: DamageLocation?
        var poisoned: LogError?
        var repairs: [TailRepair] = []
        let scanner = SegmentScanner(checkJSON: false)

        init(log: EventLog) throws {
            self.log = log
            lockFile = try FileHandle(path: log.directory + "/LOCK", flags: O_RDWR | O_CREAT)
        }

        var configuration: LogConfiguration { log.configuration }

        func withLock<T>(_ body: () throws -> T) throws -> T {
            try lockFile.lockExclusive()
            defer { lockFile.unlock() }
            return try body()
        }

        /// Brings the writer's view up to what is on disk: other processes may have appended or
        /// rolled since, and a crashed one may have left a torn tail.
        func refresh() throws {
            if let poisoned { throw poisoned }
            if let damage { throw LogError.damaged(damage) }
            if active == nil { try openActiveSegment() }
            while true {
                guard let file, let active else { return }
                guard file.isStillAtPath() else {
                    throw fail(DamageLocation(file: active.fileName, offset: 0, position: active.firstPosition,
                                              reason: "het actieve segment is vervangen of verwijderd terwijl het log open was"))
                }
                let size = try file.size()
                if size < end {
                    throw fail(DamageLocation(file: active.fileName, offset: size, position: state.nextPosition,
                                              reason: "het actieve segment is korter geworden dan wat al gelezen was"))
                }
                if size > end { try scanActive(from: end) }
                // A roll by another process shows up as the next segment's file.
                let next = SegmentName(firstPosition: state.nextPosition, sealed: false)
                guard next != active, Directory.exists(log.logPath(next)) else { return }
                try switchTo(next)
            }
        }

        private func fail(_ location: DamageLocation) -> LogError {
            damage = location
            return LogError.damaged(location)
        }

        private func openActiveSegment() throws {
            for name in try Directory.entries(log.directory) where name.hasSuffix(".tmp") {
                try Directory.remove(log.directory + "/" + name)
            }
            let segments = try log.segments()
            guard let last = segments.last else {
                try createSegment(SegmentName(firstPosition: 1, sealed: false), frontier: MerkleFrontier())
                return
            }
            if last.sealed {
                // Sealed segments are never written; resume after it in a new open segment.
                let bytes = try log.readSegment(last)
                var scanState = try headerState(of: bytes, segment: last, expected: nil)
                let outcome = try bytes.withUnsafeBytes { raw in try scanner.scan(raw, from: scanState.headerEnd, state: &scanState.state) }
                guard case .complete = outcome else { throw fail(location(outcome, in: last, state: scanState.state)) }
                try createSegment(SegmentName(firstPosition: scanState.state.nextPosition, sealed: false), frontier: scanState.state.tree!)
                return
            }
            try switchTo(last)
        }

        private func headerState(of bytes: [UInt8], segment: SegmentName, expected: MerkleFrontier?) throws -> (state: ScanState, headerEnd: Int) {
            let header = bytes.withUnsafeBytes { scanner.header(of: $0) }
            switch header {
            case let .failure(outcome):
                throw fail(location(outcome, in: segment, state: ScanState(nextPosition: segment.firstPosition)))
            case let .success((first, hashes, headerEnd)):
                guard first == segment.firstPosition, let frontier = MerkleFrontier(size: first - 1, hashes: hashes) else {
                    throw fail(DamageLocation(file: segment.fileName, offset: 0, position: segment.firstPosition,
                                              reason: "segmentkop noemt positie \(first), de bestandsnaam \(segment.firstPosition)"))
                }
                if let expected, expected != frontier {
                    throw fail(DamageLocation(file: segment.fileName, offset: 0, position: first,
                                              reason: "frontier in de segmentkop past niet bij het vorige segment"))
                }
                return (ScanState(nextPosition: first, tree: frontier), headerEnd)
            }
        }

        func location(_ outcome: ScanOutcome, in segment: SegmentName, state: ScanState) -> DamageLocation {
            guard case let .invalid(offset, reason, _) = outcome else { preconditionFailure("geen fout") }
            return DamageLocation(file: segment.fileName, offset: Int64(offset), position: state.nextPosition, reason: reason)
        }

        private func switchTo(_ segment: SegmentName) throws {
            let handle = try FileHandle(path: log.logPath(segment), flags: O_RDWR)
            let bytes = try handle.readAll()
            let header = try headerState(of: bytes, segment: segment, expected: active == nil ? nil : state.tree)
            active = segment
            file = handle
            state = header.state
            end = Int64(header.headerEnd)
            try scanActive(from: end, bytes: bytes)
        }

        /// Reads frames appended after `offset`; a torn tail is cut off (we hold the lock, so nobody
        /// is writing it), any other damage stops all writes.
        private func scanActive(from offset: Int64, bytes preread: [UInt8]? = nil) throws {
            guard let file, let active else { return }
            let bytes = try preread ?? file.readAll()
            var scanState = state
            let outcome = try bytes.withUnsafeBytes { raw in try scanner.scan(raw, from: Int(offset), state: &scanState) }
            switch outcome {
            case let .complete(newEnd), let .stoppedByVisitor(newEnd):
                end = Int64(newEnd)
                state = scanState
            case let .invalid(badOffset, _, tornCandidate):
                guard tornCandidate else { throw fail(location(outcome, in: active, state: scanState)) }
                try file.truncate(to: Int64(badOffset))
                try file.sync(calls: configuration.calls)
                repairs.append(TailRepair(file: active.fileName, offset: Int64(badOffset), removedBytes: Int64(bytes.count - badOffset)))
                end = Int64(badOffset)
                state = scanState
            }
        }

        /// Creates a segment atomically: header into a temp file, fsync, rename, fsync the directory.
        func createSegment(_ segment: SegmentName, frontier: MerkleFrontier) throws {
            let path = log.logPath(segment)
            let temporary = path + ".tmp"
            let header = MetadataRecord.segmentHeader(firstPosition: segment.firstPosition, frontier: frontier.hashes).frame
            do {
                let handle = try FileHandle(path: temporary, flags: O_RDWR | O_CREAT | O_TRUNC)
                try handle.write(header, at: 0, calls: configuration.calls)
                try handle.sync(calls: configuration.calls)
                try Directory.rename(temporary, path)
                try Directory.sync(log.directory)
                active = segment
                file = try FileHandle(path: path, flags: O_RDWR)
                end = Int64(header.count)
                state = ScanState(nextPosition: segment.firstPosition, tree: frontier, lastRecordedAt: state.lastRecordedAt)
            } catch {
                try? Directory.remove(temporary)
                throw error
            }
        }

        /// Closes the active segment with a checkpoint and starts the next one.
        func roll() throws {
            guard let active, let file, state.nextPosition > active.firstPosition else { return }
            if state.lastCheckpoint?.treeSize != state.nextPosition - 1 {
                let checkpoint = Checkpoint(treeSize: state.nextPosition - 1, root: state.tree!.root, recordedAt: state.lastRecordedAt)
                try write(MetadataRecord.checkpoint(checkpoint).frame, to: file)
                state.lastCheckpoint = checkpoint
                state.linesSinceCheckpoint = 0
            }
            try createSegment(SegmentName(firstPosition: state.nextPosition, sealed: false), frontier: state.tree!)
        }

        /// Writes at the end and syncs; on any failure the file is cut back so no partial frame stays.
        private func write(_ bytes: [UInt8], to file: FileHandle) throws {
            do {
                try file.write(bytes, at: end, calls: configuration.calls)
                try file.sync(calls: configuration.calls)
                end += Int64(bytes.count)
            } catch {
                do {
                    try file.truncate(to: end)
                    try file.sync(calls: configuration.calls)
                } catch {
                    // The file's state is unknown; a fresh open recovers it, this instance writes no more.
                    poisoned = LogError(.io, "\(error.message) — het log weigert verdere schrijfacties in dit proces; open het opnieuw")
                }
                throw error
            }
        }

        func commit(_ batches: [[LogRecord]]) throws -> [[AppendResult]] {
            try refresh()
            if end >= configuration.rollBytes { try roll() }
            try catchUpIndex()
            guard let file, let active else { throw LogError(.unavailable, "geen actief segment") }

            let recordedAt = max(configuration.clock(), state.lastRecordedAt)
            let timestamp = Timestamp.bytes(millisecondsSinceEpoch: recordedAt)
            do {
                return try log.index.withAppendSession { session in
                    try write(batches, recordedAt: recordedAt, timestamp: timestamp, session: session, file: file, segment: active)
                }
            } catch let error as SQLiteError {
                throw LogError(.io, "Kan de index van het log niet bijwerken (\(error.message)); is de schijf vol? Er is niets geschreven.")
            }
        }

        /// Encodes the new lines, claiming each id in the index, then writes one frame and syncs.
        private func write(_ batches: [[LogRecord]], recordedAt: Int64, timestamp: [UInt8], session: LogIndex.AppendSession,
                           file: FileHandle, segment: SegmentName) throws -> [[AppendResult]] {
            var content: [UInt8] = []
            var newIds: [String: Int64] = [:]
            var tree = state.tree!
            var position = state.nextPosition
            var results: [[AppendResult]] = []
            for batch in batches {
                var batchResults: [AppendResult] = []
                for record in batch {
                    if let earlier = try newIds[record.id] ?? session.claim(id: record.id, zaak: record.zaak, position: position) {
                        batchResults.append(AppendResult(position: earlier, alreadyPresent: true))
                        continue
                    }
                    let lineStart = content.count
                    EventLine.encode(record, position: position, recordedAt: timestamp, into: &content)
                    content.withUnsafeBytes { tree.append(line: UnsafeRawBufferPointer(rebasing: $0[lineStart..<($0.count - 1)])) }
                    newIds[record.id] = position
                    batchResults.append(AppendResult(position: position, alreadyPresent: false))
                    position += 1
                }
                results.append(batchResults)
            }
            guard !content.isEmpty else { return results }

            let count = Int(position - state.nextPosition)
            var bytes = content.withUnsafeBytes { LZ4Frames.compress($0, level: 0) }
            let frame = DataFrameInfo(bounds: FrameBounds(start: Int(end), end: Int(end) + bytes.count, kind: .data(contentSize: content.count)),
                                      firstPosition: state.nextPosition, count: count)
            let sinceCheckpoint = state.linesSinceCheckpoint + count
            var checkpoint: Checkpoint?
            if sinceCheckpoint >= configuration.checkpointInterval {
                checkpoint = Checkpoint(treeSize: position - 1, root: tree.root, recordedAt: recordedAt)
                bytes += MetadataRecord.checkpoint(checkpoint!).frame
            }
            try write(bytes, to: file)

            state.nextPosition = position
            state.tree = tree
            state.lastRecordedAt = recordedAt
            state.linesSinceCheckpoint = checkpoint == nil ? sinceCheckpoint : 0
            if let checkpoint { state.lastCheckpoint = checkpoint }
            // Durable now: an index row that fails from here on is caught up from the log later.
            try? session.add(frame: frame, in: segment)
            return results
        }

        /// Indexes whatever the log holds beyond the index (a crash between fsync and index write,
        /// or a deleted index).
        func catchUpIndex() throws {
            let through: Int64
            do { through = try log.index.indexedThrough } catch {
                throw LogError(.unavailable, "De index van het log is onleesbaar: \(error). Verwijder \(log.directory)/index.sqlite; hij wordt opnieuw opgebouwd.")
            }
            let last = state.nextPosition - 1
            if through > last {
                try log.index.reset()
                return try catchUpIndex()
            }
            guard through < last else { return }
            do { try log.rebuildIndex(from: through + 1) } catch let error as SQLiteError {
                throw LogError(.io, "Kan de index van het log niet bijwerken (\(error.message)); is de schijf vol? Er is niets geschreven.")
            }
        }
    }
}

