import DemoTraffic
import Domain
import EventLog
import Projections

/// A run of the generator into a data directory: the log in durable batches of simulated time, then
/// the read models. Progress and results come back as values; whoever runs it says them to people.
public final class DemoLoad {
    private let log: EventLog
    private let sleutels: LogSleutels
    private let clock: SimulatedClock
    /// The log's first entry before this run: a continued run must start with exactly that event.
    private let existingFirst: LogEntry?

    /// What an append run did.
    public struct Appended: Sendable {
        public var events = 0
        /// Events written now; the others were already in the log (a continued run).
        public var fresh = 0
        public var batches = 0
    }

    /// The log already holds events that this traffic did not make; nothing was appended.
    public struct ForeignLog: Error, Sendable {
        public let firstID: String
    }

    /// Opens the log for writing, with its clock following the simulated time of the batches.
    public init(dataDirectory: String) throws {
        let logDirectory = dataDirectory + "/log"
        sleutels = try LogSleutels(dataDirectory: dataDirectory)
        let clock = SimulatedClock()
        var configuration = LogConfiguration()
        // The log records each batch at the simulated moment it was handed in, so a run is reproducible
        // (the same events at the same moments; the ciphertexts differ, under fresh keys and nonces).
        configuration.clock = { clock.milliseconds }
        log = try EventLog(directory: logDirectory, configuration: configuration)
        self.clock = clock
        var first: LogEntry?
        if try log.lastPosition() > 0 { try log.read(from: 1) { first = $0; return false } }
        existingFirst = first
    }

    /// Appends all of the generator's traffic; `day` follows every simulated day with the totals so far.
    public func append(_ generator: inout Verkeersgenerator, day: (_ day: Datum, _ events: Int, _ zaken: Int) -> Void) throws -> Appended {
        var pending: [ZaakGebeurtenis] = []
        var bucket: Int64 = 0, lastAt: Int64 = 0
        var result = Appended()
        func commit() throws {
            guard !pending.isEmpty else { return }
            // Only a run of the same traffic may continue a log: its first event must be ours.
            if let existingFirst, result.batches == 0 {
                var stored = try ZaakGebeurtenis.uitLog(existingFirst.line, sleutels: sleutels)
                stored?.positie = nil
                stored?.vastgelegdOp = nil
                guard existingFirst.id == pending[0].id, stored == pending[0] else { throw ForeignLog(firstID: existingFirst.id) }
            }
            clock.milliseconds = lastAt
            result.fresh += try log.append(try sleutels.records(pending)).count { !$0.alreadyPresent }
            result.batches += 1
            pending.removeAll(keepingCapacity: true)
        }
        // Batches as the KCC's systems hand them in: everything of a quarter of an hour (at most 2000).
        while let date = try generator.volgendeDag({ event in
            let at = event.plaatsgevondenOp.milliseconden
            if at / 900_000 != bucket || pending.count >= 2000 {
                try commit()
                bucket = at / 900_000
            }
            lastAt = at
            pending.append(event)
            result.events += 1
        }) {
            day(date, result.events, generator.geopend)
        }
        try commit()
        return result
    }

    /// Brings the data directory's read models up to the log, as its one projector.
    public func updateReadModels(of dataDirectory: String) throws -> Projecties.Bijwerking {
        try Projector(dataDirectory: dataDirectory).bijwerken(uit: log.reader)
    }

    /// Writes the generator's traffic as `zaak import` reads it, the log line without the log's own
    /// fields, in chunks of about 1 MiB to `write`; `day` as in `append`. Returns the events written.
    public static func ndjson(_ generator: inout Verkeersgenerator, write: ([UInt8]) throws -> Void,
                              day: (_ day: Datum, _ events: Int, _ zaken: Int) -> Void) throws -> Int {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var events = 0
        while let date = try generator.volgendeDag({ event in
            // Ids and zaaknummers are plain ASCII without quotes or backslashes (ZaakGebeurtenis.isGeldigeId).
            buffer += Array(#"{"id":""#.utf8) + Array(event.id.utf8) + Array(#"","zaak":""#.utf8) + Array(event.zaak.description.utf8) + Array(#"","#.utf8)
            buffer += event.logBody().dropFirst()
            buffer.append(0x0A)
            events += 1
            if buffer.count >= 1 << 20 {
                try write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }) {
            day(date, events, generator.geopend)
        }
        try write(buffer)
        return events
    }
}

/// The log's clock during generation: the simulated time of the batch being appended.
private final class SimulatedClock: @unchecked Sendable {
    var milliseconds: Int64 = 0
}
