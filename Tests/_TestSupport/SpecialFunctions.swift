import Foundation

/// The regularised incomplete beta function `I_x(a, b)` by its continued fraction (modified
/// Lentz), the CDF of Beta(a, b). Only for tests (KS tests of samplers); accurate to ~1e-12.
public func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
    let lnFront: Double = logBeta + a * log(x) + b * log(1 - x)
    if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, b, a) }
    let tiny = 1e-300
    var c = 1.0, d = 1 - (a + b) * x / (a + 1)
    if abs(d) < tiny { d = tiny }
    d = 1 / d
    var f = d
    for m in 1...500 {
        let m2 = Double(2 * m), md = Double(m)
        var numerator = md * (b - md) * x / ((a + m2 - 1) * (a + m2))
        d = 1 + numerator * d; if abs(d) < tiny { d = tiny }; c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
        d = 1 / d; f *= d * c
        numerator = -(a + md) * (a + b + md) * x / ((a + m2) * (a + m2 + 1))
        d = 1 + numerator * d; if abs(d) < tiny { d = tiny }; c = 1 + numerator / c; if abs(c) < tiny { c = tiny }
        d = 1 / d
        let delta = d * c
        f *= delta
        if abs(delta - 1) < 1e-15 { break }
    }
    return exp(lnFront) * f / a
}

/// One-sample KS statistic of `sample` against a CDF.
public func ksStatistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = sample.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, x) in sorted.enumerated() {
        let f = cdf(x)
        d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
    }
    return d
}

/// 1% KS critical value for n i.i.d. points (1.628 / sqrt n): a sampler that is right fails
/// one of these tests 1% of the time per seed; the seeds are fixed, so the outcome is too.
public func ks1(_ n: Int) -> Double { 1.628 / Double(n).squareRoot() }
