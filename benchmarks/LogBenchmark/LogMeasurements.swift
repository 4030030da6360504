import EventLog
import Foundation

/// Measurements of `EventLog` itself, each on a fresh directory.
enum LogMeasurements {
    struct Append {
        let throughput: Throughput
        let status: LogStatus
    }

    /// Single-threaded durable appends: every `append` returns after its frame is fdatasync-ed.
    static func append(_ workload: Workload, count: Int, batch: Int, directory: String,
                       configuration: LogConfiguration = LogConfiguration()) throws -> Append {
        let log = try EventLog(directory: directory, configuration: configuration)
        let batches = workload.batches(count, of: batch)
        let throughput = try timed(events: count) {
            for records in batches { try log.append(records) }
        }
        let status = try log.status()
        try check(status, holds: count, of: workload)
        return Append(throughput: throughput, status: status)
    }

    struct GroupCommit {
        let throughput: Throughput
        /// Events per data frame, i.e. per write + fdatasync: how much the appenders were grouped.
        let eventsPerCommit: Double
    }

    /// `threads` threads each appending their own events one at a time to one log. Real threads, not
    /// `concurrentPerform`: that runs only as many blocks at once as there are cores (2 here), and an
    /// appender spends its time blocked in fdatasync, not on a core.
    static func groupCommit(_ workload: Workload, threads: Int, perThread: Int, directory: String) throws -> GroupCommit {
        let log = try EventLog(directory: directory)
        let firstError = FirstError()
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for thread in 0..<threads {
            let own = Array(workload.records[(thread * perThread)..<((thread + 1) * perThread)])
            finished.enter()
            Thread {
                go.wait()
                do {
                    for record in own { try log.append([record]) }
                } catch {
                    firstError.record(error)
                }
                finished.leave()
            }.start()
        }
        let count = threads * perThread
        let throughput = timed(events: count) {
            for _ in 0..<threads { go.signal() }
            finished.wait()
        }
        if let error = firstError.error { throw error }
        let status = try log.status()
        try check(status, holds: count, of: workload)
        let frames = status.segments.reduce(0) { $0 + $1.dataFrames }
        return GroupCommit(throughput: throughput, eventsPerCommit: Double(count) / Double(frames))
    }

    /// The public read path: every entry from position 1, decoded into `LogEntry` values. The bytes
    /// delivered are checked too, so MB/s figures rest on what was really read.
    static func scan(_ log: EventLog, expected count: Int, jsonBytes: Int) throws -> Throughput {
        var events = 0, bytes = 0
        let throughput = try timed(events: count) {
            try log.read(from: 1) { entry in
                events += 1
                bytes += entry.line.count + 1
                return true
            }
        }
        guard events == count, bytes == jsonBytes else {
            throw BenchmarkFailure("read delivered \(events) events in \(bytes) bytes; the log holds \(count) in \(jsonBytes)")
        }
        return throughput
    }

    /// `log.verify()`: decode, checksums, JSON well-formedness, unique ids, Merkle root.
    static func verify(_ log: EventLog, expected count: Int) throws -> Throughput {
        var verified: Int64 = 0
        let throughput = try timed(events: count) { verified = try log.verify().events }
        guard verified == count else { throw BenchmarkFailure("verify checked \(verified) events, the log holds \(count)") }
        return throughput
    }

    /// The floor under verify: only the Merkle tree over the same lines, already decompressed in
    /// memory, on one thread (verify also decompresses, checks checksums, JSON and ids, on every core).
    static func hashing(_ workload: Workload, count: Int) throws -> Throughput {
        var tree = MerkleFrontier()
        let throughput = timed(events: count) {
            workload.jsonLines.withUnsafeBytes { raw in
                var start = 0
                for end in workload.lineEnds.prefix(count) {
                    tree.append(line: UnsafeRawBufferPointer(rebasing: raw[start..<(end - 1)]))
                    start = end
                }
            }
        }
        guard tree.size == count else { throw BenchmarkFailure("hashed \(tree.size) lines, expected \(count)") }
        return throughput
    }

    /// Roll the active segment and seal every closed one (LZ4 HC recompression into large blocks).
    static func seal(_ log: EventLog, events count: Int) throws -> Throughput {
        try timed(events: count) {
            try log.rollActiveSegment()
            try log.sealClosedSegments()
        }
    }

    /// A ratio is only fair if the log stored exactly the events, and bytes, the baselines wrote.
    static func check(_ status: LogStatus, holds count: Int, of workload: Workload) throws {
        guard status.lastPosition == count, status.rawBytes == workload.jsonBytes(count) else {
            throw BenchmarkFailure("""
                the log holds \(status.lastPosition) events in \(status.rawBytes) bytes of JSON Lines; \
                expected \(count) in \(workload.jsonBytes(count)) (did the line layout of log-format §3 change? \
                update Workload.appendLine)
                """)
        }
    }
}

/// The first error any appending thread hit. Threads share it, hence the lock.
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var first: (any Error)?

    func record(_ error: any Error) {
        lock.lock()
        defer { lock.unlock() }
        if first == nil { first = error }
    }

    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}
