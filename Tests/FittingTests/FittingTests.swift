import Ensembles
import Fitting
import Foundation
import Laws
import LinearAlgebra
import Spectra
import Testing
import _TestSupport

@Suite struct MonteCarloTests {
    /// Spectra of Gaussian generalised Wisharts of dimension 400 follow the law: pooled KS over two
    /// replicas (800 eigenvalues) stays below the 5% critical value 0.048 for every (q, c),
    /// including q > 2 (atom at 0) and c = 1 (Marchenko-Pastur).
    @Test(.slow, arguments: [0.25, 1.5, 3.0], [-0.5, 0.3, 1.0])
    func spectraFollowTheLaw(q: Double, c: Double) throws {
        let m = 400
        let ensemble = GeneralizedWishart(dimension: m, samples: Int((Double(m) / q).rounded()), scale: 1.7, correlation: c)
        let values = try ensemble.sampleEigenvalues(seed: 42, replicas: 2)
        let law = try ensemble.limit
        let ks = GoodnessOfFit.kolmogorovSmirnov(sorted: GoodnessOfFit.snappingAtom(values, law: law), law: law)
        #expect(ks < GoodnessOfFit.ksCriticalValue5(n: values.count), "KS \(ks)")
    }

    @Test func rademacherEntriesFollowTheSameLaw() throws {
        let ensemble = GeneralizedWishart(dimension: 300, samples: 600, correlation: 0.4, entries: .rademacher)
        let values = try ensemble.sampleEigenvalues(seed: 3)
        #expect(GoodnessOfFit.kolmogorovSmirnov(sorted: values, law: try ensemble.limit) < GoodnessOfFit.ksCriticalValue5(n: 300))
    }

    @Test func sameSeedSameBits() {
        let e = GeneralizedWishart(dimension: 20, samples: 50, correlation: 0.2)
        #expect(e.sampleMatrix(seed: 9).elements == e.sampleMatrix(seed: 9).elements)
        #expect(e.sampleMatrix(seed: 9).elements != e.sampleMatrix(seed: 10).elements)
    }

    /// Drawing the T samples in blocks (bounded memory) gives the same matrix up to summation
    /// order: same variates, same sum. Tolerance 1e-12 of the largest entry, over a grid of
    /// shapes and block sizes, including blocks that do not divide T.
    @Test(arguments: [(1, 1), (3, 17), (20, 50), (64, 100)])
    func blocksChangeNothingButRounding(dimension: Int, samples: Int) {
        for correlation in [0.0, 0.6] {
            let g = GeneralizedWishart(dimension: dimension, samples: samples, correlation: correlation)
            let w = Wishart(dimension: dimension, samples: samples, correlation: correlation * 0.9)
            let whole = (g.sampleMatrix(seed: 4, blockRows: samples).elements, w.sampleMatrix(seed: 4, blockRows: samples).elements)
            for block in [1, 7, samples + 3] {
                for (reference, blocked) in [(whole.0, g.sampleMatrix(seed: 4, blockRows: block).elements),
                                             (whole.1, w.sampleMatrix(seed: 4, blockRows: block).elements)] {
                    let largest = reference.map(abs).max()!
                    let gap = zip(reference, blocked).map { abs($0 - $1) }.max()!
                    #expect(gap <= 1e-12 * largest, "M \(dimension) T \(samples) block \(block): \(gap)")
                }
            }
        }
    }
}

