import Foundation
import LinearAlgebra

/// The neural tangent kernel of a two-layer ReLU network `f(x) = m^(-1/2) sum_j a_j relu(w_j.x)`
/// with both layers trained, in the infinite-width limit (`w_j ~ N(0, I)`, `a_j ~ N(0, 1)`;
/// Jacot et al. 2018, Arora et al. 2019), from the arc-cosine kernels of Cho & Saul (2009):
///
///     Theta(x, x') = |x||x'| (sin u + (pi - u) cos u) / (2 pi)  +  (x.x') (pi - u) / (2 pi),
///
/// `u` the angle between `x` and `x'`. The first term is the output layer's gradient
/// `E[relu(w.x) relu(w.x')]`, the second the hidden layer's `x.x' E[relu'(w.x) relu'(w.x')]`.
public enum ReLUKernel {
    /// The Gram matrix of `rows` inputs (`rows x d`, row-major).
    public static func gram(_ x: [Double], rows n: Int, dimension d: Int) -> SquareMatrix {
        var g = SquareMatrix(zeros: n)
        var norms = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for k in 0..<d { s += x[i * d + k] * x[i * d + k] }
            norms[i] = s.squareRoot()
        }
        for i in 0..<n {
            for j in i..<n {
                // The angle as 2 atan2(|a - b|, |a + b|) of the unit vectors (Kahan): accurate
                // for nearly parallel inputs, where acos of the cosine loses half the digits.
                var dot = 0.0, minus = 0.0, plus = 0.0
                for k in 0..<d {
                    let a = x[i * d + k], b = x[j * d + k]
                    dot += a * b
                    let ua = norms[i] > 0 ? a / norms[i] : 0, ub = norms[j] > 0 ? b / norms[j] : 0
                    minus += (ua - ub) * (ua - ub); plus += (ua + ub) * (ua + ub)
                }
                let v = value(dot: dot, angle: 2 * atan2(minus.squareRoot(), plus.squareRoot()), normA: norms[i], normB: norms[j])
                g.elements[i * n + j] = v
                g.elements[j * n + i] = v
            }
        }
        return g
    }

    /// `Theta(x, x')` from the inner product, the angle and the two norms.
    public static func value(dot: Double, angle u: Double, normA: Double, normB: Double) -> Double {
        let scale = normA * normB
        if scale == 0 { return 0 }
        return scale * (sin(u) + (.pi - u) * cos(u)) / (2 * .pi) + dot * (.pi - u) / (2 * .pi)
    }
}
