/// `vastgelegdOp` timestamps: UTC with milliseconds, `YYYY-MM-DDTHH:MM:SS.mmmZ`, always 24 bytes.
/// Formatted and parsed by hand because the log stamps every line and Foundation's formatters are slow.
public enum Timestamp {
    public static let length = 24

    public static func format(millisecondsSinceEpoch ms: Int64) -> String {
        String(decoding: bytes(millisecondsSinceEpoch: ms), as: UTF8.self)
    }

    public static func bytes(millisecondsSinceEpoch ms: Int64) -> [UInt8] {
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let msOfDay = ms - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        var out = [UInt8](); out.reserveCapacity(length)
        func put(_ value: Int64, _ width: Int) {
            var divisor: Int64 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 { out.append(UInt8(48 + rest / divisor)); rest %= divisor; divisor /= 10 }
        }
        put(year, 4); out.append(45); put(month, 2); out.append(45); put(day, 2); out.append(84)
        put(msOfDay / 3_600_000, 2); out.append(58); put(msOfDay / 60_000 % 60, 2); out.append(58)
        put(msOfDay / 1000 % 60, 2); out.append(46); put(msOfDay % 1000, 3); out.append(90)
        return out
    }

    /// Parses exactly the format above; nil for anything else. Allocation-free: readers call it per line.
    public static func parse<C: Collection>(_ text: C) -> Int64? where C.Element == UInt8 {
        guard text.count == length else { return nil }
        var fields: (Int64, Int64, Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0, 0, 0)
        var offset = 0
        for byte in text {
            // Separators at fixed offsets: 4 '-', 7 '-', 10 'T', 13 ':', 16 ':', 19 '.', 23 'Z'.
            let separator: UInt8?
            switch offset {
            case 4, 7: separator = 45
            case 10: separator = 84
            case 13, 16: separator = 58
            case 19: separator = 46
            case 23: separator = 90
            default: separator = nil
            }
            if let separator {
                guard byte == separator else { return nil }
            } else {
                guard byte >= 48 && byte <= 57 else { return nil }
                let digit = Int64(byte - 48)
                switch offset {
                case 0..<4: fields.0 = fields.0 * 10 + digit
                case 5..<7: fields.1 = fields.1 * 10 + digit
                case 8..<10: fields.2 = fields.2 * 10 + digit
                case 11..<13: fields.3 = fields.3 * 10 + digit
                case 14..<16: fields.4 = fields.4 * 10 + digit
                case 17..<19: fields.5 = fields.5 * 10 + digit
                default: fields.6 = fields.6 * 10 + digit
                }
            }
            offset += 1
        }
        let (year, month, day, hour, minute, second, milli) = fields
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60 else { return nil }
        let days = self.days(fromCivil: year, month, day)
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + milli
    }

    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian calendar).
    public static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, m, d)
    }
}
