import Foundation

/// One observed distillation configuration, seeds aggregated.
public struct ObservedConfiguration: Sendable {
    public var label: String
    public var classes: Int
    public var setting: DistillationSetting
    /// Hinton's alpha_H when the runs record it.
    public var alphaH: Double?
    public var baselineAccuracy: Double
    public var teacherAccuracy: Double
    public var distilledAccuracy: Double
    /// Standard error of `distilledAccuracy` over seeds (nil for a single run).
    public var distilledStandardError: Double?
    public var seeds: Int
    /// Where the row came from in a published table (for `--group-by`), when the table says.
    public var source: String?
    public var dataset: String?
    /// `teacher -> student` architectures.
    public var pair: String?
    /// The file lines this configuration was read from.
    public var lines: [Int] = []

    public init(label: String, classes: Int, setting: DistillationSetting, alphaH: Double? = nil, baselineAccuracy: Double,
                teacherAccuracy: Double, distilledAccuracy: Double, distilledStandardError: Double? = nil, seeds: Int = 1) {
        self.label = label; self.classes = classes; self.setting = setting; self.alphaH = alphaH
        self.baselineAccuracy = baselineAccuracy; self.teacherAccuracy = teacherAccuracy
        self.distilledAccuracy = distilledAccuracy; self.distilledStandardError = distilledStandardError; self.seeds = seeds
    }

    /// Observed `R = e_d / e_b`, `e = accuracy - 1/C`.
    public var observedRatio: Double {
        let chance = 1 / Double(classes)
        return (distilledAccuracy - chance) / (baselineAccuracy - chance)
    }
}

/// MAE, RMSE and signed bias, in accuracy points (percentage points).
public struct ErrorMetrics: Sendable, Equatable, Codable {
    public let mae: Double
    public let rmse: Double
    public let bias: Double
    public let count: Int

    /// From predictions and observations as fractions.
    public init(predicted: [Double], observed: [Double]) {
        precondition(predicted.count == observed.count && !observed.isEmpty, "need equally many, at least one")
        let errors = zip(predicted, observed).map { 100 * ($0 - $1) }
        let n = Double(errors.count)
        mae = errors.map(abs).reduce(0, +) / n
        rmse = (errors.map { $0 * $0 }.reduce(0, +) / n).squareRoot()
        bias = errors.reduce(0, +) / n
        count = errors.count
    }
}

/// The baselines every evaluation prints beside the formula (docs/theory.md §5.3).
public enum Baselines {
    public static func noChange(_ r: ObservedConfiguration) -> Double { r.baselineAccuracy }
    public static func teacher(_ r: ObservedConfiguration) -> Double { r.teacherAccuracy }
    /// `w_h acc_b + w_s acc_t`.
    public static func dualInterpolation(_ r: ObservedConfiguration) -> Double {
        r.setting.hardWeight * r.baselineAccuracy + r.setting.softWeight * r.teacherAccuracy
    }

    /// `acc_b + k (acc_t - acc_b)`, `k` fitted by least squares on `training` (leave-one-out: the
    /// caller passes every run but the predicted one). `k = 0` without a usable gap.
    public static func teacherGapFraction(_ r: ObservedConfiguration, training: [ObservedConfiguration]) -> Double {
        var numerator = 0.0, denominator = 0.0
        for t in training {
            let gap = t.teacherAccuracy - t.baselineAccuracy
            numerator += (t.distilledAccuracy - t.baselineAccuracy) * gap
            denominator += gap * gap
        }
        let k = denominator > 0 ? numerator / denominator : 0
        return r.baselineAccuracy + k * (r.teacherAccuracy - r.baselineAccuracy)
    }
}

/// Share of runs where `candidate` is closer to the observation than `reference` (ties count half).
public func shareBetter(_ candidate: [Double], than reference: [Double], observed: [Double]) -> Double {
    var wins = 0.0
    for i in observed.indices {
        let a = abs(candidate[i] - observed[i]), b = abs(reference[i] - observed[i])
        wins += a < b ? 1 : (a == b ? 0.5 : 0)
    }
    return wins / Double(observed.count)
}
