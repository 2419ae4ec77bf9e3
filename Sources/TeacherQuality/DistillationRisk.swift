import Foundation

/// A student's per-sample empirical risk with one-hot targets and with the teacher's
/// probabilities as targets (Menon et al. 2021, §3):
///
///     hard(n) = -ln s_n[y_n],        soft(n) = -sum_c t_n[c] ln s_n[c].
///
/// When the teacher is the Bayes posterior `p*(y|x)`, `soft(n) = E[hard(n) | x_n]`, so by the
/// law of total variance `Var(soft) <= Var(hard)`: distilling from the Bayes teacher estimates the
/// same risk with less variance. On data, both variances and the reduction
/// `1 - Var(soft)/Var(hard)` are reported; a teacher far from p* can make it negative.
public struct DistillationRisk: Sendable {
    public let hardMean: Double
    public let hardVariance: Double
    public let softMean: Double
    public let softVariance: Double
    public var varianceReduction: Double { 1 - softVariance / hardVariance }

    /// - Parameters: `student` and `teacher` probabilities `N x C` row-major, `labels` N indices.
    public init(student: [Double], teacher: [Double], labels: [Int], classes c: Int) {
        precondition(student.count == teacher.count && labels.count * c == student.count && labels.count >= 2, "shapes do not match")
        let n = labels.count
        var hard = [Double](repeating: 0, count: n), soft = hard
        for r in 0..<n {
            hard[r] = -log(max(student[r * c + labels[r]], 1e-300))
            var s = 0.0
            for j in 0..<c where teacher[r * c + j] > 0 { s -= teacher[r * c + j] * log(max(student[r * c + j], 1e-300)) }
            soft[r] = s
        }
        (hardMean, hardVariance) = sampleMeanVariance(hard)
        (softMean, softVariance) = sampleMeanVariance(soft)
    }
}
