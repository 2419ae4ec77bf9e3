/// The header of a `.npy` file (format versions 1.0, 2.0 and 3.0).
///
/// Layout (numpy's `format.py`): magic `\x93NUMPY`, major and minor version bytes, header
/// length (2 bytes little-endian in v1, 4 bytes in v2/v3), then a Python dict literal with the
/// keys `descr`, `fortran_order` and `shape`, padded so the data start 16- or 64-byte aligned.
public struct NPYHeader: Sendable, Equatable {
    public var majorVersion: Int
    public var elementType: ElementType
    /// True for big-endian multi-byte data (`>f8`), swapped while reading.
    public var swapBytes: Bool
    public var fortranOrder: Bool
    public var shape: [Int]
    /// Byte offset of the first element.
    public var dataOffset: Int

    /// Number of elements (product of `shape`; 1 for a 0-d array).
    public var count: Int { shape.reduce(1, *) }

    /// Largest header this reader accepts (numpy itself refuses more than 10 000 bytes by default).
    static let maxHeaderLength = 1 << 20
    /// Largest dimension an array with no elements may have (16M).
    static let maxEmptyDimension = 1 << 24

    /// Reads and validates the header at the start of `source`, and checks that the file holds
    /// every byte the shape promises before anything is allocated for the data.
    ///
    /// - Throws: `ArrayIOError` naming the defect: bad magic, unknown version, unparsable dict,
    ///   unsupported dtype, negative or overflowing shape, truncated data.
    public static func read(from source: ByteSource) throws -> NPYHeader {
        let file = source.name
        if source.size < 10 {
            throw ArrayIOError.malformed(file: file, detail: "\(source.size) bytes is too short for a .npy header; is this a .npy file?")
        }
        var prefix = [UInt8](repeating: 0, count: 12)
        let prefixCount = min(12, source.size)
        try prefix.withUnsafeMutableBytes { try source.read(at: 0, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<prefixCount])) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        if Array(prefix[0..<6]) != magic {
            throw ArrayIOError.malformed(file: file, detail: "missing the \\x93NUMPY magic; not a .npy file (write it with numpy.save)")
        }
        let major = Int(prefix[6])
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(prefix[8]) | Int(prefix[9]) << 8
            headerStart = 10
        case 2, 3:
            if prefixCount < 12 { throw ArrayIOError.malformed(file: file, detail: "header length field is cut off") }
            headerLength = Int(prefix[8]) | Int(prefix[9]) << 8 | Int(prefix[10]) << 16 | Int(prefix[11]) << 24
            headerStart = 12
        default:
            throw ArrayIOError.unsupported(file: file, detail: "npy format version \(major).\(prefix[7]) is unknown",
                                           fix: "re-save with numpy.save (versions 1-3 are read)")
        }
        if headerLength > maxHeaderLength {
            throw ArrayIOError.malformed(file: file, detail: "header length \(headerLength) exceeds \(maxHeaderLength) bytes")
        }
        if headerStart + headerLength > source.size {
            throw ArrayIOError.truncated(file: file, expectedBytes: headerStart + headerLength, actualBytes: source.size)
        }
        var headerBytes = [UInt8](repeating: 0, count: headerLength)
        try headerBytes.withUnsafeMutableBytes { try source.read(at: headerStart, into: $0) }
        guard let text = String(validating: headerBytes, as: UTF8.self) else {
            throw ArrayIOError.malformed(file: file, detail: "header is not valid text")
        }
        let dict: [String: PythonLiteral]
        do {
            var parser = PythonLiteralParser(text)
            guard case let .dict(d) = try parser.parseTopLevel() else {
                throw ArrayIOError.malformed(file: file, detail: "header is not a dict")
            }
            dict = d
        } catch let error as PythonLiteralParser.Failure {
            throw ArrayIOError.malformed(file: file, detail: "header dict: \(error.message)")
        }
        guard case let .string(descr)? = dict["descr"] else {
            if dict["descr"] != nil {
                throw ArrayIOError.unsupported(file: file, detail: "structured dtype", fix: "save a plain numeric array")
            }
            throw ArrayIOError.malformed(file: file, detail: "header has no 'descr'")
        }
        guard let (type, swap) = ElementType.parse(descr: descr) else {
            throw ArrayIOError.unsupported(file: file, detail: "dtype '\(descr)' is not supported",
                                           fix: "convert with arr.astype('float64') (every float, signed and unsigned integer width and bool is read, in either byte order)")
        }
        guard case let .bool(fortran)? = dict["fortran_order"] else {
            throw ArrayIOError.malformed(file: file, detail: "header has no boolean 'fortran_order'")
        }
        guard case let .tuple(dims)? = dict["shape"] else {
            throw ArrayIOError.malformed(file: file, detail: "header has no tuple 'shape'")
        }
        var shape: [Int] = []
        var count = 1
        for dim in dims {
            guard case let .int(d) = dim, d >= 0 else {
                throw ArrayIOError.malformed(file: file, detail: "shape \(text.shapeText) has a non-integer or negative entry")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            if overflow { throw ArrayIOError.malformed(file: file, detail: "shape product overflows") }
            count = product
            shape.append(d)
        }
        // An empty array's other dimensions are not bounded by the file size, yet readers size
        // row buffers by them: refuse absurd ones (found by `make fuzz`: shape (0, 2^60)).
        if count == 0, let widest = shape.max(), widest > Self.maxEmptyDimension {
            throw ArrayIOError.malformed(file: file, detail: "shape \(text.shapeText) is empty but has a dimension above \(Self.maxEmptyDimension)")
        }
        let dataOffset = headerStart + headerLength
        let (bytes, overflow) = count.multipliedReportingOverflow(by: type.size)
        if overflow || bytes > Int.max - dataOffset { throw ArrayIOError.malformed(file: file, detail: "shape product overflows") }
        if dataOffset + bytes > source.size {
            throw ArrayIOError.truncated(file: file, expectedBytes: dataOffset + bytes, actualBytes: source.size)
        }
        return NPYHeader(majorVersion: major, elementType: type, swapBytes: swap, fortranOrder: fortran,
                         shape: shape, dataOffset: dataOffset)
    }

    /// The header bytes numpy would write for this array (version 1.0, 64-byte aligned data).
    public static func encode(descr: String, shape: [Int], fortranOrder: Bool = false) -> [UInt8] {
        let shapeText: String
        switch shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(shape[0]),)"
        default: shapeText = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeText), }"
        let unpadded = 10 + dict.utf8.count + 1
        let padded = (unpadded + 63) / 64 * 64
        dict += String(repeating: " ", count: padded - unpadded) + "\n"
        let length = dict.utf8.count
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes.append(contentsOf: Array(dict.utf8))
        return bytes
    }
}

private extension String {
    /// The `shape` entry of a header, for error messages.
    var shapeText: String {
        guard let r = range(of: "'shape'") else { return "(?)" }
        return String(self[r.upperBound...].prefix(40)).trimmingCharacters(in: [" ", ":"])
    }

    func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop(while: { set.contains($0) }))
    }
}
