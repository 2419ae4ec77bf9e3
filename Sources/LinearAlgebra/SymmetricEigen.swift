import CLAPACKE

/// Eigenvalues of symmetric matrices by LAPACK.
///
/// `dsyevd` runs with OpenBLAS on one thread: threaded, its last bits depend on the number of
/// cores it sees (measured: `taskset -c 0` or `mpirun`'s core binding changed eigenvalues of H in
/// the 13th digit), and one thread costs little (C = 1000: 0.12 s against 0.10 s on 2 cores).
/// So eigenvalues are the same bits on any machine size, as sums already are.
public enum SymmetricEigen {
    /// All eigenvalues of a symmetric matrix, ascending, by divide and conquer (`dsyevd`, values only).
    ///
    /// Only the lower triangle in column-major terms (the upper triangle of the row-major
    /// storage) is read. Backward stable: each eigenvalue is exact for a matrix within
    /// `O(n eps ||A||)` of the input, so absolute errors are a small multiple of
    /// `eps * max|lambda|` (about 1e-13 relative to the largest at n = 2000, measured
    /// against numpy's `eigvalsh` in LinearAlgebraTests).
    ///
    /// - Complexity: O(n^3) time, O(n^2) extra memory (one working copy).
    /// - Throws: `LinearAlgebraError` when the matrix is not finite or LAPACK fails.
    public static func eigenvalues(of matrix: SquareMatrix) throws(LinearAlgebraError) -> [Double] {
        let n = matrix.order
        if n == 0 { return [] }
        if !matrix.elements.allSatisfy({ $0.isFinite }) { throw .nonFinite(routine: "dsyevd") }
        var work = matrix.elements
        var values = [Double](repeating: 0, count: n)
        let info = BLASThreads.singleThreaded { work.withUnsafeMutableBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), CChar(UInt8(ascii: "L")),
                               CLapackInt(n), a.baseAddress, CLapackInt(n), w.baseAddress)
            }
        } }
        if info != 0 { throw .lapack(routine: "dsyevd", info: Int(info)) }
        return values
    }

    /// Eigenvalues with eigenvectors (`dsyevd`, jobz 'V'); the vectors are the columns of
    /// the returned row-major matrix, column `k` belonging to `values[k]`.
    ///
    /// - Complexity: O(n^3), about 2-3x the cost of values only.
    public static func decomposition(of matrix: SquareMatrix) throws(LinearAlgebraError)
        -> (values: [Double], vectors: SquareMatrix)
    {
        let n = matrix.order
        if n == 0 { return ([], SquareMatrix(zeros: 0)) }
        if !matrix.elements.allSatisfy({ $0.isFinite }) { throw .nonFinite(routine: "dsyevd") }
        var work = matrix.elements
        var values = [Double](repeating: 0, count: n)
        let info = BLASThreads.singleThreaded { work.withUnsafeMutableBufferPointer { a in
            values.withUnsafeMutableBufferPointer { w in
                LAPACKE_dsyevd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                               CLapackInt(n), a.baseAddress, CLapackInt(n), w.baseAddress)
            }
        } }
        if info != 0 { throw .lapack(routine: "dsyevd", info: Int(info)) }
        return (values, SquareMatrix(order: n, elements: work))
    }

    /// Eigenvalues of a symmetric tridiagonal matrix with the squared first components of its
    /// eigenvectors (`dstev`): the nodes and weights of the Gauss quadrature rule a Lanczos run
    /// defines (Golub & Welsch).
    ///
    /// - Complexity: O(k^2) for values, O(k^3) with the vectors `dstev` forms.
    public static func tridiagonal(diagonal: [Double], offDiagonal: [Double]) throws(LinearAlgebraError)
        -> (values: [Double], firstComponentsSquared: [Double])
    {
        let k = diagonal.count
        precondition(offDiagonal.count == max(0, k - 1), "tridiagonal: off-diagonal length")
        if k == 0 { return ([], []) }
        if !(diagonal + offDiagonal).allSatisfy(\.isFinite) { throw .nonFinite(routine: "dstev") }
        var d = diagonal, e = offDiagonal + [0]
        var z = [Double](repeating: 0, count: k * k)
        let info = d.withUnsafeMutableBufferPointer { dp in
            e.withUnsafeMutableBufferPointer { ep in
                z.withUnsafeMutableBufferPointer { zp in
                    LAPACKE_dstev(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CLapackInt(k), dp.baseAddress, ep.baseAddress,
                                  zp.baseAddress, CLapackInt(k))
                }
            }
        }
        if info != 0 { throw .lapack(routine: "dstev", info: Int(info)) }
        return (d, (0..<k).map { z[$0] * z[$0] })   // row 0 of the row-major eigenvector matrix
    }
}
