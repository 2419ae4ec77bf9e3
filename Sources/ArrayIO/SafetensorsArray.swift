import Foundation

/// One tensor of a `.safetensors` file (Hugging Face's format, what PyTorch users save logits
/// in), read in blocks of rows straight from the file like `.npy`.
///
/// Layout: an 8-byte little-endian header length `L`, `L` bytes of JSON mapping each tensor's
/// name to `{"dtype", "shape", "data_offsets": [begin, end]}` (plus an optional
/// `__metadata__`), then the data, little-endian, C order; offsets count from the end of the
/// header. Every dtype SpectralKD can convert is read: F16, BF16, F32, F64, I8-I64, U8-U64, BOOL.
/// `FILE.safetensors:NAME` names a tensor; without a name the file must hold exactly one.
///
/// Hostile files: the header length is checked against the file size (and 100 MB) before
/// anything is allocated; the JSON parser is the exact, depth-limited one; shapes may not
/// overflow; the offsets must lie inside the data, and their span must equal the shape's size.
public final class SafetensorsArray: RowSource {
    public let rows: Int
    public let columns: Int
    public let elementType: ElementType
    public let tensorName: String
    private let source: ByteSource
    private let dataOffset: Int
    private let displayName: String

    public var name: String { displayName }

    /// The largest header accepted (the format's own reference reader allows 100 MB).
    static let maximumHeader = 100_000_000

    static let dtypes: [String: ElementType] = [
        "F16": .float16, "BF16": .bfloat16, "F32": .float32, "F64": .float64,
        "I8": .int8, "I16": .int16, "I32": .int32, "I64": .int64,
        "U8": .uint8, "U16": .uint16, "U32": .uint32, "U64": .uint64, "BOOL": .bool,
    ]

    /// Opens tensor `tensor` (or the only one) of `source`.
    /// - Throws: `ArrayIOError` naming the file, the problem and the fix.
    public init(source: ByteSource, tensor: String?) throws {
        self.source = source
        let file = source.name
        guard source.size >= 8 else { throw ArrayIOError.malformed(file: file, detail: "shorter than the 8-byte header length") }
        var lengthBytes = [UInt8](repeating: 0, count: 8)
        try lengthBytes.withUnsafeMutableBytes { try source.read(at: 0, into: $0) }
        let length = lengthBytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian
        guard length >= 2, length <= UInt64(Self.maximumHeader), Int(length) <= source.size - 8 else {
            throw ArrayIOError.malformed(file: file, detail: "header length \(length) does not fit the file's \(source.size) bytes (is it a .safetensors file?)")
        }
        var headerBytes = [UInt8](repeating: 0, count: Int(length))
        try headerBytes.withUnsafeMutableBytes { try source.read(at: 8, into: $0) }
        let header = try JSONValue.parse(headerBytes, file: file)
        guard case let .object(entries) = header else {
            throw ArrayIOError.malformed(file: file, detail: "header is not a JSON object")
        }
        let tensors = entries.filter { $0.0 != "__metadata__" }
        let chosen: (String, JSONValue)
        if let tensor {
            guard let match = tensors.first(where: { $0.0 == tensor }) else {
                throw ArrayIOError.unsupported(file: file, detail: "has no tensor '\(ArrayIOError.excerpt(tensor))'",
                                               fix: "tensors are: \(ArrayIOError.list(tensors.map(\.0)))")
            }
            chosen = match
        } else {
            guard tensors.count == 1 else {
                throw ArrayIOError.unsupported(file: file, detail: "holds \(tensors.count) tensors",
                                               fix: "name one as FILE.safetensors:NAME (tensors: \(ArrayIOError.list(tensors.map(\.0))))")
            }
            chosen = tensors[0]
        }
        tensorName = chosen.0
        let displayName = file + ":" + chosen.0
        self.displayName = displayName
        let info = chosen.1
        guard let dtype = info["dtype"]?.string else { throw ArrayIOError.malformed(file: displayName, detail: "tensor has no dtype") }
        guard let type = Self.dtypes[dtype] else {
            throw ArrayIOError.unsupported(file: displayName, detail: "dtype '\(ArrayIOError.excerpt(dtype))' is not supported",
                                           fix: "save as F32, F16, BF16, F64 or an integer type")
        }
        elementType = type
        guard case let .array(shapeItems)? = info["shape"] else { throw ArrayIOError.malformed(file: displayName, detail: "tensor has no shape") }
        let shape = try shapeItems.map { item -> Int in
            guard let v = item.number, v >= 0, v == v.rounded(), v < 9e15 else {
                throw ArrayIOError.malformed(file: displayName, detail: "shape entry is not a non-negative whole number")
            }
            return Int(v)
        }
        switch shape.count {
        case 0: (rows, columns) = (1, 1)
        case 1: (rows, columns) = (shape[0], 1)
        case 2: (rows, columns) = (shape[0], shape[1])
        default:
            throw ArrayIOError.unsupported(file: displayName, detail: "\(shape.count)-d tensor of shape \(shape)",
                                           fix: "reshape to 2-d (rows = samples) before saving, e.g. logits.reshape(-1, C)")
        }
        let (elements, overflow) = rows.multipliedReportingOverflow(by: columns)
        let (bytes, overflow2) = elements.multipliedReportingOverflow(by: type.size)
        guard !overflow, !overflow2 else { throw ArrayIOError.malformed(file: displayName, detail: "shape \(shape) overflows") }
        guard case let .array(offsetItems)? = info["data_offsets"], offsetItems.count == 2,
              let begin = offsetItems[0].number, let end = offsetItems[1].number,
              begin >= 0, end >= begin, begin == begin.rounded(), end == end.rounded(), end < 9e15 else {
            throw ArrayIOError.malformed(file: displayName, detail: "data_offsets is not [begin, end]")
        }
        let data = 8 + Int(length)
        guard Int(end) <= source.size - data else {
            throw ArrayIOError.truncated(file: displayName, expectedBytes: data + Int(end), actualBytes: source.size)
        }
        guard Int(end - begin) == bytes else {
            throw ArrayIOError.malformed(file: displayName, detail: "data_offsets span \(Int(end - begin)) bytes but shape \(shape) of \(dtype) needs \(bytes)")
        }
        dataOffset = data + Int(begin)
    }

    /// Opens `path`, tensor `tensor` (nil: the only one).
    public convenience init(path: String, tensor: String? = nil) throws {
        try self.init(source: try FileByteSource(path: path), tensor: tensor)
    }

    public func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        precondition(buffer.count >= range.count * columns, "buffer too small")
        if range.isEmpty || columns == 0 { return }
        let size = elementType.size, count = range.count * columns
        let out = buffer.baseAddress!, type = elementType
        try source.withBytes(at: dataOffset + range.lowerBound * columns * size, count: count * size) { raw in
            switch type {
            case .float32:
                for i in 0..<count { out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))) }
            case .float64:
                for i in 0..<count { out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))) }
            default:
                for i in 0..<count { out[i] = type.load(raw, i, swapBytes: false) }
            }
        }
    }
}
