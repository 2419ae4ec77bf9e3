import ComplexModule
import RealModule
import Foundation

extension UnitGMP {
    /// The support at unit scale (docs/theory.md §2.3): edges are the real critical values of
    /// `z(g) = 1/g + a/(1 - q a g) - b/(1 + q b g)`. Clearing denominators in `z'(g) = 0` gives
    /// the quartic `-(1 - qag)^2 (1 + qbg)^2 + q a^2 g^2 (1 + qbg)^2 + q b^2 g^2 (1 - qag)^2 = 0`
    /// (a quadratic when `|c| = 1`). Its real roots, polished by Newton, give candidate edges;
    /// consecutive candidates bound an interval of the support when the density is positive
    /// between them, and touching intervals are merged.
    func supportIntervals() -> [ClosedRange<Double>] {
        let one: [Double] = [1]
        let minusQA: [Double] = [1, -q * a], plusQB: [Double] = [1, q * b], gSquared: [Double] = [0, 0, 1]
        let first = Polynomial.scale(Polynomial.product([minusQA, minusQA, plusQB, plusQB]), -1)
        let second = Polynomial.scale(Polynomial.product([gSquared, plusQB, plusQB]), q * a * a)
        let third = Polynomial.scale(Polynomial.product([gSquared, minusQA, minusQA]), q * b * b)
        let quartic = Polynomial.trim(Polynomial.sum([first, second, third, Polynomial.scale(one, 0)]))
        // z(g) -> 0 as g -> infinity: 0 is an edge when the quartic loses a degree (q = 1, |c| = 1,
        // where the density diverges at 0). A spurious 0 only splits an interval, and is merged away.
        var candidates: [Double] = [0]
        for root in Polynomial.roots(quartic) where abs(root.imaginary) <= 1e-7 * max(1, root.length) {
            var g = root.real
            for _ in 0..<3 {
                let (value, slope) = Polynomial.evaluate(quartic, g)
                if slope == 0 { break }
                g -= value / slope
            }
            guard g != 0, abs(1 - q * a * g) > 1e-300, abs(1 + q * b * g) > 1e-300 else { continue }
            let x = inverse(g)
            if x.isFinite { candidates.append(x) }
        }
        candidates.sort()
        var intervals: [ClosedRange<Double>] = []
        for i in 0..<max(0, candidates.count - 1) {
            let lo = candidates[i], hi = candidates[i + 1]
            guard hi > lo, density((lo + hi) / 2) > 0 else { continue }
            if let last = intervals.last, abs(last.upperBound - lo) <= 1e-12 * max(1, abs(lo)) {
                intervals[intervals.count - 1] = last.lowerBound...hi
            } else {
                intervals.append(lo...hi)
            }
        }
        return intervals
    }
}

/// Real-coefficient polynomials as ascending coefficient arrays, just enough for the support.
enum Polynomial {
    static func product(_ factors: [[Double]]) -> [Double] {
        factors.dropFirst().reduce(factors[0]) { p, f in
            var out = [Double](repeating: 0, count: p.count + f.count - 1)
            for (i, x) in p.enumerated() { for (j, y) in f.enumerated() { out[i + j] += x * y } }
            return out
        }
    }

    static func sum(_ terms: [[Double]]) -> [Double] {
        var out = [Double](repeating: 0, count: terms.map(\.count).max() ?? 0)
        for t in terms { for (i, x) in t.enumerated() { out[i] += x } }
        return out
    }

    static func scale(_ p: [Double], _ s: Double) -> [Double] { p.map { $0 * s } }

    /// Drops leading (highest-degree) coefficients that are zero.
    static func trim(_ p: [Double]) -> [Double] {
        var out = p
        while out.count > 1, out.last == 0 { out.removeLast() }
        return out
    }

    /// Value and derivative at `x` (Horner).
    static func evaluate(_ p: [Double], _ x: Double) -> (Double, Double) {
        var value = 0.0, slope = 0.0
        for c in p.reversed() { slope = slope * x + value; value = value * x + c }
        return (value, slope)
    }

    /// All complex roots by the Aberth-Ehrlich iteration (simultaneous Newton with repulsion).
    static func roots(_ p: [Double]) -> [Complex<Double>] {
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
