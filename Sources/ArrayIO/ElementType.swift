/// The numpy dtypes SpectralKD reads, with their byte order.
public enum ElementType: String, Sendable, CaseIterable {
    case float32 = "f4", float64 = "f8", int32 = "i4", int64 = "i8", uint8 = "u1", bool = "b1"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        case .uint8, .bool: return 1
        }
    }

    /// True for the integer and boolean types (exact in `Double` up to 2^53).
    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// Parses a numpy `descr` string such as `<f8`, `|u1`, `>i4`.
    /// - Returns: the type and whether its bytes must be swapped on this (little-endian) machine,
    ///   or nil for a type not in the list above.
    static func parse(descr: String) -> (ElementType, swapBytes: Bool)? {
        guard descr.count == 3, let order = descr.first else { return nil }
        guard let type = ElementType(rawValue: String(descr.dropFirst())) else { return nil }
        switch order {
        case "<", "=": return (type, false)
        case "|": return type.size == 1 ? (type, false) : nil
        case ">": return (type, type.size > 1)
        default: return nil
        }
    }

    /// Decodes element `index` of `raw` as a `Double` (unaligned loads; byte-swapped when asked).
    @inline(__always)
    func load(_ raw: UnsafeRawBufferPointer, _ index: Int, swapBytes: Bool) -> Double {
        switch self {
        case .float64:
            let bits = raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            return Double(bitPattern: swapBytes ? bits.byteSwapped : bits)
        case .float32:
            let bits = raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
            return Double(Float(bitPattern: swapBytes ? bits.byteSwapped : bits))
        case .int64:
            let v = raw.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)
            return Double(swapBytes ? v.byteSwapped : v)
        case .int32:
            let v = raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self)
            return Double(swapBytes ? v.byteSwapped : v)
        case .uint8:
            return Double(raw[index])
        case .bool:
            return raw[index] == 0 ? 0 : 1
        }
    }
}
