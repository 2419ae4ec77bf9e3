import ArrayIO
import Foundation
import Distillation
import Reporting

/// An `evaluate` output folder read back for pictures and reports: per-configuration observed
/// and predicted accuracies (`predictions.csv`) and the metrics (`metrics.json`).
public struct EvaluationFolder: Sendable {
    /// The predictors `evaluate` writes, in the order pictures and tables show them.
    public static let predictors = ["formula", "per_temperature", "no_change", "teacher", "dual_interpolation", "teacher_gap_fraction"]

    public let path: String
    public let metrics: EvaluationMetrics
    public let labels: [String]
    /// Observed distilled accuracy and its standard error (NaN for a single seed) per configuration.
    public let observed: [Double]
    public let observedError: [Double]
    /// Predictions per predictor name.
    public let predictions: [String: [Double]]
    /// `(T, alpha_H)` of each configuration (alpha_H NaN when the runs do not record it).
    public let temperatures: [Double]
    public let alphaH: [Double]

    /// - Throws: `PipelineError` when the folder lacks `predictions.csv` or `metrics.json`.
    public init(path: String) throws {
        let folder = try CommandFolder(path: path, summary: "metrics.json", table: "predictions.csv", command: "evaluate")
        self.path = path
        metrics = try EvaluationMetrics.decode(folder.summary, file: folder.summaryPath)
        let table = folder.table
        let column = folder.column
        labels = try table.rows.map { $0[try table.column("label")] }
        observed = try column("observed")
        observedError = try column("observed_se")
        var predictions: [String: [Double]] = [:]
        for name in Self.predictors { predictions[name] = try column(name) }
        self.predictions = predictions
        temperatures = try column("temperature")
        alphaH = try column("alpha_h")
    }

    /// `metrics[predictor][key]`, e.g. the formula's MAE.
    /// A predictor's error metrics, e.g. the formula's MAE: `metric("formula", \.mae)`.
    public func metric(_ predictor: String, _ key: KeyPath<ErrorMetrics, Double>) -> Double? { metrics.metrics(predictor)?[keyPath: key] }

    var formulaIsCalibrated: Bool { metrics.gEstimator.hasPrefix("per-temperature") }

    /// Predicted against observed accuracy (in percent) for the formula and every baseline, with
    /// the identity line; each legend entry carries the predictor's MAE.
    public func figure(title: String) -> Figure {
        let kept = observed.indices.filter { observed[$0].isFinite && (predictions["formula"]?[$0].isFinite ?? false) }
        let x = kept.map { 100 * observed[$0] }
        let xError = kept.map { 100 * (observedError[$0].isFinite ? observedError[$0] : 0) }
        let styles: [(String, String, Color, Series.Marker)] = [
            ("formula", "formula", .blue, .circle), ("per_temperature", "per-temperature (LOO)", .green, .diamond),
            ("no_change", "no change", .gray, .square), ("teacher", "teacher", .vermillion, .triangle),
            ("dual_interpolation", "dual interpolation", .purple, .diamond), ("teacher_gap_fraction", "teacher-gap fraction", .orange, .cross),
        ]
        var series: [Series] = []
        var everything = x
        for (key, name, color, marker) in styles {
            if key == "per_temperature" && formulaIsCalibrated { continue }  // the same numbers as `formula`
            let y = kept.map { 100 * (predictions[key]?[$0] ?? .nan) }
            everything += y.filter(\.isFinite)
            let mae = metric(key, \.mae).map { String(format: "MAE %.2f", $0) } ?? "MAE n/a"
            series.append(Series(.points(x: x, y: y, xError: key == "formula" ? xError : nil), label: "\(name): \(mae)", color: color,
                                 marker: marker))
        }
        let lo = everything.filter(\.isFinite).min() ?? 0, hi = everything.filter(\.isFinite).max() ?? 100
        let pad = 0.04 * max(hi - lo, 1)
        series.insert(Series(.line(x: [lo - pad, hi + pad], y: [lo - pad, hi + pad]), label: "identity",
                             color: .black, dashed: true, lineWidth: 1.2), at: 0)
        let g = metrics.gEstimator, chi = metrics.chiEstimator, form = metrics.form
        var figure = Figure(title: title, subtitle: "\(kept.count) configurations; formula \(form), g: \(g), chi: \(chi); MAE in accuracy points",
                            xLabel: "observed distilled accuracy (%)", yLabel: "predicted distilled accuracy (%)", series: series)
        figure.squareAxes = true
        figure.xRange = (lo - pad)...(hi + pad)
        figure.legend = .outsideRight
        return figure
    }

    /// Rows of (predictor, MAE, RMSE, bias, share of configurations where the formula is better).
    public func metricRows() -> [[String]] {
        Self.predictors.compactMap { key in
            guard metrics.metrics(key) != nil else { return nil }
            if key == "per_temperature" && formulaIsCalibrated { return nil }
            let beats = key == "formula" ? "" : metrics.formulaWins(against: key).map { String(format: "%.0f%%", 100 * $0) } ?? ""
            return [key, fixed(metric(key, \.mae)), fixed(metric(key, \.rmse)), fixed(metric(key, \.bias)), beats]
        }
    }
}

func fixed(_ v: Double?, _ decimals: Int = 2) -> String {
    guard let v, v.isFinite else { return "n/a" }
    return String(format: "%.\(decimals)f", v)
}
