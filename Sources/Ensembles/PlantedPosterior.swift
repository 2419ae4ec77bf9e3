import Foundation

/// A planted task with a known Bayes posterior (docs/teacher.md §4): each sample's class
/// posterior is `p*(x) = softmax(sharpness g)`, `g ~ N(0, I_C)`, and its label is drawn from
/// it, so `p*` is exactly the Bayes teacher and any other teacher can be measured against it.
public struct PlantedPosterior: Sendable {
    /// `rows x classes`, row-major.
    public let posterior: [Double]
    public let labels: [Int]
    public let classes: Int

    public init(rows: Int, classes c: Int, sharpness: Double, seed: UInt64) {
        precondition(rows >= 1 && c >= 2 && sharpness >= 0, "planted posterior: bad settings")
        var rng = Xoshiro256StarStar(seed: seed, stream: 0xBA7E5)
        var p = [Double](repeating: 0, count: rows * c)
        var y = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            var total = 0.0
            for j in 0..<c { let v = exp(sharpness * rng.normal()); p[r * c + j] = v; total += v }
            for j in 0..<c { p[r * c + j] /= total }
            var u = rng.uniform(), k = 0
            while k < c - 1 && u >= p[r * c + k] { u -= p[r * c + k]; k += 1 }
            y[r] = k
        }
        posterior = p; labels = y; classes = c
    }

    /// The posterior tempered, `p_T ∝ p*^(1/T)`: a teacher calibrated only at `T = 1`.
    public func tempered(_ t: Double) -> [Double] {
        var q = posterior
        for r in 0..<(q.count / classes) {
            var total = 0.0
            for j in 0..<classes { q[r * classes + j] = pow(q[r * classes + j], 1 / t); total += q[r * classes + j] }
            for j in 0..<classes { q[r * classes + j] /= total }
        }
        return q
    }
}
