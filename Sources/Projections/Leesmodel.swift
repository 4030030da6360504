import Crypto
import Domain
import EventLog
import SQLite

/// Read-only access to the read models: what the backoffice, the KCC and auditors ask. Opened on
/// its own (`init(alleenLezen:)`, as the HTTP server and replays do) it cannot write: SQLite opens
/// the file read-only.
public final class Leesmodel {
    let database: Database

    init(database: Database) {
        self.database = database
    }

    public convenience init(alleenLezen path: String) throws {
        self.init(database: try Database(path: path, readOnly: true))
    }

    /// The moment a point-in-time replay stands at (nil for the live read models).
    public func peilmoment() throws -> Tijdstip? {
        let statement = try database.prepare("SELECT waarde FROM meta WHERE sleutel = 'peilmoment'")
        return try statement.step() ? Tijdstip(statement.string(0)) : nil
    }

    /// The last log position the read models reflect.
    public func positie() throws -> Int64 {
        let statement = try database.prepare("SELECT positie FROM checkpoint")
        return try statement.step() ? statement.int64(0) : 0
    }

    // MARK: Fingerprint

    /// A SHA-256 over every projection table's rows in key order (each value with its type) and
    /// the checkpoint: equal fingerprints mean equal answers to every query.
    public func vingerafdruk() throws -> (totaal: String, perTabel: [(tabel: String, rijen: Int, hash: String)]) {
        var overall = SHA256()
        var tables: [(String, Int, String)] = []
        for table in Projecties.tabellen {
            var hasher = SHA256()
            let statement = try database.prepare("SELECT * FROM \(table.naam) ORDER BY \(table.sleutel)")
            var rows = 0
            while try statement.step() {
                rows += 1
                for column in 0..<statement.columnCount { hasher.update(data: statement.canonicalBytes(column)) }
            }
            let digest = Array(hasher.finalize())
            overall.update(data: Array(table.naam.utf8) + digest)
            tables.append((table.naam, rows, HexBytes.encode(digest)))
        }
        let checkpoint = try database.prepare("SELECT positie, id FROM checkpoint")
        let (position, id) = try checkpoint.step() ? (checkpoint.int64(0), checkpoint.string(1)) : (0, "")
        overall.update(data: Array("checkpoint \(position) \(id)".utf8))
        return (HexBytes.encode(overall.finalize()), tables)
    }

    // MARK: For the agent commands

    /// The inwoner's open zaak on this onderwerp (the most recent, should there be several).
    public func openZaak(inwoner: String, onderwerp: String) throws -> Zaaknummer? {
        try nummer("""
            SELECT nummer FROM zaken WHERE inwoner = ? AND onderwerp = ? AND status = 'open'
            ORDER BY geopend_op DESC, nummer DESC LIMIT 1
            """, inwoner, onderwerp)
    }

    /// The inwoner's zaak on this onderwerp most recently closed as opgelost whose reopening window
    /// (rule 4) may still be running; the domain decides whether it is.
    public func recentOpgelosteZaak(inwoner: String, onderwerp: String) throws -> Zaaknummer? {
        try nummer("""
            SELECT nummer FROM zaken WHERE inwoner = ? AND onderwerp = ? AND status = 'gesloten' AND heropen_tot IS NOT NULL
            ORDER BY afgesloten_op DESC, nummer DESC LIMIT 1
            """, inwoner, onderwerp)
    }

    private func nummer(_ sql: String, _ first: String, _ second: String) throws -> Zaaknummer? {
        let statement = try database.prepare(sql)
        try statement.bind(1, first)
        try statement.bind(2, second)
        return try statement.step() ? Zaaknummer(statement.string(0)) : nil
    }

    /// The highest volgnummer used in `jaar` (0 when none).
    public func hoogsteVolgnummer(jaar: Int) throws -> Int {
        let statement = try database.prepare("SELECT max(volgnummer) FROM zaken WHERE jaar = ?")
        try statement.bind(1, Int64(jaar))
        return try statement.step() ? Int(statement.int64(0)) : 0
    }

    // MARK: One zaak

