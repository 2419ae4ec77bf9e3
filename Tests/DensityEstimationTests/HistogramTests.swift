import DensityEstimation
import Foundation
import Testing
import _TestSupport

@Suite struct HistogramTests {
    /// Bin count is numpy's `np.histogram_bin_edges(x, "fd")` count, ceil(range / (2 IQR n^(-1/3))),
    /// kept in [10, 100]; densities integrate to 1 and counts to n.
    @Test(arguments: [50, 1000, 20000])
    func freedmanDiaconis(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let x = (0..<n).map { _ in rng.normal() * 3 + 1 }
        let h = Histogram(values: x)
        let sorted = x.sorted()
        func q(_ p: Double) -> Double {
            let t = p * Double(n - 1), i = Int(t)
            return sorted[i] + (t - Double(i)) * (sorted[i + 1] - sorted[i])
        }
        let expected = Int(((sorted.last! - sorted.first!) / (2 * (q(0.75) - q(0.25)) * pow(Double(n), -1.0 / 3))).rounded(.up))
        #expect(h.counts.count == min(max(expected, 10), 100))
        #expect(h.counts.reduce(0, +) == n)
        #expect(h.edges.first == sorted.first && abs(h.edges.last! - sorted.last!) < 1e-12 * abs(sorted.last!))
        let mass = zip(h.densities, zip(h.edges, h.edges.dropFirst())).reduce(0.0) { $0 + $1.0 * ($1.1.1 - $1.1.0) }
        #expect(abs(mass - 1) < 1e-12)
    }

    @Test func degenerateSamples() {
        let same = Histogram(values: [2, 2, 2])
        #expect(same.counts.reduce(0, +) == 3 && same.edges.first! < 2 && same.edges.last! > 2)
        let tied = Histogram(values: [0, 1, 1, 1, 1, 1, 1, 1, 2])  // IQR 0: Sturges, then at least 10 bins
        #expect(tied.counts.count == 10 && tied.counts.reduce(0, +) == 9)
    }
}
