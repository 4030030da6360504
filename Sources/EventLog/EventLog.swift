import CivilTime
import SQLite
import Locking
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of one open log. The defaults are the production ones; tests shrink sizes to exercise
/// rolling and sealing, and inject clocks and failing system calls.
public struct LogConfiguration: Sendable {
    /// The active segment is rolled once its file is at least this large.
    public var rollBytes: Int64 = 16 << 20
    /// A checkpoint frame follows the commit that brings this many lines since the last one. A
    /// writer opening the log reads only the lines after the last checkpoint, and the derived
    /// index is written in one transaction per checkpoint.
    public var checkpointInterval = 1024
    /// A commit also writes a checkpoint once the oldest line not yet under one was recorded this
    /// many milliseconds ago, so that a quiet log, too, gets (signed) checkpoints regularly.
    public var checkpointMaxAge: Int64 = 3_600_000
    /// Where the installation's checkpoint key lives (log-format §5.1). While that directory holds a
    /// private key, every checkpoint written is signed, and writers check the checkpoints they resume
    /// behind against its public key; `verify()` never trusts it (the caller supplies the keys).
    public var keys: KeyLocation = .standard
    /// Raw bytes of lines per data frame in sealed segments.
    public var sealedBlockBytes = 1 << 20
    /// `verify` cuts a segment at its next checkpoint after this many bytes of lines, and checks the
    /// pieces in parallel.
    public var verifyUnitBytes = 4 << 20
    /// LZ4 HC level for sealed segments.
    public var sealedCompressionLevel: Int32 = 9
    /// Milliseconds since the epoch; the log never lets `vastgelegdOp` go backwards.
    public var clock: @Sendable () -> Int64 = { Clock.nowMilliseconds() }
    public var calls: FileSystemCalls = .system
    /// Told of every cut recovery makes (log-format §8), when it is made: opening, or any later
    /// append that finds a tail another process left torn. Every cut must reach a person, so the
    /// default says it on stderr; a shell that reports cuts its own way replaces it.
    public var onRepair: @Sendable (TailRepair) -> Void = { repair in warnOnStandardError("\(repair)") }
    /// Told of what a writer changed about the files around the log, such as permissions it
    /// tightened; by default on stderr.
    public var onNotice: @Sendable (String) -> Void = { warnOnStandardError($0) }

    public init() {}
}

