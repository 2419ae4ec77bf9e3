import Laws

/// Distances between the empirical distribution of a sample and a law's CDF.
public enum GoodnessOfFit {
    /// Kolmogorov-Smirnov statistic `sup |F_n(x) - F(x)|` for a sorted sample, exact for laws
    /// with an atom at 0: tied values are compared once, with the law's left limit
    /// `F(0-) = F(0) - atom` below the tie and `F(0)` above it.
    /// - Complexity: O(n) CDF evaluations.
    public static func kolmogorovSmirnov(sorted: [Double], law: some SpectralLaw) -> Double {
        let n = Double(sorted.count)
        var d = 0.0
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[i] { j += 1 }
            let x = sorted[i]
            let f = law.cdf(at: x)
            let left = x == 0 ? f - law.atom : f
            d = max(d, Double(j + 1) / n - f, left - Double(i) / n)
            i = j + 1
        }
        return d
    }

    /// Eigenvalues of a rank-deficient matrix that belong to the atom at 0 come out of LAPACK as
    /// `+-1e-16`-sized noise; set those within `1e-9` of the largest magnitude to exactly 0 (only
    /// when the law has an atom), so that the empirical CDF jumps where the law's does.
    public static func snappingAtom(_ sorted: [Double], law: some SpectralLaw) -> [Double] {
        guard law.atom > 0, let scale = sorted.map(abs).max(), scale > 0 else { return sorted }
        return sorted.map { abs($0) <= 1e-9 * scale ? 0 : $0 }
    }

    /// Cramer-von Mises statistic `1/(12n) + sum (F(x_(i)) - (2i - 1)/(2n))^2` for a sorted sample.
    public static func cramerVonMises(sorted: [Double], law: some SpectralLaw) -> Double {
        let n = Double(sorted.count)
        var s = 1 / (12 * n)
        for (i, x) in sorted.enumerated() {
            let r = law.cdf(at: x) - (2 * Double(i) + 1) / (2 * n)
            s += r * r
        }
        return s
    }

    /// The asymptotic 5% critical value of the one-sample KS statistic for i.i.d. data,
    /// `1.358 / sqrt(n)`. Eigenvalues of a random matrix are more rigid than i.i.d. points, so a
    /// sample that really follows the law lands far below it: as a test of fit it is lenient.
    public static func ksCriticalValue5(n: Int) -> Double { 1.358 / Double(n).squareRoot() }

    /// Where the KS distance is attained: the eigenvalue, and the empirical and fitted CDF there
    /// (the empirical value on whichever side of the step is farther). For a CDF picture.
    public static func kolmogorovSmirnovLocation(sorted: [Double], law: some SpectralLaw) -> (distance: Double, x: Double, empirical: Double, fitted: Double) {
        var best = (distance: -1.0, x: 0.0, empirical: 0.0, fitted: 0.0)
        let n = Double(sorted.count)
        for (i, x) in sorted.enumerated() {
            let f = law.cdf(at: x)
            for e in [Double(i) / n, Double(i + 1) / n] where abs(e - f) > best.distance { best = (abs(e - f), x, e, f) }
        }
        return best
    }
}
