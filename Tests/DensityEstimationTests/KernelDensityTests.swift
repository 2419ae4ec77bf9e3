import DensityEstimation
import Foundation
import Testing
import _TestSupport

func normals(_ n: Int, seed: UInt64, mean: Double = 0, sd: Double = 1) -> [Double] {
    var rng = SplitMix64(seed: seed)
    return (0..<n).map { _ in mean + sd * rng.normal() }
}

/// Trapezoid rule over the grid: exact for the discrete estimate, with or without reflection.
func riemannMass(_ e: KernelDensityEstimate) -> Double {
    (e.density.reduce(0, +) - (e.density.first! + e.density.last!) / 2) * e.grid.spacing
}

@Suite struct KernelDensityTests {
    @Test(arguments: [BandwidthMethod.silverman, .scott, .isj, .fixed(0.05)], [100, 10_000])
    func integratesToOne(method: BandwidthMethod, n: Int) throws {
        let data = normals(n, seed: UInt64(n)) + normals(n / 2, seed: 9, mean: 5, sd: 0.3)
        let e = try KernelDensity(bandwidth: method).estimate(WeightedSample(values: data))
        #expect(abs(riemannMass(e) - 1) < 1e-6)
        #expect(e.density.allSatisfy { $0 >= 0 })
    }

    /// The FFT estimate equals the direct O(n m) Gaussian sum within 1e-3 of the peak.
    @Test(.slow, arguments: [50, 2_000, 40_000], [BandwidthMethod.silverman, .isj])
    func matchesDirectSum(n: Int, method: BandwidthMethod) throws {
        let data = normals(n, seed: 3) + normals(n / 3, seed: 4, mean: 4, sd: 0.5)
        let e = try KernelDensity(bandwidth: method).estimate(WeightedSample(values: data))
        let xs = stride(from: e.grid.lower, through: e.grid.upper, by: e.grid.spacing * 37).map { $0 }
        let direct = naiveGaussianKDE(data, bandwidth: e.bandwidth, at: xs)
        let fast = e.evaluate(at: xs)
        let peak = direct.max()!
        let worst = zip(fast, direct).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-3 * peak, "worst \(worst / peak) of the peak")
    }

    /// Integer weights are repeated points: same bandwidth, same density.
    @Test(arguments: [BandwidthMethod.silverman, .scott, .isj])
    func integerWeightsEqualRepetition(method: BandwidthMethod) throws {
        let base = normals(300, seed: 5)
        var rng = SplitMix64(seed: 6)
        let weights = base.map { _ in Double(Int.random(in: 0...3, using: &rng)) }
        var repeated: [Double] = []
        for (x, w) in zip(base, weights) { repeated += [Double](repeating: x, count: Int(w)) }
        let a = try KernelDensity(bandwidth: method).estimate(WeightedSample(values: base, weights: weights))
        let b = try KernelDensity(bandwidth: method).estimate(WeightedSample(values: repeated))
        #expect(relativeDifference(a.bandwidth, b.bandwidth) < 1e-12)
        #expect(maxRelativeDifference(a.density, b.density) < 1e-9)
    }

    /// Reflection keeps all the mass inside the bounds, and is needed: without it an exponential
    /// sample loses a visible share of mass below 0.
    @Test func reflectionLosesNoMass() throws {
        var rng = SplitMix64(seed: 8)
        let data = (0..<5000).map { _ in -log(Double.random(in: Double.ulpOfOne..<1, using: &rng)) }
        let reflected = try KernelDensity(bandwidth: .silverman, lowerBound: 0).estimate(WeightedSample(values: data))
        #expect(reflected.grid.lower == 0)
        #expect(abs(riemannMass(reflected) - 1) < 1e-6)
        let plain = try KernelDensity(bandwidth: .silverman).estimate(WeightedSample(values: data))
        let below = plain.evaluate(at: stride(from: -1.0, to: 0, by: 0.001).map { $0 }).reduce(0, +) * 0.001
        #expect(below > 0.01)
        // Near the bound the reflected estimate is close to the true density e^{-x} = 1 at 0.
        #expect(abs(reflected.evaluate(at: [0.0])[0] - 1) < 0.15)
        let both = try KernelDensity(bandwidth: .fixed(0.2), lowerBound: 0, upperBound: 3).estimate(
            WeightedSample(values: data.filter { $0 <= 3 }))
        #expect(abs(riemannMass(both) - 1) < 1e-6)
    }

    @Test func rejectsBadInput() {
        #expect(throws: DensityEstimationError.empty) { try WeightedSample(values: []) }
        #expect(throws: DensityEstimationError.nonFinite(index: 1, value: .infinity)) { try WeightedSample(values: [1, .infinity]) }
        #expect(throws: DensityEstimationError.badWeight(index: 0, value: -1)) { try WeightedSample(values: [1, 2], weights: [-1, 1]) }
        #expect(throws: DensityEstimationError.weightCountMismatch(data: 2, weights: 1)) { try WeightedSample(values: [1, 2], weights: [1]) }
        #expect(throws: DensityEstimationError.zeroSpread(method: "silverman")) {
            try KernelDensity(bandwidth: .silverman).estimate(WeightedSample(values: [2, 2, 2]))
        }
        #expect(throws: DensityEstimationError.zeroSpread(method: "isj")) {
            try KernelDensity(bandwidth: .isj).estimate(WeightedSample(values: [2, 2, 2]))
        }
        #expect(throws: DensityEstimationError.self) {
            try KernelDensity(bandwidth: .silverman, lowerBound: 0).estimate(WeightedSample(values: [-1, 1, 2]))
        }
        #expect(BandwidthMethod(argument: "-1") == nil && BandwidthMethod(argument: "ISJ") == .isj)
    }

    @Test func quantilesMatchNumpyLinearInterpolation() throws {
        // numpy.percentile([3, 1, 4, 1, 5, 9, 2, 6], [25, 50, 75]) = [1.75, 3.5, 5.25]
        let s = try WeightedSample(values: [3, 1, 4, 1, 5, 9, 2, 6])
        #expect(s.quantiles([0.25, 0.5, 0.75]) == [1.75, 3.5, 5.25])
        let w = try WeightedSample(values: [1, 3, 4, 5, 9, 2, 6], weights: [2, 1, 1, 1, 1, 1, 1])
        #expect(w.quantiles([0.25, 0.5, 0.75]) == [1.75, 3.5, 5.25])
    }
}

