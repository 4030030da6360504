import CivilTime
import XCTest

/// The forms `ZAAK_NU` accepts (docs/clock.md) and the ones it refuses.
final class ClockTests: XCTestCase {
    private func instant(_ text: String) -> String? {
        Clock.parseInstant(text).map { Timestamp.format(millisecondsSinceEpoch: $0) }
    }

    func testOffsetsAndFractionsGiveTheSameInstantAsUTC() {
        XCTAssertEqual(instant("2026-11-20T09:00:00+01:00"), "2026-11-20T08:00:00.000Z")
        XCTAssertEqual(instant("2026-11-20T08:00:00Z"), "2026-11-20T08:00:00.000Z")
        XCTAssertEqual(instant("2026-11-20t08:00:00z"), "2026-11-20T08:00:00.000Z")
        XCTAssertEqual(instant("2026-11-20T09:00+01:00"), "2026-11-20T08:00:00.000Z", "seconds may be left out")
        XCTAssertEqual(instant("2026-11-20T08:00:00.25Z"), "2026-11-20T08:00:00.250Z")
        XCTAssertEqual(instant("2026-11-20T08:00:00.123456Z"), "2026-11-20T08:00:00.123Z", "past milliseconds is cut, not rounded")
        XCTAssertEqual(instant("2027-01-01T00:30:00+01:00"), "2026-12-31T23:30:00.000Z", "across a year boundary")
        XCTAssertEqual(instant("2026-07-01T01:00:00+02:00"), "2026-06-30T23:00:00.000Z")
        XCTAssertEqual(instant("2026-11-20T03:00:00-05:30"), "2026-11-20T08:30:00.000Z")
        XCTAssertEqual(instant("2028-02-29T12:00:00Z"), "2028-02-29T12:00:00.000Z", "a leap day")
    }

    func testAnythingElseIsRefused() {
        for text in ["", "morgen", "2026-11-20", "2026-11-20T09:00:00", "2026-11-20 09:00", "2026-11-20T09:00:00+0100",
                     "2026-11-20T09:00:00+01", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-20T24:00:00Z",
                     "2026-11-20T09:60:00Z", "2026-11-20T09:00:00.Z", "2026-11-20T09:00:00Z ", " 2026-11-20T09:00:00Z",
                     "2026-11-20T09:00:00+25:00", "26-11-20T09:00:00Z"] {
            XCTAssertNil(Clock.parseInstant(text), text)
        }
    }
}
