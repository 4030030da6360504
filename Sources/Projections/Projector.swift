import EventLog
import Locking
import SQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place that applies a data directory's log to its read models (`projecties.sqlite`).
/// Whoever applies — an agent command after its append, an import, the generator, `zaak serve`,
/// `zaak projecties herbouw` — does it through a Projector, which holds `projecties.lock` (and,
/// within the process, a mutex) while it writes, so two never apply at once. Readers take neither:
/// they read the read models as they stand (`Leesmodel`), beside the writer in WAL mode.
public final class Projector: @unchecked Sendable {
    public let pad: String
    private let fileLock: FileLock?
    private let mutex = Lock()
    private var opened: Projecties?

    /// The data directory's zaak keys, shared by everything that decodes its log.
    public let sleutels: LogSleutels

    public init(dataDirectory: String) throws {
        pad = dataDirectory + "/projecties.sqlite"
        sleutels = try LogSleutels(dataDirectory: dataDirectory)
        fileLock = FileLock(path: dataDirectory + "/projecties.lock")
    }

    /// Runs `body` as the data directory's only projector, on the read models opened once.
    private func exclusively<T>(_ body: (Projecties) throws -> T) throws -> T {
        try mutex.withLock {
            guard let fileLock else {
                throw LogError(.unavailable, "kan \(pad.dropLast(6))lock niet openen of maken; is de gegevensmap schrijfbaar?")
            }
            return try fileLock.withLock {
                let projecties = try opened ?? Projecties(path: pad, sleutels: sleutels)
                opened = projecties
                return try body(projecties)
            }
        }
    }

    /// Applies what the log holds after the read models' checkpoint; writes nothing when nothing
    /// is new. `voorkennis` spares reading back the zaken a command just decided on.
    @discardableResult
    public func bijwerken(uit log: LogReader, voorkennis: [Projecties.Voorkennis] = []) throws -> Projecties.Bijwerking {
        try exclusively { try $0.bijwerken(uit: log, voorkennis: voorkennis) }
    }

    /// Rebuilds every read model from the log into a new file beside the live one (without the
    /// lock: the live read models keep serving and following the log meanwhile), then, as the
    /// projector, brings it up to the log's end and copies it into the live database in one
    /// transaction. Nothing is renamed or deleted under a reader: a running server's connections
    /// see the old content or the new one, and go on without reopening.
    public func herbouw(uit log: LogReader, voortgang: ((Int64) -> Void)? = nil) throws -> Projecties.Bijwerking {
        let fresh = pad + ".herbouw"
        func removeFresh() { for suffix in ["", "-wal", "-shm"] { unlink(fresh + suffix) } }
        removeFresh()
        defer { removeFresh() }
        let rebuilt = try Projecties(path: fresh, sleutels: sleutels)
        var result = try rebuilt.bouwNieuw(uit: log, voortgang: voortgang)
        return try exclusively { live in
            let rest = try rebuilt.bijwerken(uit: log)
            result.toegepast += rest.toegepast
            result.overgeslagen += rest.overgeslagen
            result.positie = rest.positie
            try live.database.replaceContent(with: rebuilt.database)
            return result
        }
    }
}
