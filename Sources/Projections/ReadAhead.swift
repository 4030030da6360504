import Dispatch
import Domain
import EventLog
import Locking

/// Reads and decodes the log on a second thread while the caller applies what was read. On a
/// rebuild, reading, decompressing and decoding the lines is about a third of the work; applying
/// them (evolve, SQLite) is the rest, and it must stay on one thread and in log order.
enum ReadAhead {
    /// Visits the entries from `position` in log order, each with its decoded event (nil when the
    /// line is not a domain event), until `body` returns false, the log ends, or the first entry the
    /// log recorded after `until`. Damage is thrown after every entry before it was visited, as
    /// `LogReader.read` does.
    static func read(
        _ log: LogReader, sleutels: LogSleutels, from position: Int64, until: Tijdstip?, onThread: Bool = true,
        _ body: (LogEntry, ZaakGebeurtenis?) throws -> Bool
    ) throws {
        guard onThread else {
            return try log.read(from: position) { entry in
                if let until, entry.recordedAt > until.milliseconden { return false }
                return try body(entry, try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels))
            }
        }
        let channel = Channel(depth: 16)
        let finished = DispatchSemaphore(value: 0)
        // A queue of its own: the reader blocks while the channel is full, which must not hold up
        // a shared pool. Dispatch, unlike Foundation's Thread, costs the CLI no start-up time.
        DispatchQueue(label: "log-read-ahead").async {
            defer { finished.signal() }
            var chunk: [Channel.Item] = []
            chunk.reserveCapacity(Channel.chunkSize)
            do {
                try log.read(from: position) { entry in
                    if let until, entry.recordedAt > until.milliseconden { return false }
                    chunk.append((entry, try ZaakGebeurtenis.uitLog(entry.line, sleutels: sleutels)))
                    guard chunk.count == Channel.chunkSize else { return true }
                    defer { chunk.removeAll(keepingCapacity: true) }
                    return channel.put(chunk)
                }
                if !chunk.isEmpty { _ = channel.put(chunk) }
                channel.finish(nil)
            } catch {
                channel.finish(error)
            }
        }
        // However this ends, the reader stops and is gone before the log is used again.
        defer {
            channel.cancel()
            finished.wait()
        }
        while let chunk = channel.take() {
            for item in chunk {
                guard try body(item.entry, item.event) else { return }
            }
        }
        if let failure = channel.failure { throw failure }
    }

    /// A bounded queue of chunks between the reader and the caller.
    private final class Channel: @unchecked Sendable {
        typealias Item = (entry: LogEntry, event: ZaakGebeurtenis?)
        static let chunkSize = 256

        private let lock = Lock()
        private let changed = Condition()
        private var chunks: [[Item]] = []
        private var done = false
        private var cancelled = false
        private let depth: Int
        private(set) var failure: (any Error)?

        init(depth: Int) { self.depth = depth }

        /// Waits while the queue is full; false once the caller has stopped reading.
        func put(_ chunk: [Item]) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            while chunks.count >= depth && !cancelled { lock.wait(on: changed) }
            guard !cancelled else { return false }
            chunks.append(chunk)
            changed.broadcast()
            return true
        }

        func finish(_ error: (any Error)?) {
            lock.lock()
            defer { lock.unlock() }
            done = true
            failure = error
            changed.broadcast()
        }

        /// The next chunk; nil when the reader has finished and everything was taken.
        func take() -> [Item]? {
            lock.lock()
            defer { lock.unlock() }
            while chunks.isEmpty && !done { lock.wait(on: changed) }
            guard !chunks.isEmpty else { return nil }
            changed.broadcast()
            return chunks.removeFirst()
        }

        func cancel() {
            lock.lock()
            defer { lock.unlock() }
            cancelled = true
            changed.broadcast()
        }
    }
}
