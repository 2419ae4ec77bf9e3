/// The evaluation protocol of `evaluate` (docs/theory.md §5.5): each configuration is predicted
/// by every predictor fitted on the other configurations of its group only, so no prediction
/// has seen its own run. The first predictor is the one under test (the formula); its
/// predictions are checked against the possible range (`PredictionGuard`).
public struct LeaveOneOut: Sendable {
    public let predictors: [String]
    /// `predictions[j][i]`: predictor j's prediction of configuration i (NaN where it could not be fitted).
    public let predictions: [[Double]]
    /// The guard's flags on the first predictor's prediction of each configuration.
    public let flags: [[PredictionFlag]]
    /// Configurations the first predictor could predict: every metric is taken over these.
    public let evaluated: [Int]
    public let observed: [Double]

    /// - Parameter groups: one group name per configuration; fits never cross groups.
    public init(_ configurations: [ObservedConfiguration], groups: [String], predictors: [HeldOutPredictor]) {
        precondition(groups.count == configurations.count && !predictors.isEmpty, "LeaveOneOut: one group per configuration and a predictor")
        var predictions = [[Double]](repeating: [Double](repeating: .nan, count: configurations.count), count: predictors.count)
        var flags = [[PredictionFlag]](repeating: [], count: configurations.count)
        for i in configurations.indices {
            let others = configurations.indices.filter { $0 != i && groups[$0] == groups[i] }.map { configurations[$0] }
            for (j, p) in predictors.enumerated() {
                if let v = p.predict(others, [configurations[i]])?.first { predictions[j][i] = v }
            }
            if predictions[0][i].isFinite {
                let c = configurations[i]
                flags[i] = PredictionGuard.flags(predictions[0][i], classes: c.classes, baseline: c.baselineAccuracy, teacher: c.teacherAccuracy)
            }
        }
        self.predictors = predictors.map(\.name)
        self.predictions = predictions
        self.flags = flags
        evaluated = configurations.indices.filter { predictions[0][$0].isFinite }
        observed = configurations.map(\.distilledAccuracy)
    }

    /// Predictor j's errors over the evaluated configurations it could predict (nil if none).
    public func metrics(_ j: Int) -> ErrorMetrics? {
        let kept = evaluated.filter { predictions[j][$0].isFinite }
        guard !kept.isEmpty else { return nil }
        return ErrorMetrics(predicted: kept.map { predictions[j][$0] }, observed: kept.map { observed[$0] })
    }

    /// The first predictor's share of configurations closer to the observation than predictor j
    /// (ties half), over those both predicted; nil for j = 0 or when there are none.
    public func firstWins(against j: Int) -> Double? {
        let kept = evaluated.filter { predictions[j][$0].isFinite }
        guard j > 0, !kept.isEmpty else { return nil }
        return shareBetter(kept.map { predictions[0][$0] }, than: kept.map { predictions[j][$0] }, observed: kept.map { observed[$0] })
    }

    /// Predictor j's `prediction - observation` per configuration (NaN where it did not predict).
    public func residuals(_ j: Int) -> [Double] { zip(predictions[j], observed).map { $0 - $1 } }
}
