import Ensembles
import Foundation
import Laws
import LinearAlgebra
import NumericSupport

/// How a GMP is fitted to eigenvalues (docs/theory.md §2.5).
public enum FitMethod: String, Sendable, CaseIterable {
    /// Method of moments (closed form).
    case moments
    /// Minimum Cramer-von Mises distance between the empirical CDF and the law's CDF, started
    /// from the moment fit. (Maximum likelihood is ill-posed: the edges move with the parameters.)
    case distance
}

/// Everything a fit reports. Parameters and statistics are nil, never NaN, when there is no fit.
public struct GMPFitReport: Sendable {
    public var method: FitMethod
    public var n: Int
    public var qWasFitted: Bool
    public var law: GeneralizedMarchenkoPastur?
    public var ks: Double?
    public var ksCritical5: Double
    public var cramerVonMises: Double?
    public var pValue: Double?
    /// Monte Carlo standard error of `pValue`, `sqrt(p (1 - p) / B)`.
    public var pValueStandardError: Double?
    /// Replicates asked for; `failedReplicates` of them could not be drawn (LAPACK failed) and are
    /// left out of the p-value rather than counted as "not exceeding".
    public var bootstrapReplicates: Int
    public var failedReplicates: Int = 0
    public var verdict: FitVerdict = .rejected
    /// The bulk/outlier separation, when one was asked for: the law and statistics above are the bulk's.
    public var separation: OutlierSeparation?
    /// True only for the verdict `adequate`.
    public var adequate: Bool
    public var reason: String
}

/// The goodness-of-fit verdict. With a bootstrap it is decided only when the p-value is
/// resolved against 5% by two Monte Carlo standard errors; otherwise it is `undecided`.
public enum FitVerdict: String, Sendable {
    case adequate, rejected, undecided
}

/// Fits `GeneralizedMarchenkoPastur` to observed eigenvalues, with goodness of fit.
public struct GMPFitter: Sendable {
    public var method: FitMethod
    /// Parametric-bootstrap replicates for the p-value (0: none).
    public var bootstrap: Int
    public var seed: UInt64
    /// How many spectra were pooled (the bootstrap simulates as many per replicate).
    public var pooledSpectra: Int
    /// Called with the number of finished replicates, from any thread.
    public var progress: (@Sendable (Int) -> Void)?
    /// Set outlier eigenvalues apart before fitting (the bootstrap then treats each replicate,
    /// drawn at the bulk's size, the same way, so the test stays calibrated).
    public var outliers: OutlierSeparation.Mode = .none
    public var outlierMargin = OutlierSeparation.defaultMargin
    /// How bootstrap replicates are drawn: Bartlett's O(M^3) factors (default), or the direct
    /// O(M^2 N) product of Gaussian matrices, kept to check that both give one p-value law
    /// (`bench/fit/pvalues.py`).
    public enum Sampler: String, Sendable, CaseIterable { case bartlett, direct }
    public var sampler: Sampler = .bartlett
    /// The fewest replicates that can reject at 5%: with B replicates the p-value is at least 1/(B + 1).
    public static let minimumReplicatesForVerdict = 19

    public init(method: FitMethod = .distance, bootstrap: Int = 0, seed: UInt64 = 0, pooledSpectra: Int = 1,
                progress: (@Sendable (Int) -> Void)? = nil) {
        self.method = method
        self.bootstrap = bootstrap
        self.seed = seed
        self.pooledSpectra = max(1, pooledSpectra)
        self.progress = progress
    }

