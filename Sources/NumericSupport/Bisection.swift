/// Inverting a non-decreasing function by bisection: the quantiles of the GMP law and of
/// Student's t. Slower than Newton or Brent but never leaves the bracket and needs no
/// derivative, which matters where the CDF has an atom or flat stretches.
public enum Bisection {
    /// The smallest `x` in `[lower, upper]` (to `tolerance`, relative to `max(1, |x|)`) with
    /// `f(x) >= target`, for non-decreasing `f`; at most `iterations` halvings.
    public static func inverse(of f: (Double) -> Double, at target: Double, in bracket: (lower: Double, upper: Double),
                               tolerance: Double = 0, iterations: Int = 100) -> Double {
        var lo = bracket.lower, hi = bracket.upper
        for _ in 0..<iterations {
            let mid = (lo + hi) / 2
            if f(mid) < target { lo = mid } else { hi = mid }
            if hi - lo <= tolerance * max(1, abs(hi)) { break }
        }
        return (lo + hi) / 2
    }
}
