import Foundation
import Ensembles
import TeacherQuality
import Testing
import _TestSupport

/// A random probability row (softmax of `spread` x normal logits) and a label drawn from it.
func drawRow(_ rng: inout SplitMix64, classes c: Int, spread: Double) -> (row: [Double], label: Int) {
    var row = (0..<c).map { _ in exp(spread * rng.normal()) }
    let total = row.reduce(0, +)
    row = row.map { $0 / total }
    var u = rng.uniform(), k = 0
    while k < c - 1 && u >= row[k] { u -= row[k]; k += 1 }
    return (row, k)
}

@Suite struct TeacherQualityTests {
    /// Every statistic on a hand-made table, computed by hand.
    @Test func handComputed() {
        // Three samples, three classes.
        let p = [0.7, 0.2, 0.1,   0.3, 0.3, 0.4,   0.5, 0.5, 0.0]
        let y = [0, 1, 1]
        let r = TeacherQualityReport(probabilities: p, labels: y, classes: 3, binCount: 2)
        // Argmax: row 0 right, row 1 wrong (top is class 2), row 2 a tie of 0 and 1, half right.
        #expect(abs(r.accuracy - 1.5 / 3) < 1e-15)
        #expect(abs(r.logLoss - (-log(0.7) - log(0.3) - log(0.5)) / 3) < 1e-15)
        let brier = (0.09 + 0.04 + 0.01) + (0.09 + 0.49 + 0.16) + (0.25 + 0.25 + 0)
        #expect(abs(r.brier - brier / 3) < 1e-15)
        let h = { (row: [Double]) in -row.filter { $0 > 0 }.map { $0 * log($0) }.reduce(0, +) }
        #expect(abs(r.entropy - (h([0.7, 0.2, 0.1]) + h([0.3, 0.3, 0.4]) + h([0.5, 0.5])) / 3) < 1e-15)
        // Two equal-width bins: [0, 0.5) holds row 1 (conf 0.4, acc 0); [0.5, 1] rows 0 and 2
        // (conf 0.6, acc 0.75). ECE = 1/3 * 0.4 + 2/3 * 0.15.
        #expect(r.bins.map(\.count) == [1, 2])
        #expect(abs(r.ece - (0.4 / 3 + 2 * 0.15 / 3)) < 1e-15)
        #expect(r.zeroProbabilityLabels == 0)
    }

    /// A perfectly calibrated teacher has ECE near 0 (Monte Carlo: labels drawn from its own
    /// probabilities), and a confident wrong one an ECE near its confidence.
    @Test func calibration() {
        var rng = SplitMix64(seed: 5)
        let n = 20000, c = 4
        var p = [Double](), y = [Int]()
        for _ in 0..<n {
            let (row, k) = drawRow(&rng, classes: c, spread: 1.5)
            p += row
            y.append(k)
        }
        let r = TeacherQualityReport(probabilities: p, labels: y, classes: c)
        #expect(r.ece < 0.02 && r.eceEqualMass < 0.02, "ECE \(r.ece), equal mass \(r.eceEqualMass)")
        // Always 0.9 on class 0, always wrong.
        let wrong = TeacherQualityReport(probabilities: Array(repeating: [0.9, 0.05, 0.05], count: 100).flatMap { $0 },
                                         labels: Array(repeating: 1, count: 100), classes: 3)
        #expect(abs(wrong.ece - 0.9) < 1e-12 && wrong.accuracy == 0)
    }

