import JSONReading

/// A strict RFC 8259 syntax checker over bytes, including UTF-8 validity. It builds nothing, so it
/// runs at memory speed; the log uses it to refuse any body that would make a line unreadable.
/// For a top-level object it reports the byte ranges of its members' names (without quotes) and values.
///
/// Every step takes the offset it starts at and returns the offset after what it read, so the
/// position stays in a register instead of being stored back into the parser after each byte (the
/// verifier runs every line of the log through here).
struct JSONSyntax {
    struct Failure: Error, Equatable {
        let offset: Int
        let reason: String
    }

    static let maxDepth = 256

    private let bytes: UnsafeRawBufferPointer
    private let end: Int

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        end = bytes.count
    }

    struct Member {
        let name: Range<Int>
        let value: Range<Int>
    }

    /// Checks that `bytes` is exactly one JSON object (no surrounding whitespace, no newline bytes
    /// anywhere) and returns its top-level members.
    static func checkObject(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> [Member] {
        var members: [Member] = []
        try checkObject(bytes) { members.append($0) }
        return members
    }

    /// The same check, handing each top-level member to `visit` as it is found: the verifier's
    /// path, which allocates nothing per line.
    ///
    /// One loop with an explicit stack of open containers rather than a recursive descent: the
    /// verifier runs every line of the log through here, and a line holds some fifty short tokens,
    /// so the cost per token (calls, stores of the position) is what counts.
    static func checkObject(_ bytes: UnsafeRawBufferPointer, visit: (Member) throws(Failure) -> Void) throws(Failure) {
        guard bytes.first == UInt8(ascii: "{") else { throw Failure(offset: 0, reason: "verwacht een JSON-object dat begint met {") }
        let parser = JSONSyntax(bytes)
        try withUnsafeTemporaryAllocation(of: Bool.self, capacity: maxDepth + 1) { isArray throws(Failure) in
            try parser.walk(isArray: isArray.baseAddress!, visit: visit)
        }
    }

    /// The loop has two parts: reading one element (a member's name, colon and value, or an array
    /// value) and, once a value is complete, the commas and closing brackets up to the next one.
    /// Written as plain branches on the byte: a state machine's jump table mispredicted at nearly
    /// every token, which cost more than the rest of the check.
    private func walk(isArray: UnsafeMutablePointer<Bool>, visit: (Member) throws(Failure) -> Void) throws(Failure) {
        var index = 1
        var depth = 1  // open containers; isArray[d] says which kind the one at depth d is
        var inArray = false, first = true
        isArray[1] = false
        var name = 0..<0, valueStart = 0
        while true {
            // An element, or (right after the opening bracket) the container's close.
            index = try skipSpace(index)
            var closed = false
            if first, index < end, byte(index) == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) {
                index &+= 1
                closed = true
            } else {
                if !inArray {
                    guard index < end, byte(index) == UInt8(ascii: "\"") else {
                        throw Failure(offset: index, reason: "verwacht een veldnaam tussen aanhalingstekens")
                    }
                    let key = try string(at: index)
                    if depth == 1 { name = key }
                    index = try skipSpace(key.upperBound &+ 1)
                    guard index < end, byte(index) == UInt8(ascii: ":") else { throw Failure(offset: index, reason: "verwacht ':' na de veldnaam") }
                    index = try skipSpace(index &+ 1)
                }
                guard index < end else { throw Failure(offset: index, reason: "onverwacht einde van JSON") }
                if depth == 1 { valueStart = index }
                let byte = byte(index)
                if byte == UInt8(ascii: "\"") {
                    index = try string(at: index).upperBound &+ 1
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    guard depth < Self.maxDepth else { throw Failure(offset: index, reason: "JSON is dieper genest dan \(Self.maxDepth) niveaus") }
                    depth &+= 1
                    inArray = byte == UInt8(ascii: "[")
                    isArray[depth] = inArray
                    first = true
                    index &+= 1
                    continue
                } else if byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) {
                    index = try number(at: index)
                } else if byte == UInt8(ascii: "t") {
                    index = try literal("true", at: index)
                } else if byte == UInt8(ascii: "f") {
                    index = try literal("false", at: index)
                } else if byte == UInt8(ascii: "n") {
                    index = try literal("null", at: index)
                } else {
                    throw Failure(offset: index, reason: "ongeldig teken in JSON")
                }
            }
            // A value (or an empty container) is complete: commas and closes up to the next element.
            while true {
                if closed {
                    depth &-= 1
                    if depth == 0 {
                        guard index == end else { throw Failure(offset: index, reason: "tekst na het einde van het JSON-object") }
                        return
                    }
                    inArray = isArray[depth]
                    closed = false
                }
                // A member of the top-level object ends with its value.
                if depth == 1 { try visit(Member(name: name, value: valueStart..<index)) }
                index = try skipSpace(index)
                guard index < end else {
                    throw Failure(offset: index, reason: inArray ? "onverwacht einde van JSON-lijst" : "onverwacht einde van JSON-object")
                }
                let byte = byte(index)
                if byte == UInt8(ascii: ",") {
                    index &+= 1
                    first = false
                    break
                }
                guard byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) else {
                    throw Failure(offset: index, reason: inArray ? "verwacht ',' of ']' in JSON-lijst" : "verwacht ',' of '}' in JSON-object")
                }
                index &+= 1
                closed = true
            }
        }
    }

    @inline(__always)
    private func byte(_ index: Int) -> UInt8 { bytes[index] }

    @inline(__always)
    private func skipSpace(_ start: Int) throws(Failure) -> Int {
        var index = start
        while index < end {
            switch byte(index) {
            case 0x20, 0x09: index &+= 1
            case 0x0A, 0x0D: throw Failure(offset: index, reason: "regeleinde in JSON (één gebeurtenis moet op één regel staan)")
            default: return index
            }
        }
        return index
    }

    /// The range of the content of the string whose opening quote is at `start` (the closing quote
    /// is at the range's upper bound).
    @inline(__always)
    private func string(at start: Int) throws(Failure) -> Range<Int> {
        var index = start &+ 1
        while true {
            // Most of a string is plain printable ASCII: step over it eight bytes at a time, straight
            // to the first byte that needs a look (the lowest flagged byte is exact, see `specialBytes`).
            if index &+ 8 <= end {
                let special = Self.specialBytes(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                if special == 0 {
                    index &+= 8
                    continue
                }
                index &+= special.trailingZeroBitCount &>> 3
            } else {
                guard index < end else { throw Failure(offset: index, reason: "tekst zonder afsluitend aanhalingsteken") }
            }
            switch byte(index) {
            case UInt8(ascii: "\""):
                return (start &+ 1)..<index
            case UInt8(ascii: "\\"):
                index &+= 1
                guard index < end else { throw Failure(offset: index, reason: "onverwacht einde in escape") }
                switch byte(index) {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index &+= 1
                case UInt8(ascii: "u"):
                    guard index &+ 4 < end else { throw Failure(offset: index, reason: "onvolledige \\u-escape") }
                    for offset in 1...4 where !Self.isHexDigit(byte(index &+ offset)) {
                        throw Failure(offset: index, reason: "ongeldige \\u-escape")
                    }
                    index &+= 5
                default: throw Failure(offset: index, reason: "ongeldige escape in tekst")
                }
            case 0x00..<0x20:
                throw Failure(offset: index, reason: "stuurteken in tekst moet ge-escaped zijn")
            case 0x80...0xFF:
                index = try utf8Sequence(at: index)
            default:
                index &+= 1
            }
        }
    }

    /// The high bit of each of the eight bytes (little-endian) that ends a run of plain string text:
    /// a control character (< 0x20), a quote, a backslash or a byte ≥ 0x80. SWAR: a byte of `x`
    /// below `n` sets its high bit in `(x - n·0x01…01) & ~x & 0x80…80`. Borrows can flag bytes above
    /// a flagged one, never below it, so the lowest flag is exactly the first such byte.
    @inline(__always)
    private static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let control = (word &- 0x20 &* ones) & ~word & highs
        return (word & highs) | control | zeroBytes(word ^ 0x22 &* ones) | zeroBytes(word ^ 0x5C &* ones)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    /// One multi-byte UTF-8 scalar, rejecting overlong forms, surrogates and values past U+10FFFF.
    private func utf8Sequence(at index: Int) throws(Failure) -> Int {
        switch UTF8Scalar.check(bytes, at: index, end: end) {
        case let .valid(length): return index + length
        case .invalid: throw Failure(offset: index, reason: "ongeldige UTF-8")
        case .truncated: throw Failure(offset: index, reason: "onvolledige UTF-8")
        }
    }

    private func literal(_ word: StaticString, at index: Int) throws(Failure) -> Int {
        let length = word.utf8CodeUnitCount
        guard index + length <= end else { throw Failure(offset: index, reason: "onverwacht einde van JSON") }
        for offset in 0..<length where byte(index + offset) != word.utf8Start[offset] {
            throw Failure(offset: index, reason: "ongeldig woord in JSON")
        }
        return index + length
    }

    private func number(at start: Int) throws(Failure) -> Int {
        var index = start
        func digits() -> Int {
            let first = index
            while index < end, (48...57).contains(byte(index)) { index += 1 }
            return index - first
        }
        if byte(index) == UInt8(ascii: "-") { index += 1 }
        guard index < end else { throw Failure(offset: index, reason: "onvolledig getal") }
        if byte(index) == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw Failure(offset: index, reason: "ongeldig getal")
        }
        if index < end, byte(index) == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw Failure(offset: index, reason: "ongeldig getal: cijfers na de punt ontbreken") }
        }
        if index < end, byte(index) == UInt8(ascii: "e") || byte(index) == UInt8(ascii: "E") {
            index += 1
            if index < end, byte(index) == UInt8(ascii: "+") || byte(index) == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Failure(offset: index, reason: "ongeldig getal: exponent ontbreekt") }
        }
        return index
    }
}
