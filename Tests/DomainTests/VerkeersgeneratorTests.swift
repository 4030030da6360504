import DemoTraffic
import Domain
import XCTest

/// The generator's traffic, replayed through `evolve`: in time order, valid for the domain, and
/// showing every behaviour docs/generator.md claims for a profile.
final class VerkeersgeneratorTests: XCTestCase {
    func testTwoWeeksOfAssenShowTheBehaviourTheProfileClaims() throws {
        let van = try XCTUnwrap(Datum(jaar: 2026, maand: 9, dag: 7))  // a Monday
        var generator = Verkeersgenerator(profiel: .assen, seed: 5, van: van, dagen: 14)
        var zaken: [Zaaknummer: Zaak] = [:]
        var previous: Int64 = .min, outOfOrder = 0, refused: [String] = []
        var callsPerWeekday = [Int](repeating: 0, count: 8), callsOutsideHours = 0
        while generator.volgendeDag({ event in
            if event.plaatsgevondenOp.milliseconden < previous { outOfOrder += 1 }
            previous = event.plaatsgevondenOp.milliseconden
            do { zaken[event.zaak] = try evolve(zaken[event.zaak], event) } catch { refused.append("\(event.id): \(error)") }
            if case let .zaakGeopend(opening) = event.gebeurtenis, opening.kanaal == .telefoon {
                let local = Kalender.lokaleTijd(event.plaatsgevondenOp)
                callsPerWeekday[local.datum.weekdag] += 1
                if !(8..<17).contains(local.uur) || !Kalender.isWerkdag(local.datum) { callsOutsideHours += 1 }
            }
        }) != nil {}

        XCTAssertEqual(outOfOrder, 0, "events leave in time order")
        XCTAssertEqual(refused, [], "every event is one evolve accepts")
        XCTAssertEqual(zaken.count, generator.geopend)
        // ~300 calls a working day (seed 002): two weeks, ten working days.
        let calls = callsPerWeekday.reduce(0, +)
        XCTAssertEqual(Double(calls), 3000, accuracy: 300, "calls in two weeks")
        XCTAssertEqual(callsOutsideHours, 0, "the phones are answered on working days, 08:00–17:00")
        XCTAssertGreaterThan(Double(callsPerWeekday[1]), 1.4 * Double(callsPerWeekday[5]), "Monday is busier than Friday")
        XCTAssertEqual(callsPerWeekday[6] + callsPerWeekday[7], 0)

        let all = Array(zaken.values)
        let reopenings = all.flatMap(\.heropeningen).map(\.aanleiding)
        XCTAssertGreaterThan(reopenings.count { $0 == .opnieuwContact }, 10, "rule 4: residents come back after closure")
        XCTAssertGreaterThan(reopenings.count { $0 == .tevredenheid }, 5, "rule 5: a survey says not solved")
        XCTAssertFalse(reopenings.contains(.handmatig))
        XCTAssertGreaterThan(all.count { Set($0.contacten.filter { $0.richting == .inkomend }.map(\.kanaal)).count > 1 }, 50,
                             "residents retry on another kanaal")
        // Late: answered after the termijn, or still open when it passed (before the period's last day).
        let lastDay = van.plus(dagen: 13)
        let due = all.flatMap(\.overdrachten).filter { $0.uiterlijkOp < lastDay }
        let late = due.count { handoff in handoff.terugkoppelingen.first.map { Kalender.lokaleDatum($0.op) > handoff.uiterlijkOp } ?? true }
        XCTAssertGreaterThan(late, due.count / 50, "some afdelingen answer after the termijn: \(late) of \(due.count)")
        XCTAssertLessThan(late, due.count / 5)
        let answered = all.flatMap(\.overdrachten).filter { !$0.terugkoppelingen.isEmpty }
        XCTAssertGreaterThan(answered.count { $0.terugkoppelingen[0].uitkomst == .nietOpgelost }, 20)
        XCTAssertGreaterThan(answered.count { $0.isTerugbelverzoek }, 20)
        XCTAssertGreaterThan(all.count { $0.status == .gesloten(.nietOpgelost) }, 5)
    }
}
