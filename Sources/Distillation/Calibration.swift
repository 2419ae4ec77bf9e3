import Fitting
import Foundation
import NumericSupport

/// The old `per-temperature` fit: one `g(T)` for each temperature and one `chi`, by least squares
/// on observed runs, `sum (acc_d - acc_pred)^2`, Nelder-Mead in `(log g, log chi)` so that both
/// stay positive. Kept for comparison only (docs/theory.md §5.4): `R` is symmetric in `(g, chi)`, so the
/// pair is not identified, and with fewer runs than parameters it is under-determined (it is
/// refused then). Use `PilotFit` instead.
public struct Calibration: Sendable {
    public let gByTemperature: [Double: Double]
    public let chi: Double
    /// Printed beside every use.
    public static let warning = "per-temperature fits one g per temperature and chi; (g, chi) enter R symmetrically and are not identified: read only the predictions, not the parameters"

    /// - Throws: `CalibrationError` when there are fewer runs than parameters.
    public init(fitting runs: [ObservedConfiguration], form: FormulaForm) throws {
        let temperatures = Array(Set(runs.map(\.setting.temperature))).sorted()
        guard runs.count >= temperatures.count + 1 else {
            throw CalibrationError("per-temperature has \(temperatures.count + 1) parameters (one g per temperature and chi) but \(runs.count) run(s) were given; give at least \(temperatures.count + 1), or use the one-parameter pilot fit")
        }
        func unpack(_ p: [Double]) -> ([Double: Double], Double) {
            (Dictionary(uniqueKeysWithValues: zip(temperatures, p.dropLast().map { exp($0) })), exp(p.last!))
        }
        let objective: ([Double]) -> Double = { p in
            let (g, chi) = unpack(p)
            var s = 0.0
            for r in runs {
                let predicted = DistilledAccuracyPrediction(classes: r.classes, baselineAccuracy: r.baselineAccuracy,
                                                            setting: r.setting, g: g[r.setting.temperature]!, chi: chi, form: form,
                                                            gEstimator: "per-temperature", chiEstimator: "per-temperature").predictedAccuracy
                s += (predicted - r.distilledAccuracy) * (predicted - r.distilledAccuracy)
            }
            return s
        }
        let start = [Double](repeating: 0, count: temperatures.count + 1)
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
