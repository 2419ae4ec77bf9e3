import Ensembles
import Foundation

/// A seeded task for the wide-network analysis (docs/companions.md §3.3), in the spirit of
/// Ji & Zhu's synthetic experiments: inputs `x` uniform on the unit sphere of R^d, fed to the
/// network with a bias coordinate as `(x, 1)` (without it the two-layer ReLU kernel is blind to
/// odd harmonics of degree >= 3); a teacher whose logit is a Gaussian mixture
/// `z_t(x) = sum_j A_j exp(-|x - c_j|^2 / s_j^2)` (`modes` bumps, `A_j ~ N(0, 3^2)`, centres
/// `c_j` uniform on the sphere, widths `s_j` uniform on [0.3, 0.8]), shifted by its median
/// over the pool so the classes are balanced; hard labels
/// `y_g = 1[z_t > 0]` (a perfect teacher), each flipped with probability `flip`.
public struct WideTask: Sendable {
    /// What the student is asked to fit.
    public enum Targets: String, Sendable, CaseIterable {
        /// The effective logits `z_eff(z_t, y_g; rho, T)` (the distillation targets).
        case distill
        /// The teacher's logits (`rho = 1`: pure soft distillation).
        case soft
        /// `2 y_g - 1`: a unit step at the decision boundary (the hard-label limit).
        case hard
        /// `N(0, 1)` noise: targets no kernel can compress.
        case random
    }

    /// `pool x (d + 1)`, row-major: `(x, 1)`.
    public let inputs: [Double]
    public let featureDimension: Int
    public let teacherLogits: [Double]
    public let hardLabels: [Double]

    /// - Precondition: `dimension >= 2`, `modes >= 1`, `0 <= flip <= 1`.
    public init(pool: Int, dimension d: Int = 3, modes: Int, flip: Double = 0, seed: UInt64) {
        precondition(d >= 2 && modes >= 1 && (0...1).contains(flip) && pool >= 2, "wide task: bad settings")
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x71DE)
        func onSphere() -> [Double] {
            var v = [Double](repeating: 0, count: d), norm = 0.0
            while norm < 1e-12 {
                for j in 0..<d { v[j] = rng.normal() }
                norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
            }
            return v.map { $0 / norm }
        }
        let bumps = (0..<modes).map { _ in (a: 3 * rng.normal(), c: onSphere(), s: 0.3 + 0.5 * rng.uniform()) }
        let x = (0..<pool).map { _ in onSphere() }
        inputs = x.flatMap { $0 + [1] }
        featureDimension = d + 1
        let mixture = x.map { x in
            var z = 0.0
            for b in bumps {
                var r2 = 0.0
                for j in 0..<d { r2 += (x[j] - b.c[j]) * (x[j] - b.c[j]) }
                z += b.a * exp(-r2 / (b.s * b.s))
            }
            return z
        }
        // Shifted by its median over the pool, so both classes are present in equal numbers.
        let sorted = mixture.sorted()
        let median = (sorted[(pool - 1) / 2] + sorted[pool / 2]) / 2
        teacherLogits = mixture.map { $0 - median }
        hardLabels = teacherLogits.map { z in
            let label: Double = z > 0 ? 1 : 0
            return flip > 0 && rng.uniform() < flip ? 1 - label : label
        }
    }

    /// The targets `dz` of the pool.
    public func targets(_ kind: Targets, rho: Double, temperature: Double, seed: UInt64) -> [Double] {
        switch kind {
        case .distill:
            return zip(teacherLogits, hardLabels).map { EffectiveLogit.solve(teacherLogit: $0, hardLabel: $1, rho: rho, temperature: temperature) }
        case .soft: return teacherLogits
        case .hard: return hardLabels.map { 2 * $0 - 1 }
        case .random:
            var rng = Xoshiro256StarStar(seed: seed, stream: 0x7A4D)
            return teacherLogits.map { _ in rng.normal() }
        }
    }
}
