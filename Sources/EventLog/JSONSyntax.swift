/// A strict RFC 8259 syntax checker over bytes, including UTF-8 validity. It builds nothing, so it
/// runs at memory speed; the log uses it to refuse any body that would make a line unreadable.
/// For a top-level object it reports the byte ranges of its members' names (without quotes) and values.
struct JSONSyntax {
    struct Failure: Error, Equatable {
        let offset: Int
        let reason: String
    }

    static let maxDepth = 256

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    private init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    struct Member {
        let name: Range<Int>
        let value: Range<Int>
    }

    /// Checks that `bytes` is exactly one JSON object (no surrounding whitespace, no newline bytes
    /// anywhere) and returns its top-level members.
    static func checkObject(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> [Member] {
        var parser = JSONSyntax(bytes)
        guard bytes.first == UInt8(ascii: "{") else { throw Failure(offset: 0, reason: "verwacht een JSON-object dat begint met {") }
        var names: [Member] = []
        try parser.object(depth: 1, members: &names)
        guard parser.index == bytes.count else {
            throw Failure(offset: parser.index, reason: "tekst na het einde van het JSON-object")
        }
        return names
    }

    private func fail(_ reason: String) -> Failure { Failure(offset: index, reason: reason) }

    @inline(__always)
    private mutating func skipSpace() throws(Failure) {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09: index += 1
            case 0x0A, 0x0D: throw fail("regeleinde in JSON (één gebeurtenis moet op één regel staan)")
            default: return
            }
        }
    }

    @inline(__always)
    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        guard index < bytes.count, bytes[index] == byte else { throw fail("verwacht \(what)") }
        index += 1
    }

    private mutating func value(depth: Int) throws(Failure) {
        try skipSpace()
        guard index < bytes.count else { throw fail("onverwacht einde van JSON") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var ignored: [Member] = []
            try object(depth: depth + 1, members: &ignored, recordMembers: false)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("ongeldig teken in JSON")
        }
    }

    private mutating func object(depth: Int, members: inout [Member], recordMembers: Bool = true) throws(Failure) {
        guard depth <= Self.maxDepth else { throw fail("JSON is dieper genest dan \(Self.maxDepth) niveaus") }
        index += 1  // {
        try skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        while true {
            try skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("verwacht een veldnaam tussen aanhalingstekens") }
            let name = try string()
            try skipSpace()
            try expect(UInt8(ascii: ":"), "':' na de veldnaam")
            try skipSpace()
            let valueStart = index
            try value(depth: depth)
            if recordMembers { members.append(Member(name: name, value: valueStart..<index)) }
            try skipSpace()
            guard index < bytes.count else { throw fail("onverwacht einde van JSON-object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw fail("verwacht ',' of '}' in JSON-object")
        }
    }

    private mutating func array(depth: Int) throws(Failure) {
        guard depth <= Self.maxDepth else { throw fail("JSON is dieper genest dan \(Self.maxDepth) niveaus") }
        index += 1  // [
        try skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
        while true {
            try value(depth: depth)
            try skipSpace()
            guard index < bytes.count else { throw fail("onverwacht einde van JSON-lijst") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw fail("verwacht ',' of ']' in JSON-lijst")
        }
    }

    /// Returns the range of the string's content (between the quotes).
    private mutating func string() throws(Failure) -> Range<Int> {
        index += 1  // opening quote
        let start = index
        while index < bytes.count {
            // Most of a string is plain printable ASCII: skip it in a tight loop.
            var byte = bytes[index]
            while byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { throw fail("tekst zonder afsluitend aanhalingsteken") }
                byte = bytes[index]
            }
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return start..<(index - 1)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("onverwacht einde in escape") }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    guard index + 4 < bytes.count else { throw fail("onvolledige \\u-escape") }
                    for offset in 1...4 where !Self.isHexDigit(bytes[index + offset]) {
                        throw fail("ongeldige \\u-escape")
                    }
                    index += 5
                default: throw fail("ongeldige escape in tekst")
                }
            case 0x00..<0x20:
                throw fail("stuurteken in tekst moet ge-escaped zijn")
            case 0x80...0xFF:
                try utf8Sequence()
            default:
                index += 1
            }
        }
        throw fail("tekst zonder afsluitend aanhalingsteken")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    /// One multi-byte UTF-8 scalar, rejecting overlong forms, surrogates and values past U+10FFFF.
    private mutating func utf8Sequence() throws(Failure) {
        let lead = bytes[index]
        let count: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED: count = 2; upper = 0x9F
        case 0xF0: count = 3; lower = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4: count = 3; upper = 0x8F
        default: throw fail("ongeldige UTF-8")
        }
        guard index + count < bytes.count else { throw fail("onvolledige UTF-8") }
        for offset in 1...count {
            let byte = bytes[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low && byte <= high else { throw fail("ongeldige UTF-8") }
        }
        index += count + 1
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count else { throw fail("onverwacht einde van JSON") }
        for offset in 0..<length where bytes[index + offset] != word.utf8Start[offset] {
            throw fail("ongeldig woord in JSON")
        }
        index += length
    }

    private mutating func number() throws(Failure) {
        func digits() -> Int {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail("onvolledig getal") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw fail("ongeldig getal")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw fail("ongeldig getal: cijfers na de punt ontbreken") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw fail("ongeldig getal: exponent ontbreekt") }
        }
    }
}