@Suite struct FitRecoveryTests {
    /// The fit recovers (s2, c) from simulated spectra (M = 400, 2 replicas). Tolerance: 3% on s2
    /// and 0.03 on c. At this size the spectral moments fluctuate by O(1/M) relative (the trace of
    /// a Wigner-like matrix has O(1) fluctuations, divided by M = 400), so the fitted parameters
    /// are within a few tenths of a percent; 3% leaves room for bias at the edges.
    @Test(.slow, arguments: [(0.25, 2.0, 0.4), (3.0, 0.5, -0.3), (0.05, 1e-3, 0.8), (0.6, 1.0, 1.0)], [FitMethod.moments, .distance])
    func recoversParameters(truth: (Double, Double, Double), method: FitMethod) throws {
        let (q, s2, c) = truth
        let ensemble = GeneralizedWishart(dimension: 400, samples: Int((400 / q).rounded()), scale: s2, correlation: c)
        let values = try ensemble.sampleEigenvalues(seed: 7, replicas: 2)
        let report = try GMPFitter(method: method).fit(values, q: 400 / (400 / q).rounded())
        let law = try #require(report.law)
        let (fittedScale, fittedCorrelation, adequate, reason) = (law.scale, law.correlation, report.adequate, report.reason)
        #expect(abs(fittedScale / s2 - 1) < 0.03, "s2 \(fittedScale) vs \(s2)")
        #expect(abs(fittedCorrelation - c) < 0.03, "c \(fittedCorrelation) vs \(c)")
        #expect(adequate, "\(reason)")
    }

    /// At c = 1 and q > 1 the spectrum has an atom at 0 (rank T < M) that every |c| < 1 lacks:
    /// the distance fit must land on the boundary, not next to it.
    @Test func distanceFitReachesTheBoundaryAtom() throws {
        let ensemble = GeneralizedWishart(dimension: 400, samples: 333, scale: 1, correlation: 1)
        let values = try ensemble.sampleEigenvalues(seed: 4, replicas: 2)
        let report = try GMPFitter(method: .distance).fit(values, q: 400.0 / 333)
        let law = try #require(report.law)
        let (c, atom, adequate, reason) = (law.correlation, law.atom, report.adequate, report.reason)
        #expect(c == 1 && abs(atom - (1 - 333.0 / 400)) < 1e-12)
        #expect(adequate, "\(reason)")
    }

    @Test func freeQIsRecoveredFromTheThirdMoment() throws {
        let ensemble = GeneralizedWishart(dimension: 400, samples: 1600, scale: 1, correlation: 0.6)
        let values = try ensemble.sampleEigenvalues(seed: 11, replicas: 2)
        for method in FitMethod.allCases {
            let report = try GMPFitter(method: method).fit(values, q: nil)
            let fittedQ = try #require(report.law).q
            #expect(report.qWasFitted)
            #expect(abs(fittedQ / 0.25 - 1) < 0.1, "\(method): q \(fittedQ)")
        }
    }

    /// A planted softmax classifier (C = 1000, N = 50000; docs/theory.md §2.5's simulation check): its
    /// spectrum of H, fitted with q = (C-1)/N, is adequate.
    @Test(.slow) func plantedSoftmaxSpectrumIsAdequate() throws {
        let (n, c) = (50_000, 1000)
        var rng = Xoshiro256StarStar(seed: 2026)
        var accumulator = CrossCovarianceAccumulator(classes: c, withTeacher: false)
        let block = 2000
        var logits = [Double](repeating: 0, count: block * c)
        var labels = [Int](repeating: 0, count: block)
        for _ in 0..<(n / block) {
            for r in 0..<block {
                labels[r] = Int(rng.next() % UInt64(c))
                for j in 0..<c { logits[r * c + j] = 1.5 * rng.normal() }
                // Planted: the true class gets a boost, so accuracy is about 0.3.
                logits[r * c + labels[r]] += 4
            }
            var p = logits
            p.withUnsafeMutableBufferPointer { Softmax.logitsToProbabilities($0, rows: block, columns: c, temperature: 1) }
            p.withUnsafeBufferPointer { pp in logits.withUnsafeBufferPointer { zz in labels.withUnsafeBufferPointer { yy in
                accumulator.add(probabilities: pp, scores: zz, labels: yy)
            } } }
        }
        let cov = accumulator.finish()
        let spectrum = try StructuralSpectrum(of: cov.h)
        let report = try GMPFitter(method: .distance).fit(spectrum.bulk, q: cov.q)
        let (adequate, reason) = (report.adequate, report.reason)
        #expect(adequate, "\(reason)")
        #expect(cov.accuracy > 0.1 && cov.accuracy < 0.9)
    }
}

