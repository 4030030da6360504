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
/// `finish`. Errors carry the byte offset and a typed problem with a Dutch reason; a value of another
/// type than asked for is a `typeMismatch` only when it is itself well-formed (a malformed one is a
/// syntax error). The same reader also checks whole texts without building anything (`check`,
/// `checkObject`), for the log's lines and the catalogue file.
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
        try skipWhitespace()
        guard index < bytes.count, bytes[index] == .openBrace else { throw mismatch("een object") }
        try enter()
    }

    /// The next member's name with the ':' after it consumed, or nil after the object's closing '}'.
    @inlinable
    public mutating func nextKey() throws(JSONReaderError) -> JSONText? {
        try skipWhitespace()
        guard index < bytes.count else { throw error(.expectedName, at: index) }
        var byte = bytes[index]
        // A '}' here follows '{' or a member's value: after a ',' this call demands a name below.
        if byte == .closeBrace {
            index += 1
            afterValue = true
            depth -= 1
            return nil
        }
        if afterValue {
            guard byte == .comma else { throw error(.expectedCommaOrBrace, at: index) }
            index += 1
            try skipWhitespace()
            guard index < bytes.count else { throw error(.expectedName, at: index) }
            byte = bytes[index]
        }
        guard byte == .quote else { throw error(.expectedName, at: index) }
        let key = try text()
        try skipWhitespace()
        guard index < bytes.count, bytes[index] == .colon else { throw error(.expectedColon, at: index) }
        index += 1
        afterValue = false
        return key
    }

    @inlinable
    public mutating func beginArray() throws(JSONReaderError) {
        try skipWhitespace()
        guard index < bytes.count, bytes[index] == .openBracket else { throw mismatch("een lijst") }
        try enter()
    }

    /// True when an element follows (the caller reads or skips it), false after the closing ']'.
    @inlinable
    public mutating func nextElement() throws(JSONReaderError) -> Bool {
        try skipWhitespace()
        guard index < bytes.count else { throw error(.expectedCommaOrBracket, at: index) }
        let byte = bytes[index]
        // After a ',' this returns true, and the element read next refuses a ']'.
        if byte == .closeBracket {
            index += 1
            afterValue = true
            depth -= 1
            return false
        }
        if afterValue {
            guard byte == .comma else { throw error(.expectedCommaOrBracket, at: index) }
            index += 1
        }
        afterValue = false
        return true
    }

    // MARK: Scalars

    @inlinable
    public mutating func readText() throws(JSONReaderError) -> JSONText {
        try skipWhitespace()
        guard index < bytes.count, bytes[index] == .quote else { throw mismatch("een tekst") }
        return try text()
    }

    @inlinable
    public mutating func readString() throws(JSONReaderError) -> String {
        try readText().string
    }

    @inlinable
    public mutating func readBool() throws(JSONReaderError) -> Bool {
        try skipWhitespace()
        if try literal("true") { return true }
        if try literal("false") { return false }
        throw mismatch("true of false")
    }

    /// Consumes a `null` and returns true; leaves any other value unread and returns false.
    @inlinable
    public mutating func readNull() throws(JSONReaderError) -> Bool {
        try skipWhitespace()
        return try literal("null")
    }

    /// An integer written as one: digits only, no fraction or exponent (`2.0` and `2e0` are
    /// refused), fitting `T` exactly. For input from outside, where `2.0` is not what a person meant
    /// by a version number.
    @inlinable
    public mutating func readPlainInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws(JSONReaderError) -> T {
        try skipWhitespace()
        var end = index
        if end < bytes.count, bytes[end] == .minus { end += 1 }
        while end < bytes.count, bytes[end].isDigit { end += 1 }
        if end < bytes.count, bytes[end] == .dot || bytes[end] == .lowerE || bytes[end] == .upperE {
            let number = try scanNumber(at: index)
            throw error(.notInteger(number: numberText(index..<number), type: "\(T.self)"), at: index)
        }
        return try readInteger()
    }

    /// An integer of up to 64 bits as Foundation's JSONDecoder reads one, so both accept the same numbers: a number
    /// without fraction or exponent must fit `T` exactly; any other (`1.0`, `1e2`) is read as the
    /// nearest Double, which must be a whole number in `T`'s range, and from 2^53 on as the decimal
    /// digits themselves, any fraction cut off (JSONDecoder's Decimal fallback).
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws(JSONReaderError) -> T {
        try skipWhitespace()
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
        try checkInteger(digitsStart..<index)
        afterValue = true
        if !overflow {
            if !negative, let value = T(exactly: magnitude) { return value }
            if negative, magnitude == 0 { return 0 }
            // T.min has no positive counterpart in T: go through magnitude - 1.
            if negative, T.isSigned, let value = T(exactly: magnitude - 1) { return -1 - value }
        }
        throw error(.notRepresentable(number: numberText(start..<index), type: "\(T.self)"), at: start)
    }

    /// A number as the nearest Double (what `Double("…")` gives for its text).
    public mutating func readDouble() throws(JSONReaderError) -> Double {
        try skipWhitespace()
        guard index < bytes.count, bytes[index] == .minus || bytes[index].isDigit else { throw mismatch("een getal") }
        let range = try number()
        // The syntax is checked, so only an out-of-range value can fail; Swift gives ±infinity then.
        guard let value = Double(numberText(range)), value.isFinite else {
            throw error(.notRepresentable(number: numberText(range), type: "Double"), at: range.lowerBound)
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
            _ = try text()
        case .bool:
            if try !literal("true") { _ = try literal("false") }
        case .null:
            _ = try literal("null")
        case .number:
            _ = try number()
        }
    }

    /// Reads and checks the next value like `skipValue`, and tells where its bytes are: for copying a
    /// member's value verbatim (the log's encrypted members, log-format §3.1).
    public mutating func valueRange() throws(JSONReaderError) -> Range<Int> {
        try skipWhitespace()
        let start = index
        try skipValue()
        return start..<index
    }

    /// The kind of the next value, from its first byte (the value itself is not yet checked).
    public mutating func peek() throws(JSONReaderError) -> JSONKind {
        try skipWhitespace()
        guard index < bytes.count else { throw error(.expectedValue, at: index) }
        switch bytes[index] {
        case .openBrace: return .object
        case .openBracket: return .array
        case .quote: return .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case .minus, .digitZero...UInt8(ascii: "9"): return .number
        default: throw error(.expectedValue, at: index)
        }
    }

    /// Checks that nothing but whitespace follows the value read.
    public mutating func finish() throws(JSONReaderError) {
        try skipWhitespace()
        guard index == bytes.count else { throw error(.trailingText, at: index) }
    }

    // MARK: Tokens (over the scanners in JSONScanning.swift)

    @inlinable
    mutating func skipWhitespace() throws(JSONReaderError) {
        index = try skipSpace(from: index)
    }

    /// Past the '{' or '[' at `index`; deep nesting is refused before it can exhaust the stack.
    @usableFromInline
    mutating func enter() throws(JSONReaderError) {
        guard depth < Self.maxDepth else { throw error(.tooDeep(limit: Self.maxDepth), at: index) }
        depth += 1
        index += 1
        afterValue = false
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
        return error(.typeMismatch(expected: expected, found: kind), at: start)
    }

    /// Consumes `word` if it comes next; a word that starts like it but is not it is a syntax error.
    @inlinable
    mutating func literal(_ word: StaticString) throws(JSONReaderError) -> Bool {
        guard index < bytes.count, bytes[index] == word.utf8Start[0] else { return false }
        index = try scanLiteral(word, at: index)
        afterValue = true
        return true
    }

    /// The text from its opening quote at `index` through the closing one (not inlined: the loop is long).
    @usableFromInline
    mutating func text() throws(JSONReaderError) -> JSONText {
        let scan = try scanText(at: index)
        let text = JSONText(raw: UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<scan.close]),
                            isPlainASCII: !scan.hasEscapes && !scan.hasNonASCII, hasEscapes: scan.hasEscapes)
        index = scan.close + 1
        afterValue = true
        return text
    }

    /// The number from `index` (at '-' or a digit); its range.
    @usableFromInline
    mutating func number() throws(JSONReaderError) -> Range<Int> {
        let start = index
        index = try scanNumber(at: start)
        afterValue = true
        return start..<index
    }

    @usableFromInline
    func numberText(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// `readInteger` for a number with a fraction or an exponent (rare: JSON writers put integers plainly).
    @usableFromInline
    mutating func readNonPlainInteger<T: FixedWidthInteger>() throws(JSONReaderError) -> T {
        let range = try number()
        let notRepresentable = error(.notInteger(number: numberText(range), type: "\(T.self)"), at: range.lowerBound)
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
