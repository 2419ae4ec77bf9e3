import Foundation

/// The two terms of Menon et al.'s bias-variance bound on the distilled risk estimate
/// (ICML 2021, Proposition 3; docs/teacher.md §3), measured where the Bayes posterior `p*` is
/// known:
///
///     E[(R_hat(s; p_t) - R(s))^2]  <=  (1/N) V_x[p_t(x)^T l(s(x))]  +  O((E_x ||p_t(x) - p*(x)||_2)^2),
///
/// with `l_c(s(x)) = -ln s_c(x)` the student's per-class loss. `bias` is `E_x ||p_t - p*||_2`
/// (0 exactly for the Bayes teacher). With a student, `teacherVariance` is `V_x[p_t^T l]`,
/// `bayesVariance` the same with `p*`, and `labelNoise` `E_x[Var_{y ~ p*}(l_y)]`: by the law of
/// total variance the one-hot risk's variance is `bayesVariance + labelNoise` when labels are
/// drawn from `p*`, the identity the tests check by Monte Carlo.
public struct BayesGap: Sendable {
    public let bias: Double
    public let biasStandardError: Double
    public let teacherVariance: Double?
    public let bayesVariance: Double?
    public let labelNoise: Double?

    /// - Parameters: `teacher`, `bayes` and `student` probabilities, `N x C` row-major.
    public init(teacher: [Double], bayes: [Double], student: [Double]? = nil, classes c: Int) {
        precondition(teacher.count == bayes.count && teacher.count % c == 0 && teacher.count >= 2 * c, "shapes do not match")
        precondition(student.map { $0.count == teacher.count } ?? true, "student shape does not match")
        let n = teacher.count / c
        var gaps = [Double](repeating: 0, count: n)
        for r in 0..<n {
            var s = 0.0
            for j in 0..<c { let d = teacher[r * c + j] - bayes[r * c + j]; s += d * d }
            gaps[r] = s.squareRoot()
        }
        let (m, v) = Self.meanVariance(gaps)
        bias = m
        biasStandardError = (v / Double(n)).squareRoot()
        guard let student else { teacherVariance = nil; bayesVariance = nil; labelNoise = nil; return }
        var soft = [Double](repeating: 0, count: n), bayesRisk = soft, noise = 0.0
        for r in 0..<n {
            var a = 0.0, b = 0.0, b2 = 0.0
            for j in 0..<c {
                let loss = -log(max(student[r * c + j], 1e-300))
                a += teacher[r * c + j] * loss
                b += bayes[r * c + j] * loss
                b2 += bayes[r * c + j] * loss * loss
            }
            soft[r] = a; bayesRisk[r] = b
            noise += b2 - b * b
        }
        teacherVariance = Self.meanVariance(soft).1
        bayesVariance = Self.meanVariance(bayesRisk).1
        labelNoise = noise / Double(n)
    }

    static func meanVariance(_ v: [Double]) -> (Double, Double) {
        let m = v.reduce(0, +) / Double(v.count)
        return (m, v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1))
    }
}
