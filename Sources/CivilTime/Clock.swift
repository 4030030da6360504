#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The program's one notion of *now*. Every shell (CLI, server, generator, import) and the log's
/// `vastgelegdOp` take the time from here, so a test, a demo or an auditor can set it from outside
/// with `ZAAK_NU` (docs/clock.md). Durations (timeouts, keep-alives, progress) use the monotonic
/// `ContinuousClock` instead: they measure elapsed time, not the date.
public enum Clock {
    public static let environmentVariable = "ZAAK_NU"

    /// `ZAAK_NU` as read once per process: nil when unset or empty, the instant when well formed.
    public static let setting: Result<Int64?, ClockSettingError> = {
        guard let raw = getenv(environmentVariable), raw.pointee != 0 else { return .success(nil) }
        let text = String(cString: raw)
        guard let milliseconds = parseInstant(text) else { return .failure(ClockSettingError(value: text)) }
        return .success(milliseconds)
    }()

    /// Milliseconds since the epoch: the instant `ZAAK_NU` fixes, else the system's real-time clock.
    /// A host must have checked `setting` first (the CLI does before any command and exits 64).
    public static func nowMilliseconds() -> Int64 {
        switch setting {
        case .success(let fixed?): return fixed
        case .success(nil): return systemMilliseconds()
        case .failure(let error): fatalError(error.description)
        }
    }

    /// The only read of the system's wall clock in the program.
    private static func systemMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// RFC 3339 with an explicit offset: `2026-11-20T09:00:00+01:00`, `2026-11-20T08:00:00Z`,
    /// `2026-11-20T08:00:00.250Z`; seconds may be left out (`2026-11-20T09:00+01:00`). A local time
    /// without offset is refused: the clock must not depend on the machine's time zone.
    public static func parseInstant(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        func number(_ width: Int) -> Int64? {
            guard bytes.count >= width else { return nil }
            var value: Int64 = 0
            for byte in bytes.prefix(width) {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            bytes = bytes.dropFirst(width)
            return value
        }
        func take(_ byte: UInt8) -> Bool {
            guard bytes.first == byte else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        guard let year = number(4), take(45), let month = number(2), take(45), let day = number(2),
              take(84) || take(116), let hour = number(2), take(58), let minute = number(2) else { return nil }
        var second: Int64 = 0, milli: Int64 = 0
        if take(58) {
            guard let value = number(2) else { return nil }
            second = value
            if take(46) {
                var digits = 0
                while let byte = bytes.first, byte >= 48 && byte <= 57 {
                    if digits < 3 { milli = milli * 10 + Int64(byte - 48) }
                    digits += 1
                    bytes = bytes.dropFirst()
                }
                guard digits > 0 else { return nil }
                for _ in digits..<max(digits, 3) { milli *= 10 }
            }
        }
        var offsetMinutes: Int64 = 0
        if take(90) || take(122) {
        } else if let sign: Int64 = take(43) ? 1 : take(45) ? -1 : nil {
            guard let offsetHour = number(2), take(58), let offsetMinute = number(2), offsetHour < 24, offsetMinute < 60 else { return nil }
            offsetMinutes = sign * (offsetHour * 60 + offsetMinute)
        } else {
            return nil
        }
        guard bytes.isEmpty, (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = Timestamp.days(fromCivil: year, month, day)
        return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + milli
    }
}

/// `ZAAK_NU` holds something that is not an instant.
public struct ClockSettingError: Error, CustomStringConvertible, Sendable {
    public let value: String
    public var description: String {
        "\(Clock.environmentVariable) '\(value.prefix(60))' is geen tijdstip; gebruik bijv. 2026-11-20T09:00:00+01:00 of 2026-11-20T08:00:00Z (of maak \(Clock.environmentVariable) leeg voor de echte tijd)"
    }
}
