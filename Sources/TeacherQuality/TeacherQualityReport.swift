import Foundation

/// What a teacher's probabilities say about its quality as a source of soft labels (Menon et al.,
/// "A statistical perspective on distillation", ICML 2021: the better a teacher approximates the
/// Bayes posterior p*(y|x), the lower the variance of the distilled risk). Computed in one pass
/// over rows of probabilities (docs/teacher.md).
///
/// * accuracy: argmax, ties split evenly;
/// * log loss: mean of `-ln p[y]` (natural log);
/// * Brier score: mean over samples of `sum_c (p_c - 1[c = y])^2`;
/// * entropy: mean of `-sum_c p_c ln p_c`;
/// * expected calibration error (top label): `sum_b (n_b / N) |acc_b - conf_b|` over confidence
///   bins, equal-width on [0, 1] and equal-mass (each bin the same number of samples).
public struct TeacherQualityReport: Sendable {
    public struct Bin: Sendable, Equatable {
        public let lower: Double
        public let upper: Double
        public let count: Int
        /// Mean top-label confidence and accuracy of the samples in the bin (NaN when empty).
        public let confidence: Double
        public let accuracy: Double
    }

    public let samples: Int
    public let classes: Int
    public let accuracy: Double
    public let logLoss: Double
    public let brier: Double
    public let entropy: Double
    public let ece: Double
    public let eceEqualMass: Double
    public let bins: [Bin]
    public let equalMassBins: [Bin]
    /// Samples whose true-class probability was 0 (their log loss is infinite; counted, and the
    /// mean uses `-ln(1e-300)` for them).
    public let zeroProbabilityLabels: Int

    /// - Parameters:
    ///   - probabilities: `N x C` row-major, rows summing to 1.
    ///   - labels: `N` class indices in `0..<C`.
    ///   - binCount: bins for the ECE (15 by default, the common choice since Guo et al. 2017).
    public init(probabilities: [Double], labels: [Int], classes c: Int, binCount: Int = 15) {
        precondition(c >= 2 && labels.count * c == probabilities.count && binCount >= 1, "shapes do not match")
        let n = labels.count
        var correct = 0.0, logLoss = 0.0, brier = 0.0, entropy = 0.0, zeros = 0
        var confidence = [Double](repeating: 0, count: n), hit = [Double](repeating: 0, count: n)
        for r in 0..<n {
            let row = probabilities[(r * c)..<((r + 1) * c)]
            let y = labels[r]
            var best = -Double.infinity, ties = 0
            for v in row { if v > best { best = v; ties = 1 } else if v == best { ties += 1 } }
            let truth = probabilities[r * c + y]
            let share = truth == best ? 1 / Double(ties) : 0
            correct += share
            confidence[r] = best
            hit[r] = share
            if truth <= 0 { zeros += 1 }
            logLoss -= log(max(truth, 1e-300))
            var squares = 0.0, h = 0.0
            for j in 0..<c {
                let v = probabilities[r * c + j]
                let d = v - (j == y ? 1 : 0)
                squares += d * d
                if v > 0 { h -= v * log(v) }
            }
            brier += squares
            entropy += h
        }
        let count = Double(n)
        samples = n; classes = c
        accuracy = correct / count
        self.logLoss = logLoss / count
        self.brier = brier / count
        self.entropy = entropy / count
        zeroProbabilityLabels = zeros
        // Equal-width bins on [0, 1]: a confidence of exactly 1 goes to the last bin.
        var widthBins: [[Int]] = Array(repeating: [], count: binCount)
        for r in 0..<n { widthBins[min(binCount - 1, Int(confidence[r] * Double(binCount)))].append(r) }
        bins = widthBins.enumerated().map { Self.bin($0.element, lower: Double($0.offset) / Double(binCount),
                                                     upper: Double($0.offset + 1) / Double(binCount), confidence, hit) }
        // Equal-mass bins: sorted by confidence, split into binCount runs of (nearly) equal size.
        let order = (0..<n).sorted { confidence[$0] < confidence[$1] }
        let massBins = min(binCount, n)
        equalMassBins = (0..<massBins).map { b in
            let members = Array(order[(b * n / massBins)..<((b + 1) * n / massBins)])
            return Self.bin(members, lower: confidence[members.first!], upper: confidence[members.last!], confidence, hit)
        }
        ece = Self.calibrationError(bins, samples: n)
        eceEqualMass = Self.calibrationError(equalMassBins, samples: n)
    }

    static func bin(_ members: [Int], lower: Double, upper: Double, _ confidence: [Double], _ hit: [Double]) -> Bin {
        guard !members.isEmpty else { return Bin(lower: lower, upper: upper, count: 0, confidence: .nan, accuracy: .nan) }
        let k = Double(members.count)
        return Bin(lower: lower, upper: upper, count: members.count, confidence: members.map { confidence[$0] }.reduce(0, +) / k,
                   accuracy: members.map { hit[$0] }.reduce(0, +) / k)
    }

    static func calibrationError(_ bins: [Bin], samples n: Int) -> Double {
        bins.filter { $0.count > 0 }.map { Double($0.count) / Double(n) * abs($0.accuracy - $0.confidence) }.reduce(0, +)
    }
}
