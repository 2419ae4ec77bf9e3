/// Hutchinson estimates of the second and third moments of a spectrum, `E lambda^2` and
/// `E lambda^3` over the `n` eigenvalues an operator has on the complement of the ones vector
/// (where `H` lives once the structural zero is set apart, docs/theory.md §1.3, §1.6).
///
/// For `q` uniform on the unit sphere of that complement, `E[q^T A q] = Tr A / n`, so with
/// `y = H q`: `|y|^2` estimates `E lambda^2` and `y^T H y` estimates `E lambda^3`. Each probe costs
/// two products (in blocks, one pass over the data per block). Why beside SLQ: the moment fit of
/// the GMP law needs the variance to better than 1%, and SLQ's budget asks for few probes at large
/// C (5 at C = 1000, t = 0.1: the variance was off by up to 1.9%); these probes are cheap, so they
/// are drawn until the variance's standard error is below `target` of it.
public struct ProbeMoments: Sendable {
    /// `E lambda^2`, `E lambda^3` over the `n` eigenvalues, and their standard errors.
    public let second: Double, third: Double
    public let secondError: Double, thirdError: Double
    public let probes: Int

    /// - Parameters:
    ///   - mean: the exact mean eigenvalue (`Tr H / n`), for the variance the stopping rule uses.
    ///   - target: stop when `SE(E lambda^2) <= target x variance` (or at `maximumProbes`).
    ///   - draw: the next probe (unit, orthogonal to the ones vector), e.g. a seeded generator.
    ///   - apply: `H V` for a `C x width` row-major block.
    public init(dimension c: Int, mean: Double, target: Double = 0.005, batch: Int = 16, maximumProbes: Int = 2048,
                draw: () -> [Double], apply: ([Double], Int) -> [Double]) {
        var count = 0
        var sum2 = 0.0, sumSq2 = 0.0, sum3 = 0.0, sumSq3 = 0.0
        while count < maximumProbes {
            let m = min(batch, maximumProbes - count)
            var block = [Double](repeating: 0, count: c * m)
            for j in 0..<m {
                let q = draw()
                for i in 0..<c { block[i * m + j] = q[i] }
            }
            let y = apply(block, m)
            let z = apply(y, m)
            for j in 0..<m {
                var s2 = 0.0, s3 = 0.0
                for i in 0..<c { s2 += y[i * m + j] * y[i * m + j]; s3 += y[i * m + j] * z[i * m + j] }
                sum2 += s2; sumSq2 += s2 * s2; sum3 += s3; sumSq3 += s3 * s3
            }
            count += m
            let k = Double(count)
            let se2 = count > 1 ? (max(0, sumSq2 / k - (sum2 / k) * (sum2 / k)) / (k - 1)).squareRoot() : .infinity
            let variance = sum2 / k - mean * mean
            if count >= 2 * batch && se2 <= target * abs(variance) { break }
        }
        let k = Double(count)
        second = sum2 / k; third = sum3 / k
        secondError = (max(0, sumSq2 / k - second * second) / max(k - 1, 1)).squareRoot()
        thirdError = (max(0, sumSq3 / k - third * third) / max(k - 1, 1)).squareRoot()
        probes = count
    }

    /// Variance and third central moment about the exact `mean`.
    public func central(mean mu: Double) -> (variance: Double, third: Double) {
        (second - mu * mu, third - 3 * mu * second + 2 * mu * mu * mu)
    }
}
