import ComplexModule
import RealModule

/// Roots of `u^3 + e2 u^2 + e1 u + e0` with complex coefficients: Cardano's formula, then two
/// Newton steps per root to remove the cancellation Cardano suffers near multiple roots.
enum CubicRoots {
    static func monic(e2: Complex<Double>, e1: Complex<Double>, e0: Complex<Double>) -> [Complex<Double>] {
        let three = Complex<Double>(3)
        let shift = e2 / three
        let p = e1 - e2 * shift
        let r = Complex(2.0 / 27) * e2 * e2 * e2 - e2 * e1 / three + e0
        let half = -r / Complex(2)
        let root = Complex.sqrt(half * half + p * p * p / Complex(27))
        var c = half + root
        if (half - root).length > c.length { c = half - root }
        let omega = Complex<Double>(-0.5, 0.8660254037844386)
        var roots: [Complex<Double>] = []
        if c.length == 0 {
            roots = [-shift, -shift, -shift]
        } else {
            var k = Complex.exp(Complex.log(c) / three)
            for _ in 0..<3 {
                roots.append(k - p / (three * k) - shift)
                k = k * omega
            }
        }
        return roots.map { u in
            var x = u
            for _ in 0..<2 {
                let f = ((x + e2) * x + e1) * x + e0
                let df = (three * x + Complex(2) * e2) * x + e1
                if df.length == 0 { break }
                let step = f / df
                if !step.isFinite { break }
                x = x - step
            }
            return x
        }
    }
}
