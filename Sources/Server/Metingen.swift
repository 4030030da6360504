import EventLog
import Prometheus

/// What `zaak serve` counts for Prometheus (`GET /metrics`): requests and their latency per route,
/// the events it appended, the fsyncs of its logs, processing-log writes, and how far the read
/// models trail the log. Labels are route patterns and status codes, never a path, zaak or inwoner.
public final class Metingen: Sendable {
    let registry = PrometheusCollectorRegistry()

    public init() {}

    private static func naam(_ metricName: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "zaaklog", metricName: metricName, unitName: unit, helpText: help)
    }

    private static var verzoeken: MetricNameDescriptor { naam("http_requests", "total", "Verzoeken per methode, route (patroon) en status.") }
    private static var duur: MetricNameDescriptor { naam("http_request_duration", "seconds", "Duur van een verzoek per methode en route (patroon).") }
    private static var gebeurtenissen: MetricNameDescriptor { naam("appended_events", "total", "Gebeurtenissen die de server aan het log toevoegde.") }
    private static var fsyncs: MetricNameDescriptor { naam("fsyncs", "total", "fsync-aanroepen per log (zaken, verwerkingen).") }
    private static var verwerkingen: MetricNameDescriptor { naam("processing_log_records", "total", "Regels in het verwerkingenlog (Logboek Dataverwerkingen).") }
    private static var logPositie: MetricNameDescriptor { naam("log_position", "events", "De laatste positie in het log.") }
    private static var achterstand: MetricNameDescriptor { naam("projection_lag", "events", "Gebeurtenissen in het log die de leesmodellen nog niet toepasten.") }
    /// From a cached read to a slow group commit under load.
    private static let grenzen: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000].map { .milliseconds($0) }

    package func verzoek(methode: String, route: String, status: Int, duur: Duration) {
        registry.makeCounter(descriptor: Self.verzoeken, labels: [("methode", methode), ("route", route), ("status", "\(status)")]).increment()
        registry.makeDurationHistogram(descriptor: Self.duur, labels: [("methode", methode), ("route", route)], buckets: Self.grenzen).record(duur)
    }

    package func vastgelegd(_ aantal: Int) {
        registry.makeCounter(descriptor: Self.gebeurtenissen).increment(by: Int64(aantal))
    }

    func verwerkingenVastgelegd(_ aantal: Int) {
        registry.makeCounter(descriptor: Self.verwerkingen).increment(by: Int64(aantal))
    }

    /// A log configuration whose fsyncs are counted under the name `log`.
    func configuratie(log: String) -> LogConfiguration {
        var configuration = LogConfiguration()
        let calls = configuration.calls
        let counter = registry.makeCounter(descriptor: Self.fsyncs, labels: [("log", log)])
        configuration.calls = FileSystemCalls(write: calls.write, sync: { fd in
            counter.increment()
            return calls.sync(fd)
        })
        return configuration
    }

    /// The exposition text, with the positions as they are now.
    func tekst(logPositie: Int64, projectiePositie: Int64) -> [UInt8] {
        registry.makeGauge(descriptor: Self.logPositie).set(Double(logPositie))
        registry.makeGauge(descriptor: Self.achterstand).set(Double(max(0, logPositie - projectiePositie)))
        return registry.emitToBuffer()
    }
}