    /// The zaak as the read models know it, with the closure verdict as of `nu`.
    public func zaak(_ nummer: Zaaknummer, nu: Tijdstip) throws -> ZaakOverzicht? {
        let statement = try database.prepare("""
            SELECT nummer, versie, status, resultaat, inwoner, onderwerp, omschrijving, kanaal, afdeling, geopend_op,
                   uiterlijk_afgehandeld_op, afgesloten_op, heropen_tot, hoofdzaak, contacten, bevindingen, volgende_stap, volgende_acties,
                   archiefnominatie, archiefactiedatum, archiefstatus
            FROM zaken WHERE nummer = ?
            """)
        try statement.bind(1, nummer.description)
        guard try statement.step() else { return nil }
        let bevindingen = statement.string(15)
        var overzicht = ZaakOverzicht(
            zaak: statement.string(0), versie: Int(statement.int64(1)), status: statement.string(2), resultaat: statement.optionalString(3),
            inwoner: statement.string(4), onderwerp: statement.string(5), omschrijving: statement.string(6), kanaal: statement.string(7),
            afdeling: statement.string(8), geopendOp: statement.string(9), uiterlijkAfgehandeldOp: statement.string(10),
            afgeslotenOp: statement.optionalString(11), hoofdzaak: statement.optionalString(13), contacten: Int(statement.int64(14)),
            doorverwijzingen: try doorverwijzingen(van: nummer, nu: nu), afsluitingen: try afsluitingen(van: nummer),
            oordeel: Oordeel(code: "", tekst: "", redenen: []),
            afsluitbevindingen: bevindingen.isEmpty ? [] : bevindingen.split(separator: "\n").map(String.init),
            volgendeStap: statement.string(16), volgendeActies: Actie.uitOpslagvorm(statement.string(17)),
            archiefnominatie: statement.string(18), archiefactiedatum: statement.optionalString(19), archiefstatus: statement.string(20))
        overzicht.oordeel = Oordeel(overzicht, heropenTot: statement.optionalString(12).flatMap(Datum.init), vandaag: Kalender.lokaleDatum(nu))
        return overzicht
    }

    private func doorverwijzingen(van nummer: Zaaknummer, nu: Tijdstip) throws -> [DoorverwijzingRegel] {
        let statement = try database.prepare("""
            SELECT id, afdeling, soort, terugbelverzoek, gevraagde_handeling, aangemaakt_op, uiterlijk_op, status, uitkomst,
                   teruggekoppeld_op, te_laat_werkdagen
            FROM doorverwijzingen WHERE zaak = ? ORDER BY CAST(substr(id, 2) AS INTEGER)
            """)
        try statement.bind(1, nummer.description)
        var rows: [DoorverwijzingRegel] = []
        let today = Kalender.lokaleDatum(nu)
        while try statement.step() {
            let due = Datum(statement.string(6))!
            let open = statement.string(7) == "te_verwerken"
            rows.append(DoorverwijzingRegel(
                doorverwijzing: statement.string(0), afdeling: statement.string(1), soort: statement.string(2),
                terugbelverzoek: statement.int64(3) == 1, gevraagdeHandeling: statement.string(4), aangemaaktOp: statement.string(5),
                uiterlijkOp: due.description, status: statement.string(7), uitkomst: statement.optionalString(8),
                teruggekoppeldOp: statement.optionalString(9),
                teLaatWerkdagen: open ? Kalender.werkdagenTeLaat(uiterlijk: due, op: today) : Int(statement.int64(10))))
        }
        return rows
    }

    private func afsluitingen(van nummer: Zaaknummer) throws -> [AfsluitingRegel] {
        let statement = try database.prepare("""
            SELECT afgesloten_op, resultaat, direct, afwijking_regels, afwijking_reden, heropend_op, heropen_aanleiding, heropen_reden
            FROM afsluitingen WHERE zaak = ? ORDER BY volgnummer
            """)
        try statement.bind(1, nummer.description)
        var rows: [AfsluitingRegel] = []
        while try statement.step() {
            rows.append(AfsluitingRegel(
                afgeslotenOp: statement.string(0), resultaat: statement.string(1), direct: statement.int64(2) == 1,
                afwijkingRegels: statement.optionalString(3).map { $0.split(separator: ",").compactMap { Int($0) } },
                afwijkingReden: statement.optionalString(4), heropendOp: statement.optionalString(5),
                heropenAanleiding: statement.optionalString(6), heropenReden: statement.optionalString(7)))
        }
        return rows
    }

