import ArrayIO
import Foundation
import Reporting

/// A `predict` output folder read back for pictures and reports: `prediction.json` and
/// `predictions.csv` (one row per configuration).
public struct PredictionFolder: Sendable {
    public let path: String
    public let summary: PredictionSummary
    public let temperature: [Double]
    public let alphaH: [Double]
    public let softWeight: [Double]
    public let predicted: [Double]
    public let lower: [Double]
    public let upper: [Double]
    public let observed: [Double]
    public let isPilot: [Bool]
    public let flags: [String]

    /// - Throws: `PipelineError` when the folder lacks either file.
    public init(path: String) throws {
        let folder = try CommandFolder(path: path, summary: "prediction.json", table: "predictions.csv", command: "predict")
        self.path = path
        summary = try PredictionSummary.decode(folder.summary, file: folder.summaryPath)
        let table = folder.table
        let column = folder.column
        temperature = try column("temperature"); alphaH = try column("alpha_h"); softWeight = try column("soft_weight")
        predicted = try column("predicted_accuracy"); lower = try column("lower"); upper = try column("upper")
        observed = try column("observed"); isPilot = try column("is_pilot").map { $0 == 1 }
        flags = try table.rows.map { $0[try table.column("flag")] }
    }

    /// `T=4 aH=0.1` (or `T=4 w_s=0.97` without alpha_H).
    func label(_ i: Int) -> String {
        "T=\(shortNumber(temperature[i])) " + (alphaH[i].isFinite ? "aH=\(shortNumber(alphaH[i]))" : "ws=\(shortNumber(softWeight[i]))")
    }

    /// Predicted against observed accuracy (percent) with the 95% intervals, pilots marked and
    /// every point labelled by its configuration; without observations, predicted against the
    /// soft weight.
    public func figure(title: String) -> Figure {
        let seen = observed.indices.filter { observed[$0].isFinite }
        var series: [Series] = []
        let k = summary.pilotCount
        let chi = shortNumber(summary.chi)
        if seen.isEmpty {
            let order = softWeight.indices.sorted { softWeight[$0] < softWeight[$1] }
            var s = Series(.points(x: order.map { softWeight[$0] }, y: order.map { 100 * predicted[$0] }, xError: nil), label: "predicted", color: .blue)
            s.pointLabels = order.map(label)
            s.yInterval = (order.map { 100 * lower[$0] }, order.map { 100 * upper[$0] })
            series.append(s)
            return Figure(title: title, subtitle: "\(predicted.count) configurations; chi = \(chi) (\(summary.chiEstimator)); bars: 95% intervals where available",
                          xLabel: "soft weight w_s", yLabel: "predicted distilled accuracy (%)", series: series)
        }
        for (pilots, name, color, marker) in [(false, "held out", Color.blue, Series.Marker.circle), (true, "pilot (fitted on)", .vermillion, .square)] {
            let idx = seen.filter { isPilot[$0] == pilots }
            guard !idx.isEmpty else { continue }
            var s = Series(.points(x: idx.map { 100 * observed[$0] }, y: idx.map { 100 * predicted[$0] }, xError: nil),
                           label: name, color: color, marker: marker)
            s.pointLabels = idx.map(label)
            s.yInterval = (idx.map { 100 * lower[$0] }, idx.map { 100 * upper[$0] })
            series.append(s)
        }
        let everything = seen.flatMap { [100 * observed[$0], 100 * predicted[$0]] }
        let lo = everything.min()!, hi = everything.max()!, pad = 0.06 * max(hi - lo, 1)
        series.insert(Series(.line(x: [lo - pad, hi + pad], y: [lo - pad, hi + pad]), label: "identity", color: .black, dashed: true, lineWidth: 1.2), at: 0)
        let mae = summary.heldOut.map { String(format: "held-out MAE %.2f points", $0.formulaMaePoints) } ?? ""
        var figure = Figure(title: title, subtitle: "\(k) pilot(s); chi = \(chi); \(mae); bars: 95% intervals (\(summary.intervalSource))",
                            xLabel: "observed distilled accuracy (%)", yLabel: "predicted distilled accuracy (%)", series: series)
        figure.squareAxes = true
        figure.xRange = (lo - pad)...(hi + pad)
        figure.legend = .outsideRight
        return figure
    }
}
