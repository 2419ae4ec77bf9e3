import Fitting
import Foundation

/// Why a pilot fit cannot be made.
public struct CalibrationError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Where a prediction interval comes from, so that no output shows a made-up width.
public enum IntervalSource: String, Sendable {
    /// The residual spread over pilots (k > parameters), with Student's t at k - parameters
    /// degrees of freedom.
    case residuals
    /// The seed standard errors of the pilots alone (k = parameters): seed noise only, not the
    /// model's error, so it is too narrow; labelled as such.
    case seedsOnly = "seeds-only"
    /// k = parameters and no seed standard errors: no interval can be given.
    case unavailable
}

/// A model fitted on pilot runs by least squares on `acc_d - acc_b` (closed form; docs/theory.md §5.4).
public struct PilotFit: Sendable {
    public let model: PilotModel
    public let parameters: [Double]
    /// Standard errors of `parameters` (nil when no interval source is available).
    public let standardErrors: [Double]?
    public let pilots: [ObservedConfiguration]
    /// `sqrt(RSS / (k - parameters))` in accuracy fractions; nil when `k = parameters`.
    public let residualStandardDeviation: Double?
    public let degreesOfFreedom: Int
    public let intervalSource: IntervalSource
    /// Root mean square residual on the pilots (in-sample), accuracy fractions.
    public let pilotRMS: Double
    /// Inverse of `X^T X` (linear part) and the covariance used for intervals.
    let covariance: [[Double]]?
    let power: Double
    /// Variance added for a new observation (residual or mean seed variance).
    let observationVariance: Double

    /// Fits `model` on `pilots`.
    /// - Throws: `CalibrationError` when there are fewer pilots than parameters, or when the
    ///   pilots do not identify the parameters (e.g. every pilot has the same design).
    public init(_ model: PilotModel, pilots: [ObservedConfiguration]) throws {
        let k = pilots.count, p = model.parameterCount
        guard k >= p else {
            throw CalibrationError("\(model.kind.rawValue) has \(p) parameter(s) but only \(k) pilot run(s) were given; give at least \(p)")
        }
        if model.kind == .temperaturePower && Set(pilots.map(\.setting.temperature)).count < 2 {
            throw CalibrationError("temperature-power needs pilots at two or more temperatures to identify p")
        }
        self.model = model
        self.pilots = pilots
        var power = 1.0
        if model.kind == .temperaturePower {
            // Golden-section search on p in [0, 3], chi in closed form for each p.
            func rss(_ q: Double) -> Double { (try? Self.solve(model, pilots, power: q).rss) ?? .infinity }
            var lo = 0.0, hi = 3.0
            let phi = (5.0.squareRoot() - 1) / 2
            var x1 = hi - phi * (hi - lo), x2 = lo + phi * (hi - lo)
            var f1 = rss(x1), f2 = rss(x2)
            for _ in 0..<80 {
                if f1 <= f2 { hi = x2; x2 = x1; f2 = f1; x1 = hi - phi * (hi - lo); f1 = rss(x1) }
                else { lo = x1; x1 = x2; f1 = f2; x2 = lo + phi * (hi - lo); f2 = rss(x2) }
            }
            power = (lo + hi) / 2
        }
        self.power = power
        let solved = try Self.solve(model, pilots, power: power)
        parameters = model.kind == .temperaturePower ? solved.theta + [power] : solved.theta
        pilotRMS = (solved.rss / Double(k)).squareRoot()
        degreesOfFreedom = k - p
        let seedVariances = pilots.compactMap { $0.distilledStandardError.map { $0 * $0 } }
        if degreesOfFreedom > 0 {
            let s2 = solved.rss / Double(degreesOfFreedom)
            residualStandardDeviation = s2.squareRoot()
            covariance = solved.inverse.map { $0.map { $0 * s2 } }
            observationVariance = s2
            intervalSource = .residuals
        } else if seedVariances.count == k {
            // Cov(theta) = (X^T X)^-1 X^T diag(se^2) X (X^T X)^-1.
            let x = pilots.map { model.design($0, power: power).features }
            let m = solved.inverse.count
            var middle = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
            for (row, v) in zip(x, seedVariances) { for a in 0..<m { for b in 0..<m { middle[a][b] += row[a] * row[b] * v } } }
            covariance = Self.multiply(Self.multiply(solved.inverse, middle), solved.inverse)
            residualStandardDeviation = nil
            observationVariance = seedVariances.reduce(0, +) / Double(k)
            intervalSource = .seedsOnly
        } else {
            residualStandardDeviation = nil
            covariance = nil
            observationVariance = 0
            intervalSource = .unavailable
        }
        if let covariance {
            var se = (0..<covariance.count).map { covariance[$0][$0].squareRoot() }
            if model.kind == .temperaturePower { se.append(.nan) }
            standardErrors = se
        } else {
            standardErrors = nil
        }
    }

