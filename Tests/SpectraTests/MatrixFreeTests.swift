import Foundation
import LinearAlgebra
import Spectra
import Testing
import _TestSupport

/// Probabilities and labels of a random classifier.
func probabilities(rows n: Int, classes c: Int, signal: Double, seed: UInt64) -> (p: [Double], labels: [Int]) {
    var (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: signal, seed: seed)
    z.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: n, columns: c, temperature: 1) }
    return (z, y)
}

/// Probes uniform on the unit sphere of the complement of the ones vector (where the structural
/// zero lives), from SplitMix64.
func sphereProbes(_ m: Int, dimension c: Int, seed: UInt64) -> [[Double]] {
    var rng = SplitMix64(seed: seed)
    return (0..<m).map { _ in
        var v = (0..<c).map { _ in rng.normal() }
        let mean = v.reduce(0, +) / Double(c)
        v = v.map { $0 - mean }
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return v.map { $0 / norm }
    }
}

@Suite struct MatrixFreeTests {
    /// H v without the matrix equals the dense H times v (labels and dense factors; H and Hhat).
    @Test func operatorMatchesDenseH() {
        let n = 300, c = 9
        let (p, y) = probabilities(rows: n, classes: c, signal: 1, seed: 4)
        let (t, _) = probabilities(rows: n, classes: c, signal: 2, seed: 5)
        var rng = SplitMix64(seed: 6)
        let v = (0..<c).map { _ in rng.normal() }
        for (op, dense) in [(CrossCovarianceOperator(.dense(p), .labels(y), rows: n, classes: c), denseH(p, oneHot(y, classes: c), rows: n, columns: c)),
                            (CrossCovarianceOperator(.dense(p), .dense(t), rows: n, classes: c), denseH(p, t, rows: n, columns: c))] {
            let fast = op.apply(v), slow = Products.symmetricTimes(dense, v)
            for k in 0..<c { #expect(abs(fast[k] - slow[k]) < 1e-13) }
            #expect(abs(op.trace - dense.trace) < 1e-13)
            // The block product: three vectors at once, column by column the same.
            let w = (0..<c).map { _ in rng.normal() }, u = (0..<c).map { _ in rng.normal() }
            let block = (0..<c).flatMap { [v[$0], w[$0], u[$0]] }
            let both = op.apply(block: block, width: 3)
            for (column, x) in [v, w, u].enumerated() {
                let single = op.apply(x)
                for k in 0..<c { #expect(abs(both[k * 3 + column] - single[k]) < 1e-14) }
            }
        }
    }

    /// With as many steps as the dimension, one probe's Gauss rule has the exact eigenvalues as
    /// nodes (those the probe sees), and its moments are the probe's quadratic forms.
    @Test func fullLanczosRecoversTheSpectrum() throws {
        let c = 12
        let (p, y) = probabilities(rows: 500, classes: c, signal: 1.5, seed: 8)
        let op = CrossCovarianceOperator(.dense(p), .labels(y), rows: 500, classes: c)
        let exact = try SymmetricEigen.eigenvalues(of: assemble(op)).filter { abs($0) > 1e-12 }
        let slq = try StochasticLanczos(probes: sphereProbes(1, dimension: c, seed: 1), steps: c, apply: op.apply)
        let nodes = slq.nodes[0].sorted()
        #expect(nodes.count == c - 1)   // the probe is orthogonal to the structural zero's vector
        for (a, b) in zip(nodes, exact) { #expect(abs(a - b) < 1e-12 * exact.map(abs).max()!) }
        #expect(abs(slq.weights[0].reduce(0, +) - 1) < 1e-12)
    }

    /// Against the exact spectrum at C = 300 (N = 3000): the W1 error is within the Chen-Trogdon-
    /// Ubaru budget for t = 0.1 and 0.2 (failure probability 0.01), the KS distance is small, and
    /// the mean eigenvalue is within 5%.
    @Test(.slow, arguments: [0.1, 0.2])
    func budgetHolds(tolerance: Double) throws {
        let n = 3000, c = 300
        let (p, y) = probabilities(rows: n, classes: c, signal: 2, seed: 12)
        let op = CrossCovarianceOperator(.dense(p), .labels(y), rows: n, classes: c)
        let exact = try SymmetricEigen.eigenvalues(of: assemble(op))
        let zero = exact.indices.min { abs(exact[$0]) < abs(exact[$1]) }!
        var bulk = exact
        bulk.remove(at: zero)
        let budget = StochasticLanczos.Budget(tolerance: tolerance, failure: 0.01, dimension: c - 1)
        let slq = try StochasticLanczos(probes: sphereProbes(budget.probes, dimension: c, seed: 3), steps: budget.steps) {
            op.apply(block: $0, width: $1)
        }
        let exactMeasure = DiscreteMeasure(eigenvalues: bulk), estimate = slq.measure
        let (w1, ks) = estimate.distances(to: exactMeasure)
        let range = bulk.max()! - bulk.min()!
        #expect(w1 <= tolerance * range, "W1 \(w1) vs budget \(tolerance * range)")
        #expect(ks < 0.15)
        #expect(abs(estimate.mean - exactMeasure.mean) < 0.05 * abs(exactMeasure.mean))
    }

    /// W1 and KS of a measure with itself are 0, and against a shifted copy W1 is the shift.
    @Test func distances() {
        let a = DiscreteMeasure(eigenvalues: [0, 1, 2, 5])
        #expect(a.distances(to: a).wasserstein1 == 0)
        let b = DiscreteMeasure(eigenvalues: [0.5, 1.5, 2.5, 5.5])
        #expect(abs(a.distances(to: b).wasserstein1 - 0.5) < 1e-15 && a.distances(to: b).kolmogorovSmirnov == 0.25)
    }
}

/// The dense H from C products with unit vectors (O(N C^2) through BLAS), for checks.
func assemble(_ op: CrossCovarianceOperator) -> SquareMatrix {
    var h = SquareMatrix(zeros: op.classes)
    for j in 0..<op.classes {
        var e = [Double](repeating: 0, count: op.classes)
        e[j] = 1
        let column = op.apply(e)
        for i in 0..<op.classes { h[i, j] = column[i] }
    }
    return h
}
