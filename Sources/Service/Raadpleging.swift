import EventLog
import Projections
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The query side of the service, for read commands and the server's reads: the log through a
/// `LogReader` and the read models opened read-only, as they stand. It never writes anything —
/// not the log, not its index, not the read models; whoever appends brings the read models up to
/// date through the one `Projector`.
public final class Raadpleging {
    public let dataDirectory: String
    public let log: LogReader
    public let lezer: Leesmodel
    /// The zaken's keys, read-only: what the log says is decrypted as it is read, nothing kept.
    public let sleutels: LogSleutels

    /// Throws `unavailable` when `dataDirectory` holds no log (a mistyped `--data` creates nothing).
    /// Read models that do not exist yet read as empty.
    public init(dataDirectory: String) throws {
        self.dataDirectory = dataDirectory
        log = try LogReader(directory: dataDirectory + "/log")
        sleutels = try LogSleutels(dataDirectory: dataDirectory)
        let pad = dataDirectory + "/projecties.sqlite"
        lezer = access(pad, F_OK) == 0 ? try Leesmodel(alleenLezen: pad) : try Projecties(path: ":memory:", sleutels: sleutels).lezer
    }

    /// How far the read models are behind the log: nil when they reflect all of it.
    public func achterstand() throws -> (leesmodellen: Int64, log: Int64)? {
        let applied = try lezer.positie(), end = try log.lastPosition()
        return applied < end ? (applied, end) : nil
    }
}
