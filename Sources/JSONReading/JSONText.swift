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
