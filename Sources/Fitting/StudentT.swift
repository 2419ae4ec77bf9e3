import Foundation
import Laws
import NumericSupport

/// Student's t distribution: CDF through the regularised incomplete beta function and the
/// quantile by bisection. Used for prediction intervals from a handful of pilot runs, where the
/// normal 1.96 would be far too narrow (with 2 pilots and 1 parameter the 97.5% quantile is 12.7).
public enum StudentT {
    /// `P(T <= t)` for `degrees > 0` degrees of freedom. Accurate to about 1e-12.
    public static func cdf(_ t: Double, degrees: Double) -> Double {
        precondition(degrees > 0, "degrees of freedom must be positive")
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let x = degrees / (degrees + t * t)
        let tail = 0.5 * IncompleteBeta.regularized(x, a: degrees / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The `p`-quantile, `0 < p < 1`, by bisection on `cdf` (monotone), to 1e-12 absolute.
    public static func quantile(_ p: Double, degrees: Double) -> Double {
        precondition(p > 0 && p < 1, "p must lie in (0, 1)")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degrees: degrees) }
        var hi = 1.0
        while cdf(hi, degrees: degrees) < p { hi *= 2 }
        return Bisection.inverse(of: { cdf($0, degrees: degrees) }, at: p, in: (0, hi), tolerance: 1e-12, iterations: 200)
    }
}
