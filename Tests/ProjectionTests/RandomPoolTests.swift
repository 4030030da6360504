import XCTest
@testable import ZaakKeys

/// The nonces and keys of the log's encryption come from `RandomPool`: never the same bytes twice,
/// also across its refills, and random rather than the zeros it overwrites handed-out bytes with.
final class RandomPoolTests: XCTestCase {
    func testNoNonceComesTwiceAcrossRefills() {
        let pool = RandomPool()
        var seen = Set<[UInt8]>()
        // 60,000 bytes: fourteen refills of the 4 KiB buffer, with nonces straddling none of them.
        for _ in 0..<5_000 { XCTAssertTrue(seen.insert(pool.bytes(12)).inserted) }
        let whole = pool.bytes(4096)
        XCTAssertEqual(whole.count, 4096)
        XCTAssertGreaterThan(Set(whole).count, 200, "random bytes, not the zeros of a used buffer")
        XCTAssertFalse(seen.contains(Array(whole.prefix(12))))
    }
}
