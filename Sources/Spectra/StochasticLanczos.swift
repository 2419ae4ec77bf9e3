import Foundation
import LinearAlgebra

/// Stochastic Lanczos quadrature (docs/theory.md §1.6): the spectral measure of a symmetric
/// operator known only through products `v -> A v`, as the average over probe vectors of the
/// Gauss quadrature rules their Lanczos runs define.
///
/// For a unit probe `q`, `k` Lanczos steps give a tridiagonal `T_k`; its eigenvalues `theta_j`
/// with the squared first components `tau_j` of its eigenvectors are the `k`-point Gauss rule of
/// the measure `sum_i (q . u_i)^2 delta(lambda_i)`, exact for polynomials of degree `2k - 1`.
/// For `q` uniform on the sphere that measure has expectation `(1/n) sum_i delta(lambda_i)`, the
/// empirical spectral distribution. Chen, Trogdon & Ubaru (ICML 2021, Theorem 1.1):
/// `ceil(12/t + 1/2)` steps and `ceil(4 t^-2 ln(2n/eta) / (n + 2))` probes give a Wasserstein-1
/// error at most `t (lambda_max - lambda_min)` with probability at least `1 - eta`
/// (`Budget`). Lanczos is run with full reorthogonalisation (twice, classical Gram-Schmidt), so
/// the rule is that of exact arithmetic to round-off.
public struct StochasticLanczos: Sendable {
    /// Steps and probes for a W1 tolerance `t` (relative to the spectral range) and failure
    /// probability `eta` in dimension `n`.
    public struct Budget: Sendable, Equatable {
        public let steps: Int
        public let probes: Int
        public init(tolerance t: Double, failure eta: Double, dimension n: Int) {
            precondition(t > 0 && t < 1 && eta > 0 && eta < 1 && n >= 1, "budget: bad arguments")
            steps = min(n, Int((12 / t + 0.5).rounded(.up)))
            probes = max(1, Int((4 / Double(n + 2) / (t * t) * log(2 * Double(n) / eta)).rounded(.up)))
        }
    }

    /// Quadrature nodes and weights (summing to 1) of each probe.
    public let nodes: [[Double]]
    public let weights: [[Double]]
    /// Steps actually taken per probe (fewer when the Krylov space became invariant).
    public let stepsTaken: [Int]

    /// - Parameters:
    ///   - probes: starting vectors (normalised here), each of the operator's dimension.
    ///   - steps: Lanczos steps per probe.
    ///   - apply: `v -> A v` for a symmetric `A`.
    public init(probes: [[Double]], steps k: Int, apply: ([Double]) -> [Double]) throws {
        let n = probes.first?.count ?? 0
        try self.init(probes: probes, steps: k) { block, m in
            var out = [Double](repeating: 0, count: n * m)
            for c in 0..<m {
                let w = apply((0..<n).map { block[$0 * m + c] })
                for i in 0..<n { out[i * m + c] = w[i] }
            }
            return out
        }
    }

    /// The same with the probes advanced together: `applyBlock(V, m)` returns `A V` for the
    /// `n x m` row-major block whose columns are the current Lanczos vectors, so an operator
    /// that streams its data (`CrossCovarianceOperator.apply(block:width:)`) reads it once per
    /// step for all probes. Each probe's recurrence, reorthogonalisation and breakdown are its own.
    public init(probes: [[Double]], steps k: Int, applyBlock: ([Double], Int) -> [Double]) throws {
        precondition(!probes.isEmpty && k >= 1, "SLQ: no probes or steps")
        let n = probes[0].count, m = probes.count
        precondition(probes.allSatisfy { $0.count == n }, "SLQ: probes of different lengths")
        var bases: [[Double]] = [], current: [[Double]] = []
        for probe in probes {
            let norm = probe.map { $0 * $0 }.reduce(0, +).squareRoot()
            precondition(norm > 0, "SLQ: zero probe")
            let q = probe.map { $0 / norm }
            bases.append(q); current.append(q)
        }
        var alpha = [[Double]](repeating: [], count: m), beta = alpha
        var scale = [Double](repeating: 0, count: m)
        var active = [Bool](repeating: true, count: m)
        let limit = min(k, n)
        for j in 0..<limit where active.contains(true) {
            var block = [Double](repeating: 0, count: n * m)
            for c in 0..<m where active[c] { for i in 0..<n { block[i * m + c] = current[c][i] } }
            let product = applyBlock(block, m)
            for c in 0..<m where active[c] {
                let q = current[c]
                var w = (0..<n).map { product[$0 * m + c] }
                let a = zip(q, w).map(*).reduce(0, +)
                alpha[c].append(a)
                scale[c] = max(scale[c], abs(a), beta[c].last ?? 0)
                // Full reorthogonalisation against every Lanczos vector of this probe, twice.
                let rows = alpha[c].count
                for _ in 0..<2 {
                    var coefficients = [Double](repeating: 0, count: rows)
                    Products.matrixVector(bases[c], rows: rows, columns: n, transpose: false, w, into: &coefficients)
                    Products.matrixVector(bases[c], rows: rows, columns: n, transpose: true, coefficients, alpha: -1, beta: 1, into: &w)
                }
                let b = w.map { $0 * $0 }.reduce(0, +).squareRoot()
                // Breakdown: the Krylov space is invariant (round-off leaves ~1e-13 of the scale).
                if j == limit - 1 || b <= 1e-10 * max(scale[c], 1e-300) { active[c] = false; continue }
                beta[c].append(b)
                current[c] = w.map { $0 / b }
                bases[c] += current[c]
            }
        }
        var allNodes: [[Double]] = [], allWeights: [[Double]] = []
        for c in 0..<m {
            let rule = try SymmetricEigen.tridiagonal(diagonal: alpha[c], offDiagonal: beta[c])
            allNodes.append(rule.values)
            allWeights.append(rule.firstComponentsSquared)
        }
        nodes = allNodes; weights = allWeights; stepsTaken = alpha.map(\.count)
    }

