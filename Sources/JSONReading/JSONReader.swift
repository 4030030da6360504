/// A pull reader over one JSON text (RFC 8259) in memory. The caller walks the document in the order
/// it is written and says what it expects next (`beginObject`, `nextKey`, `readString`, …); nothing is
/// built that the caller does not ask for, so decoding a known shape by hand costs little more than
/// scanning its bytes once.
///
/// Every value read or skipped is checked completely: structure, escapes, surrogate pairs, UTF-8 and
/// number syntax. Where Foundation's JSONDecoder is lenient this reader is not: it refuses trailing
/// commas, invalid UTF-8 in values nobody reads, a byte order mark and nesting past `maxDepth`.
///
/// The caller's code supplies the nesting: after `beginObject` it calls `nextKey` until that returns
/// nil and reads or skips one value after each key; after `beginArray` it calls `nextElement` until
/// that returns false and reads or skips one value each time. Values read at the top level end with
/// `finish`. Errors carry the byte offset and a Dutch reason; a value of another type than asked for
/// is a `typeMismatch` only when it is itself well-formed (a malformed one is a syntax error).
public struct JSONReader {
    public static let maxDepth = 512

    @usableFromInline let bytes: UnsafeRawBufferPointer
    @usableFromInline var index = 0
    /// Whether the last thing read completed a value, so that a ',' (or the container's end) comes next.
    @usableFromInline var afterValue = false
    /// Objects and arrays begun and not yet ended, whether the caller or `skipValue` began them.
    @usableFromInline var depth = 0

    /// Reads `bytes`, which must stay valid while the reader and the texts it returns are used.
    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    // MARK: Containers

    @inlinable
    public mutating func beginObject() throws(JSONReaderError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == .openBrace else { throw mismatch("een object") }
        try enter()
    }

    /// The next member's name with the ':' after it consumed, or nil after the object's closing '}'.
    @inlinable
    public mutating func nextKey() throws(JSONReaderError) -> JSONText? {
        skipWhitespace()
        guard index < bytes.count else { throw syntax("onverwacht einde in een object") }
        var byte = bytes[index]
        // A '}' here follows '{' or a member's value: after a ',' this call demands a name below.
        if byte == .closeBrace {
            index += 1
            afterValue = true
            depth -= 1
            return nil
        }
        if afterValue {
            guard byte == .comma else { throw syntax("verwacht ',' of '}' in een object") }
            index += 1
            skipWhitespace()
            guard index < bytes.count else { throw syntax("onverwacht einde in een object") }
            byte = bytes[index]
        }
        guard byte == .quote else { throw syntax("verwacht een veldnaam tussen aanhalingstekens") }
        let key = try scanText()
        skipWhitespace()
        guard index < bytes.count, bytes[index] == .colon else { throw syntax("verwacht ':' na de veldnaam") }
        index += 1
        afterValue = false
        return key
    }

    @inlinable
    public mutating func beginArray() throws(JSONReaderError) {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == .openBracket else { throw mismatch("een lijst") }
        try enter()
    }

