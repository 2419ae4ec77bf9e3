/// A dense `n x n` matrix of `Double`, stored row-major in one contiguous array.
///
/// The C x C matrices of docs/theory.md §1 are symmetric, so row- and column-major agree and
/// LAPACK may read the storage either way. `SquareMatrix` is a value type: copies are
/// copy-on-write through the underlying `Array`.
public struct SquareMatrix: Sendable, Equatable {
    /// Number of rows (= columns).
    public let order: Int
    /// Row-major entries, `elements[i * order + j]` is entry `(i, j)`.
    public var elements: [Double]

    /// The zero matrix of the given order.
    public init(zeros order: Int) {
        precondition(order >= 0, "order must be non-negative, got \(order)")
        self.order = order
        self.elements = [Double](repeating: 0, count: order * order)
    }

    /// Wraps row-major `elements`; `elements.count` must be `order * order`.
    public init(order: Int, elements: [Double]) {
        precondition(elements.count == order * order,
                     "SquareMatrix(order: \(order)) needs \(order * order) elements, got \(elements.count)")
        self.order = order
        self.elements = elements
    }

    /// Inlinable, so loops in other modules compile to plain loads and stores rather than a call
    /// per entry (measured: 2 million calls cost about 20 ms in `spectrum` at C = 1000).
    @inlinable public subscript(row: Int, column: Int) -> Double {
        get { elements[row * order + column] }
        set { elements[row * order + column] = newValue }
    }

    /// Sum of the diagonal.
    public var trace: Double {
        var t = 0.0
        for i in 0..<order { t += elements[i * order + i] }
        return t
    }

    /// Copies the upper triangle onto the lower one, so that both triangles hold the
    /// same symmetric matrix (BLAS `syr2k` writes one triangle only).
    public mutating func mirrorUpperToLower() {
        let n = order
        elements.withUnsafeMutableBufferPointer { a in
            for i in 0..<n {
                for j in 0..<i { a[i * n + j] = a[j * n + i] }
            }
        }
    }

    /// Largest absolute difference between `self` and its transpose (0 for a symmetric matrix).
    public var asymmetry: Double {
        var worst = 0.0
        for i in 0..<order {
            for j in 0..<i { worst = max(worst, abs(self[i, j] - self[j, i])) }
        }
        return worst
    }
}
