import Foundation
import LinearAlgebra
import Testing
import _TestSupport

@Suite struct LinearAlgebraTests {
    /// tridiag(-1, 2, -1) of order n has eigenvalues 2 - 2 cos(k pi / (n + 1)), k = 1..n.
    @Test(arguments: [1, 2, 7, 64, 301])
    func tridiagonalEigenvaluesMatchClosedForm(n: Int) throws {
        var a = SquareMatrix(zeros: n)
        for i in 0..<n {
            a[i, i] = 2
            if i + 1 < n { a[i, i + 1] = -1; a[i + 1, i] = -1 }
        }
        let expected = (1...n).map { 2 - 2 * cos(Double($0) * .pi / Double(n + 1)) }.sorted()
        #expect(maxRelativeDifference(try SymmetricEigen.eigenvalues(of: a), expected) < 1e-13)
    }

    @Test func decompositionReconstructsTheMatrix() throws {
        var rng = SplitMix64(seed: 7)
        let n = 30
        var a = SquareMatrix(zeros: n)
        for i in 0..<n { for j in i..<n { let v = rng.normal(); a[i, j] = v; a[j, i] = v } }
        let (values, vectors) = try SymmetricEigen.decomposition(of: a)
        var worst = 0.0
        for i in 0..<n {
            for j in 0..<n {
                var s = 0.0
                for k in 0..<n { s += vectors[i, k] * values[k] * vectors[j, k] }
                worst = max(worst, abs(s - a[i, j]))
            }
        }
        #expect(worst < 1e-12)
    }

    @Test func nonFiniteInputIsRefused() {
        var a = SquareMatrix(zeros: 3)
        a[1, 1] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(routine: "dsyevd")) { try SymmetricEigen.eigenvalues(of: a) }
    }

    /// syr2k and gemm against the naive triple loop, on shapes that are not multiples of anything.
    @Test(arguments: [(1, 1), (5, 3), (37, 11), (200, 64)])
    func productsMatchNaiveSums(rows: Int, columns: Int) {
        var rng = SplitMix64(seed: UInt64(rows * 1000 + columns))
        let a = (0..<(rows * columns)).map { _ in rng.normal() }
        let b = (0..<(rows * columns)).map { _ in rng.normal() }
        var naive = SquareMatrix(zeros: columns)
        for i in 0..<columns {
            for j in 0..<columns {
                var s = 0.0
                for r in 0..<rows { s += a[r * columns + i] * b[r * columns + j] }
                naive[i, j] = s
            }
        }
        var gemm = SquareMatrix(zeros: columns)
        var syr2k = SquareMatrix(zeros: columns)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                Products.transposeTimes(ap, bp, rows: rows, columns: columns, into: &gemm)
                Products.symmetricRank2k(ap, bp, rows: rows, columns: columns, into: &syr2k)
            }
        }
        syr2k.mirrorUpperToLower()
        let scale = naive.elements.map(abs).max()!
        #expect(maxRelativeDifference(gemm.elements, naive.elements, scale: scale) < 1e-13)
        var symmetric = naive
        for i in 0..<columns { for j in 0..<columns { symmetric[i, j] = naive[i, j] + naive[j, i] } }
        #expect(maxRelativeDifference(syr2k.elements, symmetric.elements, scale: 2 * scale) < 1e-13)
        var sums = [Double](repeating: 1, count: columns)
        a.withUnsafeBufferPointer { Products.addColumnSums($0, rows: rows, columns: columns, into: &sums) }
        for j in 0..<columns {
            let expected = 1 + (0..<rows).reduce(0.0) { $0 + a[$1 * columns + j] }
            #expect(abs(sums[j] - expected) < 1e-12 * Double(rows))
        }
    }
}