    /// Menon et al.'s identity: with the Bayes posterior as teacher, the soft risk is the
    /// conditional mean of the hard risk, so its variance is smaller, here by a wide margin, and
    /// the two means agree within Monte Carlo error.
    @Test func bayesTeacherLowersVariance() {
        var rng = SplitMix64(seed: 9)
        let n = 20000, c = 5
        var posterior = [Double](), student = [Double](), y = [Int]()
        for _ in 0..<n {
            let (row, k) = drawRow(&rng, classes: c, spread: 1)
            posterior += row
            var s = row.map { $0 * exp(0.3 * rng.normal()) }
            let st = s.reduce(0, +)
            student += s.map { $0 / st }
            y.append(k)
        }
        let r = DistillationRisk(student: student, teacher: posterior, labels: y, classes: c)
        #expect(r.softVariance < r.hardVariance && r.varianceReduction > 0.5, "reduction \(r.varianceReduction)")
        #expect(abs(r.softMean - r.hardMean) < 4 * (r.hardVariance / Double(n)).squareRoot())
    }
}

@Suite struct BayesGapTests {
    /// On a planted task with a known posterior: the Bayes teacher has zero bias exactly; the
    /// one-hot risk's variance is the Bayes-target variance plus the label noise (law of total
    /// variance, to Monte Carlo precision, over sharpness and class counts); tempering the
    /// teacher away from T = 1 raises the bias on both sides.
    @Test(.slow, arguments: [(3, 0.5), (10, 1.5), (50, 3.0)])
    func plantedPosterior(classes: Int, sharpness: Double) {
        let task = PlantedPosterior(rows: 60_000, classes: classes, sharpness: sharpness, seed: UInt64(classes))
        let student = PlantedPosterior(rows: 60_000, classes: classes, sharpness: sharpness, seed: 999).tempered(2)
        // A student correlated with p*: the Bayes posterior tempered, mixed with an unrelated row.
        let s = zip(task.tempered(1.5), student).map { 0.7 * $0 + 0.3 * $1 }
        let bayes = BayesGap(teachers: [task.posterior, task.posterior], bayes: task.posterior, student: s, classes: classes)
        #expect(bayes.squaredGap == 0 && bayes.biasSquared == 0 && bayes.teacherVariance == 0 && bayes.meanGap == 0)
        #expect(bayes.teacherTargetVariance == bayes.bayesTargetVariance)
        let risk = DistillationRisk(student: s, teacher: task.posterior, labels: task.labels, classes: classes)
        let predicted = bayes.bayesTargetVariance! + bayes.labelNoise!
        #expect(abs(risk.hardVariance - predicted) < 0.04 * predicted, "\(risk.hardVariance) vs \(predicted)")
        #expect(abs(risk.softVariance - bayes.bayesTargetVariance!) < 1e-9 * bayes.bayesTargetVariance!)
        let biases = [0.5, 0.8, 1, 1.25, 2].map { BayesGap(teachers: [task.tempered($0)], bayes: task.posterior, classes: classes).meanGap }
        #expect(biases[2] < 1e-12)
        #expect(biases[0] > biases[1] && biases[1] > biases[2] && biases[2] < biases[3] && biases[3] < biases[4])
        #expect(biases.allSatisfy { $0 >= 0 && $0 <= 2.0.squareRoot() })
    }

    /// Teacher draws at temperatures 0.8 and 1.25: the squared gap splits exactly into bias and
    /// variance; identical draws have no variance; draws symmetric about p* have less bias than
    /// either alone.
    @Test func biasVarianceSplit() {
        let task = PlantedPosterior(rows: 5000, classes: 6, sharpness: 1.5, seed: 3)
        let cold = task.tempered(0.8), hot = task.tempered(1.25)
        let split = BayesGap(teachers: [cold, hot], bayes: task.posterior, classes: 6)
        #expect(abs(split.squaredGap - split.biasSquared - split.teacherVariance) < 1e-14)
        #expect(split.teacherVariance > 0 && split.biasSquared > 0)
        let single = BayesGap(teachers: [cold, cold], bayes: task.posterior, classes: 6)
        #expect(single.teacherVariance < 1e-15 && abs(single.biasSquared - single.squaredGap) < 1e-15)
        #expect(split.biasSquared < min(single.biasSquared, BayesGap(teachers: [hot], bayes: task.posterior, classes: 6).biasSquared))
    }
}