    // MARK: The backoffice's queue

    /// The afdeling's open doorverwijzingen, oldest deadline first (the name is matched without case).
    public func werkvoorraad(afdeling: String, nu: Tijdstip) throws -> [WerkvoorraadRegel] {
        let statement = try database.prepare("""
            SELECT d.zaak, d.id, d.afdeling, d.soort, d.terugbelverzoek, d.gevraagde_handeling, d.aangemaakt_op, d.uiterlijk_op,
                   z.onderwerp, z.omschrijving, z.inwoner, z.kanaal
            FROM doorverwijzingen d JOIN zaken z ON z.nummer = d.zaak
            WHERE d.afdeling = ? COLLATE NOCASE AND d.status = 'te_verwerken'
            ORDER BY d.uiterlijk_op, d.aangemaakt_op, d.zaak, d.id
            """)
        try statement.bind(1, afdeling)
        let today = Kalender.lokaleDatum(nu)
        var rows: [WerkvoorraadRegel] = []
        while try statement.step() {
            let due = Datum(statement.string(7))!
            let late = Kalender.werkdagen(van: due, tot: today)
            rows.append(WerkvoorraadRegel(
                zaak: statement.string(0), doorverwijzing: statement.string(1), afdeling: statement.string(2), soort: statement.string(3),
                terugbelverzoek: statement.int64(4) == 1, gevraagdeHandeling: statement.string(5), aangemaaktOp: statement.string(6),
                uiterlijkOp: due.description, onderwerp: statement.string(8), omschrijving: statement.string(9), inwoner: statement.string(10),
                kanaal: statement.string(11),
                teLaatWerkdagen: Kalender.werkdagenTeLaat(uiterlijk: due, op: today), werkdagenOver: max(0, -late)))
        }
        return rows
    }

    /// Whether the zaak was ever handed to the afdeling (the name is matched without case): what an
    /// afdeling may see of it over the API.
    public func isDoorverwezen(_ zaak: String, naar afdeling: String) throws -> Bool {
        let statement = try database.prepare("SELECT 1 FROM doorverwijzingen WHERE zaak = ? AND afdeling = ? COLLATE NOCASE LIMIT 1")
        try statement.bind(1, zaak)
        try statement.bind(2, afdeling)
        return try statement.step()
    }

    /// The inwoner of a zaak, for the processing log of what the feed sends.
    public func inwoner(van zaak: String) throws -> String? {
        let statement = try database.prepare("SELECT inwoner FROM zaken WHERE nummer = ?")
        try statement.bind(1, zaak)
        return try statement.step() ? statement.string(0) : nil
    }

    /// The afdelingen that ever received a doorverwijzing, for suggestions.
    public func afdelingen() throws -> [String] {
        let statement = try database.prepare("SELECT DISTINCT afdeling FROM doorverwijzingen ORDER BY afdeling")
        var names: [String] = []
        while try statement.step() { names.append(statement.string(0)) }
        return names
    }

    // MARK: Search

    /// Zaken matching every given criterion, most recently opened first.
    /// The zaken to destroy by `tot` (the archive worklist of the ZGW standard: archiefnominatie
    /// `vernietigen`, archiefstatus `nog_te_archiveren`, archiefactiedatum on or before `tot`), oldest
    /// date first. A zaak to keep (`blijvend_bewaren`) or still open has no archiefactiedatum, so it
    /// is never on it.
    public func teVernietigen(tot: Datum) throws -> [ArchiefRegel] {
        let statement = try database.prepare("""
            SELECT nummer, onderwerp, afdeling, geopend_op, afgesloten_op, resultaat, archiefactiedatum
            FROM zaken
            WHERE archiefnominatie = 'vernietigen' AND archiefstatus = 'nog_te_archiveren' AND archiefactiedatum <= ?
            ORDER BY archiefactiedatum, jaar, volgnummer
            """)
        try statement.bind(1, tot.description)
        var rows: [ArchiefRegel] = []
        while try statement.step() {
            rows.append(ArchiefRegel(zaak: statement.string(0), onderwerp: statement.string(1), afdeling: statement.string(2),
                                     geopendOp: statement.string(3), afgeslotenOp: statement.string(4), resultaat: statement.string(5),
                                     archiefactiedatum: statement.string(6)))
        }
        return rows
    }

