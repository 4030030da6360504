import Domain
import EventLog
import Foundation

/// Reads and decodes the log on a second thread while the caller applies what was read. On a
/// rebuild, reading, decompressing and decoding the lines is about a third of the work; applying
/// them (evolve, SQLite) is the rest, and it must stay on one thread and in log order.
enum ReadAhead {
    /// Visits the entries from `position` in log order, each with its decoded event (nil when the
    /// line is not a domain event), until `body` returns false, the log ends, or the first entry the
    /// log recorded after `until`. Damage is thrown after every entry before it was visited, as
    /// `EventLog.read` does.
    static func read(
        _ log: EventLog, from position: Int64, until: Tijdstip?,
        _ body: (LogEntry, ZaakGebeurtenis?) throws -> Bool
    ) throws {
        let channel = Channel(depth: 16)
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            defer { finished.signal() }
            var chunk: [Channel.Item] = []
            chunk.reserveCapacity(Channel.chunkSize)
            do {
                try log.read(from: position) { entry in
                    if let until, entry.recordedAt > until.milliseconden { return false }
                    chunk.append((entry, try? ZaakGebeurtenis(logregel: entry.line)))
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
        // Deeply nested JSON is refused at depth 512; the decoder must not run out of stack first.
        reader.stackSize = 8 << 20
        reader.name = "log-read-ahead"
        reader.start()
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

        private let condition = NSCondition()
        private var chunks: [[Item]] = []
        private var done = false
        private var cancelled = false
        private let depth: Int
        private(set) var failure: (any Error)?

        init(depth: Int) { self.depth = depth }

        /// Waits while the queue is full; false once the caller has stopped reading.
        func put(_ chunk: [Item]) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            while chunks.count >= depth && !cancelled { condition.wait() }
            guard !cancelled else { return false }
            chunks.append(chunk)
            condition.broadcast()
            return true
        }

        func finish(_ error: (any Error)?) {
            condition.lock()
            defer { condition.unlock() }
            done = true
            failure = error
            condition.broadcast()
        }

        /// The next chunk; nil when the reader has finished and everything was taken.
        func take() -> [Item]? {
            condition.lock()
            defer { condition.unlock() }
            while chunks.isEmpty && !done { condition.wait() }
            guard !chunks.isEmpty else { return nil }
            condition.broadcast()
            return chunks.removeFirst()
        }

        func cancel() {
            condition.lock()
            defer { condition.unlock() }
            cancelled = true
            condition.broadcast()
        }
    }
}
