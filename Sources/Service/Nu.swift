import CivilTime
import Domain

extension Tijdstip {
    /// Now, from the program's one clock (`ZAAK_NU` when set; see `Clock`).
    public static func nu() -> Tijdstip { Tijdstip(milliseconden: Clock.nowMilliseconds()) }
}
