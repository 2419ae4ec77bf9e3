/// The subset of Python literals that appears in `.npy` headers: dicts, tuples, lists,
/// strings, integers and booleans.
enum PythonLiteral: Equatable {
    case dict([String: PythonLiteral])
    case tuple([PythonLiteral])
    case string(String)
    case int(Int)
    case bool(Bool)
}

/// A recursive-descent parser for `PythonLiteral`, bounded in depth so hostile input cannot
/// exhaust the stack.
struct PythonLiteralParser {
    struct Failure: Error { let message: String }

    private let chars: [Character]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 16

    init(_ text: String) { chars = Array(text) }

    mutating func parseTopLevel() throws -> PythonLiteral {
        let value = try parseValue()
        skipSpace()
        if index != chars.count { throw Failure(message: "unexpected text after the dict") }
        return value
    }

    private mutating func skipSpace() {
        while index < chars.count, chars[index].isWhitespace { index += 1 }
    }

    private mutating func expect(_ c: Character) throws {
        skipSpace()
        guard index < chars.count, chars[index] == c else { throw Failure(message: "expected '\(c)'") }
        index += 1
    }

    private mutating func parseValue() throws -> PythonLiteral {
        skipSpace()
        guard index < chars.count else { throw Failure(message: "unexpected end") }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth { throw Failure(message: "nested too deeply") }
        switch chars[index] {
        case "{": return try parseDict()
        case "(": return .tuple(try parseSequence(close: ")"))
        case "[": return .tuple(try parseSequence(close: "]"))
        case "'", "\"": return .string(try parseString())
        default: return try parseWord()
        }
    }

    private mutating func parseDict() throws -> PythonLiteral {
        index += 1
        var result: [String: PythonLiteral] = [:]
        while true {
            skipSpace()
            if index < chars.count, chars[index] == "}" { index += 1; return .dict(result) }
            guard index < chars.count, chars[index] == "'" || chars[index] == "\"" else {
                throw Failure(message: "expected a quoted key")
            }
            let key = try parseString()
            try expect(":")
            result[key] = try parseValue()
            skipSpace()
            if index < chars.count, chars[index] == "," { index += 1; continue }
            try expect("}")
            return .dict(result)
        }
    }

    private mutating func parseSequence(close: Character) throws -> [PythonLiteral] {
        index += 1
        var items: [PythonLiteral] = []
        while true {
            skipSpace()
            if index < chars.count, chars[index] == close { index += 1; return items }
            if items.count >= 64 { throw Failure(message: "too many entries") }
            items.append(try parseValue())
            skipSpace()
            if index < chars.count, chars[index] == "," { index += 1; continue }
            try expect(close)
            return items
        }
    }

    private mutating func parseString() throws -> String {
        let quote = chars[index]
        index += 1
        var s = ""
        while index < chars.count, chars[index] != quote {
            if s.count > 256 { throw Failure(message: "string too long") }
            s.append(chars[index])
            index += 1
        }
        guard index < chars.count else { throw Failure(message: "unterminated string") }
        index += 1
        return s
    }

    private mutating func parseWord() throws -> PythonLiteral {
        var word = ""
        while index < chars.count, chars[index].isLetter || chars[index].isNumber || chars[index] == "-" || chars[index] == "+" {
            word.append(chars[index])
            index += 1
            if word.count > 32 { throw Failure(message: "token too long") }
        }
        switch word {
        case "True": return .bool(true)
        case "False": return .bool(false)
        default:
            // numpy may write `10L` on Python 2.
            let digits = word.hasSuffix("L") ? String(word.dropLast()) : word
            guard let v = Int(digits) else { throw Failure(message: "'\(word)' is not a value") }
            return .int(v)
        }
    }
}
