import Domain
import SQLite

/// How `zaak kpi` groups its figures.
public enum KPIIndeling: String, Sendable, CaseIterable {
    case kanaal, onderwerp, afdeling, week
}

/// One row of the KPI table: the seeds' figures for a period (and a group). Percentages are 0–100,
/// nil when nothing was counted. Definitions: docs/projections.md.
public struct KPIRegel: Sendable, Encodable, Equatable {
    public var groep: String
    /// Zaken opened in the period, and how their first contact ended.
    public var zaken = 0
    public var directAfgehandeld = 0, doorverbonden = 0, terugbelverzoek = 0
    /// Closings as opgelost in the period, and those never reopened since.
    public var afsluitingenOpgelost = 0, gebleven = 0
    /// Doorlooptijden (opening to closing) of every closing in the period, in seconds.
    var doorlooptijden: [Int64] = []
    /// Doorverwijzingen due in the period whose outcome is known (answered, or overdue now).
    public var doorverwijzingen = 0, binnenTermijn = 0
    /// WhatsApp questions asked in the period, and those answered within the hour.
    public var whatsappVragen = 0, whatsappBinnenUur = 0

    public var directAfgehandeldProcent: Double? { Self.percent(directAfgehandeld, zaken) }
    public var doorverbondenProcent: Double? { Self.percent(doorverbonden, zaken) }
    public var terugbelProcent: Double? { Self.percent(terugbelverzoek, zaken) }
    public var echtOpgelostProcent: Double? { Self.percent(gebleven, afsluitingenOpgelost) }
    public var binnenTermijnProcent: Double? { Self.percent(binnenTermijn, doorverwijzingen) }
    public var whatsappBinnenUurProcent: Double? { Self.percent(whatsappBinnenUur, whatsappVragen) }

