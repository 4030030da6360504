import Domain
import XCTest

final class KalenderTests: XCTestCase {
    private func d(_ text: String) -> Datum { Datum(text)! }

    private func feestdagen(_ jaar: Int) -> [String] {
        Kalender.feestdagen(in: jaar).map { "\($0.datum) \($0.naam)" }
    }

    func testFeestdagen2026() {
        XCTAssertEqual(feestdagen(2026), [
            "2026-01-01 Nieuwjaarsdag",
            "2026-04-06 Tweede Paasdag",
            "2026-04-27 Koningsdag",
            "2026-05-05 Bevrijdingsdag",
            "2026-05-14 Hemelvaartsdag",
            "2026-05-25 Tweede Pinksterdag",
            "2026-12-25 Eerste Kerstdag",
            "2026-12-26 Tweede Kerstdag",
        ])
        XCTAssertEqual(d("2026-04-27").weekdag, 1, "Koningsdag 2026 is a Monday")
        XCTAssertEqual(d("2026-05-14").weekdag, 4, "Hemelvaartsdag is a Thursday")
    }

    func testFeestdagen2027() {
        XCTAssertEqual(feestdagen(2027), [
            "2027-01-01 Nieuwjaarsdag",
            "2027-03-29 Tweede Paasdag",
            "2027-04-27 Koningsdag",
            "2027-05-05 Bevrijdingsdag",
            "2027-05-06 Hemelvaartsdag",
            "2027-05-17 Tweede Pinksterdag",
            "2027-12-25 Eerste Kerstdag",
            "2027-12-26 Tweede Kerstdag",
        ])
    }

    func testKoningsdagMovesToSaturdayWhenThe27thIsASunday() {
        XCTAssertEqual(d("2025-04-27").weekdag, 7)
        XCTAssertEqual(Kalender.feestdag(op: d("2025-04-26")), "Koningsdag")
        XCTAssertNil(Kalender.feestdag(op: d("2025-04-27")))
        XCTAssertEqual(Kalender.feestdag(op: d("2031-04-26")), "Koningsdag", "27 April 2031 is a Sunday too")
    }

