import Ensembles
import Foundation
import LinearAlgebra

/// Ji & Zhu's data inefficiency (NeurIPS 2020, Definition 1; docs/companions.md §3.2): how fast
/// the weight change a linearised wide student needs keeps growing with the number of samples,
///
///     I(n) = n [ln E||dw_{n+1}|| - ln E||dw_n||],     ||dw_n||^2 = dz_n^T Theta_n^{-1} dz_n,
///
/// with `Theta_n` the kernel Gram matrix of `n` samples and `dz_n` their target logits. A task
/// whose targets the kernel captures with few samples has `I(n) -> 0`; targets the kernel cannot
/// compress keep growing.
///
/// Computation: one Cholesky factor `L` of the Gram matrix of a random ordering of
/// `max(n + k)` pool points serves every `n` at once, since the leading `n x n` block of `L`
/// is the factor of `Theta_n`: with `y = L^{-1} dz`, `||dw_n||^2 = y_1^2 + ... + y_n^2`. The
/// expectation is a mean over seeded orderings; the standard error is the jackknife's over them.
public struct DataInefficiency: Sendable {
    public struct Point: Sendable, Equatable {
        public let samples: Int
        public let value: Double
        /// Jackknife standard error over the orderings (NaN with one ordering).
        public let standardError: Double
        /// `E||dw_n||` (mean over orderings).
        public let weightNorm: Double
    }

    public let points: [Point]
    /// The largest diagonal jitter any ordering's Cholesky needed, relative to the mean of the
    /// Gram diagonal (0 when none did).
    public let relativeJitter: Double
    public let orderings: Int

    /// The difference step of each point: `step(n) = 1` is the definition; a wider `k` estimates
    /// the same derivative `d ln E||dw_n|| / d ln n` as `(n / k) [ln E||dw_{n+k}|| - ln E||dw_n||]`,
    /// with far less noise (one added point rarely changes the norm, and then by a lot).
    public let steps: [Int]

    /// - Parameters:
    ///   - gram: the kernel on the whole pool (`P x P`).
    ///   - targets: the pool's target logits `dz` (length `P`).
    ///   - sizes: the `n` at which to report `I(n)`, ascending.
    ///   - stepFraction: `k = max(1, round(stepFraction n))`; 0 gives the definition's `k = 1`.
    /// - Precondition: `n + k < P` for the largest size.
    public init(gram: SquareMatrix, targets: [Double], sizes: [Int], stepFraction: Double = 0, orderings: Int = 20, seed: UInt64) throws {
        let pool = gram.order
        let steps = sizes.map { max(1, Int((stepFraction * Double($0)).rounded())) }
        precondition(targets.count == pool && !sizes.isEmpty && sizes.first! >= 1 && orderings >= 1 && stepFraction >= 0,
                     "data inefficiency: shapes do not match")
        let m = zip(sizes, steps).map { $0 + $1 }.max()!
        precondition(m <= pool, "data inefficiency: the pool is smaller than the largest size plus its step")
        let meanDiagonal = (0..<pool).map { gram[$0, $0] }.reduce(0, +) / Double(pool)
        var norms = [[Double]](repeating: [], count: orderings)      // [ordering][n - 1] = ||dw_n||
        var worstJitter = 0.0
        for s in 0..<orderings {
            var rng = Xoshiro256StarStar(seed: seed, stream: UInt64(s))
            let chosen = rng.sample(m, from: pool)
            var sub = SquareMatrix(zeros: m)
            for i in 0..<m { for j in 0..<m { sub.elements[i * m + j] = gram[chosen[i], chosen[j]] } }
            let prefix = try Self.weightNorms(gram: sub, targets: chosen.map { targets[$0] })
            worstJitter = max(worstJitter, prefix.jitter)
            norms[s] = prefix.norms
        }
        func statistic(_ n: Int, _ k: Int, leaving out: Int?) -> Double {
            var a = 0.0, b = 0.0
            for s in 0..<orderings where s != out { a += norms[s][n + k - 1]; b += norms[s][n - 1] }
            return Double(n) / Double(k) * (log(a) - log(b))
        }
        points = zip(sizes, steps).map { n, k in
            let full = statistic(n, k, leaving: nil)
            var se = Double.nan
            if orderings > 1 {
                let loo = (0..<orderings).map { statistic(n, k, leaving: $0) }
                let mean = loo.reduce(0, +) / Double(orderings)
                se = sqrt(Double(orderings - 1) / Double(orderings) * loo.map { ($0 - mean) * ($0 - mean) }.reduce(0, +))
            }
            let norm = (0..<orderings).map { norms[$0][n - 1] }.reduce(0, +) / Double(orderings)
            return Point(samples: n, value: full, standardError: se, weightNorm: norm)
        }
        relativeJitter = worstJitter / meanDiagonal
        self.steps = steps
        self.orderings = orderings
    }

    /// `||dw_n|| = sqrt(dz_n^T Theta_n^{-1} dz_n)` for every leading block `n = 1 ... P` of
    /// `gram`, from one Cholesky factor and one forward solve (plus the jitter it needed).
    public static func weightNorms(gram: SquareMatrix, targets: [Double]) throws -> (norms: [Double], jitter: Double) {
        let factor = try Cholesky(gram)
        var running = 0.0
        return (factor.forwardSolve(targets).map { running += $0 * $0; return sqrt(running) }, factor.jitter)
    }
}