    public func zoek(_ vraag: Zoekvraag) throws -> [ZaakRegel] {
        var conditions: [String] = []
        var values: [String] = []
        func add(_ condition: String, _ value: String?) {
            guard let value else { return }
            conditions.append(condition)
            values.append(value)
        }
        add("inwoner = ?", vraag.inwoner)
        // An onderwerp code, or a group: "afval" finds afval.container-niet-geleegd and the others.
        if let onderwerp = vraag.onderwerp {
            conditions.append("(onderwerp = ? OR substr(onderwerp, 1, length(?) + 1) = ? || '.')")
            values += [onderwerp, onderwerp, onderwerp]
        }
        add("afdeling = ? COLLATE NOCASE", vraag.afdeling)
        add("status = ?", vraag.status)
        add("kanaal = ?", vraag.kanaal)
        add("geopend_dag >= ?", vraag.van?.description)
        add("geopend_dag <= ?", vraag.tot?.description)
        let statement = try database.prepare("""
            SELECT nummer, status, resultaat, inwoner, onderwerp, kanaal, afdeling, geopend_op, uiterlijk_afgehandeld_op, afgesloten_op
            FROM zaken \(conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "))
            ORDER BY geopend_op DESC, nummer DESC LIMIT \(max(1, vraag.limiet))
            """)
        for (index, value) in values.enumerated() { try statement.bind(Int32(index + 1), value) }
        var rows: [ZaakRegel] = []
        while try statement.step() {
            rows.append(ZaakRegel(
                zaak: statement.string(0), status: statement.string(1), resultaat: statement.optionalString(2), inwoner: statement.string(3),
                onderwerp: statement.string(4), kanaal: statement.string(5), afdeling: statement.string(6), geopendOp: statement.string(7),
                uiterlijkAfgehandeldOp: statement.string(8), afgeslotenOp: statement.optionalString(9)))
        }
        return rows
    }

    // MARK: The KCC's check

    /// Zaken closed but not echt opgelost, zaken ready to close, and handoffs past their deadline.
    public func controle(nu: Tijdstip) throws -> Controle {
        let today = Kalender.lokaleDatum(nu)
        var result = Controle(nietEchtOpgelost: [], klaarOmTeSluiten: [], termijnVerlopen: [])
        let reopened = try database.prepare("""
            SELECT a.zaak, a.afgesloten_op, a.heropend_op, a.heropen_aanleiding, a.heropen_reden, z.status, z.onderwerp, z.afdeling
            FROM afsluitingen a JOIN zaken z ON z.nummer = a.zaak
            WHERE a.heropen_aanleiding IN ('opnieuw-contact', 'tevredenheid')
            ORDER BY a.heropend_op DESC, a.zaak
            """)
        while try reopened.step() {
            result.nietEchtOpgelost.append(Controle.NietEchtOpgelost(
                zaak: reopened.string(0), afgeslotenOp: reopened.string(1), heropendOp: reopened.string(2), aanleiding: reopened.string(3),
                reden: reopened.string(4), statusNu: reopened.string(5), onderwerp: reopened.string(6), afdeling: reopened.string(7)))
        }
        // Ready: every handoff answered, the inwoner informed after it, nothing 'niet opgelost' left.
        let ready = try database.prepare("""
            SELECT z.nummer, z.onderwerp, z.afdeling, max(d.teruggekoppeld_op)
            FROM zaken z JOIN doorverwijzingen d ON d.zaak = z.nummer
            WHERE z.status = 'open' AND z.bevindingen = ''
            GROUP BY z.nummer ORDER BY max(d.teruggekoppeld_op), z.nummer
            """)
        while try ready.step() {
            result.klaarOmTeSluiten.append(Controle.KlaarOmTeSluiten(
                zaak: ready.string(0), onderwerp: ready.string(1), afdeling: ready.string(2), laatsteTerugkoppelingOp: ready.string(3)))
        }
        let late = try database.prepare("""
            SELECT d.zaak, d.id, d.afdeling, d.soort, d.terugbelverzoek, d.uiterlijk_op
            FROM doorverwijzingen d WHERE d.status = 'te_verwerken' AND d.uiterlijk_op < ?
            ORDER BY d.uiterlijk_op, d.zaak, d.id
            """)
        try late.bind(1, today.description)
        while try late.step() {
            let due = Datum(late.string(5))!
            result.termijnVerlopen.append(Controle.TermijnVerlopen(
                zaak: late.string(0), doorverwijzing: late.string(1), afdeling: late.string(2), soort: late.string(3),
                terugbelverzoek: late.int64(4) == 1, uiterlijkOp: due.description, teLaatWerkdagen: Kalender.werkdagenTeLaat(uiterlijk: due, op: today)))
        }
        return result
    }
}