@Suite struct FitFailureTests {
    @Test func notGMPLikeDataAreReportedNotHidden() throws {
        // Mean large against the spread: 2 m2/q - m1^2 < 0 at q = 0.01.
        let values = (0..<200).map { 10 + 0.001 * Double($0 % 7) }
        let report = try GMPFitter().fit(values, q: 0.01)
        let (adequate, hasLaw, hasKS, reason) = (report.adequate, report.law != nil, report.ks != nil, report.reason)
        #expect(!adequate && !hasLaw && !hasKS)
        #expect(reason.contains("not GMP-like"))
        // A bimodal spectrum that the law cannot produce: fitted, but inadequate.
        let bimodal: [Double] = (0..<500).map { (i: Int) -> Double in
            let side: Double = i % 2 == 0 ? -1 : 1
            return side + 0.01 * Double(i % 13)
        }
        let r2 = try GMPFitter().fit(bimodal, q: 0.1)
        let (adequate2, reason2) = (r2.adequate, r2.reason)
        #expect(!adequate2, "\(reason2)")
    }

    @Test func unusableInputIsAnError() {
        #expect(throws: FitError.tooFew(count: 9)) { try GMPFitter().fit((0..<9).map(Double.init), q: 0.1) }
        #expect(throws: FitError.allEqual(value: 2)) { try GMPFitter().fit([Double](repeating: 2, count: 50), q: 0.1) }
        #expect(throws: FitError.nonFinite(index: 3)) { try GMPFitter().fit([0, 1, 2, .nan] + (0..<20).map(Double.init), q: 0.1) }
        #expect(throws: FitError.invalidQ(-1)) { try GMPFitter().fit((0..<20).map(Double.init), q: -1) }
    }

    /// The bootstrap p-value is uniform-ish under the model: for a spectrum drawn from the law it
    /// is not small, and for a clearly wrong model it is the smallest possible.
    @Test func bootstrapPValue() throws {
        let ensemble = GeneralizedWishart(dimension: 100, samples: 400, correlation: 0.5)
        let values = try ensemble.sampleEigenvalues(seed: 5)
        let good = try GMPFitter(method: .moments, bootstrap: 39, seed: 1).fit(values, q: 0.25)
        let goodP = try #require(good.pValue)
        #expect(goodP > 0.05)
        // The wrong q (10x too small): the fitted law is far narrower in shape; p hits its floor 1/40.
        let wrong = try GMPFitter(method: .moments, bootstrap: 39, seed: 1).fit(values, q: 0.025)
        let (wrongP, wrongAdequate) = (wrong.pValue, wrong.adequate)
        #expect(wrongP == 1.0 / 40)
        #expect(!wrongAdequate)
    }
}

@Suite struct HonestBootstrapTests {
    /// The verdict is decided only when the p-value is resolved against 5% by two Monte Carlo
    /// standard errors; a clearly wrong model that B = 199 rejects is "undecided", never
    /// "adequate", at B = 1..18 and at B = 39 (p = 1/40 +- 1/40).
    @Test func verdictNeedsResolution() throws {
        let values = try GeneralizedWishart(dimension: 60, samples: 240, correlation: 0.5).sampleEigenvalues(seed: 5)
        let rejected = try GMPFitter(method: .moments, bootstrap: 199, seed: 1).fit(values, q: 0.025)
        #expect(rejected.verdict == .rejected && !rejected.adequate && rejected.pValue == 1.0 / 200)
        #expect(abs(rejected.pValueStandardError! - (0.005 * 0.995 / 199).squareRoot()) < 1e-15)
        for b in [1, 5, 18, 39] {
            let r = try GMPFitter(method: .moments, bootstrap: b, seed: 1).fit(values, q: 0.025)
            #expect(r.verdict == .undecided && !r.adequate, "B = \(b): \(r.verdict) \(r.reason)")
        }
        let few = try GMPFitter(method: .moments, bootstrap: 9, seed: 1).fit(values, q: 0.025)
        #expect(few.reason.contains("fewer than 19"))
        // Data from the law itself: adequate once resolved.
        let good = try GMPFitter(method: .moments, bootstrap: 99, seed: 2).fit(values, q: 0.25)
        #expect(good.verdict != .rejected, "\(good.reason)")
    }