    /// Fits with `q` given (docs/theory.md §1.3: `q = (C - 1)/N`) or free (`q == nil`).
    /// - Throws: `FitError` for fewer than 10 values, non-finite values, all values equal, or q <= 0.
    ///   Data that are merely not GMP-like give `adequate: false` with the reason.
    public func fit(_ all: [Double], q: Double?) throws(FitError) -> GMPFitReport {
        if let i = all.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(index: i) }
        if all.count < 10 { throw .tooFew(count: all.count) }
        if let q, !(q > 0 && q.isFinite) { throw .invalidQ(q) }
        var separation: OutlierSeparation?
        var eigenvalues = all
        if outliers != .none, all.sorted().first != all.sorted().last {
            let s = OutlierSeparation(all, q: q, mode: outliers, fitter: self, spectra: pooledSpectra, margin: outlierMargin)
            separation = s
            eigenvalues = s.bulk
        }
        var report = try fitBulk(eigenvalues, q: q)
        report.separation = separation
        return report
    }

    func fitBulk(_ eigenvalues: [Double], q: Double?) throws(FitError) -> GMPFitReport {
        if eigenvalues.count < 10 { throw .tooFew(count: eigenvalues.count) }
        let sorted = eigenvalues.sorted()
        if sorted.first == sorted.last { throw .allEqual(value: sorted[0]) }
        if let q, !(q > 0 && q.isFinite) { throw .invalidQ(q) }
        let n = sorted.count
        var report = GMPFitReport(method: method, n: n, qWasFitted: q == nil, law: nil, ks: nil,
                                  ksCritical5: GoodnessOfFit.ksCriticalValue5(n: n), cramerVonMises: nil, pValue: nil,
                                  bootstrapReplicates: 0, adequate: false, reason: "")
        guard let law = estimate(sorted, q: q, reason: &report.reason) else { return report }
        report.law = law
        let observed = GoodnessOfFit.snappingAtom(sorted, law: law)
        let ks = GoodnessOfFit.kolmogorovSmirnov(sorted: observed, law: law)
        report.ks = ks
        report.cramerVonMises = GoodnessOfFit.cramerVonMises(sorted: observed, law: law)
        if bootstrap > 0 {
            let (exceeding, failed) = bootstrapCounts(observedKS: ks, law: law, n: n, qGiven: q != nil)
            report.bootstrapReplicates = bootstrap
            report.failedReplicates = failed
            let b = bootstrap - failed
            let failedText = failed > 0 ? "; \(failed) replicate(s) failed in LAPACK and are left out" : ""
            guard b > 0 else {
                report.verdict = .undecided
                report.reason = "every bootstrap replicate failed\(failedText)"
                report.adequate = false
                return report
            }
            let p = Double(1 + exceeding) / Double(b + 1)
            let se = (p * (1 - p) / Double(b)).squareRoot()
            report.pValue = p
            report.pValueStandardError = se
            let summary = String(format: "parametric bootstrap p-value %.3f +- %.3f (Monte Carlo SE, %d replicates)", p, se, b)
            if b < Self.minimumReplicatesForVerdict {
                report.verdict = .undecided
                report.reason = summary + String(format: ": with fewer than %d replicates p >= 1/(B + 1) > 0.05, so the fit cannot be rejected at 5%%; raise --bootstrap", Self.minimumReplicatesForVerdict) + failedText
            } else if p - 2 * se > 0.05 {
                report.verdict = .adequate
                report.reason = summary + ": above 0.05 by more than 2 SE" + failedText
            } else if p + 2 * se < 0.05 {
                report.verdict = .rejected
                report.reason = summary + ": below 0.05 by more than 2 SE" + failedText
            } else {
                report.verdict = .undecided
                report.reason = summary + ": within 2 SE of 0.05, undecided; raise --bootstrap" + failedText
            }
            report.adequate = report.verdict == .adequate
        } else {
            report.verdict = ks <= report.ksCritical5 ? .adequate : .rejected
            report.adequate = ks <= report.ksCritical5
            report.reason = String(format: "KS %.4g %@ the 5%% critical value %.4g for %d i.i.d. points (lenient for eigenvalues; use a bootstrap for a calibrated p-value)",
                                   ks, ks <= report.ksCritical5 ? "<=" : ">", report.ksCritical5, n)
        }
        return report
    }

    /// The fitted law, or nil with `reason` set.
    func estimate(_ sorted: [Double], q: Double?, reason: inout String) -> GeneralizedMarchenkoPastur? {
        let start: (q: Double, scale: Double, correlation: Double)
        switch MomentFit.fit(sorted, q: q) {
        case let .fitted(fq, s2, c): start = (fq, s2, c)
        case let .notGMPLike(why):
            reason = "not GMP-like: " + why
            return nil
        }
        if method == .moments {
            return try? GeneralizedMarchenkoPastur(q: start.q, scale: start.scale, correlation: start.correlation)
        }
        // Distance fit over (log s2, asin c[, log q]): unconstrained coordinates covering the domain.
        // The search reads the CDF from 512-panel tables (a CDF error of at most 1.4e-5, where the
        // statistic's own noise is about 1/n, moves the optimum by a small fraction of its
        // standard error; measured at 200000 x 1000: the outlier fit took 0.08 s with 2048
        // panels); the law returned has the full tables.
        let fitQ = q == nil
        func law(_ p: [Double], panels: Int = GeneralizedMarchenkoPastur.defaultPanels) -> GeneralizedMarchenkoPastur? {
            try? GeneralizedMarchenkoPastur(q: fitQ ? exp(p[2]) : q!, scale: exp(p[0]), correlation: sin(p[1]), panels: panels)
        }
        let objective: ([Double]) -> Double = { p in
            guard let l = law(p, panels: GeneralizedMarchenkoPastur.searchPanels) else { return .infinity }
            return GoodnessOfFit.cramerVonMises(sorted: sorted, law: l)
        }
        var x0 = [log(start.scale), asin(max(-1, min(1, start.correlation)))]
        var steps = [0.05, 0.05]
        if fitQ { x0.append(log(start.q)); steps.append(0.05) }
        let best = NelderMead.minimize(objective, start: x0, step: steps, maxEvaluations: fitQ ? 600 : 300)
        // Candidates: the search's optimum, the moment fit, and the boundary c = +-1 (s2 = |m1|):
        // at |c| = 1 and q > 1 the law gains an atom at 0 that no |c| < 1 has, so a search
        // inside the domain cannot reach it.
        var candidates = [best.point, x0]
        let m1 = sorted.reduce(0, +) / Double(sorted.count)
        if m1 != 0 {
            var boundary = [log(abs(m1)), m1 > 0 ? Double.pi / 2 : -Double.pi / 2]
            if fitQ { boundary.append(x0[2]) }
            candidates.append(boundary)
        }
        let chosen = candidates.min { objective($0) < objective($1) }!
        return law(chosen)
    }

    /// `#{KS_b >= KS_obs}` and the number of failed replicates over parametric-bootstrap
    /// replicates: Gaussian generalised Wisharts of the fitted law at the observed size, each
    /// refitted the same way (a replicate whose refit is not GMP-like counts as exceeding), drawn
    /// by Bartlett's decomposition in O(M^3) when `N >= M` (the direct O(M^2 N) sampler otherwise). The
    /// p-value is `(1 + exceeding) / (B - failed + 1)`. Replicates run on all cores (OpenBLAS
    /// pinned to one thread meanwhile); replicate `b` has its own random stream, so the counts are
    /// the same for any thread count.
    func bootstrapCounts(observedKS: Double, law: GeneralizedMarchenkoPastur, n: Int, qGiven: Bool) -> (exceeding: Int, failed: Int) {
        let dimension = max(2, n / pooledSpectra)
        let samples = max(1, Int((Double(dimension) / law.q).rounded()))
        let ensemble = GeneralizedWishart(dimension: dimension, samples: samples, scale: law.scale, correlation: law.correlation)
        let simple = GMPFitter(method: method, bootstrap: 0, seed: seed, pooledSpectra: pooledSpectra)
        let seed = self.seed, replicates = bootstrap, pooled = pooledSpectra, mode = outliers, margin = outlierMargin
        let bartlett = sampler == .bartlett
        /// 1 when replicate `b` is at least as far from its own refit as the data are, 0 when not,
        /// -1 when it could not be drawn.
        func outcome(_ b: Int) -> Int8 {
            guard let draw = try? ensemble.sampleEigenvalues(seed: seed &+ UInt64(b) &* 0x9E37_79B9, replicas: pooled, bartlett: bartlett) else { return -1 }
            var why = ""
            var values = draw
            var refit: GeneralizedMarchenkoPastur?
            if mode != .none {
                let s = OutlierSeparation(values, q: qGiven ? law.q : nil, mode: mode, fitter: simple, spectra: pooled, margin: margin)
                values = s.bulk
                refit = s.law
            } else {
                refit = simple.estimate(values, q: qGiven ? law.q : nil, reason: &why)
            }
            guard let refit else { return 1 }
            let snapped = GoodnessOfFit.snappingAtom(values, law: refit)
            return GoodnessOfFit.kolmogorovSmirnov(sorted: snapped, law: refit) >= observedKS ? 1 : 0
        }
        let progress = self.progress
        let finished = FinishedCount()
        let run = {
            ParallelRows.map(replicates) { b in
                let o = outcome(b)
                if let progress { progress(finished.increment()) }
                return o
            }
        }
        let outcomes = replicates > 1 && ParallelRows.workerCount > 1 ? BLASThreads.singleThreaded(run) : run()
        return (outcomes.filter { $0 == 1 }.count, outcomes.filter { $0 == -1 }.count)
    }
}
