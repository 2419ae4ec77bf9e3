/// A JSON value with ordered object keys, so summaries read in a sensible order and are
/// byte-for-byte reproducible.
///
/// Doubles are written in Swift's shortest round-trip form (`0.1`, `1e-05`); NaN and
/// infinities become `null`, which `json.load` and `pandas.read_json` read as missing.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }

    /// This object with `pairs` appended (replacing keys it already has).
    /// - Precondition: `self` is an object.
    public func adding(_ pairs: [(String, JSONValue)]) -> JSONValue {
        guard case var .object(existing) = self else { preconditionFailure("adding keys to a JSON value that is not an object") }
        for (key, value) in pairs {
            if let i = existing.firstIndex(where: { $0.0 == key }) { existing[i].1 = value } else { existing.append((key, value)) }
        }
        return .object(existing)
    }

    /// The value as JSON text, indented by two spaces per level when `pretty`.
    public func rendered(pretty: Bool = true) -> String {
        var out = ByteText()
        write(into: &out, indent: 0, pretty: pretty)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Appends the JSON text to `out` (what `Writers.json` and `rendered` build on).
    public func write(into out: inout ByteText, pretty: Bool = true) { write(into: &out, indent: 0, pretty: pretty) }

    private func write(into out: inout ByteText, indent: Int, pretty: Bool) {
        switch self {
        case .null: out.append("null")
        case let .bool(b): out.append(b ? "true" : "false")
        case let .int(i): out.append(i)
        case let .double(d): if d.isFinite { Self.append(d, to: &out) } else { out.append("null") }
        case let .string(s): Self.appendQuoted(s, to: &out)
        case let .array(items):
            if items.isEmpty { out.append("[]"); return }
            let scalar = items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            if scalar {
                out.append(byte: UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(", ") }
                    item.write(into: &out, indent: indent + 1, pretty: pretty)
                }
                out.append(byte: UInt8(ascii: "]"))
                return
            }
            out.append(byte: UInt8(ascii: "["))
            newline(&out, pretty: pretty)
            for (i, item) in items.enumerated() {
                pad(&out, indent + 1, pretty: pretty)
                item.write(into: &out, indent: indent + 1, pretty: pretty)
                if i + 1 < items.count { out.append(byte: UInt8(ascii: ",")) }
                newline(&out, pretty: pretty)
            }
            pad(&out, indent, pretty: pretty)
            out.append(byte: UInt8(ascii: "]"))
        case let .object(pairs):
            if pairs.isEmpty { out.append("{}"); return }
            out.append(byte: UInt8(ascii: "{"))
            newline(&out, pretty: pretty)
            for (i, (key, value)) in pairs.enumerated() {
                pad(&out, indent + 1, pretty: pretty)
                Self.appendQuoted(key, to: &out)
                out.append(pretty ? ": " : ":")
                value.write(into: &out, indent: indent + 1, pretty: pretty)
                if i + 1 < pairs.count { out.append(byte: UInt8(ascii: ",")) }
                newline(&out, pretty: pretty)
            }
            pad(&out, indent, pretty: pretty)
            out.append(byte: UInt8(ascii: "}"))
        }
    }

    private func newline(_ out: inout ByteText, pretty: Bool) { if pretty { out.append(byte: UInt8(ascii: "\n")) } }

    private func pad(_ out: inout ByteText, _ levels: Int, pretty: Bool) {
        if pretty { for _ in 0..<(2 * levels) { out.append(byte: UInt8(ascii: " ")) } }
    }

    /// Shortest round-trip decimal, always with a `.` or exponent so JSON readers keep it a float.
    static func append(_ d: Double, to out: inout ByteText) {
        let start = out.count
        out.append(d)
        if !out.looksFractional(from: start) { out.append(".0") }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest of the
    /// UTF-8 bytes as they are.
    static func appendQuoted(_ s: String, to out: inout ByteText) {
        out.append(byte: UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append("\\\"")
            case UInt8(ascii: "\\"): out.append("\\\\")
            case UInt8(ascii: "\n"): out.append("\\n")
            case UInt8(ascii: "\r"): out.append("\\r")
            case UInt8(ascii: "\t"): out.append("\\t")
            case 0..<0x20:
                out.append("\\u00")
                out.append(byte: hexDigits[Int(byte >> 4)])
                out.append(byte: hexDigits[Int(byte & 15)])
            default: out.append(byte: byte)
            }
        }
        out.append(byte: UInt8(ascii: "\""))
    }

    /// Looks up `key` in an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }
}
