import CivilTime

/// Dutch working days, for afhandeltermijnen counted in werkdagen, and the local date in
/// Europe/Amsterdam. Computed by hand so the domain stays pure (no tz database, no clock).
public enum Kalender {
    /// The "algemeen erkende feestdagen" of the Algemene termijnenwet, art. 3, in date order.
    /// That law is what Dutch deadlines counted in days rest on, so these are the only holidays:
    /// Goede Vrijdag is not in it and is a werkdag here; Bevrijdingsdag (5 mei) is in it every
    /// year, not only every fifth year as in many cao's. Eerste Paas- and Pinksterdag are Sundays
    /// and so never werkdagen anyway. When two fall on one day (Hemelvaart on 5 mei, as in 2005)
    /// both are listed.
    public static func feestdagen(in jaar: Int) -> [(datum: Datum, naam: String)] {
        let pasen = eerstePaasdag(in: jaar)
        let lijst: [(datum: Datum, naam: String)] = [
            (datum(jaar, 1, 1), "Nieuwjaarsdag"),
            (pasen.plus(dagen: 1), "Tweede Paasdag"),
            (koningsdag(jaar), jaar >= 2014 ? "Koningsdag" : "Koninginnedag"),
            (datum(jaar, 5, 5), "Bevrijdingsdag"),
            (pasen.plus(dagen: 39), "Hemelvaartsdag"),
            (pasen.plus(dagen: 50), "Tweede Pinksterdag"),
            (datum(jaar, 12, 25), "Eerste Kerstdag"),
            (datum(jaar, 12, 26), "Tweede Kerstdag"),
        ]
        return lijst.enumerated()
            .sorted { ($0.element.datum, $0.offset) < ($1.element.datum, $1.offset) }
            .map(\.element)
    }

    /// The name of the feestdag on `d`, or nil on any other day.
    public static func feestdag(op d: Datum) -> String? {
        let namen = feestdagen(in: d.jaar).filter { $0.datum == d }.map(\.naam)
        return namen.isEmpty ? nil : namen.joined(separator: " en ")
    }

