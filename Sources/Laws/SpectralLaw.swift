/// What every limiting spectral law offers fits, plots and tests: the shared interface of
/// laws (RandomMatrices.jl plugs its laws into Distributions.jl the same way).
///
/// Conventions: the distribution may have an atom at 0 (mass `atom`); `density` is the
/// absolutely continuous part, so it integrates to `1 - atom`; `cdf` includes the atom.
public protocol SpectralLaw: Sendable {
    /// The support of the continuous part, as disjoint closed intervals in increasing order.
    var supportIntervals: [ClosedRange<Double>] { get }
    /// Mass of the atom at 0 (0 when there is none).
    var atom: Double { get }
    func density(at x: Double) -> Double
    /// `P(X <= x)`, including the atom.
    func cdf(at x: Double) -> Double
    var mean: Double { get }
    var variance: Double { get }
    var thirdCentralMoment: Double { get }
}

extension SpectralLaw {
    /// Densities at many points.
    public func density(_ xs: [Double]) -> [Double] { xs.map { density(at: $0) } }
    public func cdf(_ xs: [Double]) -> [Double] { xs.map { cdf(at: $0) } }
}

/// Parameters outside a law's domain.
public enum LawError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidParameter(name: String, value: Double, requirement: String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement): return "\(name) = \(value) is invalid: \(requirement)"
        }
    }
}