// MARK: - Answers

public struct ZaakOverzicht: Sendable, Encodable, Equatable {
    public let zaak: String, versie: Int, status: String, resultaat: String?, inwoner: String, onderwerp: String, omschrijving: String
    public let kanaal: String, afdeling: String, geopendOp: String, uiterlijkAfgehandeldOp: String, afgeslotenOp: String?
    public let hoofdzaak: String?, contacten: Int
    public let doorverwijzingen: [DoorverwijzingRegel]
    public let afsluitingen: [AfsluitingRegel]
    public internal(set) var oordeel: Oordeel
    /// The closure rules 1–3 that closing as opgelost would break now (open zaken only).
    public let afsluitbevindingen: [String]
    public let volgendeStap: String
    public let volgendeActies: [Actie]
    /// The VNG archive fields: `blijvend_bewaren` or `vernietigen`; the date of destruction (closed
    /// zaken to be destroyed); `nog_te_archiveren` or `vernietigd` (Archiefstatus).
    public let archiefnominatie: String, archiefactiedatum: String?, archiefstatus: String
}

public struct DoorverwijzingRegel: Sendable, Encodable, Equatable {
    public let doorverwijzing: String, afdeling: String, soort: String, terugbelverzoek: Bool, gevraagdeHandeling: String
    public let aangemaaktOp: String, uiterlijkOp: String, status: String, uitkomst: String?, teruggekoppeldOp: String?
    /// Werkdagen past the deadline: by the terugkoppeling when there is one, else by today.
    public let teLaatWerkdagen: Int
}

public struct AfsluitingRegel: Sendable, Encodable, Equatable {
    public let afgeslotenOp: String, resultaat: String, direct: Bool, afwijkingRegels: [Int]?, afwijkingReden: String?
    public let heropendOp: String?, heropenAanleiding: String?, heropenReden: String?
}

/// The closure verdict: is the problem echt opgelost?
public struct Oordeel: Sendable, Encodable, Equatable {
    /// `open`, `klaar-om-te-sluiten`, `voorlopig-opgelost`, `echt-opgelost`, `gesloten-niet-opgelost` or `gekoppeld`.
    public let code: String
    public let tekst: String
    public let redenen: [String]

    init(code: String, tekst: String, redenen: [String]) {
        self.code = code
        self.tekst = tekst
        self.redenen = redenen
    }

