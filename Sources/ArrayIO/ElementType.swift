/// The numeric dtypes SpectralKD reads (numpy's codes; `bfloat16` only comes from
/// `.safetensors`), with their byte order. Every one converts to `Double` exactly, except
/// 64-bit integers beyond 2^53 (no label or count is that large).
public enum ElementType: String, Sendable, CaseIterable {
    case float16 = "f2", float32 = "f4", float64 = "f8"
    case int8 = "i1", int16 = "i2", int32 = "i4", int64 = "i8"
    case uint8 = "u1", uint16 = "u2", uint32 = "u4", uint64 = "u8"
    case bool = "b1"
    /// Google's brain float: the top 16 bits of a float32 (PyTorch's `torch.bfloat16`).
    case bfloat16 = "bf16"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// True for the types every value of which is exactly a `Float`: a float32 path loses
    /// nothing on them (a float64 file would be rounded, and could gain argmax ties).
    public var isExactInSingle: Bool { [.float16, .bfloat16, .float32, .int8, .uint8, .int16, .uint16, .bool].contains(self) }

    /// True for the integer and boolean types.
    public var isInteger: Bool { ![.float16, .bfloat16, .float32, .float64].contains(self) }

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
        case .int8:
            return Double(Int8(bitPattern: raw[index]))
        case .int16:
            let v = raw.loadUnaligned(fromByteOffset: index * 2, as: Int16.self)
            return Double(swapBytes ? v.byteSwapped : v)
        case .uint16:
            let v = raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
            return Double(swapBytes ? v.byteSwapped : v)
        case .uint32:
            let v = raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
            return Double(swapBytes ? v.byteSwapped : v)
        case .uint64:
            let v = raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            return Double(swapBytes ? v.byteSwapped : v)
        case .float16:
            let bits = raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
            return Double(Float16(bitPattern: swapBytes ? bits.byteSwapped : bits))
        case .bfloat16:
            let bits = raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self)
            return Double(Float(bitPattern: UInt32(swapBytes ? bits.byteSwapped : bits) << 16))
        }
    }
}
