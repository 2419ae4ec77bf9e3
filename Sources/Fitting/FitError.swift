/// Eigenvalues a law cannot be fitted to at all (as opposed to a fit that is merely inadequate).
public enum FitError: Error, CustomStringConvertible, Equatable, Sendable {
    case tooFew(count: Int)
    case allEqual(value: Double)
    case nonFinite(index: Int)
    case invalidQ(Double)
    /// No law of the family has the data's moments (a spectral measure, `MeasureFit`).
    case notGMPLike(String)

    public var description: String {
        switch self {
        case let .tooFew(n): return "\(n) eigenvalues are too few to fit a spectral law; at least 10 are needed"
        case let .allEqual(v): return "all eigenvalues equal \(v): the spectrum has no spread to fit"
        case let .nonFinite(i): return "eigenvalue \(i) is not finite"
        case let .invalidQ(q): return "q = \(q) is invalid: it must be positive (q = (C - 1)/N)"
        case let .notGMPLike(why): return why
        }
    }
}