    /// Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    public static func eerstePaasdag(in jaar: Int) -> Datum {
        let a = jaar % 19, b = jaar / 100, c = jaar % 100
        let d = b / 4, e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let maand = (h + l - 7 * m + 114) / 31
        let dag = (h + l - 7 * m + 114) % 31 + 1
        return datum(jaar, maand, dag)
    }

    /// Monday to Friday and not a feestdag.
    public static func isWerkdag(_ d: Datum) -> Bool {
        var loper = Loper()
        return loper.isWerkdag(d)
    }

    /// The n-th werkdag after `start` (n ≥ 0). Convention: a doorverwijzing made on day D with an
    /// afhandeltermijn of n werkdagen must be done by the end of `plusWerkdagen(n, na: D)`; the day
    /// of the handoff itself never counts, whatever the hour. With n = 0 the answer is `start` when
    /// that is a werkdag, else the next werkdag.
    public static func plusWerkdagen(_ n: Int, na start: Datum) -> Datum {
        precondition(n >= 0, "plusWerkdagen telt alleen vooruit (n ≥ 0)")
        var loper = Loper()
        var dag = start
        if n == 0 {
            while !loper.isWerkdag(dag) { dag = dag.plus(dagen: 1) }
            return dag
        }
        var over = n
        while over > 0 {
            dag = dag.plus(dagen: 1)
            if loper.isWerkdag(dag) { over -= 1 }
        }
        return dag
    }

    /// The number of werkdagen in (van, tot]; when tot < van, minus the number in (tot, van].
    /// So `werkdagen(van: deadline, tot: vandaag)` is how many werkdagen late a handoff is (≤ 0:
    /// not late), and `werkdagen(van: D, tot: plusWerkdagen(n, na: D)) == n` for every n ≥ 1.
    /// Counted, not walked day by day: every row of an afdeling's werkvoorraad asks it, and the walk
    /// (a civil date per day) was a fifth of the server's time for that page.
    public static func werkdagen(van: Datum, tot: Datum) -> Int {
        if tot < van { return -werkdagen(van: tot, tot: van) }
        guard tot > van else { return 0 }
        let eerste = van.plus(dagen: 1)
        // Monday to Friday in (van, tot], less the feestdagen among them (two on one day once).
        var vrij = Set<Int64>()
        for jaar in eerste.jaar...tot.jaar {
            for feestdag in feestdagen(in: jaar) where feestdag.datum >= eerste && feestdag.datum <= tot && feestdag.datum.weekdag <= 5 {
                vrij.insert(feestdag.datum.dagnummer)
            }
        }
        return weekdagen(voor: tot.plus(dagen: 1)) - weekdagen(voor: eerste) - vrij.count
    }

    /// Mondays to Fridays before `d`, counted from an arbitrary origin: a difference of two counts
    /// is the number between two dates.
    private static func weekdagen(voor d: Datum) -> Int {
        let vanafMaandag = d.dagnummer + 3  // `weekdag` is this mod 7, plus 1: 0 is a Monday
        let weken = floorDiv(vanafMaandag, 7)
        return Int(5 * weken + min(vanafMaandag - 7 * weken, 5))
    }

    /// Office hours for waiting times: 08:00 to 17:00 local time on a werkdag.
    public static let kantoortijd = (van: 8 * 60, tot: 17 * 60)

    /// The minutes of office hours (`kantoortijd` on werkdagen) between two instants: what a wait
    /// costs the inwoner in the time the municipality works. 0 when `tot` is not after `van`.
    public static func werkminuten(van: Tijdstip, tot: Tijdstip) -> Int {
        guard tot.milliseconden > van.milliseconden else { return 0 }
        var loper = Loper()
        var dag = lokaleDatum(van)
        let laatste = lokaleDatum(tot)
        var milliseconden: Int64 = 0
        while dag <= laatste {
            if loper.isWerkdag(dag) {
                let open = max(van.milliseconden, tijdstip(dag, minuut: kantoortijd.van).milliseconden)
                let dicht = min(tot.milliseconden, tijdstip(dag, minuut: kantoortijd.tot).milliseconden)
                if dicht > open { milliseconden += dicht - open }
            }
            dag = dag.plus(dagen: 1)
        }
        return Int(milliseconden / 60_000)
    }

    /// How many werkdagen an answer on `op` is late for a deadline `uiterlijk` (0: on time). The
    /// deadline is a werkdag and an answer is on time only on or before it; any later day is late,
    /// also a Saturday after a Friday deadline or Christmas Day after one on 24 December, though no
    /// werkdag lies in between. So it is the werkdagen in (uiterlijk, op], and at least 1.
    public static func werkdagenTeLaat(uiterlijk: Datum, op: Datum) -> Int {
        op <= uiterlijk ? 0 : max(1, werkdagen(van: uiterlijk, tot: op))
    }

    /// The date in Europe/Amsterdam at instant `t`.
    public static func lokaleDatum(_ t: Tijdstip) -> Datum { lokaleTijd(t).datum }

    /// Date, hour and minute in Europe/Amsterdam at instant `t`: CEST (UTC+2) from the last Sunday
    /// of March 01:00 UTC until the last Sunday of October 01:00 UTC, else CET (UTC+1). That is the
    /// EU rule since 1996; earlier summer times are not modelled.
    public static func lokaleTijd(_ t: Tijdstip) -> (datum: Datum, uur: Int, minuut: Int) {
        let ms = t.milliseconden
        let uurMs: Int64 = 3_600_000
        let dagMs: Int64 = 86_400_000
        let jaar = Datum(dagnummer: floorDiv(ms, dagMs)).jaar
        let zomertijdVan = laatsteZondag(maand: 3, jaar: jaar).dagnummer * dagMs + uurMs
        let zomertijdTot = laatsteZondag(maand: 10, jaar: jaar).dagnummer * dagMs + uurMs
        let lokaal = ms + (zomertijdVan <= ms && ms < zomertijdTot ? 2 : 1) * uurMs
        let dag = floorDiv(lokaal, dagMs)
        let msVanDag = lokaal - dag * dagMs
        return (Datum(dagnummer: dag), Int(msVanDag / uurMs), Int(msVanDag / 60_000 % 60))
    }

    /// The instant of local time (Europe/Amsterdam) `minuut` minutes after midnight on `datum`: 00:00
    /// is 23:00 or 22:00 UTC the day before. A local time skipped when summer time starts is read as
    /// winter time.
    public static func tijdstip(_ datum: Datum, minuut: Int) -> Tijdstip {
        let local = datum.dagnummer * 86_400_000 + Int64(minuut) * 60_000
        let summer = Tijdstip(milliseconden: local - 7_200_000)
        let check = lokaleTijd(summer)
        return check.datum == datum && check.uur * 60 + check.minuut == minuut ? summer : Tijdstip(milliseconden: local - 3_600_000)
    }

    // MARK: - Helpers

    /// Remembers one year's feestdagen while walking day by day, so long walks stay cheap.
    private struct Loper {
        private var jaar = Int.min
        private var vrij: [Int64] = []

        mutating func isWerkdag(_ d: Datum) -> Bool {
            guard d.weekdag <= 5 else { return false }
            let j = d.jaar
            if j != jaar {
                jaar = j
                vrij = Kalender.feestdagen(in: j).map(\.datum.dagnummer)
            }
            return !vrij.contains(d.dagnummer)
        }
    }

    /// Koningsdag is 27 April, or the 26th when the 27th is a Sunday (since 2014). Before, the
    /// Koninginnedag of 1980–2013: 30 April, or the 29th when the 30th was a Sunday.
    private static func koningsdag(_ jaar: Int) -> Datum {
        let dag = jaar >= 2014 ? 27 : 30
        let d = datum(jaar, 4, dag)
        return d.weekdag == 7 ? d.plus(dagen: -1) : d
    }

    private static func laatsteZondag(maand: Int, jaar: Int) -> Datum {
        let laatste = datum(jaar, maand, 31)  // only used for March and October
        return laatste.plus(dagen: -(laatste.weekdag % 7))
    }

    /// Dates built here are valid by construction.
    private static func datum(_ jaar: Int, _ maand: Int, _ dag: Int) -> Datum {
        Datum(dagnummer: Timestamp.days(fromCivil: Int64(jaar), Int64(maand), Int64(dag)))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
