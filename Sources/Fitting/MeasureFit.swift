import Foundation
import Laws
import NumericSupport

/// Fits the GMP law to a spectral *measure* rather than to eigenvalues: the weighted nodes of a
/// stochastic Lanczos quadrature estimate (`spectrum --matrix-free`, docs/theory.md §1.6, §2.5).
///
/// * The mean is exact (`Tr H / (C - 1)`, computed in O(NC)), so the fit keeps it:
///   `c = mean / s2`, and only `s2` is free.
/// * `moments`: `s2` from the variance and third moment of the measure (`MomentFit`).
/// * `distance`: `s2` minimising the Wasserstein-1 distance between the law's CDF and the
///   measure's, started at the moment fit (one-dimensional Nelder-Mead on `log s2`).
/// * Verdict, from the triangle inequality: the estimate is within `bound` of the true spectrum in
///   W1 (with probability `1 - eta`, Chen-Trogdon-Ubaru). A law further than `bound` from the
///   estimate is therefore further than 0 from the spectrum: `rejected`. Within `bound` the
///   estimate cannot tell: `undecided` (the law is then at most `2 bound` from the spectrum).
///   Never `adequate`: that needs the eigenvalues' own test. No outliers are set apart.
public enum MeasureFit {
    /// W1 and KS between the law and the measure (sorted nodes, weights summing to 1), by the
    /// midpoint rule on 4096 cells over both supports.
    public static func distances(_ law: GeneralizedMarchenkoPastur, nodes: [Double], weights: [Double]) -> (wasserstein1: Double, ks: Double) {
        let support = law.supportIntervals
        let lo = min(support.first?.lowerBound ?? 0, nodes.first ?? 0, law.atom > 0 ? 0 : .infinity)
        let hi = max(support.last?.upperBound ?? 0, nodes.last ?? 0, law.atom > 0 ? 0 : -.infinity)
        let pad = 0.01 * max(hi - lo, 1e-300), a = lo - pad, width = (hi - lo + 2 * pad) / 4096
        var w1 = 0.0, ks = 0.0, cumulative = 0.0, next = 0
        for k in 0..<4096 {
            let x = a + (Double(k) + 0.5) * width
            while next < nodes.count && nodes[next] <= x { cumulative += weights[next]; next += 1 }
            let gap = abs(law.cdf(at: x) - cumulative)
            w1 += gap * width
            ks = max(ks, gap)
        }
        return (w1, ks)
    }

    /// The fit with its verdict, and the W1 distance between the fitted law and the measure.
    /// - Parameters:
    ///   - nodes, weights: the measure (any order; weights are normalised to sum to 1).
    ///   - mean: the exact mean eigenvalue; `q`: `(C - 1) / N`; `bound`: the estimate's W1 budget.
    ///   - moments: the variance and third central moment when better estimates than the measure's
    ///     are known (`spectrum --matrix-free` draws extra probes for them); else the measure's.
    /// - Throws: `FitError.notGMPLike` when no GMP law has these moments.
    public static func fit(nodes: [Double], weights: [Double], mean: Double, q: Double, bound: Double, method: FitMethod,
                           moments: (variance: Double, third: Double)? = nil) throws(FitError) -> (report: GMPFitReport, wasserstein1: Double) {
        let order = nodes.indices.sorted { nodes[$0] < nodes[$1] }
        let total = weights.reduce(0, +)
        let x = order.map { nodes[$0] }, w = order.map { weights[$0] / total }
        var (variance, third) = moments ?? (0, 0)
        if moments == nil {
            let measureMean = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 }
            for (xi, wi) in zip(x, w) { let d = xi - measureMean; variance += wi * d * d; third += wi * d * d * d }
        }
        guard case let .fitted(_, startScale, _) = MomentFit.fit(mean: mean, variance: variance, thirdCentral: third, q: q) else {
            throw .notGMPLike("the measure's moments match no GMP law at q = \(q)")
        }
        func law(_ scale: Double) -> GeneralizedMarchenkoPastur? {
            guard scale > 0, scale.isFinite, abs(mean / scale) <= 1 else { return nil }
            return try? GeneralizedMarchenkoPastur(q: q, scale: scale, correlation: mean / scale)
        }
        var scale = max(startScale, abs(mean) * (1 + 1e-9))
        if method == .distance {
            let best = NelderMead.minimize({ p in law(exp(p[0])).map { distances($0, nodes: x, weights: w).wasserstein1 } ?? .infinity },
                                           start: [log(scale)], step: [0.1], tolerance: 1e-8, maxEvaluations: 120)
            if law(exp(best.point[0])) != nil { scale = exp(best.point[0]) }
        }
        guard let fitted = law(scale) else { throw .notGMPLike("no GMP law with mean \(mean) near s2 = \(scale)") }
        let (w1, ks) = distances(fitted, nodes: x, weights: w)
        let rejected = w1 > bound
        let reason = rejected
            ? "W1 between the law and the SLQ estimate is \(w1), beyond the estimate's W1 bound \(bound): the spectrum is not this law"
            : "W1 between the law and the SLQ estimate is \(w1), within the estimate's W1 bound \(bound): the law cannot be told from the spectrum at this resolution (a smaller --slq-tolerance can decide; a dense spectrum and fit test it exactly)"
        let report = GMPFitReport(method: method, n: x.count, qWasFitted: false, law: fitted, ks: ks, ksCritical5: .nan, cramerVonMises: nil,
                                  pValue: nil, pValueStandardError: nil, bootstrapReplicates: 0, verdict: rejected ? .rejected : .undecided,
                                  separation: nil, adequate: false, reason: reason)
        return (report, w1)
    }
}
