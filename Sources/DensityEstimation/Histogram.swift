import Foundation
import NumericSupport

/// A density histogram: equal-width bins, counts, and `count / (n width)` so that bars and a
/// density curve share one axis.
///
/// Bin width by Freedman & Diaconis (1981), `2 IQR n^(-1/3)`, which resists the outliers of
/// spiked spectra better than Scott's rule; Sturges' count when the IQR is 0. The number of bins
/// is kept in `[minBins, maxBins]` so tiny samples still show a shape and huge ones stay legible.
public struct Histogram: Sendable, Equatable {
    /// `bins + 1` ascending edges.
    public let edges: [Double]
    public let counts: [Int]
    public let densities: [Double]

    /// - Precondition: `values` non-empty and finite (callers validate first).
    /// - Complexity: O(n log n) for the quartiles, O(n) for the counts.
    public init(values: [Double], minBins: Int = 10, maxBins: Int = 100) {
        precondition(!values.isEmpty && values.allSatisfy(\.isFinite), "histogram needs finite values")
        let sorted = values.sorted()
        let n = sorted.count
        var lo = sorted.first!, hi = sorted.last!
        if lo == hi { lo -= 0.5 * max(abs(lo), 1e-12); hi += 0.5 * max(abs(hi), 1e-12) }
        let iqr = Self.quantile(sorted, 0.75) - Self.quantile(sorted, 0.25)
        var bins: Int
        if iqr > 0 {
            let width = 2 * iqr * Foundation.pow(Double(n), -1.0 / 3)
            bins = Int(((hi - lo) / width).rounded(.up))
        } else {
            bins = Int(Foundation.log2(Double(n)).rounded(.up)) + 1
        }
        bins = min(max(bins, minBins), maxBins)
        let width = (hi - lo) / Double(bins)
        edges = (0...bins).map { lo + Double($0) * width }
        var counts = [Int](repeating: 0, count: bins)
        for x in sorted { counts[min(max(Int((x - lo) / width), 0), bins - 1)] += 1 }
        self.counts = counts
        densities = counts.map { Double($0) / (Double(n) * width) }
    }

    /// numpy's default (linear) quantile of sorted values.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double { SampleQuantile.linear(sorted, p) }
}
