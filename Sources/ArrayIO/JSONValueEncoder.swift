/// Encodes a `Codable` output struct into an ordered `JSONValue`, so every summary file is the
/// rendering of one typed value and its reader decodes the same type (`JSONValueDecoder`).
///
/// Why not Foundation's `JSONEncoder`: it refuses NaN unless told to write a string, and its
/// output order and number text are not ours to fix. Here:
/// * keys are written in declaration order (the order synthesised `encode(to:)` calls them),
/// * property names become snake_case (`traceHhat` -> `trace_hhat`); explicit `CodingKeys` raw
///   values that are already snake_case pass unchanged,
/// * `nil` optionals are written as `null`, so every file of one schema has the same keys
///   (pandas columns do not come and go), and NaN or infinite doubles are written as `null`,
/// * a `JSONValue` inside a struct is embedded as it is.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let node = EncodedNode()
        try JSONTreeEncoder.encode(value, into: node, codingPath: [])
        return node.json()
    }

    /// `camelCase` -> `camel_case`: an upper-case letter starts a word. Digits stay attached.
    public static func snakeCase(_ key: String) -> String {
        var out = ""
        out.reserveCapacity(key.count + 4)
        for c in key {
            if c.isUppercase {
                if !out.isEmpty { out.append("_") }
                out += c.lowercased()
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// One value under construction; containers fill it in place.
final class EncodedNode {
    enum Content { case empty, value(JSONValue), object([(String, EncodedNode)]), array([EncodedNode]) }
    var content: Content = .empty

    func json() -> JSONValue {
        switch content {
        case .empty: .object([])
        case let .value(v): v
        case let .object(pairs): .object(pairs.map { ($0.0, $0.1.json()) })
        case let .array(items): .array(items.map { $0.json() })
        }
    }

    func append(key: String, _ child: EncodedNode) {
        if case var .object(pairs) = content {
            content = .empty
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = child } else { pairs.append((key, child)) }
            content = .object(pairs)
        } else {
            content = .object([(key, child)])
        }
    }

    func append(_ child: EncodedNode) {
        if case var .array(items) = content {
            content = .empty
            items.append(child)
            content = .array(items)
        } else {
            content = .array([child])
        }
    }
}

struct JSONTreeEncoder: Encoder {
    let node: EncodedNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    static func encode<T: Encodable>(_ value: T, into node: EncodedNode, codingPath: [any CodingKey]) throws {
        if let json = value as? JSONValue { node.content = .value(json); return }
        if let d = value as? Double { node.content = .value(.double(d)); return }
        if let f = value as? Float { node.content = .value(.double(Double(f))); return }
        try value.encode(to: JSONTreeEncoder(node: node, codingPath: codingPath))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .empty = node.content { node.content = .object([]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .empty = node.content { node.content = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleContainer(node: node, codingPath: codingPath) }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: EncodedNode
        let codingPath: [any CodingKey]

        func child(_ key: Key) -> EncodedNode {
            let child = EncodedNode()
            node.append(key: JSONValueEncoder.snakeCase(key.stringValue), child)
            return child
        }

        mutating func encodeNil(forKey key: Key) throws { child(key).content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try JSONTreeEncoder.encode(value, into: child(key), codingPath: codingPath + [key])
        }
        // `nil` is written as `null` (the defaults would leave the key out).
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encodeOptional(value, key) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encodeOptional(value, key) }
        private mutating func encodeOptional<T: Encodable>(_ value: T?, _ key: Key) throws {
            if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            JSONTreeEncoder(node: child(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            JSONTreeEncoder(node: child(key), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { JSONTreeEncoder(node: node, codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> any Encoder { JSONTreeEncoder(node: child(key), codingPath: codingPath + [key]) }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: EncodedNode
        let codingPath: [any CodingKey]
        var count: Int { if case let .array(items) = node.content { items.count } else { 0 } }

        func next() -> EncodedNode {
            let child = EncodedNode()
            node.append(child)
            return child
        }

        mutating func encodeNil() throws { next().content = .value(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            try JSONTreeEncoder.encode(value, into: next(), codingPath: codingPath + [IndexKey(count)])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            JSONTreeEncoder(node: next(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            JSONTreeEncoder(node: next(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder { JSONTreeEncoder(node: next(), codingPath: codingPath) }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let node: EncodedNode
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.content = .value(.null) }
        mutating func encode(_ value: Bool) throws { node.content = .value(.bool(value)) }
        mutating func encode(_ value: String) throws { node.content = .value(.string(value)) }
        mutating func encode(_ value: Double) throws { node.content = .value(.double(value)) }
        mutating func encode(_ value: Float) throws { node.content = .value(.double(Double(value))) }
        mutating func encode(_ value: Int) throws { node.content = .value(.int(value)) }
        mutating func encode(_ value: Int8) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: Int16) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: Int32) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: Int64) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt) throws { try integer(value) }
        mutating func encode(_ value: UInt8) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt16) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt32) throws { node.content = .value(.int(Int(value))) }
        mutating func encode(_ value: UInt64) throws { try integer(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try JSONTreeEncoder.encode(value, into: node, codingPath: codingPath) }

        private func integer<T: UnsignedInteger>(_ value: T) throws {
            guard let i = Int(exactly: value) else {
                throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is beyond a signed 64-bit integer"))
            }
            node.content = .value(.int(i))
        }
    }
}

/// The coding-path key of an array element.
struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}

extension JSONValue: Codable {
    /// Generic coders get the value through their containers; `JSONValueEncoder` and
    /// `JSONValueDecoder` pass it through untouched.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case let .bool(b): var c = encoder.singleValueContainer(); try c.encode(b)
        case let .int(i): var c = encoder.singleValueContainer(); try c.encode(i)
        case let .double(d): var c = encoder.singleValueContainer(); try c.encode(d)
        case let .string(s): var c = encoder.singleValueContainer(); try c.encode(s)
        case let .array(items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case let .object(pairs):
            var c = encoder.container(keyedBy: NameKey.self)
            for (key, value) in pairs { try c.encode(value, forKey: NameKey(key)) }
        }
    }

    public init(from decoder: any Decoder) throws {
        if let tree = decoder as? JSONTreeDecoder { self = tree.value; return }
        if let c = try? decoder.container(keyedBy: NameKey.self) {
            self = .object(try c.allKeys.map { ($0.stringValue, try c.decode(JSONValue.self, forKey: $0)) })
        } else if var c = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !c.isAtEnd { items.append(try c.decode(JSONValue.self)) }
            self = .array(items)
        } else {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let i = try? c.decode(Int.self) { self = .int(i) }
            else if let d = try? c.decode(Double.self) { self = .double(d) }
            else { self = .string(try c.decode(String.self)) }
        }
    }
}

/// A key spelled as it is written (object keys of an embedded `JSONValue`).
public struct NameKey: CodingKey, Sendable {
    public let stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
