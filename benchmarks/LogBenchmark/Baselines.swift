#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SQLite

/// The ceiling: per batch, one `pwrite` of the batch's JSON Lines at the end of a file, then
/// `fdatasync`. No encoding, compression, hashing, locking or index: the disk's own cost of making
/// these bytes durable in these portions. The log writes fewer bytes (LZ4) but does more work.
enum RawCeiling {
    /// Repeats the pass over the events (appending further to the same file) until `minimumSeconds`
    /// have passed: at large batches one pass takes a few tens of milliseconds, too short to time.
    static func measure(_ workload: Workload, count: Int, batch: Int, path: String, minimumSeconds: Double) throws -> Throughput {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BenchmarkFailure("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let clock = ContinuousClock()
        let start = clock.now
        let cpuBefore = processCPUSeconds()
        var events = 0, end = 0
        try workload.jsonLines.withUnsafeBytes { lines in
            repeat {
                for first in stride(from: 0, to: count, by: batch) {
                    let range = workload.byteRange(first..<min(first + batch, count))
                    try writeAll(fd, UnsafeRawBufferPointer(rebasing: lines[range]), at: end)
                    end += range.count
                    guard fdatasync(fd) == 0 else { throw BenchmarkFailure("fdatasync \(path): \(String(cString: strerror(errno)))") }
                }
                events += count
            } while (clock.now - start).seconds < minimumSeconds
        }
        return Throughput(events: events, seconds: (clock.now - start).seconds, cpuSeconds: processCPUSeconds() - cpuBefore)
    }

    /// One `pwrite` normally; the loop only covers short writes and signals.
    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < bytes.count {
            let written = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw BenchmarkFailure("pwrite: \(String(cString: strerror(errno)))") }
            done += written
        }
    }
}

/// What a team would build instead of a log: a SQLite event table, a row per event, the JSON line as
/// text, one transaction per batch, durable commits (WAL + synchronous=FULL fsyncs the WAL on every
/// commit, which is what "acknowledged means durable" requires), a prepared insert.
enum SQLiteBaseline {
    struct Outcome {
        let throughput: Throughput
        /// Database file after a full WAL checkpoint: what the table costs on disk.
        let fileBytes: Int
    }

    static func measure(_ workload: Workload, count: Int, batch: Int, path: String) throws -> Outcome {
        let database = try Database(path: path)
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        try database.execute("CREATE TABLE events(position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, zaak TEXT NOT NULL, data TEXT NOT NULL)")
        let insert = try database.prepare("INSERT INTO events(position, id, zaak, data) VALUES(?, ?, ?, ?)")
        // Built before the clock starts, like the log's records: both sides get ready-made input.
        let lines = workload.lineTexts(count)
        let records = workload.records
        let throughput = try timed(events: count) {
            for first in stride(from: 0, to: count, by: batch) {
                try database.transaction {
                    for index in first..<min(first + batch, count) {
                        try insert.run { statement in
                            try statement.bind(1, Int64(index + 1))
                            try statement.bind(2, records[index].id)
                            try statement.bind(3, records[index].zaak)
                            try statement.bind(4, lines[index])
                        }
                    }
                }
            }
        }
        try database.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Outcome(throughput: throughput, fileBytes: fileSize(path))
    }
}
