import LinearAlgebra
import Testing
import _TestSupport

/// One reduction serves the values (the bits of `dsyevd`) and any chosen eigenpairs.
@Suite struct TridiagonalReductionTests {
    static func randomSymmetric(_ n: Int, seed: UInt64) -> SquareMatrix {
        var rng = SplitMix64(seed: seed)
        var a = SquareMatrix(zeros: n)
        for i in 0..<n { for j in i..<n { let v = Double.random(in: -1...1, using: &rng); a[i, j] = v; a[j, i] = v } }
        return a
    }

    @Test(arguments: [1, 2, 7, 64, 257])
    func valuesAreDsyevdsAndPairsAreEigenpairs(n: Int) throws {
        let a = Self.randomSymmetric(n, seed: UInt64(n))
        let reduction = try TridiagonalReduction(of: a)
        let values = try reduction.eigenvalues()
        #expect(values == (try SymmetricEigen.eigenvalues(of: a)))
        let norm = values.map(abs).max()!
        for run in [0 ..< min(3, n), max(0, n - 4) ..< n, n / 2 ..< n / 2 + 1] where !run.isEmpty {
            let (λ, vectors) = try reduction.eigenpairs(run)
            for (offset, x) in vectors.enumerated() {
                #expect(abs(λ[offset] - values[run.lowerBound + offset]) <= 1e-12 * norm)
                let ax = Products.symmetricTimes(a, x)
                let residual = zip(ax, x).map { abs($0 - λ[offset] * $1) }.max()!
                #expect(residual <= 1e-11 * norm, "n = \(n), index \(run.lowerBound + offset)")
                #expect(abs(x.reduce(0) { $0 + $1 * $1 } - 1) < 1e-12)
            }
        }
    }
}
