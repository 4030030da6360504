/// Read-only access to a log (log-format §3–§10): what read commands, the HTTP server's reads, the
/// projector and auditors use. It creates nothing, repairs nothing, writes no file and holds no
/// lock: each read sees the log as writers last made it durable (a snapshot of its end, taken for
/// an instant under the writers' lock, shared), so an append in progress or a torn tail left by a
/// crash is neither shown nor touched. The derived index is read from its file when it is there
/// and current; what the reader indexes itself (the lines after the writers' high-water mark, proof
/// hashes) stays in its memory.
///
/// A writer's own `reader` reads through the writer instead: the same answers, with its index.
public final class LogReader: @unchecked Sendable {
    let log: EventLog

    /// Opens the log in `directory` for reading; throws `unavailable` when there is none.
    public init(directory: String, configuration: LogConfiguration = LogConfiguration()) throws {
        log = try EventLog(directory: directory, configuration: configuration, forWriting: false)
    }

    init(log: EventLog) {
        self.log = log
    }

    public var directory: String { log.directory }
    public var keyDirectory: String? { log.keyDirectory }

    /// Streams entries from `position` in log order until `body` returns false or the log ends.
    public func read(from position: Int64 = 1, _ body: (LogEntry) throws -> Bool) throws {
        try log.read(from: position, body)
    }

    /// The last position in the log (0 when empty).
    public func lastPosition() throws -> Int64 { try log.lastPosition() }

    /// Every event of one zaak (before position `end`), in log order.
    public func events(ofZaak zaak: String, before end: Int64 = .max) throws -> [LogEntry] { try log.events(ofZaak: zaak, before: end) }

    /// The position of the event with this id, nil when it is not in the log.
    public func position(ofId id: String) throws -> Int64? { try log.position(ofId: id) }

    /// The position of the zaak's last event (0 when it has none).
    public func lastPosition(ofZaak zaak: String) throws -> Int64 { try log.lastPosition(ofZaak: zaak) }

    public func segments() throws -> [SegmentName] { try log.segments() }

    public func status() throws -> LogStatus { try log.status() }

    public func verify(trusting keys: [CheckpointPublicKey] = [], trustedCheckpoints: [TrustedCheckpoint] = []) throws -> VerifyReport {
        try log.verify(trusting: keys, trustedCheckpoints: trustedCheckpoints)
    }

    /// The installation's public key, when it has one: an auditor trusts it only through a
    /// fingerprint they hold (log-format §5.1).
    public func installationKey() throws -> CheckpointPublicKey? { try log.installationKeys().first }
}

extension EventLog {
    /// This writer's log, for code that only reads (the projector after a command, say).
    public var reader: LogReader { LogReader(log: self) }
}

extension AuditProver {
    /// A prover over a reader: the proof hashes it computes stay in the reader's memory.
    public convenience init(reader: LogReader) throws {
        try self.init(log: reader.log)
    }
}
