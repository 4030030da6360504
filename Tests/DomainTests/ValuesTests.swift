import Domain
import XCTest

final class ValuesTests: XCTestCase {
    func testZaaknummerAcceptsWhatAnAgentTypes() {
        for typed in ["Z-2026-000042", "z-2026-42", "2026-42", "Z2026000042", "Z-2026-00 0042"] {
            XCTAssertEqual(Zaaknummer(typed)?.description, "Z-2026-000042", typed)
        }
        for wrong in ["", "Z-26-42", "Z-2026-", "Z-2026-1234567", "Z-2026-0", "Z-2026-4a", "42"] {
            XCTAssertNil(Zaaknummer(wrong), wrong)
        }
    }

    func testDatumAndWeekday() {
        let date = Datum("2026-11-23")!
        XCTAssertEqual(date.weekdag, 1, "23 November 2026 is a Monday")
        XCTAssertEqual(date.plus(dagen: 6).description, "2026-11-29")
        XCTAssertEqual(Datum("2024-02-29")?.description, "2024-02-29")
        XCTAssertNil(Datum("2026-02-29"))
        XCTAssertNil(Datum("2026-1-05"))
    }
}
