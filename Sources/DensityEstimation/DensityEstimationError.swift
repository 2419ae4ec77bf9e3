/// Inputs a density estimate cannot be built from, with what to do about it.
public enum DensityEstimationError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case nonFinite(index: Int, value: Double)
    case badWeight(index: Int, value: Double)
    case weightCountMismatch(data: Int, weights: Int)
    /// Every point is equal (or the spread is zero): a data-driven bandwidth is undefined.
    case zeroSpread(method: String)
    case outsideBounds(index: Int, value: Double, lower: Double?, upper: Double?)
    case invalidBandwidth(Double)
    case invalidGrid(Int)
    /// The ISJ fixed-point equation has no root on the search interval.
    case isjDidNotConverge(n: Int)

    public var description: String {
        switch self {
        case .empty: return "no data points; a density needs at least one"
        case let .nonFinite(i, v): return "data point \(i) is \(v); remove non-finite values"
        case let .badWeight(i, v): return "weight \(i) is \(v); weights must be finite and non-negative, with a positive sum"
        case let .weightCountMismatch(d, w): return "\(w) weights for \(d) data points; give one weight per point"
        case let .zeroSpread(method):
            return "all data points are equal, so the \(method) bandwidth is zero; give a bandwidth as a number"
        case let .outsideBounds(i, v, lo, hi):
            return "data point \(i) = \(v) lies outside the bounds [\(lo.map { "\($0)" } ?? "-inf"), \(hi.map { "\($0)" } ?? "inf")]"
        case let .invalidBandwidth(h): return "bandwidth \(h) is not a positive finite number"
        case let .invalidGrid(m): return "grid of \(m) points; use at least 16"
        case let .isjDidNotConverge(n):
            return "the Improved Sheather-Jones equation has no root for these \(n) points (too few or too clustered); use silverman or a number"
        }
    }
}
