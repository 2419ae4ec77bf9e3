import Foundation

/// The direct O(n m) Gaussian kernel sum `f(x) = sum_i w_i phi((x - x_i)/h) / (h sum w)`:
/// the reference the FFT estimator is tested against.
public func naiveGaussianKDE(_ data: [Double], weights: [Double]? = nil, bandwidth h: Double, at xs: [Double]) -> [Double] {
    let w = weights ?? [Double](repeating: 1, count: data.count)
    let total = w.reduce(0, +)
    let norm = 1 / (h * (2 * Double.pi).squareRoot() * total)
    return xs.map { x in
        var s = 0.0
        for (xi, wi) in zip(data, w) { let u = (x - xi) / h; s += wi * exp(-0.5 * u * u) }
        return s * norm
    }
}
