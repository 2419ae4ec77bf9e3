/// Failures reported by LAPACK, turned into Swift errors with the routine name.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
    /// A LAPACK routine returned `info != 0`.
    /// Negative `info`: argument `-info` was illegal (a bug in this layer).
    /// Positive `info`: the algorithm failed to converge.
    case lapack(routine: String, info: Int)
    /// Input contained NaN or infinity, which LAPACK would turn into garbage or a hang.
    case nonFinite(routine: String)

    public var description: String {
        switch self {
        case let .lapack(routine, info) where info < 0:
            return "\(routine): illegal argument \(-info) (internal error; please report it)"
        case let .lapack(routine, info):
            return "\(routine): failed to converge (info = \(info)); the matrix may be badly scaled"
        case let .nonFinite(routine):
            return "\(routine): the matrix contains NaN or infinity"
        }
    }
}
