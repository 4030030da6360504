import Domain
import EventLog
import Service
import HTTPTypes
import Hummingbird
import Projections
import ServiceLifecycle
import Synchronization

/// The live feed: Server-Sent Events from a log position. Each event's `id:` is its log position,
/// so a client that reconnects with `Last-Event-ID` continues right after the last event it got:
/// nothing missed, nothing twice. New events are found by reading the log's tail every 200 ms in
/// the server; the client just keeps the connection open.
package enum Feed {
    static let batch = 500
    static let interval: Duration = .milliseconds(200)
    static let keepalive: Duration = .seconds(15)

    package static func stroom(_ verzoek: inout Verzoek) async throws -> Response {
        var start = try verzoek.query("vanaf").map { Int64(try getal($0, "vanaf", 1...Int.max)) } ?? 1
        if let last = verzoek.request.headers[.lastEventID] {
            guard let position = Int64(last), position >= 0 else { throw Probleem.ongeldig("Last-Event-ID '\(last.citaat)' is geen logpositie") }
            start = position + 1
        }
        let tot = try verzoek.query("tot").map { Int64(try getal($0, "tot", 1...Int.max)) }
        let types = verzoek.query("type").map { Set($0.split(separator: ",").map(String.init)) }
        var afdeling = verzoek.query("afdeling")
        if case let .afdeling(eigen) = verzoek.rol {
            if let afdeling { try verzoek.eigenAfdeling(afdeling) }
            afdeling = eigen  // an afdeling follows only what was handed to it
        }
        let filter = afdeling
        let v = verzoek
        let first = start
        let requestBody = verzoek.request.body
        let body = ResponseBody { writer in
            // Stop when the client goes away or the server shuts down, not only at the next failed write.
            let gone = Mutex(false)
            try await requestBody.consumeWithInboundCloseHandler { _ in
                var next = first
                // Elapsed time, not the date: a set ZAAK_NU stands still.
                let clock = ContinuousClock()
                var lastWrite = clock.now
                while tot.map({ next <= $0 }) ?? true, !gone.withLock({ $0 }), !Task.isShuttingDownGracefully, v.nogGeldig() {
                    let from = next
                    let (events, betrokkenen, after) = try await v.bron.metWerker { werker in
                        try lees(v.bron.lezer, werker, vanaf: from, tot: tot, types: types, afdeling: filter, alleenSignalen: v.alleenSignalen)
                    }
                    if !events.isEmpty {
                        // Signals name zaken, no inwoner: one record without a data subject, as for the afsluitcontrole.
                        try await v.verwerkt(v.alleenSignalen ? "wijzigingen volgen" : "gebeurtenissen volgen", betrokkenen: v.alleenSignalen ? [] : betrokkenen)
                        var buffer = ByteBuffer()
                        for event in events {
                            buffer.writeString("id: \(event.positie)\nevent: \(event.type)\ndata: ")
                            buffer.writeBytes(event.regel)
                            buffer.writeString("\n\n")
                        }
                        try await writer.write(buffer)
                        lastWrite = clock.now
                    }
                    if after == next {
                        if clock.now - lastWrite > keepalive {
                            // A comment line: keeps proxies from closing the connection, and finds a gone client.
                            try await writer.write(ByteBuffer(string: ": wacht op nieuwe gebeurtenissen\n\n"))
                            lastWrite = clock.now
                        }
                        try await Task.sleep(for: interval)
                    }
                    next = after
                }
            } onInboundClosed: {
                gone.withLock { $0 = true }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    struct Uitgaand: Sendable {
        let positie: Int64, type: String, regel: [UInt8]
    }

    /// The next events from `vanaf` that pass the filters, their data subjects, and where to go on.
    static func lees(_ log: LogReader, _ werker: Bron.Werker, vanaf: Int64, tot: Int64?, types: Set<String>?,
                     afdeling: String?, alleenSignalen: Bool = false) throws -> ([Uitgaand], [(inwoner: String, zaak: String?)], Int64) {
        var entries: [LogEntry] = []
        try log.read(from: vanaf) { entry in
            guard tot.map({ entry.position <= $0 }) ?? true else { return false }
            entries.append(entry)
            return entries.count < batch
        }
        guard let last = entries.last else { return ([], [], vanaf) }
        // The read models must know these events' zaken (inwoner, handoffs).
        if try werker.lezer.positie() < last.position { try werker.service.bijwerken() }
        var events: [Uitgaand] = []
        var betrokkenen: [(inwoner: String, zaak: String?)] = []
        for entry in entries {
            let event = try ZaakGebeurtenis(logregel: entry.line, sleutels: werker.service.sleutels)
            if let types, !types.contains(event.gebeurtenis.type) { continue }
            if let afdeling, try !werker.lezer.isDoorverwezen(entry.zaak, naar: afdeling) { continue }
            // The line as readers see it: personal members decrypted, or left out once erased (docs/avg.md).
            let regel = alleenSignalen ? Array("{\"zaak\":\"\(entry.zaak)\"}".utf8) : try ZaakGebeurtenis.leesbareRegel(entry.line, sleutels: werker.service.sleutels)
            events.append(Uitgaand(positie: entry.position, type: event.gebeurtenis.type, regel: regel))
            betrokkenen.append((try werker.lezer.inwoner(van: entry.zaak) ?? Verwerkingslog.zonderBetrokkene, entry.zaak))
        }
        return (events, betrokkenen, last.position + 1)
    }
}