    func testEasterByMeeusJonesButcher() {
        let bekend = [2000: "2000-04-23", 2008: "2008-03-23", 2011: "2011-04-24", 2019: "2019-04-21", 2024: "2024-03-31",
                      2025: "2025-04-20", 2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22"]
        for (jaar, datum) in bekend {
            XCTAssertEqual(Kalender.eerstePaasdag(in: jaar).description, datum, "Pasen \(jaar)")
            XCTAssertEqual(Kalender.eerstePaasdag(in: jaar).weekdag, 7)
        }
    }

    func testHemelvaartOnBevrijdingsdagListsBoth() {
        XCTAssertEqual(Kalender.feestdag(op: d("2005-05-05")), "Bevrijdingsdag en Hemelvaartsdag")
        XCTAssertEqual(Kalender.feestdagen(in: 2005).count, 8)
    }

    func testIsWerkdag() {
        XCTAssertTrue(Kalender.isWerkdag(d("2026-11-23")), "an ordinary Monday")
        XCTAssertFalse(Kalender.isWerkdag(d("2026-11-21")), "Saturday")
        XCTAssertFalse(Kalender.isWerkdag(d("2026-11-22")), "Sunday")
        XCTAssertFalse(Kalender.isWerkdag(d("2026-05-14")), "Hemelvaartsdag")
        XCTAssertFalse(Kalender.isWerkdag(d("2026-05-05")), "Bevrijdingsdag counts every year")
        XCTAssertTrue(Kalender.isWerkdag(d("2026-04-03")), "Goede Vrijdag is not in the Algemene termijnenwet")
        XCTAssertTrue(Kalender.isWerkdag(d("2026-12-24")), "Kerstavond")
        XCTAssertTrue(Kalender.isWerkdag(d("2026-12-31")), "Oudejaarsdag")
    }

    func testPlusWerkdagenOverAWeekend() {
        let vrijdag = d("2026-11-20")
        XCTAssertEqual(Kalender.plusWerkdagen(1, na: vrijdag), d("2026-11-23"))
        XCTAssertEqual(Kalender.plusWerkdagen(5, na: vrijdag), d("2026-11-27"))
        XCTAssertEqual(Kalender.plusWerkdagen(1, na: d("2026-11-21")), d("2026-11-23"), "a handoff on Saturday")
        XCTAssertEqual(Kalender.plusWerkdagen(2, na: d("2026-11-22")), d("2026-11-24"), "a handoff on Sunday")
    }

    /// Office hours: werkdagen 08:00–17:00 local; nights, weekends, feestdagen and the hour the
    /// clocks change do not count.
    func testWerkminutenTellenAlleenKantooruren() {
        func t(_ text: String) -> Tijdstip { Tijdstip(text)! }
        XCTAssertEqual(Kalender.werkminuten(van: t("2026-11-20T15:00:00.000Z"), tot: t("2026-11-23T08:30:00.000Z")), 60 + 90,
                       "Friday 16:00 to Monday 09:30 local: one hour on Friday, an hour and a half on Monday")
        XCTAssertEqual(Kalender.werkminuten(van: t("2026-12-24T15:00:00.000Z"), tot: t("2026-12-28T07:00:00.000Z")), 60,
                       "Christmas and Boxing Day are no werkdagen; Monday 08:00 local is the end")
        XCTAssertEqual(Kalender.werkminuten(van: t("2026-10-23T14:00:00.000Z"), tot: t("2026-10-26T08:00:00.000Z")), 60 + 60,
                       "across the switch to winter time: Friday 16:00–17:00 CEST, Monday 08:00–09:00 CET")
        XCTAssertEqual(Kalender.werkminuten(van: t("2026-11-23T10:00:00.000Z"), tot: t("2026-11-23T09:00:00.000Z")), 0, "backwards is no wait")
        XCTAssertEqual(Kalender.werkminuten(van: t("2026-11-23T05:00:00.000Z"), tot: t("2026-11-23T06:59:00.000Z")), 0, "before opening time")
    }

    func testPlusNulWerkdagen() {
        XCTAssertEqual(Kalender.plusWerkdagen(0, na: d("2026-11-23")), d("2026-11-23"))
        XCTAssertEqual(Kalender.plusWerkdagen(0, na: d("2026-11-21")), d("2026-11-23"))
        XCTAssertEqual(Kalender.plusWerkdagen(0, na: d("2026-12-25")), d("2026-12-28"))
    }

    func testPlusWerkdagenOverChristmasAndNewYear() {
        XCTAssertEqual(d("2026-12-24").weekdag, 4)
        XCTAssertEqual(Kalender.plusWerkdagen(3, na: d("2026-12-24")), d("2026-12-30"))
        XCTAssertEqual(Kalender.plusWerkdagen(2, na: d("2026-12-30")), d("2027-01-04"), "31 Dec, then Nieuwjaarsdag and a weekend")
        XCTAssertEqual(Kalender.plusWerkdagen(10, na: d("2026-12-18")), d("2027-01-05"))
    }

    func testPlusWerkdagenAroundHemelvaartPinksterenAndKoningsdag() {
        XCTAssertEqual(Kalender.plusWerkdagen(1, na: d("2026-05-13")), d("2026-05-15"), "Hemelvaartsdag skipped")
        XCTAssertEqual(Kalender.plusWerkdagen(2, na: d("2026-05-13")), d("2026-05-18"))
        XCTAssertEqual(Kalender.plusWerkdagen(1, na: d("2026-05-22")), d("2026-05-26"), "Tweede Pinksterdag skipped")
        XCTAssertEqual(Kalender.plusWerkdagen(3, na: d("2026-04-24")), d("2026-04-30"), "Koningsdag skipped")
        XCTAssertEqual(Kalender.plusWerkdagen(3, na: d("2026-04-30")), d("2026-05-06"), "Bevrijdingsdag skipped")
    }

    func testWerkdagenTussen() {
        XCTAssertEqual(Kalender.werkdagen(van: d("2026-12-24"), tot: d("2026-12-30")), 3)
        XCTAssertEqual(Kalender.werkdagen(van: d("2026-12-30"), tot: d("2026-12-24")), -3)
        XCTAssertEqual(Kalender.werkdagen(van: d("2026-11-23"), tot: d("2026-11-23")), 0)
        XCTAssertEqual(Kalender.werkdagen(van: d("2026-11-20"), tot: d("2026-11-22")), 0, "only a weekend")
        XCTAssertEqual(Kalender.werkdagen(van: d("2026-11-20"), tot: d("2026-11-23")), 1)
        // 261 weekdays in 2026, of which 7 are feestdagen (Tweede Kerstdag is a Saturday).
        XCTAssertEqual(Kalender.werkdagen(van: d("2025-12-31"), tot: d("2026-12-31")), 254)
    }

    func testWerkdagenUndoesPlusWerkdagen() {
        var start = d("2026-01-01")
        while start.jaar == 2026 {
            for n in 1...15 {
                let einde = Kalender.plusWerkdagen(n, na: start)
                XCTAssertTrue(Kalender.isWerkdag(einde))
                XCTAssertEqual(Kalender.werkdagen(van: start, tot: einde), n, "\(start) + \(n)")
                XCTAssertEqual(Kalender.werkdagen(van: start, tot: einde.plus(dagen: -1)), n - 1, "\(start) + \(n)")
            }
            start = start.plus(dagen: 1)
        }
    }

    /// The count agrees with walking the days one by one and asking `isWerkdag`: every range of up
    /// to 40 days starting in 2005 (Hemelvaart on Bevrijdingsdag) or around New Year 2027, a few
    /// long ones, and dates before 1970 (negative day numbers).
    func testWerkdagenCountsWhatAWalkOverTheDaysCounts() {
        func walked(_ van: Datum, _ tot: Datum) -> Int {
            var aantal = 0
            var dag = van.plus(dagen: 1)
            while dag <= tot {
                if Kalender.isWerkdag(dag) { aantal += 1 }
                dag = dag.plus(dagen: 1)
            }
            return aantal
        }
        let starts = (0..<365).map { d("2005-01-01").plus(dagen: $0) } + (0..<30).map { d("2026-12-10").plus(dagen: $0) }
        for van in starts {
            for lengte in 0...40 {
                let tot = van.plus(dagen: lengte)
                XCTAssertEqual(Kalender.werkdagen(van: van, tot: tot), walked(van, tot), "\(van)–\(tot)")
                XCTAssertEqual(Kalender.werkdagen(van: tot, tot: van), -walked(van, tot), "\(tot)–\(van)")
            }
        }
        for (begin, einde) in [("1969-12-20", "1970-01-10"), ("1960-03-01", "1961-02-28"), ("2020-02-29", "2031-07-15")] {
            XCTAssertEqual(Kalender.werkdagen(van: d(begin), tot: d(einde)), walked(d(begin), d(einde)), "\(begin)–\(einde)")
        }
    }

    private func lokaal(_ utc: String) -> String {
        let tijd = Kalender.lokaleTijd(Tijdstip(utc)!)
        func twee(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(tijd.datum) \(twee(tijd.uur)):\(twee(tijd.minuut))"
    }

    func testLokaleTijdAroundTheSpringSwitch() {
        // 29 March 2026 is the last Sunday of March: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        XCTAssertEqual(lokaal("2026-03-29T00:59:59.999Z"), "2026-03-29 01:59")
        XCTAssertEqual(lokaal("2026-03-29T01:00:00.000Z"), "2026-03-29 03:00")
        XCTAssertEqual(lokaal("2026-03-28T22:30:00.000Z"), "2026-03-28 23:30")
        XCTAssertEqual(lokaal("2026-03-28T23:30:00.000Z"), "2026-03-29 00:30")
        XCTAssertEqual(lokaal("2026-03-29T22:30:00.000Z"), "2026-03-30 00:30", "first summer-time midnight")
    }

    func testLokaleTijdAroundTheAutumnSwitch() {
        // 25 October 2026 is the last Sunday of October: 03:00 CEST becomes 02:00 CET at 01:00 UTC.
        XCTAssertEqual(lokaal("2026-10-25T00:59:00.000Z"), "2026-10-25 02:59")
        XCTAssertEqual(lokaal("2026-10-25T01:00:00.000Z"), "2026-10-25 02:00")
        XCTAssertEqual(lokaal("2026-10-24T21:59:00.000Z"), "2026-10-24 23:59")
        XCTAssertEqual(lokaal("2026-10-24T22:00:00.000Z"), "2026-10-25 00:00")
        XCTAssertEqual(lokaal("2026-10-25T22:30:00.000Z"), "2026-10-25 23:30", "back in winter time")
        XCTAssertEqual(lokaal("2026-10-25T23:00:00.000Z"), "2026-10-26 00:00")
    }

    func testLokaleDatumAroundMidnight() {
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip("2026-01-15T23:30:00.000Z")!), d("2026-01-16"), "winter: UTC+1")
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip("2026-01-15T22:59:59.999Z")!), d("2026-01-15"))
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip("2026-07-01T21:59:00.000Z")!), d("2026-07-01"))
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip("2026-07-01T22:00:00.000Z")!), d("2026-07-02"), "summer: UTC+2")
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip("2026-12-31T23:00:00.000Z")!), d("2027-01-01"))
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip(milliseconden: -1_800_000)), d("1970-01-01"), "before the epoch")
        XCTAssertEqual(Kalender.lokaleDatum(Tijdstip(milliseconden: -3_600_001)), d("1969-12-31"))
    }
}
