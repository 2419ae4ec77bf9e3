import Ensembles
import Fitting
import Foundation
import Laws
import LinearAlgebra
import Testing
import _TestSupport

/// A generalised Wishart plus `spikes` planted rank-one terms `theta v v^T` (random orthonormal
/// `v`): the spiked model the outlier separation is for.
func spikedSpectrum(m: Int, q: Double, c: Double, spikes: [Double], seed: UInt64) throws -> [Double] {
    let e = GeneralizedWishart(dimension: m, samples: Int((Double(m) / q).rounded()), scale: 1, correlation: c)
    var f = e.bartlettApplies ? e.sampleMatrixBartlett(seed: seed) : e.sampleMatrix(seed: seed)
    var rng = Xoshiro256StarStar(seed: seed, stream: 99)
    var basis: [[Double]] = []
    for theta in spikes {
        var v = (0..<m).map { _ in rng.normal() }
        for b in basis { let d = zip(v, b).map(*).reduce(0, +); for i in 0..<m { v[i] -= d * b[i] } }
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        v = v.map { $0 / norm }
        basis.append(v)
        for i in 0..<m { for j in 0..<m { f[i, j] += theta * v[i] * v[j] } }
    }
    return try SymmetricEigen.eigenvalues(of: f)
}

@Suite struct OutlierTests {
    /// Pure bulks: at most 5% of spectra report any outlier at the default margin, over a grid of
    /// (M, q, c); and the separation leaves the fit as it was.
    @Test(.slow) func pureBulksRarelyHaveOutliers() throws {
        var withOutliers = 0, total = 0
        for (m, q, c) in [(100, 0.1, 0.3), (100, 0.5, 0.8), (200, 0.25, -0.4), (60, 0.05, 0.0)] {
            for seed in 0..<25 {
                let values = try spikedSpectrum(m: m, q: q, c: c, spikes: [], seed: UInt64(1000 * m + seed))
                let s = OutlierSeparation(values, q: Double(m) * q / Double(m), mode: .auto, fitter: GMPFitter(method: .distance))
                if !s.outliers.isEmpty { withOutliers += 1 }
                total += 1
            }
        }
        print("pure bulks with an outlier: \(withOutliers) of \(total)")
        #expect(Double(withOutliers) <= 0.05 * Double(total), "\(withOutliers) of \(total) pure bulks report outliers")
    }

    /// Planted spikes well beyond the edge are all found, no more, and the bulk's (s2, c) are
    /// recovered within 3%, over several (M, q, c) and spike strengths.
    @Test(.slow, arguments: [(150, 0.2, 0.5, [1.5, 2.5]), (200, 0.1, 0.0, [1.0]), (120, 0.5, 0.8, [3.0, 4.0, 6.0]), (200, 0.25, -0.3, [1.5, 2.0])])
    func plantedSpikesAreFound(m: Int, q: Double, c: Double, spikes: [Double]) throws {
        let values = try spikedSpectrum(m: m, q: q, c: c, spikes: spikes, seed: 7)
        let s = OutlierSeparation(values, q: q, mode: .auto, fitter: GMPFitter(method: .distance))
        #expect(s.outliers.count == spikes.count, "found \(s.outliers.map(\.value)) for spikes \(spikes); sequence \(s.sequence)")
        let law = try #require(s.law)
        #expect(abs(law.scale - 1) < 0.03 && abs(law.correlation - c) < 0.03 * max(1, abs(c)), "s2 \(law.scale), c \(law.correlation)")
        #expect(s.outliers.allSatisfy { $0.twDistance > OutlierSeparation.defaultMargin && $0.side == "upper" })
        // Without separation the same fit is pulled away by the spikes.
        let none = OutlierSeparation(values, q: q, mode: .none, fitter: GMPFitter(method: .distance))
        #expect(none.outliers.isEmpty && none.bulk.count == values.count)
        // A fixed count takes exactly that many, the most extreme first.
        let two = OutlierSeparation(values, q: q, mode: .count(1), fitter: GMPFitter(method: .distance))
        #expect(two.outliers.count == 1 && two.outliers[0].value == values.max())
    }

    /// The Tracy-Widom unit is M^(-2/3) for the semicircle's normalisation: checked through the
    /// Marchenko-Pastur edge, where k and the unit have a closed form.
    @Test func tracyWidomUnit() throws {
        // c = 1, s2 = 1: MP with ratio q and scale s2 (1+c)/2 * 2 = ... use the fitted density directly.
        let law = try GeneralizedMarchenkoPastur(q: 0.25, scale: 1, correlation: 1)
        let hi = law.supportIntervals.last!.upperBound
        // MP(q, sigma^2 = 1): rho(x) = sqrt((b - x)(x - a)) / (2 pi q x); near b: k = sqrt(b - a) / (2 pi q b).
        let a = law.supportIntervals.first!.lowerBound
        let k = (hi - a).squareRoot() / (2 * Double.pi * 0.25 * hi)
        let (_, upper) = OutlierSeparation.edgeUnitsForTesting(law, dimension: 400)
        #expect(abs(upper / pow(Double.pi * k * 400, -2.0 / 3) - 1) < 1e-3)
    }
}

@Suite struct OutlierBootstrapCalibrationTests {
    /// The bulk's bootstrap stays calibrated with outliers set apart: over spiked spectra whose
    /// bulk is a true GMP, the p-values are roughly uniform (share at or below 0.2 within
    /// binomial error of 0.2), and the planted spikes never enter the bulk.
    @Test(.slow) func pValuesAreUniformOnSpikedSpectra() throws {
        var pValues: [Double] = []
        // 60 spectra at M = 40 gave share 0.217 and mean 0.519 (docs/theory.md §2.6); the suite
        // runs 20 at M = 30 to stay quick.
        for seed in 0..<20 {
            let values = try spikedSpectrum(m: 30, q: 0.2, c: 0.4, spikes: [2.0, 3.0], seed: UInt64(5000 + seed))
            var fitter = GMPFitter(method: .distance, bootstrap: 19, seed: UInt64(seed))
            fitter.outliers = .auto
            let report = try fitter.fit(values, q: 0.2)
            #expect(report.separation?.outliers.count == 2)
            pValues.append(report.pValue!)
        }
        let low = Double(pValues.filter { $0 <= 0.2 }.count) / Double(pValues.count)
        let mean = pValues.reduce(0, +) / Double(pValues.count)
        print("p-values on spiked spectra: share <= 0.2: \(low), mean \(mean)")
        // Uniform on {1/20, ..., 1}: P(p <= 0.2) = 0.2, mean 0.525; 20 draws: SE 0.089 and 0.065.
        #expect(abs(low - 0.2) < 3 * 0.089 && abs(mean - 0.525) < 3 * 0.065)
    }
}
