import Dispatch
import Locking

/// Writes a writer's remembered lines into the index, in order, on a thread of its own.
///
/// At a checkpoint the index takes the lines since the last one: two B-tree rows per line under
/// random keys, so nearly a page written to the WAL per row, which took more time than encoding,
/// hashing, compressing and syncing the lines themselves. A large commit hands them here and goes
/// on; the second core writes them over a connection of its own while the next commit is prepared.
/// Generations queued while one is written are written together, in one transaction, so the index
/// costs less per line the further it falls behind.
///
/// Until a generation's rows are committed it stays in `pending`, where the writer's lookups find
/// its lines. Generations are written oldest first and each transaction moves the mark only as far
/// as its own lines, so the index never claims a line it does not have. A failed write keeps its
/// generations for the next attempt; nothing here is needed for durability (the log is written
/// first), only for speed: a reader catches up on what the index lacks.
final class IndexFlusher: @unchecked Sendable {
    private let path: String
    /// The writer's own connection, for the writes a commit waits for: a `zaak` command that
    /// writes a checkpoint must not pay for opening a second connection.
    private let primary: LogIndex
    private let queue = DispatchQueue(label: "zaaklog-index-flush")
    private let lock = Lock()
    /// Guarded by `lock`; written only on `queue`, in the order submitted.
    private var queued: [RecentLines] = []
    /// Opened on `queue` at the first background write, so that a process which never writes in
    /// the background opens nothing.
    private var connection: LogIndex?

    init(path: String, primary: LogIndex) {
        self.path = path
        self.primary = primary
    }

    /// The generations not yet in the index, oldest first. A caller that takes these before it
    /// begins reading the index sees every line in one or the other: a generation leaves this list
    /// only after its transaction committed.
    var pending: [RecentLines] { lock.withLock { queued } }

    /// Queues `lines` and writes them in the background.
    func submit(_ lines: RecentLines) {
        guard lines.count > 0 || !lines.rows.frames.isEmpty else { return }
        lock.withLock { queued.append(lines) }
        queue.async {
            try? self.writeQueued(over: {
                if self.connection == nil { self.connection = try LogIndex(path: self.path) }
                return self.connection!
            })
        }
    }

    /// Queues `lines` and returns once they and everything before them are in the index.
    func flush(_ lines: RecentLines) throws {
        if lines.count > 0 || !lines.rows.frames.isEmpty { lock.withLock { queued.append(lines) } }
        try queue.sync { try writeQueued(over: { primary }) }
    }

    /// Waits for the writes queued so far (a closed log leaves its index complete).
    func waitUntilIdle() {
        queue.sync {}
    }

    /// On `queue`: everything queued, in one transaction over `index`.
    private func writeQueued(over index: () throws -> LogIndex) throws {
        let taken = pending
        guard !taken.isEmpty else { return }
        var rows = LogIndex.Batch()
        for generation in taken { rows.append(generation.rows) }
        try index().write(rows)
        lock.withLock { queued.removeFirst(taken.count) }
    }
}
