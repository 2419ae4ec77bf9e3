import LinearAlgebra

/// `H(P, Y)` (and `H(P, Phat)`) with the statistics of the accuracy identity (THEORY §1.1-1.2).
public struct CrossCovariance: Sendable {
    public let samples: Int
    public let classes: Int
    /// `H = (dY^T dP + dP^T dY) / 2N`, symmetric.
    public let h: SquareMatrix
    /// `Hhat = (dPhat^T dP + dP^T dPhat) / 2N` when a teacher was given.
    public let hhat: SquareMatrix?
    /// `Tr(P Y^T) / N`: mean probability of the true class, summed row by row.
    public let softAccuracy: Double
    /// Argmax accuracy, ties split evenly.
    public let accuracy: Double
    /// `sum_c ybar_c pbar_c` as computed (never replaced by `1/C`).
    public let meanTerm: Double
    public let labelFrequencies: [Double]
    public let studentMeans: [Double]
    public let teacherSoftAccuracy: Double?
    public let teacherAccuracy: Double?
    public let agreement: Double?

    /// `q = (C - 1) / N`, the ratio of the random bulk (THEORY §1.3).
    public var q: Double { Double(classes - 1) / Double(samples) }
    public var traceH: Double { h.trace }
    public var traceHhat: Double? { hhat?.trace }

    /// `|soft accuracy - (Tr H + mean term)|`, zero up to rounding by Lemma 1 (THEORY §1.2).
    /// The two sides are computed along independent paths (a row-by-row sum against the trace
    /// of the centred scatter matrix), so a large residual means a bug or corrupted input.
    public var identityResidual: Double { abs(softAccuracy - (traceH + meanTerm)) }

    /// Tolerance for `identityResidual`: rounding of O(N C) additions of numbers in [0, 1].
    public var identityTolerance: Double { 64 * Double.ulpOfOne * Double(classes) * max(1, softAccuracy) }

    public var identityHolds: Bool { identityResidual <= identityTolerance }
}
