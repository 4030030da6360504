import Dispatch
import Domain
import EventLog
import Projections
import Service
import Synchronization

/// What the server serves from: the data directory's log (appended to through the same
/// `ZaakService` as the CLI, read through a `LogReader`), its one projector, the read models opened
/// read-only, the processing log and the tokens. Reads never write: they see the read models as
/// every appender, the server's own requests and CLI commands alike, left them. Blocking work
/// (SQLite, fsync) runs on Dispatch threads, never on Swift's cooperative pool, so that many
/// appends can wait on one group commit at the same time.
public final class Bron: Sendable {
    public let dataDirectory: String
    public let log: EventLog
    public let lezer: LogReader
    public let projector: Projector
    public let catalogus: Catalogus
    public let verwerkingen: Verwerkingslog
    public let tokens: Tokenbestand
    public let metingen: Metingen
    private let vrij = Mutex<[Werker]>([])

    /// One request's tools: a service (appending through the shared log and projector) and a
    /// read-only connection to the read models. Used by one request at a time.
    package final class Werker: @unchecked Sendable {
        package let service: ZaakService
        package let lezer: Leesmodel
        init(service: ZaakService, lezer: Leesmodel) {
            self.service = service
            self.lezer = lezer
        }
    }

    public init(dataDirectory: String, metingen: Metingen = Metingen()) throws {
        self.dataDirectory = dataDirectory
        self.metingen = metingen
        log = try EventLog(directory: dataDirectory + "/log", configuration: metingen.configuratie(log: "zaken"))
        lezer = try LogReader(directory: dataDirectory + "/log")
        projector = try Projector(dataDirectory: dataDirectory)
        catalogus = try laadCatalogus(dataDirectory)
        verwerkingen = try Verwerkingslog(dataDirectory: dataDirectory, keys: projector.sleutels.keys, configuration: metingen.configuratie(log: "verwerkingen"))
        tokens = Tokenbestand(dataDirectory: dataDirectory)
        // Whatever an appender left unapplied (a crash between append and catch-up), and the file
        // the read-only connections open.
        try projector.bijwerken(uit: lezer)
    }

    /// Runs blocking work (file reads, fsync) on a Dispatch thread.
    package func blokkerend<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` with a free worker on a Dispatch thread.
    package func metWerker<T: Sendable>(_ body: @escaping @Sendable (Werker) throws -> T) async throws -> T {
        try await blokkerend {
            let werker = try self.vrij.withLock { $0.popLast() } ?? self.nieuweWerker()
            defer { self.vrij.withLock { $0.append(werker) } }
            return try body(werker)
        }
    }

    /// Reads from the read models as they stand, with the moment "now" for deadlines.
    package func lees<T: Sendable>(_ body: @escaping @Sendable (Leesmodel, Tijdstip) throws -> T) async throws -> T {
        try await metWerker { werker in try body(werker.lezer, Tijdstip.nu()) }
    }

    private func nieuweWerker() throws -> Werker {
        Werker(service: ZaakService(log: log, projector: projector, catalogus: catalogus), lezer: try Leesmodel(alleenLezen: projector.pad))
    }
}