    init(_ zaak: ZaakOverzicht, heropenTot: Datum?, vandaag: Datum) {
        var redenen: [String] = []
        for closing in zaak.afsluitingen {
            if let regels = closing.afwijkingRegels, let reden = closing.afwijkingReden {
                redenen.append("gesloten \(Oordeel.tijd(closing.afgeslotenOp)) met afwijking van regel \(regels.map(String.init).joined(separator: ", ")): \(reden)")
            }
            if let aanleiding = closing.heropenAanleiding, aanleiding != Heropenaanleiding.handmatig.rawValue, let op = closing.heropendOp {
                redenen.append("niet echt opgelost: gesloten \(Oordeel.tijd(closing.afgeslotenOp)), heropend \(Oordeel.tijd(op)) door de controle — \(closing.heropenReden ?? "")")
            }
        }
        switch zaak.status {
        case "gekoppeld":
            (code, tekst) = ("gekoppeld", "gekoppeld aan \(zaak.hoofdzaak ?? "?"); het oordeel staat bij die zaak")
        case "gesloten" where zaak.resultaat == Resultaat.opgelost.rawValue:
            if let heropenTot, vandaag <= heropenTot {
                (code, tekst) = ("voorlopig-opgelost", "gesloten als opgelost; echt opgelost als de inwoner tot en met \(datumTekst(heropenTot)) niet terugkomt over \(zaak.onderwerp)")
            } else {
                (code, tekst) = ("echt-opgelost", "echt opgelost: gesloten als opgelost en de inwoner kwam binnen het heropenvenster niet terug")
            }
        case "gesloten":
            (code, tekst) = ("gesloten-niet-opgelost", "gesloten als \(zaak.resultaat ?? "?"), niet als opgelost")
        default:
            // Ready as `zaak controle` counts it: the afdelingen answered and the rules hold.
            if zaak.afsluitbevindingen.isEmpty, !zaak.doorverwijzingen.isEmpty {
                (code, tekst) = ("klaar-om-te-sluiten", "open; voldoet aan de afsluitregels 1–3 en kan als opgelost gesloten worden")
            } else if zaak.afsluitbevindingen.isEmpty {
                (code, tekst) = ("open", "open; \(zaak.volgendeStap)")
            } else {
                (code, tekst) = ("open", "open; nog niet als opgelost te sluiten")
                redenen += zaak.afsluitbevindingen
            }
        }
        self.redenen = redenen
    }

    private static func tijd(_ text: String) -> String { Tijdstip(text).map(tijdTekst) ?? text }
}

public struct WerkvoorraadRegel: Sendable, Encodable, Equatable {
    public let zaak: String, doorverwijzing: String, afdeling: String, soort: String, terugbelverzoek: Bool, gevraagdeHandeling: String
    public let aangemaaktOp: String, uiterlijkOp: String, onderwerp: String, omschrijving: String, inwoner: String
    /// The kanaal the zaak came in by.
    public let kanaal: String
    public let teLaatWerkdagen: Int, werkdagenOver: Int
}

public struct Zoekvraag: Sendable {
    public var inwoner: String?, onderwerp: String?, afdeling: String?, status: String?, kanaal: String?
    public var van: Datum?, tot: Datum?
    public var limiet = 100

    public init() {}
}

/// A zaak on a vernietigingslijst.
public struct ArchiefRegel: Sendable, Codable, Equatable {
    public let zaak: String, onderwerp: String, afdeling: String, geopendOp: String, afgeslotenOp: String, resultaat: String
    public let archiefactiedatum: String
}

public struct ZaakRegel: Sendable, Encodable, Equatable {
    public let zaak: String, status: String, resultaat: String?, inwoner: String, onderwerp: String, kanaal: String, afdeling: String
    public let geopendOp: String, uiterlijkAfgehandeldOp: String, afgeslotenOp: String?
}

public struct Controle: Sendable, Encodable, Equatable {
    public struct NietEchtOpgelost: Sendable, Encodable, Equatable {
        public let zaak: String, afgeslotenOp: String, heropendOp: String, aanleiding: String, reden: String, statusNu: String
        public let onderwerp: String, afdeling: String
    }

    public struct KlaarOmTeSluiten: Sendable, Encodable, Equatable {
        public let zaak: String, onderwerp: String, afdeling: String, laatsteTerugkoppelingOp: String
    }

    public struct TermijnVerlopen: Sendable, Encodable, Equatable {
        public let zaak: String, doorverwijzing: String, afdeling: String, soort: String, terugbelverzoek: Bool, uiterlijkOp: String
        public let teLaatWerkdagen: Int
    }

    public var nietEchtOpgelost: [NietEchtOpgelost]
    public var klaarOmTeSluiten: [KlaarOmTeSluiten]
    public var termijnVerlopen: [TermijnVerlopen]
}
