/// The syntax check: a whole JSON text walked without building anything, under rules the caller
/// sets (the log's lines, the catalogue file). It reports the top-level members of an object.
extension JSONReader {
    /// What a check refuses besides what RFC 8259 refuses.
    public struct Rules: Sendable {
        /// Containers open at once, at most.
        public var maxDepth: Int
        /// JSON Lines: no line break anywhere and nothing before or after the value.
        public var singleLine: Bool
        /// Whether a `\u` surrogate must be half of a pair, as the pull reader demands. RFC 8259's
        /// grammar allows a lone one.
        public var pairsSurrogates: Bool
        /// Whether a name may occur only once in an object. Names compare as written, so `"a"` and
        /// `"\u0061"` count as different.
        public var uniqueNames: Bool

        @inlinable
        public init(maxDepth: Int = JSONReader.maxDepth, singleLine: Bool = false, pairsSurrogates: Bool = true, uniqueNames: Bool = false) {
            self.maxDepth = maxDepth
            self.singleLine = singleLine
            self.pairsSurrogates = pairsSurrogates
            self.uniqueNames = uniqueNames
        }
    }

    /// A member of the top-level object: the byte ranges of its name (without quotes) and its value.
    public struct Member {
        public let name: Range<Int>
        public let value: Range<Int>

        @inlinable
        init(name: Range<Int>, value: Range<Int>) {
            self.name = name
            self.value = value
        }
    }

    /// Checks that `bytes` is one JSON value.
    public static func check(_ bytes: UnsafeRawBufferPointer, rules: Rules) throws(JSONReaderError) {
        let reader = JSONReader(bytes)
        try reader.walk(from: rules.singleLine ? 0 : reader.skipSpace(from: 0), rules: rules) { _ in true }
    }

    /// Checks that `bytes` is one JSON object and returns its top-level members.
    public static func checkObject(_ bytes: UnsafeRawBufferPointer, rules: Rules) throws(JSONReaderError) -> [Member] {
        var members: [Member] = []
        try checkObject(bytes, rules: rules) { members.append($0); return true }
        return members
    }

    /// The same check, handing each top-level member to `visit` as it is found (the verifier's path,
    /// which allocates nothing per line). When `visit` returns false the check stops there.
    @inlinable
    public static func checkObject(_ bytes: UnsafeRawBufferPointer, rules: Rules, visit: (Member) -> Bool) throws(JSONReaderError) {
        let reader = JSONReader(bytes)
        let start = try rules.singleLine ? 0 : reader.skipSpace(from: 0)
        guard start < bytes.count, bytes[start] == .openBrace else { throw reader.error(.expectedObject, at: start) }
        try reader.walk(from: start, rules: rules, visit: visit)
    }

    @inlinable
    func walk(from start: Int, rules: Rules, visit: (Member) -> Bool) throws(JSONReaderError) {
        try withUnsafeTemporaryAllocation(of: Bool.self, capacity: rules.maxDepth + 1) { isArray throws(JSONReaderError) in
            try walk(from: start, rules: rules, isArray: isArray.baseAddress!, visit: visit)
        }
    }

