import LinearAlgebra
import NumericSupport

/// Poisson-Dirichlet `PD(alpha, theta)` by stick-breaking (docs/theory.md §3): `V_k ~ Beta(1 - alpha,
/// theta + k alpha)`, `w_k = V_k prod_{j<k} (1 - V_j)`, ranked decreasingly. Checks (EnsemblesTests):
/// `E sum w_k^2 = (1 - alpha)/(1 + theta)`, and the first stick (a size-biased pick) is
/// `Beta(1 - alpha, theta + alpha)`.
public struct PoissonDirichlet: Sendable {
    public let alpha: Double
    public let theta: Double

    /// - Precondition: `0 <= alpha < 1`, `theta > -alpha`.
    public init(alpha: Double, theta: Double) {
        precondition(alpha >= 0 && alpha < 1, "PD needs 0 <= alpha < 1, got \(alpha)")
        precondition(theta > -alpha, "PD needs theta > -alpha, got theta = \(theta)")
        self.alpha = alpha
        self.theta = theta
    }

    /// One draw: at most `atoms` weights, ranked decreasingly, stopping early once the unbroken
    /// mass falls below `tolerance`.
    /// - Returns: the weights and the truncated (unallocated) mass.
    public func sample(atoms: Int, tolerance: Double = 1e-12, using rng: inout Xoshiro256StarStar) -> (weights: [Double], truncatedMass: Double) {
        var weights: [Double] = []
        weights.reserveCapacity(min(atoms, 1024))
        var remaining = 1.0
        var k = 1
        while weights.count < atoms && remaining >= tolerance {
            let v = rng.beta(1 - alpha, theta + Double(k) * alpha)
            weights.append(remaining * v)
            remaining *= 1 - v
            k += 1
        }
        return (weights.sorted(by: >), remaining)
    }

    /// `count` independent draws as the rows of a `count x atoms` matrix (zero-padded), row `r`
    /// from stream `(seed, r)`, in parallel: the same seed gives the same bits on any thread count.
    /// - Returns: the weights row-major, each row's truncated mass, and the mean sum of squares
    ///   (whose expectation is `expectedSumOfSquares`).
    public func sampleRows(count: Int, atoms m: Int, tolerance: Double = 1e-12, seed: UInt64)
        -> (weights: [Double], truncatedMass: [Double], meanSumOfSquares: Double) {
        var values = [Double](repeating: 0, count: count * m)
        var truncated = [Double](repeating: 0, count: count)
        var squares = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { v in
            truncated.withUnsafeMutableBufferPointer { t in
                squares.withUnsafeMutableBufferPointer { q in
                    let vb = v.baseAddress!, tb = t.baseAddress!, qb = q.baseAddress!
                    ParallelRows.forEachBlock(rows: count, blockSize: 1) { row, _ in
                        var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(row))
                        let (w, rest) = sample(atoms: m, tolerance: tolerance, using: &rng)
                        for (k, x) in w.enumerated() { vb[row * m + k] = x }
                        tb[row] = rest
                        qb[row] = w.reduce(0) { $0 + $1 * $1 }
                    }
                }
            }
        }
        // Summed in row order, so the mean does not depend on the threads either.
        return (values, truncated, squares.reduce(0, +) / Double(max(count, 1)))
    }

    /// The first stick `V_1`: a size-biased pick from the ranked weights, `Beta(1 - alpha, theta + alpha)`.
    public func firstStick(using rng: inout Xoshiro256StarStar) -> Double { rng.beta(1 - alpha, theta + alpha) }

    /// `E sum_k w_k^2 = (1 - alpha)/(1 + theta)`.
    public var expectedSumOfSquares: Double { (1 - alpha) / (1 + theta) }
}
