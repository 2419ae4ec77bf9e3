import Foundation
import NumericSupport

/// An equispaced grid `lower + i * spacing`, `i = 0 ..< count`.
public struct UniformGrid: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let count: Int

    public init(lower: Double, upper: Double, count: Int) {
        precondition(count >= 2 && upper > lower, "grid needs at least 2 points and upper > lower")
        self.lower = lower
        self.upper = upper
        self.count = count
    }

    public var spacing: Double { (upper - lower) / Double(count - 1) }
    public var points: [Double] { (0..<count).map { lower + Double($0) * spacing } }
}

/// Linear binning (Wand & Jones 1995, §D.2): each point's weight is split between its two
/// neighbouring grid points in proportion to proximity. Mass is conserved exactly, and the
/// first moment too; the error a binned KDE makes is O(spacing^2 / h^2) of the peak.
public enum LinearBinning {
    /// Binned weights, one per grid point (their sum is the sample's total weight).
    /// Points outside the grid are clamped onto its end points.
    ///
    /// - Complexity: O(n + m).
    /// Large samples are split into 8 fixed slices binned in parallel and summed in slice order,
    /// so the result does not depend on the number of cores.
    public static func bin(_ sample: WeightedSample, on grid: UniformGrid) -> [Double] {
        let m = grid.count, n = sample.values.count
        let slices = n >= 1 << 18 ? 8 : 1
        var partial = [Double](repeating: 0, count: slices * m)
        let inverse = 1 / grid.spacing
        let last = m - 1
        let lower = grid.lower
        partial.withUnsafeMutableBufferPointer { counts in
            sample.values.withUnsafeBufferPointer { xs in
                let base = counts.baseAddress!, x = xs.baseAddress!
                let weights = sample.storedWeights
                let work: (Int) -> Void = { s in
                    let c = base + s * m
                    let range = (n * s / slices) ..< (n * (s + 1) / slices)
                    for k in range {
                        let w = weights?[k] ?? 1
                        let t = min(max((x[k] - lower) * inverse, 0), Double(last))
                        let i = min(Int(t), last - 1)
                        let fraction = t - Double(i)
                        c[i] += w * (1 - fraction)
                        c[i + 1] += w * fraction
                    }
                }
                ParallelRows.forEachBlock(rows: slices, blockSize: 1) { s, _ in work(s) }
            }
        }
        if slices == 1 { return partial }
        var counts = Array(partial[0..<m])
        for s in 1..<slices { for i in 0..<m { counts[i] += partial[s * m + i] } }
        return counts
    }
}
