import ComplexModule
import NumericSupport
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
