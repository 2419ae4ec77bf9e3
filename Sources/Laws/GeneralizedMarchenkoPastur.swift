import ComplexModule
import NumericSupport
import RealModule
import Foundation

/// The generalised Marchenko-Pastur law of Bouchaud & Potters ("On a generalisation of the
/// Marcenko-Pastur problem", arXiv:2009.07113), docs/theory.md §2: the limiting spectrum of
/// `F = (X W^T + W X^T) / 2T` for `M x T` matrices with i.i.d. entries of variance `s2` and
/// `corr(X_it, W_it) = c`, at `q = M / T`. In SpectralKD, `H` of docs/theory.md §1 is such an `F` with
/// `M = C - 1` (the bulk) and `T = N`.
///
/// `F = W+ - W-` is a free difference of white Wisharts of ratio `q` and scales
/// `a = s2 (1 + c) / 2`, `b = s2 (1 - c) / 2` (docs/theory.md §2.1). `c = 1` is Marchenko-Pastur with
/// scale `s2`; `c = 0` with `q -> 0`, rescaled by `sqrt(q)`, is the semicircle.
public struct GeneralizedMarchenkoPastur: SpectralLaw, Equatable {
    public let q: Double
    /// `s2`, the entries' variance.
    public let scale: Double
    /// `c` in `[-1, 1]`.
    public let correlation: Double
    /// `s2 (1 + c) / 2` and `s2 (1 - c) / 2`.
    public let a: Double
    public let b: Double
    public let supportIntervals: [ClosedRange<Double>]
    /// CDF tables, one per support interval (docs/theory.md §2.3; see `GeneralizedMarchenkoPastur+CDF.swift`).
    let cdfTables: [CDFTable]

    /// Panels of the CDF tables: 2048 by default (the CDF within 2e-8 of exact, 1e-11 for most
    /// laws); a fit's search takes `searchPanels`, a quarter of the density evaluations for a
    /// CDF within 1.4e-5 at worst (see `CDFTable`).
    public static let defaultPanels = 2048
    public static let searchPanels = 512

    /// - Parameter panels: the CDF tables' resolution (`defaultPanels` unless a search needs speed).
    /// - Throws: `LawError` unless `q > 0`, `scale > 0`, `-1 <= correlation <= 1`, all finite.
    public init(q: Double, scale: Double, correlation: Double, panels: Int = GeneralizedMarchenkoPastur.defaultPanels) throws(LawError) {
        guard q.isFinite, q > 0 else { throw .invalidParameter(name: "q", value: q, requirement: "must be positive") }
        guard scale.isFinite, scale > 0 else { throw .invalidParameter(name: "scale", value: scale, requirement: "must be positive") }
        guard correlation.isFinite, abs(correlation) <= 1 else {
            throw .invalidParameter(name: "correlation", value: correlation, requirement: "must lie in [-1, 1]")
        }
        self.q = q
        self.scale = scale
        self.correlation = correlation
        a = scale * (1 + correlation) / 2
        b = scale * (1 - correlation) / 2
        let unit = UnitGMP(q: q, a: (1 + correlation) / 2, b: (1 - correlation) / 2)
        let intervals = unit.supportIntervals()
        supportIntervals = intervals.map { ($0.lowerBound * scale)...($0.upperBound * scale) }
        cdfTables = intervals.map { CDFTable(interval: $0, panels: panels, density: unit.density) }
    }

    /// Mass at 0: `1 - 2/q` for `q > 2` (rank of `F` at most `2T`); for `|c| = 1` the rank is `T`
    /// and the atom is `1 - 1/q` for `q > 1` (docs/theory.md §2.3).
    public var atom: Double {
        let rank = abs(correlation) == 1 ? 1.0 : 2.0
        return max(0, 1 - rank / q)
    }

    /// `s2 c` (docs/theory.md §2.1).
    public var mean: Double { scale * correlation }
    /// `q s2^2 (1 + c^2) / 2`.
    public var variance: Double { q * scale * scale * (1 + correlation * correlation) / 2 }
    /// `q^2 (a^3 - b^3)`.
    public var thirdCentralMoment: Double { q * q * (a * a * a - b * b * b) }

    /// The density of the continuous part, `|Im g(x + i0)| / pi` from the closed-form root of the
    /// cubic (docs/theory.md §2.2). Never negative or NaN: 0 off the support and wherever rounding puts
    /// the cubic's discriminant on the wrong side near an edge.
    /// Relative error about 1e-12 inside the support (LawsTests, docs/theory.md §2.4 values).
    /// - Complexity: O(1), no allocation.
    public func density(at x: Double) -> Double {
        UnitGMP(q: q, a: a / scale, b: b / scale).density(x / scale) / scale
    }

    /// Densities at many points, split over the cores in fixed slices for large inputs (the
    /// result does not depend on the thread count: each point is computed independently).
    /// - Complexity: O(count): 25 ms per 1e6 points on 2 cores, about 50 ns per point per core
    ///   (median of `make bench-kernels`).
    public func density(_ xs: [Double]) -> [Double] {
        let unit = UnitGMP(q: q, a: a / scale, b: b / scale)
        let inverseScale = 1 / scale
        let n = xs.count
        // One slice per worker (more slices only add scheduling); each point is independent, so
        // the split does not change the bits. No zero-fill of the output.
        let slices = n >= 1 << 15 ? ParallelRows.workerCount : 1
        let out = [Double](unsafeUninitializedCapacity: n) { o, initialized in
            xs.withUnsafeBufferPointer { x in
                let ob = o.baseAddress!, xb = x.baseAddress!
                let work: (Int) -> Void = { s in
                    for i in (n * s / slices) ..< (n * (s + 1) / slices) {
                        ob[i] = unit.density(xb[i] * inverseScale) * inverseScale
                    }
                }
                ParallelRows.forEachBlock(rows: slices, blockSize: 1) { s, _ in work(s) }
            }
            initialized = n
        }
        return out
    }

