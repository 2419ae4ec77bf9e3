import Foundation

/// The effective student logit of Ji & Zhu (NeurIPS 2020, eq. 3; docs/companions.md §3.1): a
/// student trained to convergence on one input with the mixed binary loss
///
///     rho H(sigma(z_t / T), sigma(z / T)) + (1 - rho) H(y_g, sigma(z))
///
/// settles where the derivative in `z` vanishes,
///
///     (rho / T) (sigma(z / T) - sigma(z_t / T)) + (1 - rho) (sigma(z) - y_g) = 0.
///
/// The left side increases strictly in `z` (its derivative is
/// `rho sigma'(z/T) / T^2 + (1 - rho) sigma'(z) > 0`) and changes sign, so the root is unique;
/// it is found by bracketing and bisection to full double precision. At `T = 1` it has the closed
/// form `sigma(z) = rho sigma(z_t) + (1 - rho) y_g`, the oracle of the tests.
public enum EffectiveLogit {
    /// - Parameters:
    ///   - teacherLogit: `z_t`.
    ///   - hardLabel: `y_g` in [0, 1] (1 or 0 for a hard label).
    ///   - rho: soft ratio in (0, 1]; at `rho = 0` with a hard label the root is infinite.
    ///   - temperature: `T > 0`.
    public static func solve(teacherLogit zt: Double, hardLabel y: Double, rho: Double, temperature t: Double) -> Double {
        precondition(rho > 0 && rho <= 1 && t > 0 && (0...1).contains(y) && zt.isFinite, "effective logit: bad arguments")
        if rho == 1 { return zt }
        let f = { (z: Double) in residual(z, teacherLogit: zt, hardLabel: y, rho: rho, temperature: t) }
        var lo = zt - 1, hi = zt + 1
        while f(lo) > 0 { lo -= 2 * (hi - lo) }
        while f(hi) < 0 { hi += 2 * (hi - lo) }
        for _ in 0..<400 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if f(mid) < 0 { lo = mid } else { hi = mid }
        }
        return lo + (hi - lo) / 2
    }

    /// The derivative of the loss in `z`, with the sigmoid differences computed without
    /// cancellation: `sigma(a) - sigma(b) = -sigma(a) sigma(-b) expm1(b - a)`.
    public static func residual(_ z: Double, teacherLogit zt: Double, hardLabel y: Double, rho: Double, temperature t: Double) -> Double {
        let soft = -sigmoid(z / t) * sigmoid(-zt / t) * expm1(zt / t - z / t)
        let hard: Double = y == 1 ? -sigmoid(-z) : (y == 0 ? sigmoid(z) : sigmoid(z) - y)
        return rho / t * soft + (1 - rho) * hard
    }

    public static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }
}