    /// True when an element follows (the caller reads or skips it), false after the closing ']'.
    @inlinable
    public mutating func nextElement() throws(JSONReaderError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw syntax("onverwacht einde in een lijst") }
        let byte = bytes[index]
        // After a ',' this returns true, and the element read next refuses a ']'.
        if byte == .closeBracket {
            index += 1
            afterValue = true
            depth -= 1
            return false
        }
        if afterValue {
            guard byte == .comma else { throw syntax("verwacht ',' of ']' in een lijst") }
            index += 1
        }
        afterValue = false
        return true
    }

    // MARK: Scalars

    @inlinable
    public mutating func readText() throws(JSONReaderError) -> JSONText {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == .quote else { throw mismatch("een tekst") }
        return try scanText()
    }

    @inlinable
    public mutating func readString() throws(JSONReaderError) -> String {
        try readText().string
    }

    @inlinable
    public mutating func readBool() throws(JSONReaderError) -> Bool {
        skipWhitespace()
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw mismatch("true of false")
    }

    /// Consumes a `null` and returns true; leaves any other value unread and returns false.
    @inlinable
    public mutating func readNull() throws(JSONReaderError) -> Bool {
        skipWhitespace()
        return try literal("null")
    }

    /// An integer of up to 64 bits as Foundation's JSONDecoder reads one, so both accept the same numbers: a number
    /// without fraction or exponent must fit `T` exactly; any other (`1.0`, `1e2`) is read as the
    /// nearest Double, which must be a whole number in `T`'s range, and from 2^53 on as the decimal
    /// digits themselves, any fraction cut off (JSONDecoder's Decimal fallback).
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws(JSONReaderError) -> T {
        skipWhitespace()
        let start = index
        guard index < bytes.count, bytes[index] == .minus || bytes[index].isDigit else { throw mismatch("een geheel getal") }
        let negative = bytes[index] == .minus
        if negative { index += 1 }
        let digitsStart = index
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.count, bytes[index].isDigit {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[index] &- .digitZero))
            magnitude = sum
            overflow = overflow || o1 || o2
            index += 1
        }
        if index < bytes.count, bytes[index] == .dot || bytes[index] == .lowerE || bytes[index] == .upperE {
            index = start
            return try readNonPlainInteger()
        }
        try checkIntegerDigits(from: digitsStart)
        afterValue = true
        if !overflow {
            if !negative, let value = T(exactly: magnitude) { return value }
            if negative, magnitude == 0 { return 0 }
            // T.min has no positive counterpart in T: go through magnitude - 1.
            if negative, T.isSigned, let value = T(exactly: magnitude - 1) { return -1 - value }
        }
        throw JSONReaderError(.notRepresentable, start, "getal \(numberText(start..<index)) past niet in \(T.self)")
    }

    /// A number as the nearest Double (what `Double("…")` gives for its text).
    public mutating func readDouble() throws(JSONReaderError) -> Double {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == .minus || bytes[index].isDigit else { throw mismatch("een getal") }
        let range = try scanNumber()
        afterValue = true
        // The syntax is checked, so only an out-of-range value can fail; Swift gives ±infinity then.
        guard let value = Double(numberText(range)), value.isFinite else {
            throw JSONReaderError(.notRepresentable, range.lowerBound, "getal \(numberText(range)) past niet in Double")
        }
        return value
    }

    /// Reads and checks the next value, whatever it is, without building anything.
    public mutating func skipValue() throws(JSONReaderError) {
        switch try peek() {
        case .object:
            try enter()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try enter()
            while try nextElement() { try skipValue() }
        case .string:
            _ = try scanText()
        case .bool:
            if try !literal("true"), try !literal("false") { throw syntax("ongeldig woord in JSON") }
        case .null:
            if try !literal("null") { throw syntax("ongeldig woord in JSON") }
        case .number:
            _ = try scanNumber()
            afterValue = true
        }
    }

    /// The kind of the next value, from its first byte (the value itself is not yet checked).
    public mutating func peek() throws(JSONReaderError) -> JSONKind {
        skipWhitespace()
        guard index < bytes.count else { throw syntax("onverwacht einde waar een waarde moet staan") }
        switch bytes[index] {
        case .openBrace: return .object
        case .openBracket: return .array
        case .quote: return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case .minus, .digitZero...UInt8(ascii: "9"): return .number
        default: throw syntax("ongeldig teken waar een waarde moet staan")
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    public mutating func finish() throws(JSONReaderError) {
        skipWhitespace()
        guard index == bytes.count else { throw syntax("tekst na het einde van de JSON-waarde") }
    }

    // MARK: Scanning

    @inlinable
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Past the '{' or '[' at `index`; deep nesting is refused before it can exhaust the stack.
    @usableFromInline
    mutating func enter() throws(JSONReaderError) {
        guard depth < Self.maxDepth else { throw syntax("JSON is dieper genest dan \(Self.maxDepth) niveaus") }
        depth += 1
        index += 1
        afterValue = false
    }

    @usableFromInline
    func syntax(_ reason: String) -> JSONReaderError {
        JSONReaderError(.syntax, index, reason)
    }

    /// The error for a value of another type than `expected`; a malformed value is a syntax error instead.
    @usableFromInline
    mutating func mismatch(_ expected: String) -> JSONReaderError {
        let start = index
        let kind: JSONKind
        do throws(JSONReaderError) {
            kind = try peek()
            try skipValue()
        } catch {
            return error
        }
        return JSONReaderError(.typeMismatch, start, "verwacht \(expected), niet \(kind.description)")
    }

    /// Consumes `word` if it comes next; a word that starts like it but is not it is a syntax error.
    @inlinable
    mutating func literal(_ word: StaticString) throws(JSONReaderError) -> Bool {
        let length = word.utf8CodeUnitCount
        guard index < bytes.count, bytes[index] == word.utf8Start[0] else { return false }
        guard index + length <= bytes.count else { throw syntax("onverwacht einde van JSON") }
        for offset in 1..<length where bytes[index + offset] != word.utf8Start[offset] {
            throw syntax("ongeldig woord in JSON")
        }
        index += length
        afterValue = true
        return true
    }

    /// From the opening quote through the closing one.
    @usableFromInline
    mutating func scanText() throws(JSONReaderError) -> JSONText {
        let quoteAt = index
        index += 1
        let start = index
        var ascii = true
        var escapes = false
        while true {
            // Most of a text is printable ASCII: skip it eight bytes at a time, up to the first byte
            // that needs a look (the last few bytes of the input go one by one).
            while index + 8 <= bytes.count {
                let attention = Self.attention(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                if attention != 0 {
                    index += attention.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < bytes.count else { throw JSONReaderError(.syntax, quoteAt, "tekst zonder afsluitend aanhalingsteken") }
            let byte = bytes[index]
            switch byte {
            case .quote:
                let text = JSONText(raw: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), isPlainASCII: ascii && !escapes, hasEscapes: escapes)
                index += 1
                afterValue = true
                return text
            case .backslash:
                escapes = true
                try scanEscape()
            case 0x00..<0x20:
                throw syntax("stuurteken in een tekst moet ge-escaped zijn")
            case 0x80...0xFF:
                ascii = false
                try scanUTF8()
            default:
                index += 1
            }
        }
    }

    /// The high bit of each of the eight bytes (first byte lowest) that is a quote, a backslash, a
    /// control character or non-ASCII. A borrow may mark bytes after a marked one too, never before
    /// it, so the lowest mark is exact.
    @inlinable
    static func attention(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let quote = zeroBytes(word ^ (ones &* 0x22))
        let backslash = zeroBytes(word ^ (ones &* 0x5C))
        // A byte below 0x20: subtracting 0x20 borrows into its high bit (bytes ≥ 0x80 are marked anyway).
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control | (word & highs)
    }

    @usableFromInline
    mutating func scanEscape() throws(JSONReaderError) {
        guard index + 1 < bytes.count else { throw syntax("onverwacht einde in een escape") }
        switch bytes[index + 1] {
        case .quote, .backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            let unit = try hexEscape()
            if (0xDC00...0xDFFF).contains(unit) { throw syntax("losse lage surrogaat in \\u-escape") }
            index += 6
            if (0xD800...0xDBFF).contains(unit) {
                guard index + 1 < bytes.count, bytes[index] == .backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                    throw syntax("hoge surrogaat in \\u-escape zonder lage erna")
                }
                let low = try hexEscape()
                guard (0xDC00...0xDFFF).contains(low) else { throw syntax("hoge surrogaat in \\u-escape zonder lage erna") }
                index += 6
            }
        default:
            throw syntax("ongeldige escape in een tekst")
        }
    }

    /// The four hex digits of the `\u` escape at `index`.
    @usableFromInline
    func hexEscape() throws(JSONReaderError) -> UInt32 {
        guard index + 6 <= bytes.count else { throw syntax("onvolledige \\u-escape") }
        var value: UInt32 = 0
        for offset in 2..<6 {
            guard let digit = JSONText.hexValue(bytes[index + offset]) else { throw syntax("ongeldige \\u-escape") }
            value = value << 4 | digit
        }
        return value
    }

    /// One multi-byte UTF-8 scalar, refusing overlong forms, surrogates and values past U+10FFFF.
    @usableFromInline
    mutating func scanUTF8() throws(JSONReaderError) {
        switch UTF8Scalar.check(bytes, at: index, end: bytes.count) {
        case let .valid(length): index += length
        case .invalid: throw syntax("ongeldige UTF-8")
        case .truncated: throw syntax("onvolledige UTF-8")
        }
    }

    /// An RFC 8259 number from `index` (at '-' or a digit); its range.
    @usableFromInline
    mutating func scanNumber() throws(JSONReaderError) -> Range<Int> {
        let start = index
        if bytes[index] == .minus { index += 1 }
        let digitsStart = index
        skipDigits()
        try checkIntegerDigits(from: digitsStart)
        if index < bytes.count, bytes[index] == .dot {
            index += 1
            guard skipDigits() > 0 else { throw syntax("ongeldig getal: cijfers na de punt ontbreken") }
        }
        if index < bytes.count, bytes[index] == .lowerE || bytes[index] == .upperE {
            index += 1
            if index < bytes.count, bytes[index] == .plus || bytes[index] == .minus { index += 1 }
            guard skipDigits() > 0 else { throw syntax("ongeldig getal: de exponent ontbreekt") }
        }
        return start..<index
    }

    @usableFromInline
    @discardableResult
    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index].isDigit { index += 1 }
        return index - start
    }

    /// The integer part from `start` to `index`: at least one digit, no leading zero.
    @usableFromInline
    func checkIntegerDigits(from start: Int) throws(JSONReaderError) {
        guard index > start else { throw JSONReaderError(.syntax, start, "ongeldig getal: cijfers ontbreken") }
        guard bytes[start] != .digitZero || index == start + 1 else { throw JSONReaderError(.syntax, start, "ongeldig getal: voorloopnul") }
    }

    @usableFromInline
    func numberText(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `readInteger` for a number with a fraction or an exponent (rare: JSON writers put integers plainly).
    @usableFromInline
    mutating func readNonPlainInteger<T: FixedWidthInteger>() throws(JSONReaderError) -> T {
        let range = try scanNumber()
        afterValue = true
        let notRepresentable = JSONReaderError(.notRepresentable, range.lowerBound, "getal \(numberText(range)) is geen geheel getal in \(T.self)")
        guard let double = Double(numberText(range)), let value = T(exactly: double) else { throw notRepresentable }
        if double.magnitude < 0x1p53 { return value }
        // Past 2^53 a Double no longer tells neighbouring integers apart; JSONDecoder then reads the
        // digits as a Decimal (trailing zeros dropped into the exponent) and cuts off any fraction.
        var mantissa: UInt64 = 0, pendingZeros = 0, fractionDigits = 0, exponent = 0
        var position = range.lowerBound
        let negative = bytes[position] == .minus
        if negative { position += 1 }
        var inFraction = false
        while position < range.upperBound, bytes[position] != .lowerE, bytes[position] != .upperE {
            let byte = bytes[position]
            position += 1
            if byte == .dot { inFraction = true; continue }
            if inFraction { fractionDigits += 1 }
            if byte == .digitZero {
                if mantissa != 0 { pendingZeros += 1 }
                continue
            }
            for _ in 0..<(pendingZeros + 1) {
                let (product, overflow) = mantissa.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw notRepresentable }
                mantissa = product
            }
            pendingZeros = 0
            let (sum, overflow) = mantissa.addingReportingOverflow(UInt64(byte &- .digitZero))
            guard !overflow else { throw notRepresentable }
            mantissa = sum
        }
        if position < range.upperBound {
            position += 1
            let exponentNegative = bytes[position] == .minus
            if bytes[position] == .minus || bytes[position] == .plus { position += 1 }
            while position < range.upperBound {
                let digit = Int(bytes[position] &- .digitZero)
                exponent = min(exponent * 10 + digit, 1 << 40)
                position += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        var scale = exponent - fractionDigits + pendingZeros
        while scale > 0, mantissa != 0 {
            let (product, overflow) = mantissa.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw notRepresentable }
            mantissa = product
            scale -= 1
        }
        while scale < 0, mantissa != 0 {
            mantissa /= 10
            scale += 1
        }
        guard let magnitude = T(exactly: mantissa), !negative || T.isSigned else { throw notRepresentable }
        return negative ? 0 - magnitude : magnitude
    }
}

public enum JSONKind: Sendable, CustomStringConvertible {
    case object, array, string, number, bool, null

    public var description: String {
        switch self {
        case .object: "een object"
        case .array: "een lijst"
        case .string: "een tekst"
        case .number: "een getal"
        case .bool: "true of false"
        case .null: "null"
        }
    }
}

public struct JSONReaderError: Error, Equatable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// Not JSON (RFC 8259) at `offset`.
        case syntax
        /// Well-formed, but another kind of value than the caller asked for.
        case typeMismatch
        /// A number that the asked-for type cannot hold.
        case notRepresentable
    }

    public let kind: Kind
    public let offset: Int
    public let reason: String

    @usableFromInline
    init(_ kind: Kind, _ offset: Int, _ reason: String) {
        self.kind = kind
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "\(reason) (byte \(offset))" }
}

