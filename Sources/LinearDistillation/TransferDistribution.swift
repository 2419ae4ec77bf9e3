import Ensembles
import Foundation
import Laws

/// Where the transfer (and test) inputs of linear distillation come from, and the reverse CDF of
/// their angle to the teacher, `p(beta) = P[abar(x, w*) > beta]` with `abar` the acute angle
/// between the lines through `x` and `w*` (docs/companions.md §1).
///
/// Every synthetic family is symmetric about the teacher's axis: a point is
/// `x = r (cos abar s u + sin abar v)`, `u = w*/|w*|`, `s = +-1` with probability 1/2 (balanced
/// classes), `v` uniform on the unit sphere orthogonal to `u`, `r ~ chi_d`; the families differ
/// only in the law of `abar`.
public enum TransferDistribution: Sendable, Equatable {
    /// `x ~ N(0, I_d)`: `cos^2 abar ~ Beta(1/2, (d-1)/2)`, so `p(beta) = I_{cos^2 beta}(1/2, (d-1)/2)`.
    case isotropic
    /// A wedge of half-angle `margin` about the decision boundary holds no mass: `abar` uniform on
    /// `[0, pi/2 - margin]`, `p(beta) = max(0, 1 - beta / (pi/2 - margin))` (Phuong & Lampert's
    /// margin case, Corollary 1).
    case margin(Double)
    /// `p(beta) = (1 - 2 beta / pi)^k` exactly (their polynomial family, Corollary 2): `abar =
    /// (pi/2)(1 - U^(1/k))`. `k = 1` is the uniform angle; larger `k` puts less mass near the boundary.
    case polynomial(degree: Double)
    /// The rows of a data matrix (`rows x d`, row-major) taken as the whole population: the
    /// transfer sets are drawn from them and the risk is the exact share of them misclassified.
    case empirical(rows: Int, values: [Double])

    /// Short name for outputs.
    public var name: String {
        switch self {
        case .isotropic: "isotropic"
        case .margin: "margin"
        case .polynomial: "polynomial"
        case .empirical: "data"
        }
    }

    /// Angles where `p` has a kink, tried exactly by the bound's minimisation.
    public var kinks: [Double] {
        if case let .margin(m) = self { return [m, .pi / 2 - m] }
        return []
    }

    /// `p(beta)` for the synthetic families; for data, the share of rows whose acute angle to
    /// `teacher` exceeds `beta`.
    public func reverseAngleCDF(_ beta: Double, dimension d: Int, teacher: [Double]) -> Double {
        let b = min(max(beta, 0), .pi / 2)
        switch self {
        case .isotropic:
            if d == 1 { return 0 }   // every point lies on the teacher's axis
            let c = cos(b)
            return IncompleteBeta.regularized(c * c, a: 0.5, b: Double(d - 1) / 2)
        case let .margin(m):
            return max(0, 1 - b / (.pi / 2 - m))
        case let .polynomial(k):
            return pow(max(0, 1 - 2 * b / .pi), k)
        case .empirical:
            return reverseAngleCDF(dimension: d, teacher: teacher)(b)
        }
    }

    /// `p` as a function, with the data's angles sorted once (then each value is a binary search).
    public func reverseAngleCDF(dimension d: Int, teacher: [Double]) -> @Sendable (Double) -> Double {
        guard case let .empirical(rows, values) = self else { return { self.reverseAngleCDF($0, dimension: d, teacher: teacher) } }
        let sorted = Self.acuteAngles(values, rows: rows, teacher: teacher).sorted()
        return { beta in
            var lo = 0, hi = sorted.count          // first index with angle > beta
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] > beta { hi = mid } else { lo = mid + 1 } }
            return Double(sorted.count - lo) / Double(sorted.count)
        }
    }

    /// The acute angle between each row and the teacher, in `[0, pi/2]`.
    public static func acuteAngles(_ x: [Double], rows: Int, teacher w: [Double]) -> [Double] {
        let d = w.count
        let wn = sqrt(w.map { $0 * $0 }.reduce(0, +))
        return (0..<rows).map { r in
            var dot = 0.0, nn = 0.0
            for j in 0..<d { dot += x[r * d + j] * w[j]; nn += x[r * d + j] * x[r * d + j] }
            if nn == 0 { return .pi / 2 }
            return acos(min(1, abs(dot) / (sqrt(nn) * wn)))
        }
    }

    /// `count` points of a synthetic family, `count x d` row-major.
    /// - Precondition: not `.empirical`.
    public func sample(count: Int, teacher w: [Double], using rng: inout Xoshiro256StarStar) -> [Double] {
        let d = w.count
        var out = [Double](repeating: 0, count: count * d)
        if case .isotropic = self {
            out.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
            return out
        }
        let wn = sqrt(w.map { $0 * $0 }.reduce(0, +))
        let u = w.map { $0 / wn }
        var g = [Double](repeating: 0, count: d)
        for i in 0..<count {
            let angle: Double
            switch self {
            case let .margin(m): angle = rng.uniform() * (.pi / 2 - m)
            case let .polynomial(k): angle = .pi / 2 * (1 - pow(rng.uniformPositive(), 1 / k))
            default: preconditionFailure("empirical data is not sampled")
            }
            // v: a Gaussian vector with its component along u removed, normalised.
            var v = [Double](repeating: 0, count: d)
            var norm = 0.0
            while norm < 1e-12 {
                g.withUnsafeMutableBufferPointer { rng.fillNormal($0) }
                let along = zip(g, u).map(*).reduce(0, +)
                for j in 0..<d { v[j] = g[j] - along * u[j] }
                norm = sqrt(v.map { $0 * $0 }.reduce(0, +))
                if d == 1 { break }
            }
            let s = rng.rademacher()
            let r = sqrt(2 * rng.gamma(shape: Double(d) / 2))
            for j in 0..<d {
                let side = d == 1 ? 0 : sin(angle) * v[j] / norm
                out[i * d + j] = r * (cos(angle) * s * u[j] + side)
            }
        }
        return out
    }
}