/// The storage layer's only words to a person: a line on stderr, as the CLI words its warnings.
private func warnOnStandardError(_ text: String) {
    let line = Array("let op: \(text)\n".utf8)
    line.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// Where a log finds the installation's key pair (docs/audit.md).
public enum KeyLocation: Sendable, Equatable {
    /// `$ZAAK_SLEUTELMAP`, else `sleutels` beside the log directory (`KeyStore.standardDirectory`).
    case standard
    case directory(String)
    /// No key: checkpoints are not signed.
    case none
}

/// The outcome of appending one record.
public struct AppendResult: Sendable, Equatable {
    public let position: Int64
    /// True when an event with the same id was already in the log; nothing was written for it.
    public let alreadyPresent: Bool
}

/// "The last event of zaak `zaak` is at `lastPosition`" (0: the zaak has no events yet): what a
/// caller read before deciding on new events, checked when they are committed.
public struct StreamCondition: Sendable, Equatable {
    public let zaak: String
    public let lastPosition: Int64

    public init(zaak: String, lastPosition: Int64) {
        self.zaak = zaak
        self.lastPosition = lastPosition
    }
}

/// Bytes recovery cut off the end of the active segment (log-format §8), after copying them to a
/// quarantine file beside it.
public struct TailRepair: Sendable, Equatable, CustomStringConvertible {
    public enum Cause: Sendable, Equatable {
        /// The file ended inside the last frame: a write that did not finish, never acknowledged.
        case tornTail
        /// Damage an operator chose to cut (`zaak log herstel --forceer`); it may hold acknowledged events.
        case damageCutOnRequest
    }

    public let file: String
    public let offset: Int64
    public let removedBytes: Int64
    /// The file, beside the segment, that holds exactly the bytes removed.
    public let quarantine: String
    public let cause: Cause

    public var description: String {
        let what = cause == .tornTail ? "onvolledig laatste frame (nooit bevestigd)" : "beschadigd laatste deel (op verzoek)"
        return "\(what) afgekapt uit \(file): \(removedBytes) bytes vanaf byte \(offset), bewaard in \(quarantine)"
    }
}

/// The append-only event log of log-format.md. One instance per process and directory; thread-safe.
/// Appends from many threads share one write and one fdatasync (group commit); appends from many
/// processes are serialised by `flock` on `LOCK`.
public final class EventLog: @unchecked Sendable {
    public let directory: String
    let configuration: LogConfiguration
    let index: LogIndex
    /// Where the key pair lives, resolved from `configuration.keys`; nil: never sign.
    public let keyDirectory: String?
    private let signerLock = Lock()
    private var loadedSigner: CheckpointSigner?
    /// The log's end and the index's mark at the last catch-up for reading (`catchUpIndexForReading`);
    /// guarded by `indexedEndLock`.
    var indexedEnd: IndexedEnd?
    let indexedEndLock = Lock()

    // Group commit: appenders queue requests; one of them at a time leads and commits them all.
    // Each waits on its own request's condition, so a commit wakes only those it answered and the
    // next leader, not every appender (on 2 cores, the wake-ups of 16 threads per commit cost more
    // CPU than the commit). `committed` is for `withExclusiveWriter`.
    private let lock = Lock()
    private let committed = Condition()
    private let arrived = Condition()
    private var queue: [PendingAppend] = []
    private var leaderActive = false
    /// How many batches the last group committed. Under steady load from several threads, those
    /// appenders return to their callers and come straight back: a new leader that started at once
    /// would commit only the others, and the appenders would settle into alternating halves, each
    /// paying for its own fdatasync. So a leader waits, briefly, until as many are queued.
    private var lastGroupSize = 1
    /// The longest a leader waits for the last group's appenders to return: about one fdatasync
    /// here. 16 threads of one-event appends: 30 µs gathered 13.9 events per fdatasync, 100 µs
    /// 15.7 and 250 µs 15.9 (benchmarks/README.md); a caller that does not come back costs this once.
    static let gatheringNanoseconds = 200_000

    // Writer state, touched only by the current leader (or by `init`, before any append).
    var writer: Writer?
    private var tornTailRepairs: [TailRepair] = []

    private final class PendingAppend {
        let batch: AppendBatch
        let bytes: Int
        let answered = Condition()
        var result: Result<[AppendResult], LogError>?
        init(_ batch: AppendBatch, bytes: Int) {
            self.batch = batch
            self.bytes = bytes
        }
    }

    struct AppendBatch {
        let records: [LogRecord]
        let conditions: [StreamCondition]
    }

    /// An upper bound of the lines' size: body plus the envelope the log adds.
    private static func estimatedLineBytes(_ records: [LogRecord]) -> Int {
        records.reduce(0) { $0 + $1.body.count + 128 }
    }

    /// Opens (creating if needed) the log in `directory` for appending: a torn tail is quarantined,
    /// truncated now and reported (`repairs`, `configuration.onRepair`); damage makes every later append
    /// fail. `cuttingDamage` (`zaak log herstel --forceer`): damage at the end of the active segment is
    /// quarantined and cut too, like a torn tail. Readers open a `LogReader` instead, which never writes.
    public convenience init(directory: String, configuration: LogConfiguration = LogConfiguration(), cuttingDamage: Bool = false) throws {
        try self.init(directory: directory, configuration: configuration, forWriting: true, cuttingDamage: cuttingDamage)
    }

    /// The writer's open, or (not `forWriting`) the store behind a `LogReader`: nothing created,
    /// no lock held, no repair, the index file read-only under an in-memory overlay.
    init(directory: String, configuration: LogConfiguration, forWriting: Bool, cuttingDamage: Bool = false) throws {
        self.directory = directory
        self.configuration = configuration
        switch configuration.keys {
        case .standard: keyDirectory = KeyStore.standardDirectory(forLog: directory)
        case let .directory(path): keyDirectory = path
        case .none: keyDirectory = nil
        }
        if forWriting {
            try Directory.create(directory)
            if try Directory.restrictToOwner(directory) {
                configuration.onNotice("\(directory) was leesbaar voor andere accounts; nu alleen voor de eigenaar (0700)")
            }
        }
        guard Directory.exists(directory) else {
            throw LogError(.unavailable, "Er is geen log in \(directory). Geef de juiste map op, of voeg eerst gebeurtenissen toe.",
                           remedies: [.chooseDataDirectory])
        }
        do {
            index = forWriting ? try LogIndex(path: directory + "/index.sqlite") : try LogIndex(readingPath: directory + "/index.sqlite")
        } catch let error as SQLiteError where error.kind == .full || error.kind == .io {
            throw LogError(.io, "Kan de index van het log niet openen: \(error)")
        } catch {
            throw LogError(.unavailable, "Kan de index van het log niet openen: \(error)")
        }
        if forWriting {
            let writer = try Writer(log: self)
            self.writer = writer
            try writer.withLock {
                do { try writer.refresh() } catch let error as LogError where cuttingDamage && error.kind == .damaged {
                    try writer.cutDamage()
                    try writer.refresh()
                }
            }
            tornTailRepairs = writer.repairs
        }
    }

    /// The installation's signer, looked for each time a checkpoint is written until found, so that
    /// a process that was running when `zaak audit sleutel` made the key signs from then on.
    func signer() throws -> CheckpointSigner? {
        guard let keyDirectory else { return nil }
        signerLock.lock()
        defer { signerLock.unlock() }
        if loadedSigner == nil { loadedSigner = try KeyStore.signer(in: keyDirectory) }
        return loadedSigner
    }

    /// The cuts made while this instance opened the log (later ones reach `configuration.onRepair` only).
    public var repairs: [TailRepair] { tornTailRepairs }

    func logPath(_ segment: SegmentName) -> String { directory + "/" + segment.fileName }

    // MARK: Appending

    /// Appends records as one atomic batch and returns once they are durable. Records whose id is
    /// already in the log (or earlier in the batch) are not written again; their earlier position is
    /// returned. Either every new record of the batch is written, or none is.
    ///
    /// `conditions` are checked under the writers' lock against the log as it is then, including
    /// batches committed just before in the same group; if one fails, nothing of the batch is
    /// written and the error's kind is `.conflict`. A batch that is entirely in the log already (a
    /// retry) returns its earlier positions without checking them. An empty batch checks nothing.
    @discardableResult
    public func append(_ records: [LogRecord], conditions: [StreamCondition] = []) throws -> [AppendResult] {
        guard !records.isEmpty else { return [] }
        for (index, record) in records.enumerated() {
            do { try EventLine.validate(record) } catch let error as LogError {
                throw LogError(.invalidRecord, "gebeurtenis \(index + 1): \(error.message)")
            }
        }
        if let bad = conditions.firstIndex(where: { $0.lastPosition < 0 }) {
            throw LogError(.invalidRecord, "voorwaarde \(bad + 1): positie \(conditions[bad].lastPosition) bestaat niet; 0 betekent een zaak zonder gebeurtenissen")
        }
        let rawBytes = Self.estimatedLineBytes(records)
        guard rawBytes <= FrameFormat.maxContentSize / 2 else {
            throw LogError(.invalidRecord, "De batch is \(rawBytes) bytes; splits hem in batches van hooguit \(FrameFormat.maxContentSize / 2) bytes")
        }
        guard writer != nil else { throw LogError(.unavailable, "Dit log is alleen-lezen geopend") }

        let request = PendingAppend(AppendBatch(records: records, conditions: conditions), bytes: rawBytes)
        lock.lock()
        queue.append(request)
        if leaderActive { arrived.signal() }
        while request.result == nil {
            if leaderActive {
                lock.wait(on: request.answered)
                continue
            }
            leaderActive = true
            if queue.count < lastGroupSize {
                let deadline = Condition.deadline(inNanoseconds: Self.gatheringNanoseconds)
                while queue.count < lastGroupSize, lock.wait(on: arrived, until: deadline) {}
            }
            var group: [PendingAppend] = []
            var groupBytes = 0
            // One frame per group, kept under the size a reader accepts.
            while let next = queue.first, group.isEmpty || groupBytes + next.bytes <= FrameFormat.maxContentSize / 2 {
                group.append(queue.removeFirst())
                groupBytes += next.bytes
            }
            lastGroupSize = group.count
            lock.unlock()
            let outcome = commit(group.map(\.batch))
            lock.lock()
            for (pending, result) in zip(group, outcome) {
                pending.result = result
                if pending !== request { pending.answered.signal() }
            }
            handOver()
        }
        lock.unlock()
        return try request.result!.get()
    }

    /// Ends a leader's turn (holding `lock`): the first queued appender leads next.
    private func handOver() {
        leaderActive = false
        committed.broadcast()
        queue.first?.answered.signal()
    }

    /// Runs `body` as the only writer of this process (no group commit in flight), holding `LOCK`.
    func withExclusiveWriter<T>(_ body: (Writer) throws -> T) throws -> T {
        guard let writer else { throw LogError(.unavailable, "Dit log is alleen-lezen geopend") }
        lock.lock()
        while leaderActive { lock.wait(on: committed) }
        leaderActive = true
        lock.unlock()
        defer {
            lock.lock()
            handOver()
            lock.unlock()
        }
        return try writer.withLock {
            try writer.refresh()
            return try body(writer)
        }
    }

    /// Commits the batches of one group in one frame, one write and one fdatasync. A conflict
    /// fails only its own batch; any other failure fails them all, as they share the frame.
    private func commit(_ batches: [AppendBatch]) -> [Result<[AppendResult], LogError>] {
        guard let writer else { return batches.map { _ in .failure(LogError(.unavailable, "alleen-lezen")) } }
        do {
            return try writer.withLock { try writer.commit(batches) }
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

    /// A segment's bytes with only its header and the bytes from `resume` on read: a scan that
    /// resumes at an indexed frame looks at nothing in between. Every index lookup and every
    /// command's catch-up resumes near the end of the active segment, which may hold 16 MiB; reading
    /// (and zeroing) all of it each time cost more than the lookup itself. Positions in the result
    /// are file offsets, as with `readSegment`; the bytes between header and `resume` are unspecified.
    func readSegment(_ segment: SegmentName, resumingAt resume: Int) throws -> [UInt8] {
        let file = try FileHandle(path: logPath(segment), flags: O_RDONLY)
        let size = Int(try file.size())
        // A header is a few hundred bytes (at most 64 frontier hashes); 64 KiB covers it many times over.
        let head = min(resume, 64 << 10)
        guard resume < size else { return try file.readAll() }
        var usable = true
        let bytes = try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized throws(LogError) in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            let readHead = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<head]), at: 0)
            let readTail = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[resume...]), at: Int64(resume))
            // The header frame must lie whole in what was read before `resume`.
            guard readHead == head, readTail == size - resume,
                  case let .frame(bounds) = FrameWalker.frame(in: UnsafeRawBufferPointer(rebasing: raw[..<head]), at: 0), bounds.end <= resume
            else {
                usable = false
                initialized = 0
                return
            }
            // The unread middle is never looked at; it is left as the allocator gave it.
            initialized = size
        }
        // The file shrank while read (a torn tail cut off by a writer) or its head is not a whole
        // frame: read it whole, and let the scan judge it.
        return usable ? bytes : try file.readAll()
    }
}
