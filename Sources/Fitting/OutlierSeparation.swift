import Foundation
import Laws

/// A random bulk plus a few outlier eigenvalues (a spiked model; Baik, Ben Arous & Peche 2005):
/// the GMP law is fitted to the bulk, eigenvalues beyond its edges by more than a Tracy-Widom
/// scaled margin are set apart, the bulk is refitted, and so on to a fixed point
/// (docs/theory.md §2.6).
///
/// Tracy-Widom unit at an edge: near a soft edge `e` the density is `rho(x) ~ k sqrt(|e - x|)`,
/// and the largest of M eigenvalues fluctuates on the scale `u = (pi k M)^(-2/3)` (for the
/// semicircle on [-2, 2], `k = 1/pi` and `u = M^(-2/3)`, the Tracy-Widom normalisation). An
/// eigenvalue is an outlier when it lies more than `margin` units beyond the nearest edge.
public struct OutlierSeparation: Sendable {
    public enum Mode: Sendable, Equatable {
        /// No separation: the whole spectrum is the bulk.
        case none
        /// Iterate to a fixed point with the Tracy-Widom margin.
        case auto
        /// Exactly `k` outliers: the `k` eigenvalues farthest beyond the edges, in TW units.
        case count(Int)
    }

    /// An eigenvalue set apart, and how far beyond its edge it lies.
    public struct Outlier: Sendable, Equatable {
        public let value: Double
        /// Distance beyond the nearest outer edge, in Tracy-Widom units (negative: inside).
        public let twDistance: Double
        /// `upper` or `lower`.
        public let side: String
    }

    public let bulk: [Double]
    public let outliers: [Outlier]
    public let law: GeneralizedMarchenkoPastur?
    /// Outlier counts of the iterations, in order (the last is the fixed point).
    public let sequence: [Int]
    /// TW units at the lower and upper edges of the final bulk fit.
    public let edgeUnits: (lower: Double, upper: Double)?
    public let margin: Double

    /// The default margin, in Tracy-Widom units. TW1's 99.9% quantile is about 4.1; the edges are
    /// themselves estimated and both are tested, so 4 keeps pure bulks at the stated false-outlier
    /// rate (measured in docs/theory.md §2.6).
    public static let defaultMargin = 4.0
    public static let maximumIterations = 10

    /// Separates `eigenvalues` (the bulk of one spectrum, or several pooled: `spectra` of them).
    public init(_ eigenvalues: [Double], q: Double?, mode: Mode, fitter: GMPFitter, spectra: Int = 1,
                margin: Double = OutlierSeparation.defaultMargin) {
        self.margin = margin
        let sorted = eigenvalues.sorted()
        var simple = fitter
        simple.bootstrap = 0
        var bulk = sorted
        var outliers: [Outlier] = []
        var sequence: [Int] = []
        var law: GeneralizedMarchenkoPastur?
        var units: (Double, Double)?
        let perSpectrum = max(1, sorted.count / max(spectra, 1))
        iterations: for _ in 0..<(mode == .none ? 1 : Self.maximumIterations) {
            var why = ""
            guard bulk.count >= 10, let fitted = simple.estimate(bulk, q: q, reason: &why) else { break }
            law = fitted
            let (lower, upper) = Self.edgeUnits(fitted, dimension: perSpectrum)
            units = (lower, upper)
            let lo = fitted.supportIntervals.first!.lowerBound, hi = fitted.supportIntervals.last!.upperBound
            let distances = sorted.map { v -> (Double, String) in
                v >= hi ? ((v - hi) / upper, "upper") : v <= lo ? ((lo - v) / lower, "lower") : (-min(hi - v, v - lo) / max(lower, upper), "inside")
            }
            var chosen: [Int]
            switch mode {
            case .none: chosen = []
            case .auto: chosen = sorted.indices.filter { distances[$0].0 > margin }
            case let .count(k):
                chosen = Array(sorted.indices.sorted { distances[$0].0 > distances[$1].0 }.prefix(max(0, min(k, sorted.count - 10))))
            }
            chosen.sort()
            let next = chosen.map { Outlier(value: sorted[$0], twDistance: distances[$0].0, side: distances[$0].1 == "inside" ? (sorted[$0] > (lo + hi) / 2 ? "upper" : "lower") : distances[$0].1) }
            sequence.append(next.count)
            let changed = next.map(\.value) != outliers.map(\.value)
            outliers = next
            let set = Set(chosen)
            bulk = sorted.indices.filter { !set.contains($0) }.map { sorted[$0] }
            // A fixed point: the set did not change (on the first round, nothing was set apart).
            if mode == .none || !changed { break iterations }
        }
        self.bulk = bulk
        self.outliers = outliers
        self.law = law
        self.sequence = sequence
        edgeUnits = units.map { (lower: $0.0, upper: $0.1) }
    }

    /// Tracy-Widom units `(pi k M)^(-2/3)` at the outer edges, from the fitted density's
    /// square-root coefficient `k = rho(e -+ d)/sqrt(d)` a little inside each edge.
    static func edgeUnits(_ law: GeneralizedMarchenkoPastur, dimension m: Int) -> (Double, Double) {
        let lo = law.supportIntervals.first!.lowerBound, hi = law.supportIntervals.last!.upperBound
        let d = 1e-4 * (hi - lo)
        func unit(_ density: Double) -> Double {
            let k = density / d.squareRoot()
            guard k > 0, k.isFinite else { return (hi - lo) * pow(Double(m), -2.0 / 3) }
            return pow(Double.pi * k * Double(m), -2.0 / 3)
        }
        return (unit(law.density(at: lo + d)), unit(law.density(at: hi - d)))
    }
}

extension OutlierSeparation {
    /// `edgeUnits` for tests.
    public static func edgeUnitsForTesting(_ law: GeneralizedMarchenkoPastur, dimension: Int) -> (Double, Double) {
        edgeUnits(law, dimension: dimension)
    }
}