    /// One loop with an explicit stack of open containers rather than a recursive descent: a log
    /// line holds some fifty short tokens, so the cost per token (calls, stores of the position) is
    /// what counts. The loop has two parts: reading one element (a member's name, colon and value,
    /// or an array's value; the top-level value counts as one) and, once a value is complete, the
    /// commas and closing brackets up to the next one. Plain branches on the byte: a state machine's
    /// jump table mispredicted at nearly every token, which cost more than the rest of the check.
    @inlinable
    func walk(from start: Int, rules: Rules, isArray: UnsafeMutablePointer<Bool>, visit: (Member) -> Bool) throws(JSONReaderError) {
        let lineBreaks = !rules.singleLine, pairs = rules.pairsSurrogates
        var index = start
        var depth = 0  // open containers; isArray[d] says which kind the one at depth d is
        var inArray = true, first = false  // the top level takes one value without a name, like an array
        isArray[0] = true
        var name = 0..<0, valueStart = 0
        var names = SeenNames()  // with `uniqueNames`: those of the objects open at each depth
        while true {
            // An element, or (right after the opening bracket) the container's close.
            index = try skipSpace(from: index, lineBreaks: lineBreaks)
            var closed = false
            if first, index < bytes.count, bytes[index] == (inArray ? .closeBracket : .closeBrace) {
                index &+= 1
                closed = true
            } else {
                if !inArray {
                    guard index < bytes.count, bytes[index] == .quote else { throw error(.expectedName, at: index) }
                    let close = try scanText(at: index, pairsSurrogates: pairs).close
                    if depth == 1 { name = (index &+ 1)..<close }
                    if rules.uniqueNames, !names.insert((index &+ 1)..<close, depth: depth, of: bytes) {
                        throw error(.duplicateName(String(decoding: bytes[(index &+ 1)..<close], as: UTF8.self)), at: index)
                    }
                    index = try skipSpace(from: close &+ 1, lineBreaks: lineBreaks)
                    guard index < bytes.count, bytes[index] == .colon else { throw error(.expectedColon, at: index) }
                    index = try skipSpace(from: index &+ 1, lineBreaks: lineBreaks)
                }
                guard index < bytes.count else { throw error(.expectedValue, at: index) }
                if depth == 1 { valueStart = index }
                let byte = bytes[index]
                if byte == .quote {
                    index = try scanText(at: index, pairsSurrogates: pairs).close &+ 1
                } else if byte == .openBrace || byte == .openBracket {
                    guard depth < rules.maxDepth else { throw error(.tooDeep(limit: rules.maxDepth), at: index) }
                    depth &+= 1
                    inArray = byte == .openBracket
                    isArray[depth] = inArray
                    if rules.uniqueNames, !inArray { names.open(depth: depth) }
                    first = true
                    index &+= 1
                    continue
                } else if byte == .minus || byte.isDigit {
                    index = try scanNumber(at: index)
                } else if byte == UInt8(ascii: "t") {
                    index = try scanLiteral("true", at: index)
                } else if byte == UInt8(ascii: "f") {
                    index = try scanLiteral("false", at: index)
                } else if byte == UInt8(ascii: "n") {
                    index = try scanLiteral("null", at: index)
                } else {
                    throw error(.expectedValue, at: index)
                }
            }
            // A value (or an empty container) is complete: commas and closes up to the next element.
            while true {
                if closed {
                    if rules.uniqueNames, !inArray { names.close(depth: depth) }
                    depth &-= 1
                    inArray = isArray[depth]
                    closed = false
                }
                if depth == 0 {
                    if lineBreaks { index = try skipSpace(from: index) }
                    guard index == bytes.count else { throw error(.trailingText, at: index) }
                    return
                }
                // A member of the top-level object ends with its value.
                if depth == 1, !inArray, !visit(Member(name: name, value: valueStart..<index)) { return }
                index = try skipSpace(from: index, lineBreaks: lineBreaks)
                let byte = index < bytes.count ? bytes[index] : 0
                if byte == .comma {
                    index &+= 1
                    first = false
                    break
                }
                guard byte == (inArray ? .closeBracket : .closeBrace) else {
                    throw error(inArray ? .expectedCommaOrBracket : .expectedCommaOrBrace, at: index)
                }
                index &+= 1
                closed = true
            }
        }
    }
}

/// The names of the objects open during a check, for `uniqueNames`: one flat stack of byte ranges,
/// each object's names above where it began. A name is compared with those of its own object one
/// by one while the object is small (log lines and API bodies have a dozen members, and hashing
/// each name cost more than the rest of the check); an object with many members gets a hash set,
/// so that a hostile line of a million names costs linear time, not quadratic.
@usableFromInline
struct SeenNames {
    @usableFromInline var ranges: [Range<Int>] = []
    /// Where each open object's names begin in `ranges`, by depth.
    @usableFromInline var starts: [Int] = []
    /// The hashed names of open objects past `linearLimit` members, by depth.
    @usableFromInline var hashed: [Int: Set<Name>] = [:]
    @usableFromInline static let linearLimit = 24

    @usableFromInline
    struct Name: Hashable {
        @usableFromInline let bytes: UnsafeRawBufferPointer

        @inlinable init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        @usableFromInline static func == (a: Name, b: Name) -> Bool { a.bytes.count == b.bytes.count && same(a.bytes, b.bytes) }

        /// Two names of equal length, byte for byte.
        @inlinable static func same(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
            var index = 0
            while index < a.count {
                if a[index] != b[index] { return false }
                index &+= 1
            }
            return true
        }

        @usableFromInline func hash(into hasher: inout Hasher) { hasher.combine(bytes: bytes) }
    }

    @inlinable init() {}

    @inlinable
    mutating func open(depth: Int) {
        while starts.count <= depth { starts.append(0) }
        starts[depth] = ranges.count
    }

    @inlinable
    mutating func close(depth: Int) {
        ranges.removeSubrange(starts[depth]...)
        if !hashed.isEmpty { hashed[depth] = nil }
    }

    /// Records `name` for the innermost open object; false when that object has it already.
    @inlinable
    mutating func insert(_ name: Range<Int>, depth: Int, of bytes: UnsafeRawBufferPointer) -> Bool {
        let start = starts[depth]
        defer { ranges.append(name) }
        if ranges.count - start < Self.linearLimit {
            let new = UnsafeRawBufferPointer(rebasing: bytes[name])
            return !ranges[start...].contains { $0.count == name.count && Name.same(UnsafeRawBufferPointer(rebasing: bytes[$0]), new) }
        }
        let key = Name(bytes: UnsafeRawBufferPointer(rebasing: bytes[name]))
        if hashed[depth] == nil {
            hashed[depth] = Set(ranges[start...].map { Name(bytes: UnsafeRawBufferPointer(rebasing: bytes[$0])) })
        }
        return hashed[depth]!.insert(key).inserted
    }
}
