import Foundation

extension JSONValue {
    /// Parses JSON text (RFC 8259, numbers by its exact grammar) keeping object keys in file order and numbers exact: a number's
    /// text goes through `Double(_:)` (or `Int(_:)` when it has no fraction or exponent), which
    /// round-trips what `rendered()` writes. Nesting deeper than 256 levels is refused, so hostile
    /// input cannot exhaust the stack.
    ///
    /// - Throws: `ArrayIOError.malformed` naming `file` and the byte offset of the defect.
    public static func parse(_ bytes: [UInt8], file: String) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes, file: file)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.at == bytes.count else { throw parser.failure("unexpected text after the JSON value") }
        return value
    }

    /// Reads and parses a JSON file.
    public static func read(path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArrayIOError.cannotOpen(file: path, reason: "missing or not a readable file")
        }
        return try parse(Array(data), file: path)
    }

    /// The number, for `.int` and `.double`.
    public var number: Double? {
        switch self { case let .int(i): Double(i); case let .double(d): d; default: nil }
    }

    public var string: String? { if case let .string(s) = self { s } else { nil } }
    public var bool: Bool? { if case let .bool(b) = self { b } else { nil } }
    public var array: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
}

private struct JSONParser {
    let bytes: [UInt8]
    let file: String
    var at = 0

    init(bytes: [UInt8], file: String) { self.bytes = bytes; self.file = file }

    func failure(_ problem: String) -> ArrayIOError {
        .malformed(file: file, detail: "not valid JSON: \(problem) at byte \(at)")
    }

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws -> JSONValue {
        let l = Array(literal.utf8)
        guard at + l.count <= bytes.count, Array(bytes[at..<at + l.count]) == l else { throw failure("expected \(literal)") }
        at += l.count
        return value
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 256 else { throw failure("nesting deeper than 256 levels") }
        guard at < bytes.count else { throw failure("unexpected end") }
        switch bytes[at] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        default: return try number()
        }
    }

    mutating func object(depth: Int) throws -> JSONValue {
        at += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try string()
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw failure("expected ':'") }
            at += 1
            skipSpace()
            pairs.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard at < bytes.count else { throw failure("unexpected end") }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "}") { at += 1; return .object(pairs) }
            throw failure("expected ',' or '}'")
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        at += 1
        var items: [JSONValue] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard at < bytes.count else { throw failure("unexpected end") }
            if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
            if bytes[at] == UInt8(ascii: "]") { at += 1; return .array(items) }
            throw failure("expected ',' or ']'")
        }
    }

    mutating func string() throws -> String {
        at += 1
        var run = at  // start of a stretch of plain bytes
        var out = ""
        func flush(_ end: Int) { out += String(decoding: bytes[run..<end], as: UTF8.self) }
        while at < bytes.count {
            let b = bytes[at]
            if b == UInt8(ascii: "\"") {
                flush(at)
                at += 1
                return out
            }
            if b < 0x20 { throw failure("control character in a string") }
            if b == UInt8(ascii: "\\") {
                flush(at)
                at += 1
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "\""): out += "\""
                case UInt8(ascii: "\\"): out += "\\"
                case UInt8(ascii: "/"): out += "/"
                case UInt8(ascii: "b"): out += "\u{08}"
                case UInt8(ascii: "f"): out += "\u{0C}"
                case UInt8(ascii: "n"): out += "\n"
                case UInt8(ascii: "r"): out += "\r"
                case UInt8(ascii: "t"): out += "\t"
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") {
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("unpaired surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                    out.unicodeScalars.append(scalar)
                default: throw failure("invalid escape")
                }
                run = at
                continue
            }
            at += 1
        }
        throw failure("unterminated string")
    }

    mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16) else {
            throw failure("invalid \\u escape")
        }
        at += 4
        return v
    }

    /// RFC 8259 §6 exactly: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, so `01`, `.5`,
    /// `1.`, `+1` and `1e` are refused (a hand-edited or truncated summary is not silently read).
    mutating func number() throws -> JSONValue {
        let start = at
        func isDigit(_ i: Int) -> Bool { i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        func digits() -> Int { let from = at; while isDigit(at) { at += 1 }; return at - from }
        func invalid() -> Error {
            var end = at
            while end < bytes.count, !" \t\r\n,]}".utf8.contains(bytes[end]) { end += 1 }
            let text = String(decoding: bytes[start..<min(end, start + 20)], as: UTF8.self)
            at = start
            return failure("invalid number '\(text)'")
        }
        if at < bytes.count && bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard isDigit(at) else { throw invalid() }
        if bytes[at] == UInt8(ascii: "0") {
            at += 1
            if isDigit(at) { throw invalid() }  // leading zero
        } else {
            _ = digits()
        }
        var integral = true
        if at < bytes.count && bytes[at] == UInt8(ascii: ".") {
            at += 1
            integral = false
            guard digits() > 0 else { throw invalid() }
        }
        if at < bytes.count && (bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E")) {
            at += 1
            integral = false
            if at < bytes.count && (bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-")) { at += 1 }
            guard digits() > 0 else { throw invalid() }
        }
        // A number runs into a value separator or the end; `1.5.2` or `12abc` is not a number.
        if at < bytes.count, !" \t\r\n,]}".utf8.contains(bytes[at]) { throw invalid() }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        if integral, let i = Int(text) { return .int(i) }
        guard let d = Double(text), d.isFinite else { throw invalid() }
        return .double(d)
    }
}
