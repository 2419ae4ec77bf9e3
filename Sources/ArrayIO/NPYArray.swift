import Foundation
import NumericSupport

/// A `.npy` array read in blocks of rows straight from its bytes (`pread` for files).
///
/// Supports format versions 1-3; float32, float64, int32, int64, uint8 and bool in either byte
/// order; C and Fortran order; 0-d, 1-d (one column) and 2-d arrays. Only the header is read at
/// open time, and the header is checked against the file size before any allocation, so a
/// small file that claims a huge shape costs nothing.
public final class NPYArray: RowSource {
    public let header: NPYHeader
    public let rows: Int
    public let columns: Int
    private let source: ByteSource
    private var scratch: [UInt8] = []

    public var name: String { source.name }
    public var elementType: ElementType { header.elementType }

    /// Parses the header of `source`.
    /// - Throws: `ArrayIOError` for a malformed header, an unsupported dtype or rank, or truncation.
    public init(source: ByteSource) throws {
        self.source = source
        header = try NPYHeader.read(from: source)
        switch header.shape.count {
        case 0: (rows, columns) = (1, 1)
        case 1: (rows, columns) = (header.shape[0], 1)
        case 2: (rows, columns) = (header.shape[0], header.shape[1])
        default:
            throw ArrayIOError.unsupported(file: source.name, detail: "\(header.shape.count)-d array of shape \(header.shape)",
                                           fix: "reshape to 2-d (rows = samples) before saving")
        }
    }

    /// Opens the `.npy` file at `path`.
    public convenience init(path: String) throws {
        try self.init(source: try FileByteSource(path: path))
    }

    public func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        precondition(buffer.count >= range.count * columns, "buffer too small")
        if range.isEmpty || columns == 0 { return }
        let size = header.elementType.size
        if !header.fortranOrder || columns == 1 {
            // One contiguous window, converted in parallel slices straight from the mapped bytes.
            let count = range.count * columns
            let out = buffer.baseAddress!
            try source.withBytes(at: header.dataOffset + range.lowerBound * columns * size, count: count * size) { raw in
                let slices = count >= 1 << 16 ? 8 : 1
                let per = (count + slices - 1) / slices
                let work: (Int) -> Void = { s in
                    let lo = min(count, s * per), hi = min(count, lo + per)
                    if lo < hi {
                        self.convert(UnsafeRawBufferPointer(rebasing: raw[(lo * size)..<(hi * size)]), count: hi - lo, into: out + lo, stride: 1)
                    }
                }
                ParallelRows.forEachBlock(rows: slices, blockSize: 1) { s, _ in work(s) }
            }
        } else {
            // Column-major: one contiguous run per column, scattered into the row-major buffer.
            for column in 0..<columns {
                let offset = header.dataOffset + (column * rows + range.lowerBound) * size
                try fill(offset: offset, count: range.count) { raw in
                    convert(raw, count: range.count, into: buffer.baseAddress! + column, stride: columns)
                }
            }
        }
    }

    /// Float32 rows in C order are read by `pread` straight into `buffer` (byte-swapped in place
    /// for big-endian files): no conversion pass and no scratch.
    public func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        precondition(buffer.count >= range.count * columns, "buffer too small")
        guard header.elementType == .float32, !header.fortranOrder || columns == 1 else {
            return try readRowsConverting(range, into: buffer)
        }
        let count = range.count * columns
        if count == 0 { return }
        // Large blocks from a plain file in parallel slices: the copy out of the page cache is
        // CPU-bound, about 0.17 s per 800 MB on one core here.
        let start = header.dataOffset + range.lowerBound * columns * 4
        let slices = source.allowsConcurrentReads && count >= 1 << 20 ? ParallelRows.workerCount : 1
        let per = (count + slices - 1) / slices
        let outcomes = ParallelRows.map(slices) { s -> Error? in
            let lo = min(count, s * per), hi = min(count, lo + per)
            if lo == hi { return nil }
            do {
                try source.read(at: start + lo * 4, into: UnsafeMutableRawBufferPointer(start: buffer.baseAddress! + lo, count: (hi - lo) * 4))
                return nil
            } catch { return error }
        }
        if let failure = outcomes.compactMap({ $0 }).first { throw failure }
        if header.swapBytes {
            buffer.withMemoryRebound(to: UInt32.self) { bits in for i in 0..<count { bits[i] = bits[i].byteSwapped } }
        }
    }

    /// Float32 rows in C order and this machine's byte order, in place: the window is mapped
    /// read-only (`ByteSource.withBytes`), so the pass reads the page cache itself instead of a
    /// copy (at 200000 x 1000 the whole command went from 0.70-0.77 s to 0.55-0.65 s). Nil for
    /// other layouts and for a window that is not 4-byte aligned (an `.npz` member can be).
    public func withStoredFloatRows<T>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> T) throws -> T? {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        guard header.elementType == .float32, !header.swapBytes, !header.fortranOrder || columns == 1 else { return nil }
        let count = range.count * columns
        // Not prefaulted: the pass's workers fault their own pages in parallel (measured at
        // 200000 x 1000: 0.03 s of mapping against 0.07-0.10 s prefaulted on one thread).
        return try source.withBytes(at: header.dataOffset + range.lowerBound * columns * 4, count: count * 4, prefault: false) { raw -> T? in
            guard count > 0 else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            guard Int(bitPattern: raw.baseAddress!) % MemoryLayout<Float>.alignment == 0 else { return nil }
            return try body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: Float.self), count: count))
        }
    }

    /// Reads `count` elements at byte `offset` into the reused scratch buffer and hands them over.
    private func fill(offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        let bytes = count * header.elementType.size
        if scratch.count < bytes { scratch = [UInt8](repeating: 0, count: bytes) }
        try scratch.withUnsafeMutableBytes { raw in
            let window = UnsafeMutableRawBufferPointer(rebasing: raw[0..<bytes])
            try source.read(at: offset, into: window)
            body(UnsafeRawBufferPointer(window))
        }
    }

    /// Converts raw elements to `Double`; one `switch` per block, a tight loop per type.
    private func convert(_ raw: UnsafeRawBufferPointer, count: Int, into out: UnsafeMutablePointer<Double>, stride: Int) {
        let swap = header.swapBytes
        switch header.elementType {
        case .float32:
            for i in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                out[i * stride] = Double(Float(bitPattern: swap ? bits.byteSwapped : bits))
            }
        case .float64:
            for i in 0..<count {
                let bits = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                out[i * stride] = Double(bitPattern: swap ? bits.byteSwapped : bits)
            }
        default:
            let type = header.elementType
            for i in 0..<count { out[i * stride] = type.load(raw, i, swapBytes: swap) }
        }
    }
}
