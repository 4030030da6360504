import Dispatch
import Domain
import EventLog
import Projections
import Service
import Synchronization

/// What the server serves from: the data directory's log, the same `ZaakService` (deciders,
/// conditional appends) as the CLI, the read models opened read-only, the processing log and the
/// tokens. Blocking work (SQLite, fsync) runs on Dispatch threads, never on Swift's cooperative
/// pool, so that many appends can wait on one group commit at the same time.
public final class Bron: Sendable {
    public let dataDirectory: String
    public let log: EventLog
    public let catalogus: Catalogus
    public let verwerkingen: Verwerkingslog
    public let tokens: Tokenbestand
    private let vrij = Mutex<[Werker]>([])

    /// One request's tools: a service (with its own connection for catching the read models up)
    /// and a read-only view of the read models. Used by one request at a time.
    final class Werker: @unchecked Sendable {
        let service: ZaakService
        let lezer: Leesmodel
        init(service: ZaakService, lezer: Leesmodel) {
            self.service = service
            self.lezer = lezer
        }
    }

    public init(dataDirectory: String) throws {
        self.dataDirectory = dataDirectory
        log = try EventLog(directory: dataDirectory + "/log")
        catalogus = try laadCatalogus(dataDirectory)
        verwerkingen = try Verwerkingslog(dataDirectory: dataDirectory)
        tokens = Tokenbestand(dataDirectory: dataDirectory)
        // The read models must exist before they can be opened read-only.
        try ZaakService(log: log, dataDirectory: dataDirectory, catalogus: catalogus).bijwerken()
    }

    /// Runs blocking work (file reads, fsync) on a Dispatch thread.
    func blokkerend<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` with a free worker on a Dispatch thread.
    func metWerker<T: Sendable>(_ body: @escaping @Sendable (Werker) throws -> T) async throws -> T {
        try await blokkerend {
            let werker = try self.vrij.withLock { $0.popLast() } ?? self.nieuweWerker()
            defer { self.vrij.withLock { $0.append(werker) } }
            return try body(werker)
        }
    }

    /// Reads from read models that reflect at least everything in the log now (a CLI's append
    /// included), with the moment "now" for deadlines.
    func lees<T: Sendable>(_ body: @escaping @Sendable (Leesmodel, Tijdstip) throws -> T) async throws -> T {
        try await metWerker { werker in
            try werker.service.bijwerken()
            return try body(werker.lezer, Tijdstip.nu())
        }
    }

    private func nieuweWerker() throws -> Werker {
        let service = ZaakService(log: log, dataDirectory: dataDirectory, catalogus: catalogus)
        return Werker(service: service, lezer: try Leesmodel(alleenLezen: try service.projecties().pad))
    }
}
