import CBLAS
import CLAPACKE

/// Cholesky factors of kernel Gram matrices (`dpotrf`), with the smallest diagonal jitter that
/// makes the factorisation succeed, reported rather than hidden.
public struct Cholesky: Sendable {
    /// Lower factor `L` (row-major, upper triangle zero) of `A + jitter I`.
    public let lower: SquareMatrix
    /// The jitter added to the diagonal: 0, or `10^k * 1e-12 * mean(diag A)` for the first
    /// `k` in 0...10 that succeeded.
    public let jitter: Double

    /// - Throws: `LinearAlgebraError.lapack(routine: "dpotrf", ...)` when even a jitter of
    ///   `1e-2 * mean(diag A)` leaves the matrix indefinite (it is not a Gram matrix).
    public init(_ a: SquareMatrix) throws(LinearAlgebraError) {
        let n = a.order
        if !a.elements.allSatisfy(\.isFinite) { throw .nonFinite(routine: "dpotrf") }
        let scale = n == 0 ? 1 : max((0..<n).map { a[$0, $0] }.reduce(0, +) / Double(n), .leastNormalMagnitude)
        var lastInfo: CLapackInt = 0
        for k in -1...10 {
            let jitter = k < 0 ? 0 : 1e-12 * scale * Double.pow10(k)
            var work = a.elements
            for i in 0..<n { work[i * n + i] += jitter }
            // One OpenBLAS thread: threaded dpotrf's last bits depend on the core count (and on
            // other threads' BLAS use), and the same inputs must give the same factor everywhere.
            lastInfo = BLASThreads.singleThreaded {
                work.withUnsafeMutableBufferPointer { p in
                    LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), CLapackInt(n), p.baseAddress, CLapackInt(n))
                }
            }
            if lastInfo == 0 {
                for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { work[i * n + j] = 0 } }
                lower = SquareMatrix(order: n, elements: work)
                self.jitter = jitter
                return
            }
            if lastInfo < 0 { break }
        }
        throw .lapack(routine: "dpotrf", info: Int(lastInfo))
    }

    /// `L^{-1} b` by forward substitution (`dtrsv`).
    public func forwardSolve(_ b: [Double]) -> [Double] {
        precondition(b.count == lower.order, "trsv: length does not match")
        var x = b
        if x.isEmpty { return x }
        lower.elements.withUnsafeBufferPointer { l in
            x.withUnsafeMutableBufferPointer { xp in
                cblas_dtrsv(CblasRowMajor, CblasLower, CblasNoTrans, CblasNonUnit, Int32(lower.order), l.baseAddress, Int32(lower.order),
                            xp.baseAddress, 1)
            }
        }
        return x
    }
}

extension Double {
    fileprivate static func pow10(_ k: Int) -> Double { (0..<k).reduce(1) { a, _ in a * 10 } }
}
