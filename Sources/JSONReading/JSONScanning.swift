/// The tokens of JSON, shared by the pull reader and the syntax check. Each takes the offset it
/// starts at and returns the offset after what it read, so the position stays in a register instead
/// of being stored back into the reader after each byte (the log's verifier checks every line here).
extension JSONReader {
    @inlinable @inline(__always)
    func error(_ problem: JSONReaderError.Problem, at offset: Int) -> JSONReaderError {
        JSONReaderError(problem, at: offset, atEnd: offset >= bytes.count)
    }

    /// Past spaces and tabs, and past line breaks unless `lineBreaks` is false (then one is an error).
    @inlinable @inline(__always)
    func skipSpace(from start: Int, lineBreaks: Bool = true) throws(JSONReaderError) -> Int {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09: index &+= 1
            case 0x0A, 0x0D:
                guard lineBreaks else { throw error(.lineBreak, at: index) }
                index &+= 1
            default: return index
            }
        }
        return index
    }

    /// Where a text ends and what it holds.
    @usableFromInline
    struct TextScan {
        /// The offset of the closing quote.
        @usableFromInline let close: Int
        @usableFromInline let hasEscapes: Bool
        @usableFromInline let hasNonASCII: Bool

        @inlinable
        init(close: Int, hasEscapes: Bool, hasNonASCII: Bool) {
            self.close = close
            self.hasEscapes = hasEscapes
            self.hasNonASCII = hasNonASCII
        }
    }

    /// The text whose opening quote is at `quote`, checked through its closing quote: escapes
    /// (`\u` surrogates paired when `pairsSurrogates`), control characters and UTF-8.
    @inlinable @inline(__always)
    func scanText(at quote: Int, pairsSurrogates: Bool = true) throws(JSONReaderError) -> TextScan {
        var index = quote &+ 1
        var escapes = false, nonASCII = false
        while true {
            // Most of a text is plain printable ASCII: step over it eight bytes at a time, straight
            // to the first byte that needs a look (the lowest mark is exact, see `attention`).
            if index &+ 8 <= bytes.count {
                let marks = Self.attention(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                if marks == 0 {
                    index &+= 8
                    continue
                }
                index &+= marks.trailingZeroBitCount &>> 3
            } else {
                guard index < bytes.count else { throw error(.unterminatedText, at: index) }
            }
            switch bytes[index] {
            case .quote:
                return TextScan(close: index, hasEscapes: escapes, hasNonASCII: nonASCII)
            case .backslash:
                escapes = true
                index = try scanEscape(at: index, pairsSurrogates: pairsSurrogates)
            case 0x00..<0x20:
                throw error(.controlCharacter, at: index)
            case 0x80...0xFF:
                nonASCII = true
                index = try scanUTF8(at: index)
            default:
                index &+= 1
            }
        }
    }

    /// The high bit of each of the eight bytes (first byte lowest) that is a quote, a backslash, a
    /// control character or non-ASCII. A borrow may mark bytes after a marked one too, never before
    /// it, so the lowest mark is exact.
    @inlinable @inline(__always)
    static func attention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeroBytes(word ^ (ones &* 0x22))
        let backslash = zeroBytes(word ^ (ones &* 0x5C))
        // A byte below 0x20: subtracting 0x20 borrows into its high bit (bytes ≥ 0x80 are marked anyway).
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control | (word & highs)
    }

    /// Past the escape whose backslash is at `backslash` (escapes are rare: not inlined).
    @usableFromInline
    func scanEscape(at backslash: Int, pairsSurrogates: Bool) throws(JSONReaderError) -> Int {
        let letter = backslash + 1
        guard letter < bytes.count else { throw error(.invalidEscape, at: letter) }
        switch bytes[letter] {
        case .quote, .backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return letter + 1
        case UInt8(ascii: "u"):
            let unit = try hexDigits(at: letter + 1)
            let next = letter + 5
            guard pairsSurrogates, (0xD800...0xDFFF).contains(unit) else { return next }
            guard unit < 0xDC00 else { throw error(.unpairedSurrogate(high: false), at: backslash) }
            guard next + 1 < bytes.count, bytes[next] == .backslash, bytes[next + 1] == UInt8(ascii: "u"),
                  (0xDC00...0xDFFF).contains(try hexDigits(at: next + 2))
            else { throw error(.unpairedSurrogate(high: true), at: backslash) }
            return next + 6
        default:
            throw error(.invalidEscape, at: letter)
        }
    }

    /// The four hex digits of a `\u` escape from `start`.
    @usableFromInline
    func hexDigits(at start: Int) throws(JSONReaderError) -> UInt32 {
        var value: UInt32 = 0
        for index in start..<(start + 4) {
            guard index < bytes.count, let digit = JSONText.hexValue(bytes[index]) else { throw error(.invalidUnicodeEscape, at: index) }
            value = value << 4 | digit
        }
        return value
    }

    /// Past one multi-byte UTF-8 scalar (RFC 3629) whose lead byte is at `lead`, refusing overlong
    /// forms, surrogates, values past U+10FFFF and a scalar the text cuts off.
    @inlinable
    func scanUTF8(at lead: Int) throws(JSONReaderError) -> Int {
        let count: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch bytes[lead] {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED: count = 2; upper = 0x9F
        case 0xF0: count = 3; lower = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4: count = 3; upper = 0x8F
        default: throw error(.invalidUTF8, at: lead)
        }
        guard lead + count < bytes.count else { throw error(.invalidUTF8, at: lead) }
        for offset in 1...count {
            let byte = bytes[lead + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low && byte <= high else { throw error(.invalidUTF8, at: lead) }
        }
        return lead + count + 1
    }

    /// Past the RFC 8259 number at `start` (a '-' or a digit).
    @inlinable @inline(__always)
    func scanNumber(at start: Int) throws(JSONReaderError) -> Int {
        var index = start
        if bytes[index] == .minus { index &+= 1 }
        let integer = index
        index = skipDigits(from: index)
        try checkInteger(integer..<index)
        if index < bytes.count, bytes[index] == .dot {
            let fraction = index &+ 1
            index = skipDigits(from: fraction)
            guard index > fraction else { throw error(.invalidNumber(.missingFraction), at: index) }
        }
        if index < bytes.count, bytes[index] == .lowerE || bytes[index] == .upperE {
            index &+= 1
            if index < bytes.count, bytes[index] == .plus || bytes[index] == .minus { index &+= 1 }
            let exponent = index
            index = skipDigits(from: exponent)
            guard index > exponent else { throw error(.invalidNumber(.missingExponent), at: index) }
        }
        return index
    }

    @inlinable @inline(__always)
    func skipDigits(from start: Int) -> Int {
        var index = start
        while index < bytes.count, bytes[index].isDigit { index &+= 1 }
        return index
    }

    /// The integer part of a number: at least one digit, no leading zero.
    @inlinable @inline(__always)
    func checkInteger(_ digits: Range<Int>) throws(JSONReaderError) {
        guard !digits.isEmpty else { throw error(.invalidNumber(.missingDigits), at: digits.lowerBound) }
        guard bytes[digits.lowerBound] != .digitZero || digits.count == 1 else {
            throw error(.invalidNumber(.leadingZero), at: digits.lowerBound)
        }
    }

    /// Past `word` (true, false or null) at `start`; the first byte that differs is the error's offset.
    @inlinable @inline(__always)
    func scanLiteral(_ word: StaticString, at start: Int) throws(JSONReaderError) -> Int {
        let length = word.utf8CodeUnitCount
        for offset in 0..<length {
            let index = start &+ offset
            guard index < bytes.count, bytes[index] == word.utf8Start[offset] else { throw error(.invalidLiteral(word.description), at: index) }
        }
        return start &+ length
    }
}
