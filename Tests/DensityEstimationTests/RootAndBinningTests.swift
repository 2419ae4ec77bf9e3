@testable import DensityEstimation
import NumericSupport
import Foundation
import Testing
import _TestSupport

@Suite struct BrentRootTests {
    /// Literature roots: Dottie's number (cos x = x) and Wallis's cubic x^3 - 2x - 5.
    @Test func knownRoots() {
        #expect(abs(BrentRoot.find(in: (0, 1)) { cos($0) - $0 }! - 0.7390851332151607) < 1e-11)
        #expect(abs(BrentRoot.find(in: (2, 3)) { $0 * $0 * $0 - 2 * $0 - 5 }! - 2.0945514815423265) < 1e-11)
        // A root at a steep, nearly flat function: x^9 on [-1, 2] (bisection's safeguard).
        #expect(abs(BrentRoot.find(in: (-1, 2)) { pow($0, 9) }!) < 1e-1)
        #expect(BrentRoot.find(in: (1, 2)) { $0 * $0 + 1 } == nil)
    }
}

@Suite struct LinearBinningTests {
    /// Linear binning keeps the total weight and the first moment exactly (up to rounding), on
    /// random weighted samples and grids.
    @Test(arguments: [11, 64, 1000])
    func conservesMassAndMean(points: Int) throws {
        var rng = SplitMix64(seed: UInt64(points))
        let values = (0..<500).map { _ in rng.normal() }, weights = (0..<500).map { _ in 0.1 + rng.uniform() }
        let sample = try WeightedSample(values: values, weights: weights)
        let grid = UniformGrid(lower: values.min()! - 0.5, upper: values.max()! + 0.5, count: points)
        let bins = LinearBinning.bin(sample, on: grid)
        let total = weights.reduce(0, +)
        let mean = zip(values, weights).map(*).reduce(0, +)
        let binnedMean = bins.enumerated().map { (grid.lower + Double($0.offset) * grid.spacing) * $0.element }.reduce(0, +)
        let binnedTotal = bins.reduce(0, +)
        #expect(abs(binnedTotal - total) < 1e-12 * total || abs(binnedTotal - 1) < 1e-12, "total \(binnedTotal) vs \(total)")
        let scale = binnedTotal / total
        #expect(abs(binnedMean - mean * scale) < 1e-10 * total)
    }
}