    /// The median doorlooptijd in seconds (the mean of the middle two for an even count).
    public var mediaanDoorlooptijdSeconden: Int64? {
        guard !doorlooptijden.isEmpty else { return nil }
        let sorted = doorlooptijden.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func percent(_ part: Int, _ whole: Int) -> Double? {
        whole == 0 ? nil : Double(part) * 100 / Double(whole)
    }

    enum CodingKeys: String, CodingKey {
        case groep, zaken, directAfgehandeld, doorverbonden, terugbelverzoek, afsluitingenOpgelost, gebleven, doorverwijzingen,
             binnenTermijn, whatsappVragen, whatsappBinnenUur, directAfgehandeldProcent, doorverbondenProcent, terugbelProcent,
             echtOpgelostProcent, mediaanDoorlooptijdSeconden, binnenTermijnProcent, whatsappBinnenUurProcent
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(groep, forKey: .groep)
        try container.encode(zaken, forKey: .zaken)
        try container.encode(directAfgehandeld, forKey: .directAfgehandeld)
        try container.encode(doorverbonden, forKey: .doorverbonden)
        try container.encode(terugbelverzoek, forKey: .terugbelverzoek)
        try container.encode(afsluitingenOpgelost, forKey: .afsluitingenOpgelost)
        try container.encode(gebleven, forKey: .gebleven)
        try container.encode(doorverwijzingen, forKey: .doorverwijzingen)
        try container.encode(binnenTermijn, forKey: .binnenTermijn)
        try container.encode(whatsappVragen, forKey: .whatsappVragen)
        try container.encode(whatsappBinnenUur, forKey: .whatsappBinnenUur)
        try container.encode(directAfgehandeldProcent, forKey: .directAfgehandeldProcent)
        try container.encode(doorverbondenProcent, forKey: .doorverbondenProcent)
        try container.encode(terugbelProcent, forKey: .terugbelProcent)
        try container.encode(echtOpgelostProcent, forKey: .echtOpgelostProcent)
        try container.encode(mediaanDoorlooptijdSeconden, forKey: .mediaanDoorlooptijdSeconden)
        try container.encode(binnenTermijnProcent, forKey: .binnenTermijnProcent)
        try container.encode(whatsappBinnenUurProcent, forKey: .whatsappBinnenUurProcent)
    }
}

extension Leesmodel {
    /// The KPIs for the local dates `van` through `tot`, in one row or one per group (sorted),
    /// with "now" deciding which open handoffs are already late and which questions still wait.
    public func kpi(van: Datum, tot: Datum, per indeling: KPIIndeling?, nu: Tijdstip) throws -> [KPIRegel] {
        var groups: [String: KPIRegel] = [:]
        func update(_ key: String, _ change: (inout KPIRegel) -> Void) {
            change(&groups[key, default: KPIRegel(groep: key)])
        }
        /// The group of a row: its zaak's kanaal, onderwerp or afdeling, or the ISO week of `dag`.
        func group(kanaal: String, onderwerp: String, afdeling: String, dag: String) -> String {
            switch indeling {
            case nil: "totaal"
            case .kanaal: kanaal
            case .onderwerp: onderwerp
            case .afdeling: afdeling
            case .week: Datum(dag).map(isoWeek) ?? dag
            }
        }
        let range = [van.description, tot.description]

        try rows("SELECT kanaal, onderwerp, afdeling, geopend_dag, eerste_uitkomst FROM zaken WHERE geopend_dag BETWEEN ? AND ?", range) { row in
            let outcome = row.string(4)
            update(group(kanaal: row.string(0), onderwerp: row.string(1), afdeling: row.string(2), dag: row.string(3))) {
                $0.zaken += 1
                switch outcome {
                case "direct": $0.directAfgehandeld += 1
                case "doorverbonden": $0.doorverbonden += 1
                case "terugbelverzoek": $0.terugbelverzoek += 1
                default: break
                }
            }
        }
        try rows("""
            SELECT z.kanaal, z.onderwerp, z.afdeling, a.dag, a.resultaat, a.heropend_op IS NULL, a.doorlooptijd_seconden
            FROM afsluitingen a JOIN zaken z ON z.nummer = a.zaak WHERE a.dag BETWEEN ? AND ?
            """, range) { row in
            let solved = row.string(4) == Resultaat.opgelost.rawValue, stayed = row.int64(5) == 1, duration = row.int64(6)
            update(group(kanaal: row.string(0), onderwerp: row.string(1), afdeling: row.string(2), dag: row.string(3))) {
                $0.doorlooptijden.append(duration)
                guard solved else { return }
                $0.afsluitingenOpgelost += 1
                if stayed { $0.gebleven += 1 }
            }
        }
        let today = Kalender.lokaleDatum(nu).description
        try rows("""
            SELECT z.kanaal, z.onderwerp, d.afdeling, d.uiterlijk_op, d.status, d.te_laat_werkdagen
            FROM doorverwijzingen d JOIN zaken z ON z.nummer = d.zaak
            WHERE d.uiterlijk_op BETWEEN ? AND ? AND (d.status = 'verwerkt' OR d.uiterlijk_op < ?)
            """, range + [today]) { row in
            let onTime = row.string(4) == "verwerkt" && row.int64(5) == 0
            update(group(kanaal: row.string(0), onderwerp: row.string(1), afdeling: row.string(2), dag: row.string(3))) {
                $0.doorverwijzingen += 1
                if onTime { $0.binnenTermijn += 1 }
            }
        }
        // A question still waiting but asked less than an hour ago is not decided yet.
        try rows("""
            SELECT z.kanaal, z.onderwerp, z.afdeling, c.dag, c.antwoord_seconden
            FROM contacten c JOIN zaken z ON z.nummer = c.zaak
            WHERE c.kanaal = 'whatsapp' AND c.vraag = 1 AND c.dag BETWEEN ? AND ?
              AND (c.beantwoord_op IS NOT NULL OR julianday(c.plaatsgevonden_op) < julianday(?) - 1.0 / 24)
            """, range + [nu.description]) { row in
            let withinHour = !row.isNull(4) && row.int64(4) <= 3600
            update(group(kanaal: "whatsapp", onderwerp: row.string(1), afdeling: row.string(2), dag: row.string(3))) {
                $0.whatsappVragen += 1
                if withinHour { $0.whatsappBinnenUur += 1 }
            }
        }
        if indeling == nil, groups.isEmpty { return [KPIRegel(groep: "totaal")] }
        return groups.values.sorted { $0.groep < $1.groep }
    }

    private func rows(_ sql: String, _ values: [String], _ body: (Statement) -> Void) throws {
        let statement = try database.prepare(sql)
        for (index, value) in values.enumerated() { try statement.bind(Int32(index + 1), value) }
        while try statement.step() { body(statement) }
    }
}

/// ISO 8601 week, such as "2026-W48": weeks start on Monday and belong to the year of their Thursday.
func isoWeek(_ datum: Datum) -> String {
    let thursday = datum.plus(dagen: 4 - datum.weekdag)
    let january1 = Datum(jaar: thursday.jaar, maand: 1, dag: 1)!
    let week = (thursday.dagnummer - january1.dagnummer) / 7 + 1
    return "\(thursday.jaar)-W\(week < 10 ? "0" : "")\(week)"
}
