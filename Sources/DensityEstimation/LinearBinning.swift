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
    public static func bin(_ sample: WeightedSample, on grid: UniformGrid) -> [Double] {
        var counts = [Double](repeating: 0, count: grid.count)
        let inverse = 1 / grid.spacing
        let last = grid.count - 1
        for (x, w) in zip(sample.values, sample.weights) {
            let t = min(max((x - grid.lower) * inverse, 0), Double(last))
            let i = min(Int(t), last - 1)
            let fraction = t - Double(i)
            counts[i] += w * (1 - fraction)
            counts[i + 1] += w * fraction
        }
        return counts
    }
}
