import CLAPACKE

/// Minimum-norm least squares by LAPACK (`dgelsd`: SVD by divide and conquer).
///
/// Used for projections onto a row span: the minimum-norm solution `v` of `A v = A w` is
/// `A^T (A A^T)^+ A w`, the orthogonal projection of `w` onto the rows of `A`, computed without
/// forming `A A^T` or any inverse (rank deficiency and `n > d` are handled by the SVD).
public enum MinimumNorm {
    /// The minimum-norm `x` minimising `||A x - b||`, `A` `rows x columns` row-major.
    ///
    /// Singular values below `rcond * sigma_max` count as zero (default `1e-12`, far below the
    /// spread of any well-posed data matrix and far above round-off).
    ///
    /// - Complexity: O(rows columns min(rows, columns)).
    /// - Throws: `LinearAlgebraError` when the input is not finite or the SVD fails to converge.
    public static func solve(_ a: [Double], rows: Int, columns: Int, _ b: [Double], rcond: Double = 1e-12)
        throws(LinearAlgebraError) -> (solution: [Double], rank: Int)
    {
        precondition(a.count == rows * columns && b.count == rows, "gelsd: shapes do not match")
        if rows == 0 || columns == 0 { return ([Double](repeating: 0, count: columns), 0) }
        if !a.allSatisfy(\.isFinite) || !b.allSatisfy(\.isFinite) { throw .nonFinite(routine: "dgelsd") }
        var work = a
        var rhs = [Double](repeating: 0, count: max(rows, columns))
        rhs.replaceSubrange(0..<rows, with: b)
        var singular = [Double](repeating: 0, count: min(rows, columns))
        var rank: CLapackInt = 0
        // One OpenBLAS thread, so that the bits do not depend on the core count (as in SymmetricEigen).
        let info = BLASThreads.singleThreaded { work.withUnsafeMutableBufferPointer { ap in
            rhs.withUnsafeMutableBufferPointer { bp in
                singular.withUnsafeMutableBufferPointer { sp in
                    LAPACKE_dgelsd(LAPACK_ROW_MAJOR, CLapackInt(rows), CLapackInt(columns), 1, ap.baseAddress, CLapackInt(columns),
                                   bp.baseAddress, 1, sp.baseAddress, rcond, &rank)
                }
            }
        } }
        if info != 0 { throw .lapack(routine: "dgelsd", info: Int(info)) }
        return (Array(rhs[0..<columns]), Int(rank))
    }

    /// The orthogonal projection of `w` onto the row span of `A` (`rows x w.count`, row-major):
    /// the minimum-norm solution of `A v = A w`.
    public static func projectOntoRowSpan(of a: [Double], rows: Int, _ w: [Double]) throws(LinearAlgebraError) -> [Double] {
        let d = w.count
        precondition(a.count == rows * d, "projection: shapes do not match")
        var aw = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = 0.0
            for j in 0..<d { s += a[r * d + j] * w[j] }
            aw[r] = s
        }
        return try solve(a, rows: rows, columns: d, aw).solution
    }
}