/// A string as it stands in the input, checked by the reader; valid as long as the input is.
public struct JSONText {
    /// The bytes between the quotes, escapes as written.
    public let raw: UnsafeRawBufferPointer
    /// No escapes and no byte above 0x7F: `raw` is the value itself, and equal to a String's
    /// UTF-8 exactly when the strings are equal.
    public let isPlainASCII: Bool
    public let hasEscapes: Bool

    @usableFromInline
    init(raw: UnsafeRawBufferPointer, isPlainASCII: Bool, hasEscapes: Bool) {
        self.raw = raw
        self.isPlainASCII = isPlainASCII
        self.hasEscapes = hasEscapes
    }

    /// The value, escapes resolved.
    @inlinable
    public var string: String {
        hasEscapes ? unescaped() : String(decoding: raw, as: UTF8.self)
    }

    /// Whether the value's UTF-8 bytes are `other`'s. Inlined: decoders call it once per member and candidate name.
    @inlinable @inline(__always)
    public func equals(_ other: StaticString) -> Bool {
        if !hasEscapes {
            return raw.count == other.utf8CodeUnitCount && (raw.count == 0 || Self.memoryEquals(raw.baseAddress!, other.utf8Start, raw.count))
        }
        return string.utf8.elementsEqual(UnsafeBufferPointer(start: other.utf8Start, count: other.utf8CodeUnitCount))
    }

