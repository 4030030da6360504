import EventLog

/// Why there is no checkpoint to prove against.
public enum CheckpointLookupError: Error, Sendable, Equatable {
    /// None of exactly that size; `near` are the nearest sizes there are (empty: no checkpoints yet).
    case noneOfSize(Int64, near: [Int64])
    /// The position is past the end of the log, which holds `last` events.
    case beyondLog(position: Int64, last: Int64)
    /// The position comes after the last checkpoint; the next one is written within the hour.
    case afterLastCheckpoint(position: Int64)
}

extension AuditProver {
    /// The checkpoint of exactly `treeSize` events.
    public func checkpoint(exactly treeSize: Int64) throws -> Checkpoint {
        if let checkpoint = try checkpoint(treeSize: treeSize) { return checkpoint }
        throw CheckpointLookupError.noneOfSize(treeSize, near: try checkpointSizes(near: treeSize))
    }

    /// The newest checkpoint whose tree holds `position` (signed if any is), else why there is none.
    public func checkpoint(covering position: Int64, of log: LogReader) throws -> Checkpoint {
        if let checkpoint = try checkpoint(covering: position) { return checkpoint }
        // Only now the end of the log (reading it costs more than the proof).
        let last = try log.lastPosition()
        guard position <= last else { throw CheckpointLookupError.beyondLog(position: position, last: last) }
        throw CheckpointLookupError.afterLastCheckpoint(position: position)
    }

    /// The entries of `log` recorded from `start` up to `end` (UTC milliseconds since the epoch).
    public func entries(of log: LogReader, recordedFrom start: Int64, before end: Int64) throws -> [LogEntry] {
        var entries: [LogEntry] = []
        // vastgelegdOp never decreases: start reading at the last checkpoint before the period.
        try log.read(from: (try checkpoint(recordedBefore: start)?.treeSize ?? 0) + 1) { entry in
            if entry.recordedAt >= end { return false }
            if entry.recordedAt >= start { entries.append(entry) }
            return true
        }
        return entries
    }
}
