import Foundation

/// The terms of Menon et al.'s bias-variance bound on the distilled risk estimate (ICML 2021;
/// docs/teacher.md §4), measured where the Bayes posterior `p*` is known:
///
///     E[(R~(s; S) - R(s))^2]  <=  (1/N) V_x[p_t(x)^T l(s(x))]
///                                 + O(||E p_t(x) - p*(x)||_2^2 + V[p_t(x)]),
///
/// with `l_c(s(x)) = -ln s_c(x)` the student's per-class loss and `E`, `V` in the second term over
/// the randomness of the teacher (its training draw). From `S` teacher draws on the same samples:
///
/// * `squaredGap` `= E_x mean_s ||p_t^s(x) - p*(x)||^2`, which splits exactly into
/// * `biasSquared` `= E_x ||mean_s p_t^s(x) - p*(x)||^2` and
/// * `teacherVariance` `= E_x sum_c var_s p_t^s_c(x)` (population variance over the draws),
///
/// `squaredGap = biasSquared + teacherVariance`. A Bayes teacher gives 0 for all three. With
/// a student, `teacherTargetVariance` is `V_x[p_t^T l]` (first draw), `bayesTargetVariance` the
/// same with `p*`, and `labelNoise` `E_x[Var_{y ~ p*}(l_y)]`: by the law of total variance the
/// one-hot risk's variance is `bayesTargetVariance + labelNoise` when labels are drawn from `p*`.
public struct BayesGap: Sendable {
    public let draws: Int
    public let squaredGap: Double
    public let biasSquared: Double
    public let teacherVariance: Double
    /// `E_x ||p_t(x) - p*(x)||_2` of the first draw, with its standard error over samples.
    public let meanGap: Double
    public let meanGapStandardError: Double
    public let teacherTargetVariance: Double?
    public let bayesTargetVariance: Double?
    public let labelNoise: Double?

    /// - Parameters: `teachers` (one or more draws), `bayes` and `student` probabilities, each
    ///   `N x C` row-major.
    public init(teachers: [[Double]], bayes: [Double], student: [Double]? = nil, classes c: Int) {
        precondition(!teachers.isEmpty && teachers.allSatisfy { $0.count == bayes.count } && bayes.count % c == 0 && bayes.count >= 2 * c,
                     "shapes do not match")
        precondition(student.map { $0.count == bayes.count } ?? true, "student shape does not match")
        let n = bayes.count / c, s = Double(teachers.count)
        var gap = 0.0, bias = 0.0, spread = 0.0
        var norms = [Double](repeating: 0, count: n)
        for r in 0..<n {
            for j in 0..<c {
                let k = r * c + j
                var mean = 0.0, squares = 0.0
                for t in teachers { let d = t[k] - bayes[k]; mean += d; squares += d * d }
                mean /= s
                gap += squares / s
                bias += mean * mean
                spread += squares / s - mean * mean
                let d0 = teachers[0][k] - bayes[k]
                norms[r] += d0 * d0
            }
            norms[r] = norms[r].squareRoot()
        }
        draws = teachers.count
        squaredGap = gap / Double(n); biasSquared = bias / Double(n); teacherVariance = max(0, spread / Double(n))
        let (m, v) = sampleMeanVariance(norms)
        meanGap = m
        meanGapStandardError = (v / Double(n)).squareRoot()
        guard let student else { teacherTargetVariance = nil; bayesTargetVariance = nil; labelNoise = nil; return }
        let teacher = teachers[0]
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
        teacherTargetVariance = sampleMeanVariance(soft).1
        bayesTargetVariance = sampleMeanVariance(bayesRisk).1
        labelNoise = noise / Double(n)
    }
}
