import Fitting
import Foundation
import Laws
import Reporting

/// The two pictures behind a fit's verdict: the empirical CDF of the eigenvalues against the
/// fitted law's CDF, with the KS distance drawn where it is attained and the band the distance
/// may not leave at 5% (1.358/sqrt(n), the i.i.d. critical value: for eigenvalues, which are
/// more rigid than i.i.d. points, the bootstrap p-value in the subtitle is the calibrated test);
/// and a Q-Q plot of the sorted eigenvalues against the law's quantiles (i - 1/2)/n, on which a
/// few outlying eigenvalues far from the diagonal stand out however small the histogram bar.
public struct FitDiagnostics: Sendable {
    public let sorted: [Double]
    public let law: GeneralizedMarchenkoPastur
    public let ks: Double
    /// Where the KS distance is attained: x and the two CDF values.
    public let ksPoint: (x: Double, empirical: Double, fitted: Double)
    public let pValue: Double?
    public let verdict: String

    public init(eigenvalues: [Double], fit: FitFolder) throws {
        guard let law = fit.law else {
            throw PipelineError(file: fit.path, problem: "has no fitted law (\(fit.reason))", fix: "nothing to compare the eigenvalues with")
        }
        let sorted = GoodnessOfFit.snappingAtom(eigenvalues.sorted(), law: law)
        self.sorted = sorted
        self.law = law
        let best = GoodnessOfFit.kolmogorovSmirnovLocation(sorted: sorted, law: law)
        ks = best.distance
        ksPoint = (best.x, best.empirical, best.fitted)
        pValue = fit.summary.pValue
        verdict = fit.summary.verdict
    }

    var subtitle: String {
        "KS \(shortNumber(ks)) (5% i.i.d. band +-\(shortNumber(GoodnessOfFit.ksCriticalValue5(n: sorted.count))))"
            + (pValue.map { ", bootstrap p \(shortNumber($0))" } ?? "") + "; verdict: \(verdict); n = \(sorted.count)"
    }

    /// ECDF (steps) against the fitted CDF, the 5% band, and the KS distance as a segment.
    public func cdfFigure(title: String) -> Figure {
        let n = Double(sorted.count)
        let ex = sorted.flatMap { [$0, $0] }, ey = sorted.indices.flatMap { [Double($0) / n, Double($0 + 1) / n] }
        let lo = sorted.first!, hi = sorted.last!, pad = 0.05 * max(hi - lo, 1e-300)
        let grid = (0...400).map { lo - pad + (hi - lo + 2 * pad) * Double($0) / 400 }
        let cdf = grid.map { law.cdf(at: $0) }
        let band = GoodnessOfFit.ksCriticalValue5(n: sorted.count)
        let series = [
            Series(.line(x: grid, y: cdf.map { min(1, $0 + band) }), label: "5% band (i.i.d.)", color: .gray, dashed: true, lineWidth: 1),
            Series(.line(x: grid, y: cdf.map { max(0, $0 - band) }), label: nil, color: .gray, dashed: true, lineWidth: 1),
            Series(.line(x: grid, y: cdf), label: "fitted GMP CDF", color: .vermillion),
            Series(.line(x: ex, y: ey), label: "empirical CDF", color: .blue, lineWidth: 1.5),
            Series(.line(x: [ksPoint.x, ksPoint.x], y: [ksPoint.empirical, ksPoint.fitted]), label: "KS distance \(shortNumber(ks))",
                   color: .black, lineWidth: 3),
        ]
        var figure = Figure(title: title, subtitle: subtitle, xLabel: "eigenvalue", yLabel: "cumulative share", series: series)
        figure.legend = .bottomRight
        figure.yRange = 0...1
        return figure
    }

    /// Sorted eigenvalues against the fitted law's quantiles, with the diagonal.
    public func quantileFigure(title: String) -> Figure {
        let n = Double(sorted.count)
        let quantiles = sorted.indices.map { law.quantile((Double($0) + 0.5) / n) }
        let all = quantiles + sorted
        let lo = all.min()!, hi = all.max()!, pad = 0.04 * max(hi - lo, 1e-300)
        var figure = Figure(title: title, subtitle: subtitle, xLabel: "fitted GMP quantile", yLabel: "observed eigenvalue", series: [
            Series(.line(x: [lo - pad, hi + pad], y: [lo - pad, hi + pad]), label: "identity", color: .black, dashed: true, lineWidth: 1.2),
            Series(.points(x: quantiles, y: sorted, xError: nil), label: "eigenvalues", color: .blue),
        ])
        figure.squareAxes = true
        figure.xRange = (lo - pad)...(hi + pad)
        figure.legend = .topLeft
        return figure
    }
}