    /// The linear least-squares solution for fixed `power`: `theta`, `RSS`, `(X^T X)^-1`.
    static func solve(_ model: PilotModel, _ pilots: [ObservedConfiguration], power: Double) throws
        -> (theta: [Double], rss: Double, inverse: [[Double]]) {
        let m = model.linearCount
        var xtx = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        var xty = [Double](repeating: 0, count: m)
        var rows: [(offset: Double, features: [Double], target: Double)] = []
        for r in pilots {
            let (offset, f) = model.design(r, power: power)
            let target = r.distilledAccuracy - r.baselineAccuracy - offset
            rows.append((offset, f, target))
            for a in 0..<m {
                xty[a] += f[a] * target
                for b in 0..<m { xtx[a][b] += f[a] * f[b] }
            }
        }
        guard let inverse = invert(xtx) else {
            throw CalibrationError("the pilot runs do not identify \(model.parameterNames.joined(separator: " and ")) of \(model.kind.rawValue) (their designs are collinear; for hard-label-bonus include a soft-only and a mixed pilot, for chi-log-t two temperatures)")
        }
        let theta = (0..<m).map { a in (0..<m).reduce(0.0) { $0 + inverse[a][$1] * xty[$1] } }
        var rss = 0.0
        for row in rows {
            let fitted = zip(row.features, theta).reduce(0.0) { $0 + $1.0 * $1.1 }
            rss += (row.target - fitted) * (row.target - fitted)
        }
        return (theta, rss, inverse)
    }

    /// Inverse of a 1 x 1 or 2 x 2 symmetric matrix; nil when singular relative to its scale.
    /// (Hand-written: the models have at most two linear parameters, and LAPACK would add a
    /// dependency for a formula.)
    static func invert(_ a: [[Double]]) -> [[Double]]? {
        switch a.count {
        case 1:
            return a[0][0] > 0 ? [[1 / a[0][0]]] : nil
        case 2:
            let det = a[0][0] * a[1][1] - a[0][1] * a[1][0]
            guard det > 1e-12 * a[0][0] * a[1][1], det.isFinite else { return nil }
            return [[a[1][1] / det, -a[0][1] / det], [-a[1][0] / det, a[0][0] / det]]
        default:
            preconditionFailure("pilot models have one or two linear parameters")
        }
    }

    static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        a.indices.map { i in b[0].indices.map { j in a[i].indices.reduce(0.0) { $0 + a[i][$1] * b[$1][j] } } }
    }

    /// `chi` of the fit (the first parameter; `chi_0` for `chi-log-t`).
    public var chi: Double { parameters[0] }

    /// The predicted accuracy of a configuration with its 95% interval (nil bounds when the
    /// interval source is `unavailable`). The value is not clipped: `PredictionGuard` flags it.
    public func predict(_ r: ObservedConfiguration) -> (value: Double, lower: Double?, upper: Double?) {
        let (offset, f) = model.design(r, power: power)
        let theta = Array(parameters.prefix(model.linearCount))
        let value = r.baselineAccuracy + offset + zip(f, theta).reduce(0.0) { $0 + $1.0 * $1.1 }
        guard let covariance else { return (value, nil, nil) }
        var variance = observationVariance
        for a in f.indices { for b in f.indices { variance += f[a] * f[b] * covariance[a][b] } }
        let quantile = intervalSource == .residuals ? StudentT.quantile(0.975, degrees: Double(degreesOfFreedom)) : 1.959963984540054
        let half = quantile * variance.squareRoot()
        return (value, value - half, value + half)
    }
}
