import ArrayIO
import DensityEstimation
import Foundation
import Laws
import Reporting

/// What a spectrum picture shows, computed once and shared by `plot`, `export` and `report`:
/// the eigenvalue histogram, an FFT KDE (docs/theory.md §4) and, with a fit, the fitted GMP density
/// (docs/theory.md §2) with its support edges and atom.
public struct SpectrumFigureData: Sendable {
    public let eigenvalues: [Double]
    public let histogram: Histogram
    public let kde: (x: [Double], density: [Double])
    public let bandwidth: Double
    /// `isj`, or `silverman` when ISJ has no root on these data (said in the legend).
    public let bandwidthMethod: String
    public let theory: (x: [Double], density: [Double])?
    public let support: [ClosedRange<Double>]
    public let atom: Double
    public let fit: FitFolder?
    public let which: String

    /// - Parameters:
    ///   - eigenvalues: the bulk (structural zero removed); at least 2 finite values.
    ///   - fit: the fit to overlay, if any. Its law is evaluated on the plot's range even when the
    ///     fit was judged inadequate: the picture then shows why, and the title says so.
    public init(eigenvalues: [Double], fit: FitFolder?, which: String = "H", points: Int = 1024) throws {
        guard eigenvalues.count >= 2, eigenvalues.allSatisfy(\.isFinite) else {
            throw PipelineError("\(which): a spectrum picture needs at least 2 finite eigenvalues, got \(eigenvalues.count)")
        }
        self.eigenvalues = eigenvalues
        self.fit = fit
        self.which = which
        histogram = Histogram(values: eigenvalues)
        let sample = try WeightedSample(values: eigenvalues)
        var estimate: KernelDensityEstimate
        do {
            estimate = try KernelDensity(bandwidth: .isj, gridPoints: points).estimate(sample)
            bandwidthMethod = "isj"
        } catch {
            estimate = try KernelDensity(bandwidth: .silverman, gridPoints: points).estimate(sample)
            bandwidthMethod = "silverman"
        }
        kde = (estimate.grid.points, estimate.density)
        bandwidth = estimate.bandwidth
        if let law = fit?.law {
            support = law.supportIntervals
            atom = law.atom
            // The law on the histogram's range widened to its support, densest where it is.
            let xs = law.plotGrid(from: histogram.edges.first!, to: histogram.edges.last!, points: points)
            theory = (xs, law.density(xs))
        } else {
            support = []
            atom = 0
            theory = nil
        }
    }

    /// The picture: bars, KDE, fitted law, support edges; the subtitle carries the fit verdict.
    public func figure(title: String) -> Figure {
        var series: [Series] = [
            Series(.bars(edges: histogram.edges, heights: histogram.densities),
                   label: "histogram (\(eigenvalues.count) eigenvalues, \(histogram.counts.count) bins)", color: .skyBlue),
            Series(.line(x: kde.x, y: kde.density), label: "KDE (\(bandwidthMethod), h = \(shortNumber(bandwidth)))", color: .orange),
        ]
        var subtitle: String?
        if let fit, let law = fit.law, let theory {
            let atomText = atom > 0 ? String(format: ", atom %.3f at 0", atom) : ""
            series.append(Series(.line(x: theory.x, y: theory.density),
                                 label: "GMP fit: q \(shortNumber(law.q)), s2 \(shortNumber(law.scale)), c \(String(format: "%.3f", law.correlation))\(atomText)",
                                 color: .blue, lineWidth: 2.5))
            for (i, interval) in support.enumerated() {
                for (j, edge) in [interval.lowerBound, interval.upperBound].enumerated() {
                    series.append(Series(.verticalRule(x: edge), label: i == 0 && j == 0 ? "support edges" : nil, color: .vermillion,
                                         dashed: true, lineWidth: 1.2))
                }
            }
            if let threshold = fit.outlierThreshold, let lo = support.first?.lowerBound, let hi = support.last?.upperBound {
                series.append(Series(.verticalRule(x: hi + threshold.upper), label: "edge + outlier margin (Tracy-Widom units)", color: .gray,
                                     dashed: true, lineWidth: 1))
                series.append(Series(.verticalRule(x: lo - threshold.lower), label: nil, color: .gray, dashed: true, lineWidth: 1))
            }
            if !fit.outliers.isEmpty {
                series.append(Series(.points(x: fit.outliers, y: fit.outliers.map { _ in 0 }, xError: nil),
                                     label: "\(fit.outliers.count) outlier(s), not in the bulk fit", color: .vermillion, marker: .triangle))
            }
            let outlierText = fit.outliers.isEmpty ? "" : "\(fit.outliers.count) outliers set apart; bulk "
            subtitle = outlierText + (fit.adequate ? "fit adequate: \(fit.reason)" : "fit NOT adequate: \(fit.reason)")
        } else if let fit {
            subtitle = "no law fitted: \(fit.reason)"
        }
        var figure = Figure(title: title, subtitle: subtitle.map { Self.clip($0) }, xLabel: "eigenvalue of \(which)", yLabel: "density", series: series)
        // Keep the view on the data and the support; the KDE's padded grid would waste space.
        let lows = [histogram.edges.first!] + support.map(\.lowerBound) + (fit?.outliers ?? []),
            highs = [histogram.edges.last!] + support.map(\.upperBound) + (fit?.outliers ?? [])
        let lo = lows.min()!, hi = highs.max()!, pad = 0.05 * (hi - lo)
        figure.xRange = (lo - pad)...(hi + pad)
        return figure
    }

    static func clip(_ text: String, to length: Int = 110) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// Tidy CSVs for notebooks: `histogram.csv` (`left,right,count,density`), `kde.csv` and,
    /// with a fit, `theory.csv` (`x,density`); keyed by the given prefix.
    public func exportFiles(prefix: String = "") -> [(name: String, bytes: [UInt8])] {
        var files: [(String, [UInt8])] = [
            ("\(prefix)histogram.csv", Writers.csv(header: ["left", "right", "count", "density"],
                                                   columns: [Array(histogram.edges.dropLast()), Array(histogram.edges.dropFirst()),
                                                             histogram.counts.map(Double.init), histogram.densities])),
            ("\(prefix)kde.csv", Writers.csv(header: ["x", "density"], columns: [kde.x, kde.density])),
        ]
        if let theory { files.append(("\(prefix)theory.csv", Writers.csv(header: ["x", "density"], columns: [theory.x, theory.density]))) }
        return files
    }
}

/// Four significant digits, for legends and tables.
func shortNumber(_ v: Double) -> String {
    guard v.isFinite else { return v.isNaN ? "n/a" : (v > 0 ? "inf" : "-inf") }
    if v == v.rounded(), abs(v) < 1e9 { return String(Int(v)) }  // counts: 10000, not 1e+04
    return String(format: "%.4g", v)
}