    /// Whether the value's UTF-8 bytes are `other`'s.
    @inlinable
    public func equals(_ other: String) -> Bool {
        guard !hasEscapes else { return string.utf8.elementsEqual(other.utf8) }
        guard other.utf8.count == raw.count else { return false }
        var other = other
        return other.withUTF8 { utf8 in
            utf8.count == raw.count && (raw.count == 0 || Self.memoryEquals(raw.baseAddress!, UnsafeRawPointer(utf8.baseAddress!), raw.count))
        }
    }

    @usableFromInline
    func unescaped() -> String {
        // Every escape is at least as long as what it stands for, so `raw.count` bytes suffice.
        String(unsafeUninitializedCapacity: raw.count) { out in
            var from = 0, to = 0
            func put(_ byte: UInt8) { out[to] = byte; to += 1 }
            func hex(at position: Int) -> UInt32 {
                (0..<4).reduce(0) { value, offset in value << 4 | Self.hexValue(raw[position + offset])! }
            }
            while from < raw.count {
                let byte = raw[from]
                guard byte == .backslash else { put(byte); from += 1; continue }
                let escape = raw[from + 1]
                from += 2
                switch escape {
                case UInt8(ascii: "b"): put(0x08)
                case UInt8(ascii: "f"): put(0x0C)
                case UInt8(ascii: "n"): put(0x0A)
                case UInt8(ascii: "r"): put(0x0D)
                case UInt8(ascii: "t"): put(0x09)
                case UInt8(ascii: "u"):
                    var scalar = hex(at: from)
                    from += 4
                    if (0xD800...0xDBFF).contains(scalar) {  // the reader checked that a low surrogate follows
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex(at: from + 2) - 0xDC00)
                        from += 6
                    }
                    for unit in UTF8.encode(Unicode.Scalar(scalar)!)! { put(unit) }
                default: put(escape)  // " \ /
                }
            }
            return to
        }
    }

    /// Eight bytes at a time: member names and the texts compared are mostly 5 to 25 bytes.
    @inlinable @inline(__always)
    static func memoryEquals(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset + 8 <= count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self) == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset += 8
        }
        while offset < count {
            guard a.load(fromByteOffset: offset, as: UInt8.self) == b.load(fromByteOffset: offset, as: UInt8.self) else { return false }
            offset += 1
        }
        return true
    }

    @usableFromInline
    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case .digitZero...UInt8(ascii: "9"): UInt32(byte - .digitZero)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}

// Computed, not `static let`: a stored static is a lazily initialised global, and every use in
// the scanning loops would go through its accessor.
extension UInt8 {
    @inlinable static var quote: UInt8 { 0x22 }
    @inlinable static var backslash: UInt8 { 0x5C }
    @inlinable static var comma: UInt8 { 0x2C }
    @inlinable static var colon: UInt8 { 0x3A }
    @inlinable static var openBrace: UInt8 { 0x7B }
    @inlinable static var closeBrace: UInt8 { 0x7D }
    @inlinable static var openBracket: UInt8 { 0x5B }
    @inlinable static var closeBracket: UInt8 { 0x5D }
    @inlinable static var minus: UInt8 { 0x2D }
    @inlinable static var plus: UInt8 { 0x2B }
    @inlinable static var dot: UInt8 { 0x2E }
    @inlinable static var digitZero: UInt8 { 0x30 }
    @inlinable static var lowerE: UInt8 { 0x65 }
    @inlinable static var upperE: UInt8 { 0x45 }

    @inlinable var isDigit: Bool { self &- .digitZero < 10 }
}
