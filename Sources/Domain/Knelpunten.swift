/// Where zaken wait: the hops of the chain KCC → afdeling → terugkoppeling → inwoner, each with its
/// waiting time in office hours (`Kalender.werkminuten`). Fed a log's zaak events in log order, it
/// keeps a little state per zaak and hands out each hop as it completes, so a year of traffic streams
/// through it.
public struct Knelpunten: Sendable {
    public enum Hop: String, CaseIterable, Sendable, Encodable {
        /// The inwoner's last inbound contact before a doorverwijzing or terugbelverzoek, to it.
        case contactDoorverwijzing = "contact-doorverwijzing"
        /// A doorverwijzing or terugbelverzoek to its first terugkoppeling.
        case doorverwijzingTerugkoppeling = "doorverwijzing-terugkoppeling"
        /// A terugkoppeling to the next event that informs the inwoner (`informeertInwoner`).
        case terugkoppelingGeinformeerd = "terugkoppeling-geinformeerd"
        /// A closing to the zaak's reopening.
        case afsluitenHeropend = "afsluiten-heropend"

        /// The hop in the words of `zaak knelpunten` and the pages.
        public var naam: String {
            switch self {
            case .contactDoorverwijzing: "contact → doorverwijzing"
            case .doorverwijzingTerugkoppeling: "doorverwijzing → terugkoppeling"
            case .terugkoppelingGeinformeerd: "terugkoppeling → geïnformeerd"
            case .afsluitenHeropend: "afsluiten → heropend"
            }
        }
    }

    public struct Wachttijd: Sendable, Equatable {
        public let hop: Hop
        public let zaak: Zaaknummer
        /// The zaak's first kanaal and its onderwerp; the afdeling of the handoff (the zaak's own for
        /// the hops that have none).
        public let kanaal: Kanaal, onderwerp: String, afdeling: String
        public let van: Tijdstip, tot: Tijdstip
        public let werkminuten: Int
    }

    private struct Staat: Sendable {
        let kanaal: Kanaal, onderwerp: String, afdeling: String
        var laatsteContact: Tijdstip?
        var openOverdrachten: [String: (afdeling: String, sinds: Tijdstip)] = [:]
        var wachtOpInformeren: [(afdeling: String, sinds: Tijdstip)] = []
        var afgeslotenOp: Tijdstip?
    }

    private var zaken: [Zaaknummer: Staat] = [:]

    public init() {}

    /// The hops `event` completes. Events of zaken whose opening was not seen are ignored.
    public mutating func verwerk(_ event: ZaakGebeurtenis) -> [Wachttijd] {
        let t = event.plaatsgevondenOp
        if case let .zaakGeopend(opening) = event.gebeurtenis {
            zaken[event.zaak] = Staat(kanaal: opening.kanaal, onderwerp: opening.onderwerp, afdeling: opening.afdeling)
            return []
        }
        guard var staat = zaken[event.zaak] else { return [] }
        var klaar: [Wachttijd] = []
        func hop(_ hop: Hop, afdeling: String, sinds: Tijdstip) {
            klaar.append(Wachttijd(hop: hop, zaak: event.zaak, kanaal: staat.kanaal, onderwerp: staat.onderwerp, afdeling: afdeling,
                                   van: sinds, tot: t, werkminuten: Kalender.werkminuten(van: sinds, tot: t)))
        }
        if event.gebeurtenis.contact?.richting == .inkomend { staat.laatsteContact = t }
        switch event.gebeurtenis {
        case let .doorverwezen(handoff):
            if let contact = staat.laatsteContact { hop(.contactDoorverwijzing, afdeling: handoff.afdeling, sinds: contact) }
            staat.openOverdrachten[handoff.doorverwijzing] = (handoff.afdeling, t)
        case let .terugbelverzoekAangemaakt(request):
            if let contact = staat.laatsteContact { hop(.contactDoorverwijzing, afdeling: request.afdeling, sinds: contact) }
            staat.openOverdrachten[request.doorverwijzing] = (request.afdeling, t)
        case let .terugkoppelingOntvangen(feedback):
            if let open = staat.openOverdrachten.removeValue(forKey: feedback.doorverwijzing) {
                hop(.doorverwijzingTerugkoppeling, afdeling: open.afdeling, sinds: open.sinds)
                staat.wachtOpInformeren.append((open.afdeling, t))
            }
        case .zaakAfgesloten:
            staat.afgeslotenOp = t
        case .zaakHeropend:
            if let closed = staat.afgeslotenOp { hop(.afsluitenHeropend, afdeling: staat.afdeling, sinds: closed) }
            staat.afgeslotenOp = nil
        default:
            break
        }
        if event.gebeurtenis.informeertInwoner {
            for waiting in staat.wachtOpInformeren { hop(.terugkoppelingGeinformeerd, afdeling: waiting.afdeling, sinds: waiting.sinds) }
            staat.wachtOpInformeren.removeAll()
        }
        zaken[event.zaak] = staat
        return klaar
    }
}

/// The waiting times of one hop (and one group), summarised: how many, the median and the 90th
/// percentile in office hours (interpolated between ranks, as numpy's and pm4py's percentiles are),
/// and when the waits began, by weekday and hour.
public struct Knelpuntregel: Sendable, Encodable, Equatable {
    public let hop: Knelpunten.Hop
    /// The kanaal, afdeling or onderwerp; nil for all together.
    public let groep: String?
    public let aantal: Int
    public let mediaanWerkuren: Double?, p90Werkuren: Double?
    /// Waits that began on each weekday, Monday first (local time).
    public let perWeekdag: [Int]
    /// Waits that began in each hour of the day, 0–23 (local time).
    public let perUur: [Int]

    /// What a summary needs of many waits, a few bytes each: a year of traffic fits.
    public struct Verzameling: Sendable {
        var minuten: [Int32] = []
        var perWeekdag = [Int](repeating: 0, count: 7), perUur = [Int](repeating: 0, count: 24)

        public init() {}

        public mutating func voegToe(_ wait: Knelpunten.Wachttijd) {
            minuten.append(Int32(clamping: wait.werkminuten))
            let local = Kalender.lokaleTijd(wait.van)
            perWeekdag[local.datum.weekdag - 1] += 1
            perUur[local.uur] += 1
        }
    }

    public init(hop: Knelpunten.Hop, groep: String?, _ verzameling: Verzameling) {
        self.hop = hop
        self.groep = groep
        aantal = verzameling.minuten.count
        let hours = verzameling.minuten.sorted().map { Double($0) / 60 }
        mediaanWerkuren = Self.percentiel(hours, 0.5)
        p90Werkuren = Self.percentiel(hours, 0.9)
        perWeekdag = verzameling.perWeekdag
        perUur = verzameling.perUur
    }

    /// Linear interpolation between the closest ranks of sorted `values`; nil for none.
    static func percentiel(_ values: [Double], _ fraction: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        let rank = fraction * Double(values.count - 1)
        let lower = Int(rank), upper = min(lower + 1, values.count - 1)
        return values[lower] + (values[upper] - values[lower]) * (rank - Double(lower))
    }
}
