import Laws

/// The method-of-moments fit of docs/theory.md §2.5: with `m1` the mean and `m2` the variance of the
/// eigenvalues, `s2 c = m1` and `s2^2 = 2 m2 / q - m1^2`; with `q` free the third central moment
/// `m3 = q^2 (a^3 - b^3)` adds the equation `m1^3 q^2 - 3 m1 m2 q + 2 m3 = 0`.
public enum MomentFit {
    /// The fitted parameters, or the reason there are none (the data are not GMP-like).
    public enum Outcome: Equatable, Sendable {
        case fitted(q: Double, scale: Double, correlation: Double)
        case notGMPLike(reason: String)
    }

    public static func fit(_ values: [Double], q knownQ: Double?) -> Outcome {
        let n = Double(values.count)
        let m1 = values.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0
        for x in values { let d = x - m1; m2 += d * d; m3 += d * d * d }
        return fit(mean: m1, variance: m2 / n, thirdCentral: m3 / n, q: knownQ)
    }

    /// The same from the moments alone (e.g. of a matrix-free SLQ estimate of the spectrum).
    public static func fit(mean m1: Double, variance m2: Double, thirdCentral m3: Double, q knownQ: Double?) -> Outcome {
        var q = knownQ ?? 0
        if knownQ == nil {
            // m1^3 q^2 - 3 m1 m2 q + 2 m3 = 0; with m1 = 0 the moments cannot identify q.
            guard abs(m1) > 1e-12 * m2.squareRoot() else {
                return .notGMPLike(reason: "mean eigenvalue is 0, so the moments cannot determine q; give q")
            }
            let a = m1 * m1 * m1, b = -3 * m1 * m2, c = 2 * m3
            let disc = b * b - 4 * a * c
            guard disc >= 0 else { return .notGMPLike(reason: "the third-moment equation for q has no real root") }
            let roots = [(-b - disc.squareRoot()) / (2 * a), (-b + disc.squareRoot()) / (2 * a)].filter { $0 > 0 }
            // Prefer the root that gives a valid correlation.
            guard let best = roots.first(where: { root in
                let s2sq = 2 * m2 / root - m1 * m1
                return s2sq > 0 && abs(m1) <= s2sq.squareRoot()
            }) else { return .notGMPLike(reason: "no positive q reproduces the first three moments") }
            q = best
        }
        let s2Squared = 2 * m2 / q - m1 * m1
        guard s2Squared > 0 else {
            return .notGMPLike(reason: "moment discriminant 2 m2/q - m1^2 = \(s2Squared) <= 0: the spread is too small for the mean at this q")
        }
        let s2 = s2Squared.squareRoot()
        let c = m1 / s2
        guard abs(c) <= 1 + 1e-12 else { return .notGMPLike(reason: "fitted correlation \(c) lies outside [-1, 1]") }
        return .fitted(q: q, scale: s2, correlation: max(-1, min(1, c)))
    }
}
