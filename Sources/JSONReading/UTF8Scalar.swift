/// One multi-byte UTF-8 scalar (RFC 3629), for the JSON checkers that validate text byte by byte.
public enum UTF8Scalar {
    public enum Check: Equatable {
        /// A well-formed scalar of this many bytes.
        case valid(length: Int)
        /// An overlong form, a surrogate, a value past U+10FFFF or a bad continuation byte.
        case invalid
        /// The bytes end inside the scalar.
        case truncated
    }

    /// Checks the scalar whose lead byte (not ASCII) is at `index`; `end` is where the bytes stop.
    @inlinable
    public static func check(_ bytes: UnsafeRawBufferPointer, at index: Int, end: Int) -> Check {
        let count: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2...0xDF: count = 1
        case 0xE0: count = 2; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 2
        case 0xED: count = 2; upper = 0x9F
        case 0xF0: count = 3; lower = 0x90
        case 0xF1...0xF3: count = 3
        case 0xF4: count = 3; upper = 0x8F
        default: return .invalid
        }
        guard index + count < end else { return .truncated }
        for offset in 1...count {
            let byte = bytes[index + offset]
            let (low, high) = offset == 1 ? (lower, upper) : (UInt8(0x80), UInt8(0xBF))
            guard byte >= low && byte <= high else { return .invalid }
        }
        return .valid(length: count + 1)
    }
}
