import Fitting

/// The `calibrated` estimator (THEORY §5.3): `g(T)` for each temperature and one `chi`, fitted by
/// least squares on observed runs, `sum (acc_d - acc_pred)^2`, with Nelder-Mead from `g = chi = 1`.
/// When every run shares one `alpha` (as in most published tables) only `R` is identified; the
/// fit still predicts, which is what the leave-one-out error measures.
public struct Calibration: Sendable {
    public let gByTemperature: [Double: Double]
    public let chi: Double

    public init(fitting runs: [ObservedConfiguration], form: FormulaForm) {
        let temperatures = Array(Set(runs.map(\.setting.temperature))).sorted()
        func unpack(_ p: [Double]) -> ([Double: Double], Double) {
            (Dictionary(uniqueKeysWithValues: zip(temperatures, p.dropLast())), p.last!)
        }
        let objective: ([Double]) -> Double = { p in
            let (g, chi) = unpack(p)
            var s = 0.0
            for r in runs {
                let predicted = DistilledAccuracyPrediction(classes: r.classes, baselineAccuracy: r.baselineAccuracy,
                                                            setting: r.setting, g: g[r.setting.temperature]!, chi: chi, form: form,
                                                            gEstimator: "calibrated", chiEstimator: "calibrated").predictedAccuracy
                s += (predicted - r.distilledAccuracy) * (predicted - r.distilledAccuracy)
            }
            return s
        }
        let start = [Double](repeating: 1, count: temperatures.count + 1)
        let best = NelderMead.minimize(objective, start: start, step: start.map { _ in 0.1 }, tolerance: 1e-14,
                                       maxEvaluations: 400 * (temperatures.count + 1))
        (gByTemperature, chi) = unpack(best.point)
    }

    /// `g` at a temperature, or at the nearest calibrated one when it was not among the runs.
    public func g(at temperature: Double) -> Double {
        if let g = gByTemperature[temperature] { return g }
        let nearest = gByTemperature.keys.min { abs($0 - temperature) < abs($1 - temperature) }!
        return gByTemperature[nearest]!
    }
}