    /// The averaged measure: every probe's rule with its weights divided by the probe count.
    public var measure: DiscreteMeasure {
        let m = Double(nodes.count)
        return DiscreteMeasure(atoms: zip(nodes, weights).flatMap { zip($0, $1.map { $0 / m }) })
    }

    /// The density smoothed by a Gaussian of width `bandwidth` on `grid`, with a pointwise band
    /// `mean -+ 1.96 sd / sqrt(m)` over the probes (probe noise only; the Lanczos truncation error
    /// is bounded by the W1 budget instead). With one probe the band is the estimate itself.
    public func density(on grid: [Double], bandwidth h: Double) -> (density: [Double], lower: [Double], upper: [Double]) {
        precondition(h > 0, "SLQ: bandwidth must be positive")
        let perProbe = zip(nodes, weights).map { theta, tau in
            grid.map { x in zip(theta, tau).map { t, w in w * exp(-0.5 * ((x - t) / h) * ((x - t) / h)) }.reduce(0, +) / (h * (2 * Double.pi).squareRoot()) }
        }
        let m = Double(perProbe.count)
        var mean = [Double](repeating: 0, count: grid.count), lower = mean, upper = mean
        for i in grid.indices {
            let values = perProbe.map { $0[i] }
            let mu = values.reduce(0, +) / m
            let sd = m > 1 ? (values.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / (m - 1)).squareRoot() : 0
            mean[i] = mu
            lower[i] = max(0, mu - 1.96 * sd / m.squareRoot())
            upper[i] = mu + 1.96 * sd / m.squareRoot()
        }
        return (mean, lower, upper)
    }
}

/// A probability measure with finitely many atoms: the SLQ estimate of a spectrum, or an exact
/// spectrum (`eigenvalues`, each of mass `1/n`), with the distances between two of them.
public struct DiscreteMeasure: Sendable {
    /// `(location, mass)`, sorted by location; masses sum to 1.
    public let atoms: [(Double, Double)]

    /// Running sums of the masses: `cumulative[i]` is the mass of the first `i` atoms.
    let cumulative: [Double]

    public init(atoms: [(Double, Double)]) {
        let total = atoms.map(\.1).reduce(0, +)
        let sorted = atoms.sorted { $0.0 < $1.0 }.map { ($0.0, $0.1 / total) }
        self.atoms = sorted
        var c = [0.0]
        for a in sorted { c.append(c.last! + a.1) }
        cumulative = c
    }

    public init(eigenvalues: [Double]) {
        self.init(atoms: eigenvalues.map { ($0, 1 / Double(eigenvalues.count)) })
    }

    public var mean: Double { atoms.map { $0.0 * $0.1 }.reduce(0, +) }
    /// Central moments 2 and 3.
    public var centralMoments: (variance: Double, third: Double) {
        let m = mean
        return (atoms.map { ($0.0 - m) * ($0.0 - m) * $0.1 }.reduce(0, +), atoms.map { pow($0.0 - m, 3) * $0.1 }.reduce(0, +))
    }

    /// `F(x) = mass at or below x`.
    public func cdf(_ x: Double) -> Double {
        var lo = 0, hi = atoms.count
        while lo < hi { let mid = (lo + hi) / 2; if atoms[mid].0 <= x { lo = mid + 1 } else { hi = mid } }
        return cumulative[lo]
    }

    /// Wasserstein-1 and Kolmogorov-Smirnov distances, `int |F - G|` and `sup |F - G|`.
    public func distances(to other: DiscreteMeasure) -> (wasserstein1: Double, kolmogorovSmirnov: Double) {
        let points = (atoms.map(\.0) + other.atoms.map(\.0)).sorted()
        let f = cumulative, g = other.cumulative
        var i = 0, j = 0, w = 0.0, ks = 0.0
        for (index, x) in points.enumerated() {
            while i < atoms.count && atoms[i].0 <= x { i += 1 }
            while j < other.atoms.count && other.atoms[j].0 <= x { j += 1 }
            let gap = abs(f[i] - g[j])
            ks = max(ks, gap)
            if index + 1 < points.count { w += gap * (points[index + 1] - x) }
        }
        return (w, ks)
    }
}