    /// Bartlett's O(M^3) sampler has the direct sampler's law: the first two moments of the
    /// entries (E F_ii = s2 c, Var F_ii = s2^2 (1 + c^2)/T, Var F_ij = s2^2 (1 + c^2)/2T) within
    /// 5 Monte Carlo standard errors, and a two-sample KS test of pooled eigenvalues against the
    /// direct sampler at the 1% level, over a grid of (M, T, s2, c).
    @Test(.slow, arguments: [(8, 20, 1.0, 0.5), (30, 30, 0.3, -0.4), (50, 400, 2.0, 0.9), (40, 80, 1.0, 1.0), (40, 80, 1.0, -1.0)])
    func bartlettHasTheDirectLaw(m: Int, t: Int, s2: Double, c: Double) throws {
        let e = GeneralizedWishart(dimension: m, samples: t, scale: s2, correlation: c)
        #expect(e.bartlettApplies)
        let draws = 400
        var diag: [Double] = [], off: [Double] = []
        var bartlett: [Double] = [], direct: [Double] = []
        for r in 0..<draws {
            let f = e.sampleMatrixBartlett(seed: 77, replica: r)
            for i in 0..<m { diag.append(f[i, i]) }
            for i in 0..<m { for j in (i + 1)..<m { off.append(f[i, j]) } }
            if r < 40 {
                bartlett += try SymmetricEigen.eigenvalues(of: f)
                direct += try SymmetricEigen.eigenvalues(of: e.sampleMatrix(seed: 78, replica: r))
            }
        }
        func meanVar(_ v: [Double]) -> (Double, Double) {
            let mean = v.reduce(0, +) / Double(v.count)
            return (mean, v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1))
        }
        let (dm, dv) = meanVar(diag), (om, ov) = meanVar(off)
        let vDiag = s2 * s2 * (1 + c * c) / Double(t), vOff = s2 * s2 * (1 + c * c) / (2 * Double(t))
        #expect(abs(dm - s2 * c) < 5 * (vDiag / Double(diag.count)).squareRoot() + 1e-12, "mean diag \(dm)")
        #expect(abs(om) < 5 * (vOff / Double(off.count)).squareRoot())
        // Variance estimates: relative SE about sqrt(2/n) for near-Gaussian entries (looser for few).
        #expect(abs(dv / vDiag - 1) < 5 * (3.0 / Double(diag.count)).squareRoot(), "var diag \(dv) vs \(vDiag)")
        #expect(abs(ov / vOff - 1) < 5 * (3.0 / Double(off.count)).squareRoot(), "var off \(ov) vs \(vOff)")
        // Two-sample KS at 1%: D > 1.628 sqrt((n + m)/(n m)). Eigenvalues within a draw are
        // dependent, so this is lenient; it still catches a wrong scale or wrong T.
        let a = bartlett.sorted(), b = direct.sorted()
        var i = 0, j = 0, d = 0.0
        while i < a.count && j < b.count {
            if a[i] <= b[j] { i += 1 } else { j += 1 }
            d = max(d, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
        }
        let n = Double(a.count)
        #expect(d < 1.628 * (2 / n).squareRoot(), "two-sample KS \(d)")
    }
}

@Suite struct KolmogorovSmirnovLocationTests {
    /// For a law without an atom the located distance is the KS statistic, attained at a sample point.
    @Test func locationMatchesTheStatistic() throws {
        let law = try GeneralizedMarchenkoPastur(q: 0.25, scale: 1, correlation: 0.4)
        let sample = try GeneralizedWishart(dimension: 60, samples: 240, scale: 1, correlation: 0.4).sampleEigenvalues(seed: 2, replicas: 3).sorted()
        let located = GoodnessOfFit.kolmogorovSmirnovLocation(sorted: sample, law: law)
        #expect(abs(located.distance - GoodnessOfFit.kolmogorovSmirnov(sorted: sample, law: law)) < 1e-15)
        #expect(sample.contains(located.x) && abs(abs(located.empirical - located.fitted) - located.distance) < 1e-15)
    }
}
