import ComplexModule
import Foundation
import RealModule

/// Real-coefficient polynomials as ascending coefficient arrays: products, sums, evaluation and
/// all complex roots (Aberth-Ehrlich), enough for the GMP law's support quartic.
public enum Polynomial {
    public static func product(_ factors: [[Double]]) -> [Double] {
        factors.dropFirst().reduce(factors[0]) { p, f in
            var out = [Double](repeating: 0, count: p.count + f.count - 1)
            for (i, x) in p.enumerated() { for (j, y) in f.enumerated() { out[i + j] += x * y } }
            return out
        }
    }

    public static func sum(_ terms: [[Double]]) -> [Double] {
        var out = [Double](repeating: 0, count: terms.map(\.count).max() ?? 0)
        for t in terms { for (i, x) in t.enumerated() { out[i] += x } }
        return out
    }

    public static func scale(_ p: [Double], _ s: Double) -> [Double] { p.map { $0 * s } }

    /// Drops leading (highest-degree) coefficients that are zero.
    public static func trim(_ p: [Double]) -> [Double] {
        var out = p
        while out.count > 1, out.last == 0 { out.removeLast() }
        return out
    }

    /// Value and derivative at `x` (Horner).
    public static func evaluate(_ p: [Double], _ x: Double) -> (Double, Double) {
        var value = 0.0, slope = 0.0
        for c in p.reversed() { slope = slope * x + value; value = value * x + c }
        return (value, slope)
    }

    /// All complex roots by the Aberth-Ehrlich iteration (simultaneous Newton with repulsion).
    public static func roots(_ p: [Double]) -> [Complex<Double>] {
        let degree = p.count - 1
        guard degree >= 1 else { return [] }
        let lead = p[degree]
        let monic = p.map { Complex($0 / lead) }
        // Initial points on a circle of the Cauchy bound's radius, slightly rotated.
        let radius = 1 + (0..<degree).map { abs(p[$0] / lead) }.max()!
        var z = (0..<degree).map { k in
            Complex<Double>(length: radius, phase: 2 * Double.pi * Double(k) / Double(degree) + 0.4)
        }
        for _ in 0..<500 {
            var moved = 0.0
            for i in 0..<degree {
                var value = Complex<Double>(0), slope = Complex<Double>(0)
                for c in monic.reversed() { slope = slope * z[i] + value; value = value * z[i] + c }
                let ratio = value / slope
                var repulsion = Complex<Double>(0)
                for j in 0..<degree where j != i { repulsion = repulsion + Complex(1) / (z[i] - z[j]) }
                let step = ratio / (Complex(1) - ratio * repulsion)
                if step.isFinite {
                    z[i] = z[i] - step
                    moved = max(moved, step.length / max(1, z[i].length))
                }
            }
            if moved < 1e-15 { break }
        }
        return z
    }
}
