/// Sample quantiles as numpy computes them by default (`method="linear"`): the value at rank
/// `p (n - 1)` of the sorted sample, interpolated linearly between neighbours.
public enum SampleQuantile {
    /// - Precondition: `sorted` is non-empty and ascending, `0 <= p <= 1`.
    public static func linear(_ sorted: [Double], _ p: Double) -> Double {
        precondition(!sorted.isEmpty && p >= 0 && p <= 1, "SampleQuantile: empty sample or p = \(p) outside [0, 1]")
        let h = p * Double(sorted.count - 1), i = Int(h)
        return i + 1 < sorted.count ? sorted[i] + (h - Double(i)) * (sorted[i + 1] - sorted[i]) : sorted[i]
    }
}
