import Ensembles
import Foundation
import LinearAlgebra

/// The linear student of Phuong & Lampert (ICML 2019) trained on a teacher's soft labels
/// `sigma(w*^T x_i)` with the cross-entropy loss (docs/companions.md §1).
///
/// Their Theorem 1: gradient flow from `w = 0` converges to the projection of `w*` onto the span
/// of the transfer inputs, `w^ = X^T (X X^T)^+ X w*`; with `n >= d` points in general position
/// that is `w*` itself. Theorem 2: a deep linear network initialised near zero converges to an
/// end-to-end map within a distance of `w^` that vanishes with the initialisation scale.
public enum LinearStudent {
    /// The gradient-flow limit `w^` by LAPACK's minimum-norm least squares (no inverse formed).
    public static func projection(inputs x: [Double], rows n: Int, teacher w: [Double]) throws -> [Double] {
        try MinimumNorm.projectOntoRowSpan(of: x, rows: n, w)
    }

    /// The largest stable step of gradient descent on the distillation loss of a shallow student:
    /// `1 / L` with `L = lambda_max(X^T X) / (4 n)` the Lipschitz constant of its gradient
    /// (`sigma' <= 1/4`); `lambda_max` by 200 power iterations (a lower estimate, hence the
    /// factor 0.9 kept in hand).
    public static func safeStep(inputs x: [Double], rows n: Int, dimension d: Int) -> Double {
        var v = [Double](repeating: 1 / Double(d).squareRoot(), count: d)
        var lambda = 0.0
        for _ in 0..<200 {
            let xv = Products.times(x, rows: n, inner: d, v, columns: 1)
            var u = [Double](repeating: 0, count: d)
            for i in 0..<n { for j in 0..<d { u[j] += x[i * d + j] * xv[i] } }
            lambda = u.map { $0 * $0 }.reduce(0, +).squareRoot()
            if lambda == 0 { return 1 }
            v = u.map { $0 / lambda }
        }
        return 0.9 * 4 * Double(n) / lambda
    }

    /// What plain gradient descent actually reaches: a student of `depth` linear layers
    /// (`depth = 1`: `w` from zero; otherwise `hidden`-wide layers with entries
    /// `N(0, initScale^2)`), `steps` full-batch steps of size `learningRate` on
    /// `(1/n) sum_i H(sigma(w*^T x_i), sigma(w^T x_i))`. Returns the end-to-end vector
    /// `w^T = W_L ... W_1`.
    public static func trainByGradientDescent(inputs x: [Double], rows n: Int, teacher w: [Double], depth: Int, hidden: Int,
                                              steps: Int, learningRate: Double, initScale: Double, seed: UInt64) -> [Double] {
        precondition(depth >= 1 && hidden >= 1 && n >= 1, "depth, width and rows must be positive")
        let d = w.count
        func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let targets = (0..<n).map { i in sigma((0..<d).map { x[i * d + $0] * w[$0] }.reduce(0, +)) }
        /// The loss gradient with respect to the end-to-end vector.
        func gradient(_ v: [Double]) -> [Double] {
            var g = [Double](repeating: 0, count: d)
            for i in 0..<n {
                var z = 0.0
                for j in 0..<d { z += x[i * d + j] * v[j] }
                let r = (sigma(z) - targets[i]) / Double(n)
                for j in 0..<d { g[j] += r * x[i * d + j] }
            }
            return g
        }
        if depth == 1 {
            var v = [Double](repeating: 0, count: d)
            for _ in 0..<steps {
                let g = gradient(v)
                for j in 0..<d { v[j] -= learningRate * g[j] }
            }
            return v
        }
        // Layers: W_1 is hidden x d, W_2 ... W_{L-1} hidden x hidden, W_L is 1 x hidden.
        var rng = Xoshiro256StarStar(seed: seed, stream: 0x11EA)
        var shapes = [(hidden, d)] + Array(repeating: (hidden, hidden), count: depth - 2) + [(1, hidden)]
        shapes = Array(shapes.prefix(depth))
        var layers = shapes.map { s in (0..<(s.0 * s.1)).map { _ in initScale * rng.normal() } }
        func multiply(_ a: [Double], _ sa: (Int, Int), _ b: [Double], _ sb: (Int, Int)) -> [Double] {
            var c = [Double](repeating: 0, count: sa.0 * sb.1)
            for i in 0..<sa.0 { for k in 0..<sa.1 { let aik = a[i * sa.1 + k]; if aik == 0 { continue }
                for j in 0..<sb.1 { c[i * sb.1 + j] += aik * b[k * sb.1 + j] } } }
            return c
        }
        func transpose(_ a: [Double], _ s: (Int, Int)) -> [Double] {
            var t = [Double](repeating: 0, count: a.count)
            for i in 0..<s.0 { for j in 0..<s.1 { t[j * s.0 + i] = a[i * s.1 + j] } }
            return t
        }
        func endToEnd() -> [Double] {
            var p = layers[0], sp = shapes[0]
            for k in 1..<depth { p = multiply(layers[k], shapes[k], p, sp); sp = (shapes[k].0, sp.1) }
            return p
        }
        for _ in 0..<steps {
            let g = gradient(endToEnd())   // 1 x d
            // prefix[k] = W_k ... W_1 (rows shapes[k].0, columns d); suffix[k] = W_L ... W_{k+1}.
            var prefixes: [[Double]] = [], ps = shapes[0]
            var p = layers[0]
            prefixes.append(p)
            for k in 1..<depth { p = multiply(layers[k], shapes[k], p, ps); ps = (shapes[k].0, d); prefixes.append(p) }
            var suffix = [1.0], ss = (1, 1)
            var updates = layers
            for k in stride(from: depth - 1, through: 0, by: -1) {
                // dL/dW_k = suffix^T g prefix_{k-1}^T, with prefix_{-1} = I_d.
                let left = transpose(suffix, ss)                         // shapes[k].0 x 1
                let right: [Double], rs: (Int, Int)
                if k == 0 { right = g; rs = (1, d) } else { right = multiply(g, (1, d), transpose(prefixes[k - 1], (shapes[k - 1].0, d)), (d, shapes[k - 1].0)); rs = (1, shapes[k - 1].0) }
                let grad = multiply(left, (ss.1, 1), right, rs)
                for i in updates[k].indices { updates[k][i] -= learningRate * grad[i] }
                suffix = multiply(suffix, ss, layers[k], shapes[k]); ss = (1, shapes[k].1)
            }
            layers = updates
        }
        return endToEnd()
    }
}
