import NumericSupport

extension GeneralizedMarchenkoPastur {
    /// The `p`-quantile, `inf {x : F(x) >= p}`, by bisection on the CDF over the support (the atom
    /// at 0, when there is one, is the quantile of every `p` its mass covers). 100 halvings of
    /// the support: the result is within one ulp of the support's width of the exact quantile.
    /// - Precondition: `0 <= p <= 1`.
    public func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "quantile: p = \(p) is not a probability")
        let intervals = supportIntervals
        var lo = intervals.first!.lowerBound, hi = intervals.last!.upperBound
        if atom > 0 { lo = min(lo, 0); hi = max(hi, 0) }
        return Bisection.inverse(of: { cdf(at: $0) }, at: p, in: (lo, hi))
    }
}
