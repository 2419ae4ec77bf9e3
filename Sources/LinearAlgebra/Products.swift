import CBLAS

/// The BLAS products SpectralKD needs, on row-major `Double` buffers.
///
/// Every O(N C^2) product in the toolkit goes through here (docs/theory.md §1.1), so the cost of
/// the heavy lifting is exactly that of OpenBLAS on this machine.
public enum Products {
    /// `c := alpha (a^T b + b^T a) + beta c` on the upper triangle of `c` (BLAS `dsyr2k`).
    ///
    /// `a` and `b` are `rows x columns` row-major; `c` is `columns x columns`. Only the upper
    /// triangle of `c` is written: call `SquareMatrix.mirrorUpperToLower()` before reading
    /// the lower one.
    ///
    /// - Complexity: `2 rows columns^2` flops, the same as one `dgemm` of `a^T b`.
    public static func symmetricRank2k(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
        rows: Int, columns: Int, alpha: Double = 1, beta: Double = 1,
        into c: inout SquareMatrix
    ) {
        precondition(a.count >= rows * columns && b.count >= rows * columns, "syr2k: buffers too short")
        precondition(c.order == columns, "syr2k: output order \(c.order) != columns \(columns)")
        if rows == 0 || columns == 0 { return }
        c.elements.withUnsafeMutableBufferPointer { cp in
            cblas_dsyr2k(CblasRowMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows),
                         alpha, a.baseAddress, Int32(columns), b.baseAddress, Int32(columns),
                         beta, cp.baseAddress, Int32(columns))
        }
    }

    /// `c := a^T b + b^T a` in single precision on the upper triangle of `c` (BLAS `ssyr2k`,
    /// `beta = 0`): the float32 path of the teacher product, twice the speed of `dsyr2k`.
    /// `c` is `columns x columns` row-major `Float`.
    public static func symmetricRank2kSingle(_ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, rows: Int, columns: Int,
                                             into c: UnsafeMutableBufferPointer<Float>) {
        precondition(a.count >= rows * columns && b.count >= rows * columns && c.count >= columns * columns, "ssyr2k: buffers too short")
        if rows == 0 || columns == 0 { return }
        cblas_ssyr2k(CblasRowMajor, CblasUpper, CblasTrans, Int32(columns), Int32(rows),
                     1, a.baseAddress, Int32(columns), b.baseAddress, Int32(columns), 0, c.baseAddress, Int32(columns))
    }

    /// `c := alpha a^T b + beta c` (BLAS `dgemm`), `a` and `b` `rows x columns` row-major.
    ///
    /// - Complexity: `2 rows columns^2` flops.
    public static func transposeTimes(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>,
        rows: Int, columns: Int, alpha: Double = 1, beta: Double = 1,
        into c: inout SquareMatrix
    ) {
        precondition(a.count >= rows * columns && b.count >= rows * columns, "gemm: buffers too short")
        precondition(c.order == columns, "gemm: output order \(c.order) != columns \(columns)")
        if rows == 0 || columns == 0 { return }
        c.elements.withUnsafeMutableBufferPointer { cp in
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(columns), Int32(columns), Int32(rows),
                        alpha, a.baseAddress, Int32(columns), b.baseAddress, Int32(columns),
                        beta, cp.baseAddress, Int32(columns))
        }
    }

    /// `y := alpha op(a) x + beta y` (BLAS `dgemv`), `a` `rows x columns` row-major, `op(a)` = `a`
    /// or `a^T`. One pass over `a`: the O(NC) product of a matrix-free operator.
    public static func matrixVector(_ a: [Double], rows: Int, columns: Int, transpose: Bool, _ x: [Double], alpha: Double = 1,
                                    beta: Double = 0, into y: inout [Double]) {
        precondition(a.count == rows * columns && x.count == (transpose ? rows : columns) && y.count == (transpose ? columns : rows),
                     "gemv: shapes do not match")
        if rows == 0 || columns == 0 { return }
        cblas_dgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(rows), Int32(columns), alpha, a, Int32(columns),
                    x, 1, beta, &y, 1)
    }

    /// `a^T b` (BLAS `dgemm`), `a` `rows x columns` and `b` `rows x width`, both row-major; returns
    /// the `columns x width` product (one pass over `a` for all `width` right-hand sides).
    public static func transposedTimes(_ a: [Double], rows: Int, columns: Int, _ b: [Double], width: Int) -> [Double] {
        precondition(a.count == rows * columns && b.count == rows * width, "gemm: shapes do not match")
        return product(a, transposed: true, b, m: columns, n: width, k: rows, lda: columns)
    }

    /// `a b` (BLAS `dgemm`), `a` `rows x inner`, `b` `inner x columns`, both row-major; returns
    /// the `rows x columns` product.
    public static func times(_ a: [Double], rows: Int, inner: Int, _ b: [Double], columns: Int) -> [Double] {
        precondition(a.count == rows * inner && b.count == inner * columns, "gemm: shapes do not match")
        return product(a, transposed: false, b, m: rows, n: columns, k: inner, lda: inner)
    }

    /// `op(a) b`, `m x n` from a `k`-long inner dimension, row-major.
    private static func product(_ a: [Double], transposed: Bool, _ b: [Double], m: Int, n: Int, k: Int, lda: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        if m == 0 || n == 0 || k == 0 { return c }
        cblas_dgemm(CblasRowMajor, transposed ? CblasTrans : CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(lda), b, Int32(n), 0, &c, Int32(n))
        return c
    }

    /// `c := c + alpha (x y^T + y x^T)` on both triangles (BLAS `dsyr2` on the upper one, then mirrored).
    ///
    /// - Complexity: O(n^2).
    public static func symmetricRank2Update(x: [Double], y: [Double], alpha: Double, into c: inout SquareMatrix) {
        let n = c.order
        precondition(x.count == n && y.count == n, "syr2: vector lengths must equal the order \(n)")
        if n == 0 { return }
        c.elements.withUnsafeMutableBufferPointer { cp in
            cblas_dsyr2(CblasRowMajor, CblasUpper, Int32(n), alpha, x, 1, y, 1, cp.baseAddress, Int32(n))
        }
        c.mirrorUpperToLower()
    }

    /// `y := a x` for a symmetric `a` (BLAS `dsymv`, upper triangle read).
    ///
    /// - Complexity: O(n^2).
    public static func symmetricTimes(_ a: SquareMatrix, _ x: [Double]) -> [Double] {
        let n = a.order
        precondition(x.count == n, "symv: vector length \(x.count) != order \(n)")
        var y = [Double](repeating: 0, count: n)
        if n == 0 { return y }
        // One thread: threaded dsymv adds partial products in an order set by the core count.
        BLASThreads.singleThreaded {
            a.elements.withUnsafeBufferPointer { ap in
                cblas_dsymv(CblasRowMajor, CblasUpper, Int32(n), 1, ap.baseAddress, Int32(n), x, 1, 0, &y, 1)
            }
        }
        return y
    }

    /// `sums += a^T 1`: column sums of a `rows x columns` row-major block added to `sums` (BLAS `dgemv`).
    ///
    /// - Complexity: O(rows x columns).
    public static func addColumnSums(_ a: UnsafeBufferPointer<Double>, rows: Int, columns: Int, into sums: inout [Double]) {
        precondition(a.count >= rows * columns && sums.count == columns, "column sums: shapes do not match")
        if rows == 0 || columns == 0 { return }
        let ones = [Double](repeating: 1, count: rows)
        // One thread, so that the sums' bits do not depend on the core count.
        BLASThreads.singleThreaded {
            sums.withUnsafeMutableBufferPointer { out in
                cblas_dgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(columns), 1, a.baseAddress, Int32(columns),
                            ones, 1, 1, out.baseAddress, 1)
            }
        }
    }
}
