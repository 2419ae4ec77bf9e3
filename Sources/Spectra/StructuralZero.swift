import Foundation
import LinearAlgebra

/// The spectrum of a matrix `H` with `H 1 = 0` (docs/theory.md §1.3), with the structural zero
/// separated exactly instead of guessed.
///
/// A Householder reflection `R` maps `1/sqrt(C)` to `-e_1`. Then `R H R` has first row and
/// column `(1^T H 1 / C, leak)` with `leak = |(R H 1)_{2..C}| / sqrt(C)`, zero in exact
/// arithmetic, and its trailing `(C-1) x (C-1)` block carries the `C - 1` eigenvalues of the
/// random bulk. The structural zero is `1^T H 1 / C` (about 1e-18 in practice), and the bulk
/// eigenvalues come from LAPACK on the block, so a bulk eigenvalue near 0 (as for `q > 2`,
/// docs/theory.md §2.3) can never be mistaken for the structural one.
public struct StructuralSpectrum: Sendable {
    /// All `C` eigenvalues, ascending: the bulk with the structural zero inserted in order.
    public let eigenvalues: [Double]
    /// `1^T H 1 / C`: the eigenvalue of the constant vector.
    public let structuralZero: Double
    /// Norm of the coupling between the constant vector and the rest (0 when `H 1 = 0` exactly).
    public let structuralLeak: Double
    /// The `C - 1` bulk eigenvalues, ascending.
    public let bulk: [Double]
    /// The bulk block reduced to tridiagonal form, kept so eigenvectors cost no second reduction.
    let reduction: TridiagonalReduction?
    /// The reflection's unit vector `v` (`R = I - 2 v v^T`).
    let reflection: [Double]
    /// Where the structural zero sits in `eigenvalues`.
    let zeroIndex: Int

    /// - Complexity: O(C^2) for the reflection plus one tridiagonal reduction of order `C - 1`
    ///   and `dsterf` (the bits `dsyevd` without vectors gives).
    /// - Throws: `LinearAlgebraError` when LAPACK fails or `h` is not finite.
    public init(of h: SquareMatrix) throws(LinearAlgebraError) {
        let c = h.order
        precondition(c >= 1, "empty matrix")
        if c == 1 {
            eigenvalues = [h[0, 0]]; structuralZero = h[0, 0]; structuralLeak = 0; bulk = []
            reduction = nil; reflection = [1]; zeroIndex = 0
            return
        }
        // v = (e + e1) / |e + e1| with e = 1/sqrt(C); R = I - 2 v v^T.
        let e = 1 / Double(c).squareRoot()
        var v = [Double](repeating: e, count: c)
        v[0] += 1
        let norm = (2 + 2 * e).squareRoot()
        for i in 0..<c { v[i] /= norm }
        // R H R = H - 2 (v w^T + w v^T), w = H v - (v^T H v) v.
        // One BLAS thread: O(C^2) work gains nothing from more, and waking OpenBLAS's pool leaves
        // its threads spinning (sched_yield) for about 0.1 s against the solvers and fits after.
        var reflected = h
        BLASThreads.singleThreaded {
            let u = Products.symmetricTimes(h, v)
            var s = 0.0
            for i in 0..<c { s += v[i] * u[i] }
            let w = (0..<c).map { u[$0] - s * v[$0] }
            Products.symmetricRank2Update(x: v, y: w, alpha: -2, into: &reflected)
        }
        let zero = reflected[0, 0]
        structuralZero = zero
        var leak = 0.0
        for j in 1..<c { leak += reflected[0, j] * reflected[0, j] }
        structuralLeak = leak.squareRoot()
        var block = SquareMatrix(zeros: c - 1)
        reflected.elements.withUnsafeBufferPointer { r in block.elements.withUnsafeMutableBufferPointer { b in
            for i in 1..<c {
                (b.baseAddress! + (i - 1) * (c - 1)).update(from: r.baseAddress! + i * c + 1, count: c - 1)
            }
        } }
        let reduced = try TridiagonalReduction(of: block)
        let values = try reduced.eigenvalues()
        reduction = reduced
        reflection = v
        bulk = values
        var all = values
        let position = all.firstIndex { $0 > zero } ?? all.count
        all.insert(zero, at: position)
        eigenvalues = all
        zeroIndex = position
    }

    /// Unit eigenvectors of `H` for the eigenvalues `eigenvalues[i]`, `i` in `indices`, in that
    /// order: a bulk vector `u` of the reflected block is `R (0, u)`; the structural zero's is the
    /// constant vector. One `dstemr` per contiguous run of bulk indices, no second reduction.
    public func eigenvectors(_ indices: [Int]) throws(LinearAlgebraError) -> [(value: Double, vector: [Double])] {
        let c = eigenvalues.count
        var bulkVectors: [Int: (Double, [Double])] = [:]
        let wanted = Set(indices.filter { $0 != zeroIndex }.map { $0 > zeroIndex ? $0 - 1 : $0 }).sorted()
        var runStart: Int?
        for (i, k) in wanted.enumerated() {
            if runStart == nil { runStart = k }
            if i + 1 == wanted.count || wanted[i + 1] != k + 1 {
                let run = runStart! ..< k + 1
                let (values, vectors) = try reduction!.eigenpairs(run)
                for (offset, index) in run.enumerated() {
                    // x = R (0, u) = (0, u) - 2 v (v_{2..C} . u).
                    let u = vectors[offset]
                    var dot = 0.0
                    for j in 0..<(c - 1) { dot += reflection[j + 1] * u[j] }
                    var x = [Double](repeating: 0, count: c)
                    for j in 0..<c { x[j] = (j == 0 ? 0 : u[j - 1]) - 2 * reflection[j] * dot }
                    bulkVectors[index] = (values[offset], x)
                }
                runStart = nil
            }
        }
        return indices.map { i in
            if i == zeroIndex { return (structuralZero, [Double](repeating: 1 / Double(c).squareRoot(), count: c)) }
            let pair = bulkVectors[i > zeroIndex ? i - 1 : i]!
            return (pair.0, pair.1)
        }
    }
}