@Suite struct BandwidthTests {
    /// On normal data ISJ lands near the normal-reference optimum 1.06 sd n^(-1/5).
    @Test(arguments: [10_000, 100_000])
    func isjNearNormalReference(n: Int) throws {
        let data = normals(n, seed: UInt64(n) + 1, sd: 2)
        let h = try BandwidthMethod.isj.bandwidth(for: WeightedSample(values: data))
        let reference = 1.06 * 2 * pow(Double(n), -0.2)
        #expect(abs(h / reference - 1) < 0.1, "isj \(h) vs \(reference)")
    }

    /// On a well-separated bimodal mixture ISJ picks a much smaller bandwidth than Silverman.
    @Test func isjResolvesBimodalMixtures() throws {
        let data = normals(20_000, seed: 1, mean: -3) + normals(20_000, seed: 2, mean: 3)
        let sample = try WeightedSample(values: data)
        let isj = try BandwidthMethod.isj.bandwidth(for: sample)
        let silverman = try BandwidthMethod.silverman.bandwidth(for: sample)
        #expect(isj < 0.5 * silverman, "isj \(isj) silverman \(silverman)")
    }

    /// Bandwidths scale with the data: h(a x) = a h(x), for every rule (KDEpy's ISJ does not).
    @Test(arguments: [BandwidthMethod.silverman, .scott, .isj])
    func scaleEquivariance(method: BandwidthMethod) throws {
        let data = normals(5000, seed: 11) + normals(2000, seed: 12, mean: 4)
        let h = try method.bandwidth(for: WeightedSample(values: data))
        for a in [1e-5, 0.01, 1000.0] {
            let ha = try method.bandwidth(for: WeightedSample(values: data.map { $0 * a }))
            #expect(relativeDifference(ha, a * h) < 1e-6, "scale \(a)")
        }
    }

    @Test func silvermanAndScottClosedForms() throws {
        let data = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let s = try WeightedSample(values: data)
        let sd = 3.0276503540974917  // numpy std(ddof=1)
        let iqr = 4.5                // numpy percentile 75 - 25
        #expect(relativeDifference(try BandwidthMethod.scott.bandwidth(for: s), 1.06 * sd * pow(10, -0.2)) < 1e-12)
        #expect(relativeDifference(try BandwidthMethod.silverman.bandwidth(for: s), 0.9 * min(sd, iqr / 1.34) * pow(10, -0.2)) < 1e-12)
    }
}