    /// The Stieltjes transform `g(z) = integral rho(x) / (z - x) dx + atom / z` off the real support,
    /// the root of the cubic (docs/theory.md §2.2) with `Im g` of the opposite sign to `Im z` (and, for
    /// real `z` outside the support, the limit from above).
    public func stieltjesTransform(at z: Complex<Double>) -> Complex<Double> {
        let unit = UnitGMP(q: q, a: a / scale, b: b / scale)
        let w = z / Complex(scale)
        if w.imaginary == 0 {
            let eps = 1e-9 * max(1, abs(w.real))
            let g = unit.stieltjes(Complex(w.real, eps))
            return Complex(g.real, 0) / Complex(scale)
        }
        return unit.stieltjes(w) / Complex(scale)
    }
}

/// The law at unit scale (`s2 = 1`): all arithmetic happens here, so no parameter scale can
/// underflow the cubic's coefficients.
struct UnitGMP {
    let q: Double, a: Double, b: Double

    /// Coefficients of the monic cubic in `u = 1/g`: `u^3 + e2 u^2 + e1 u + e0 = 0`, obtained from
    /// docs/theory.md §2.2's cubic in `g` by dividing by `-g^3`. Its leading coefficient is 1 for every
    /// `z`, so it stays well conditioned at `z = 0`, where the cubic in `g` degenerates.
    @inline(__always)
    func coefficients(_ z: Double) -> (e2: Double, e1: Double, e0: Double) {
        let quadratic = z * q * (b - a) - q * a * b * (2 - q)   // coefficient of g^2
        let linear = z - (a - b) * (1 - q)                      // coefficient of g
        let cubic = -z * q * q * a * b                          // coefficient of g^3
        return (-linear, -quadratic, -cubic)
    }

    /// `|Im g| / pi` from Cardano's formula on the depressed cubic `v^3 + p v + r = 0`, written
    /// without branches (selects instead) so that loops over arrays vectorise.
    @inline(__always)
    func density(_ x: Double) -> Double {
        let (e2, e1, e0) = coefficients(x)
        let shift = e2 * (1.0 / 3)
        let p = e1 - e2 * shift
        let r = 2 * e2 * e2 * e2 * (1.0 / 27) - e2 * e1 * (1.0 / 3) + e0
        let half = -0.5 * r
        let disc = half * half + p * p * p * (1.0 / 27)
        let inside = disc > 0
        let sd = (inside ? disc : 0).squareRoot()
        // One cube root: S T = -p/3 exactly, and S from the larger of |half +- sd| avoids
        // cancellation. Inline cube root (see CubeRoot.swift) on a value kept off 0 and subnormals.
        let w = half >= 0 ? half + sd : half - sd
        let magnitude = max(abs(w), 1e-300)
        var y = Double(bitPattern: magnitude.bitPattern / 3 + 0x2A9F_7625_3119_D328)
        for _ in 0..<3 {
            let y3 = y * y * y
            y *= (y3 + 2 * magnitude) / (2 * y3 + magnitude)
        }
        let s = w < 0 ? -y : y
        let t = -p / (3 * s)
        // |S - T| = |S^3 - T^3| / (S^2 + ST + T^2) = 2 sd / (...): no cancellation when S and T are close.
        let spread = s * s + s * t + t * t
        let imaginary = 0.8660254037844386 * 2 * sd / spread
        let real = -0.5 * (s + t) - shift
        let value = imaginary / (real * real + imaginary * imaginary) * (1 / Double.pi)
        return inside && value.isFinite && value > 0 ? value : 0
    }

    /// `z(g) = 1/g + a/(1 - q a g) - b/(1 + q b g)`, the inverse of the Stieltjes transform.
    func inverse(_ g: Double) -> Double { 1 / g + a / (1 - q * a * g) - b / (1 + q * b * g) }

    /// The Stieltjes transform at complex `z` (unit scale): the root of the cubic in `u` whose
    /// `g = 1/u` has `Im g` opposite to `Im z`.
    func stieltjes(_ z: Complex<Double>) -> Complex<Double> {
        let zq = z * Complex(q)
        let quadratic = zq * Complex(b - a) - Complex(q * a * b * (2 - q))
        let linear = z - Complex((a - b) * (1 - q))
        let cubic = -zq * Complex(q * a * b)
        let roots = CubicRoots.monic(e2: -linear, e1: -quadratic, e0: -cubic)
        var best = Complex<Double>(1) / z
        var bestScore = Double.infinity
        for u in roots where u.length > 0 {
            let g = Complex(1) / u
            // The physical branch: Im g Im z < 0 and g ~ 1/z; prefer the sign, then closeness.
            let sign = g.imaginary * z.imaginary < 0 ? 0.0 : 1.0
            let score = sign * 1e6 + (g * z - Complex(1)).length
            if score < bestScore { bestScore = score; best = g }
        }
        return best
    }
}
