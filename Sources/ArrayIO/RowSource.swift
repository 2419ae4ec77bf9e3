/// A two-dimensional numeric array that can be read a block of rows at a time, converted to
/// `Double`: the shape every reader in ArrayIO presents (a 1-d array is one column).
///
/// Streaming pipelines read `rows` in chunks into one reused buffer, so memory does not grow
/// with the number of rows.
public protocol RowSource: AnyObject {
    /// Name for error messages: a path, or `archive.npz:member`.
    var name: String { get }
    var rows: Int { get }
    var columns: Int { get }
    /// Element type as stored (integer types are exact in `Double` up to 2^53).
    var elementType: ElementType { get }
    /// Reads rows `range` into `buffer` row-major (`buffer.count >= range.count * columns`).
    func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws
    /// Reads rows `range` into `buffer` as `Float`: exact when `elementType.isExactInSingle`.
    /// The default converts from `readRows(_:into:)` of doubles; `.npy` float32 files are read
    /// straight into the buffer.
    func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws
    /// Calls `body` with rows `range` where the source already holds them as `Float` in this
    /// machine's byte order, row-major (an `.npy` float32 file: a read-only memory map of the
    /// window, no copy), and returns its result; returns nil without calling `body` otherwise.
    /// The default returns nil.
    func withStoredFloatRows<T>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> T) throws -> T?
    /// What the reader decided about the file that a user should hear (a pandas index column
    /// dropped, a header of integers taken as a header): one line each.
    var notes: [String] { get }
}

extension RowSource {
    public var notes: [String] { [] }

    public func withStoredFloatRows<T>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<Float>) throws -> T) throws -> T? { nil }

    public func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        try readRowsConverting(range, into: buffer)
    }

    /// Rows `range` read as `Double` and rounded to `Float`: the default float read, and the
    /// fallback of readers with a direct float32 path for the layouts it does not cover.
    public func readRowsConverting(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        precondition(buffer.count >= range.count * columns, "buffer too small")
        var values = [Double](repeating: 0, count: range.count * columns)
        try values.withUnsafeMutableBufferPointer { try readRows(range, into: $0) }
        for i in values.indices { buffer[i] = Float(values[i]) }
    }
}

extension RowSource {
    /// Every element, row-major.
    /// - Complexity: O(rows x columns) memory; prefer chunked `readRows` for large arrays.
    public func readAll() throws -> [Double] {
        var out = [Double](repeating: 0, count: rows * columns)
        try out.withUnsafeMutableBufferPointer { try readRows(0..<rows, into: $0) }
        return out
    }

    /// A one-dimensional array (or an `n x 1` column) as integers: the storage form of labels.
    ///
    /// - Throws: `ArrayIOError` when the array has more than one column, or a value is not
    ///   finite or not a whole number (float labels such as `3.0` are accepted).
    public func readIntegerVector() throws -> [Int] {
        if columns != 1 {
            throw ArrayIOError.unsupported(file: name, detail: "expected a 1-d vector of integer labels, got \(rows) x \(columns)",
                                           fix: "pass class indices (labels.argmax(axis=1) for one-hot labels)")
        }
        let values = try readAll()
        var out = [Int](repeating: 0, count: values.count)
        for (i, v) in values.enumerated() {
            guard v.isFinite, v == v.rounded(), abs(v) < 9.0e15 else {
                throw ArrayIOError.badValue(file: name, row: i, column: 0, detail: "label \(v) is not a whole number")
            }
            out[i] = Int(v)
        }
        return out
    }
}

/// A row source over an array already in memory (CSV data, tests).
public final class InMemoryArray: RowSource {
    public let name: String
    public let rows: Int
    public let columns: Int
    public let elementType: ElementType
    /// Row-major values.
    public let values: [Double]
    public let notes: [String]

    public init(name: String, rows: Int, columns: Int, values: [Double], elementType: ElementType = .float64, notes: [String] = []) {
        precondition(values.count == rows * columns, "InMemoryArray: \(values.count) values for \(rows) x \(columns)")
        self.notes = notes
        self.name = name
        self.rows = rows
        self.columns = columns
        self.values = values
        self.elementType = elementType
    }

    public func readRows(_ range: Range<Int>, into buffer: UnsafeMutableBufferPointer<Double>) throws {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows && buffer.count >= range.count * columns)
        values.withUnsafeBufferPointer { src in
            let start = range.lowerBound * columns
            for i in 0..<(range.count * columns) { buffer[i] = src[start + i] }
        }
    }
}
