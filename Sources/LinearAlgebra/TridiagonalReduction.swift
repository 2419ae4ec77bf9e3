import CLAPACKE

/// A symmetric matrix reduced once to tridiagonal form `A = Q T Q^T` (`dsytrd`), from which all
/// eigenvalues (`dsterf`, what `dsyevd` without vectors does, to the same bits) and any chosen
/// eigenvectors (`dstemr` on `T`, then `dormtr` applies `Q`) are taken: a spectrum with a few
/// eigenvectors costs one O(n^3) reduction instead of two.
///
/// One BLAS thread, as for `SymmetricEigen`: the same bits on any machine size.
public struct TridiagonalReduction: Sendable {
    public let order: Int
    /// `dsytrd`'s output: the Householder vectors below the diagonal (column-major 'L').
    let reflectors: [Double]
    let tau: [Double]
    let diagonal: [Double]
    let offDiagonal: [Double]

    /// - Throws: `LinearAlgebraError` when the matrix is not finite or LAPACK fails.
    public init(of matrix: SquareMatrix) throws(LinearAlgebraError) {
        let n = matrix.order
        order = n
        if !matrix.elements.allSatisfy({ $0.isFinite }) { throw .nonFinite(routine: "dsytrd") }
        var a = matrix.elements
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: max(n, 1)), t = [Double](repeating: 0, count: max(n, 1))
        if n > 0 {
            // Column-major with 'L' reads the row-major upper triangle, as SymmetricEigen does.
            let info = BLASThreads.singleThreaded {
                LAPACKE_dsytrd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CLapackInt(n), &a, CLapackInt(n), &d, &e, &t)
            }
            if info != 0 { throw .lapack(routine: "dsytrd", info: Int(info)) }
        }
        reflectors = a; tau = t; diagonal = d; offDiagonal = e
    }

    /// All eigenvalues, ascending.
    public func eigenvalues() throws(LinearAlgebraError) -> [Double] {
        if order == 0 { return [] }
        var d = diagonal, e = offDiagonal
        let info = LAPACKE_dsterf(CLapackInt(order), &d, &e)
        if info != 0 { throw .lapack(routine: "dsterf", info: Int(info)) }
        return d
    }

    /// The unit eigenvectors of the eigenvalues with ascending indices `indices` (0-based),
    /// one array per index, with their eigenvalues.
    public func eigenpairs(_ indices: Range<Int>) throws(LinearAlgebraError) -> (values: [Double], vectors: [[Double]]) {
        let n = order
        precondition(indices.lowerBound >= 0 && indices.upperBound <= n, "indices outside the spectrum")
        if indices.isEmpty { return ([], []) }
        let k = indices.count
        var d = diagonal, e = offDiagonal + [0]
        var w = [Double](repeating: 0, count: n), z = [Double](repeating: 0, count: n * k)
        var support = [CLapackInt](repeating: 0, count: 2 * k)
        var found: CLapackInt = 0
        var tryRelative: CLapackInt = 1
        var info = LAPACKE_dstemr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "I")), CLapackInt(n), &d, &e, 0, 0,
                                  CLapackInt(indices.lowerBound + 1), CLapackInt(indices.upperBound), &found, &w, &z, CLapackInt(n),
                                  CLapackInt(k), &support, &tryRelative)
        if info != 0 || Int(found) != k { throw .lapack(routine: "dstemr", info: Int(info)) }
        var a = reflectors
        info = BLASThreads.singleThreaded {
            LAPACKE_dormtr(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "N")),
                           CLapackInt(n), CLapackInt(k), &a, CLapackInt(n), tau, &z, CLapackInt(n))
        }
        if info != 0 { throw .lapack(routine: "dormtr", info: Int(info)) }
        return (Array(w.prefix(k)), (0..<k).map { Array(z[$0 * n ..< ($0 + 1) * n]) })
    }
}
