import LinearAlgebra

/// `H(P, Y)` (and `H(P, Phat)`) with the statistics of the accuracy identity (docs/theory.md §1.1-1.2).
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
    /// Column means of the student's one-hot argmax `A_s` (ties split), and of the teacher's.
    public let studentArgmaxMeans: [Double]
    public let teacherArgmaxMeans: [Double]?

    public init(samples: Int, classes: Int, h: SquareMatrix, hhat: SquareMatrix?, softAccuracy: Double, accuracy: Double,
                meanTerm: Double, labelFrequencies: [Double], studentMeans: [Double], teacherSoftAccuracy: Double?,
                teacherAccuracy: Double?, agreement: Double?, studentArgmaxMeans: [Double], teacherArgmaxMeans: [Double]?) {
        self.samples = samples; self.classes = classes; self.h = h; self.hhat = hhat
        self.softAccuracy = softAccuracy; self.accuracy = accuracy; self.meanTerm = meanTerm
        self.labelFrequencies = labelFrequencies; self.studentMeans = studentMeans
        self.teacherSoftAccuracy = teacherSoftAccuracy; self.teacherAccuracy = teacherAccuracy; self.agreement = agreement
        self.studentArgmaxMeans = studentArgmaxMeans; self.teacherArgmaxMeans = teacherArgmaxMeans
    }

    /// The gamma -> 0 trace `Tr H(A_s, Y) = accuracy - sum_c abar_c ybar_c` (docs/theory.md §5.4): the
    /// limit of `Tr H(P_{gamma T}, Y)` for every `T`, since the argmax does not depend on `T`.
    public var argmaxTraceH: Double {
        accuracy - zip(studentArgmaxMeans, labelFrequencies).reduce(0.0) { $0 + $1.0 * $1.1 }
    }

    /// `Tr H(A_s, A_t) = agreement - sum_c abar_s,c abar_t,c` (teacher only).
    public var argmaxTraceHhat: Double? {
        guard let agreement, let teacherArgmaxMeans else { return nil }
        return agreement - zip(studentArgmaxMeans, teacherArgmaxMeans).reduce(0.0) { $0 + $1.0 * $1.1 }
    }

    /// `Tr H(A_t, Y)`, the teacher's gamma -> 0 trace against the labels (teacher only).
    public var teacherArgmaxTraceH: Double? {
        guard let teacherAccuracy, let teacherArgmaxMeans else { return nil }
        return teacherAccuracy - zip(teacherArgmaxMeans, labelFrequencies).reduce(0.0) { $0 + $1.0 * $1.1 }
    }

    /// `q = (C - 1) / N`, the ratio of the random bulk (docs/theory.md §1.3).
    public var q: Double { Double(classes - 1) / Double(samples) }
    public var traceH: Double { h.trace }
    public var traceHhat: Double? { hhat?.trace }

    /// `|soft accuracy - (Tr H + mean term)|`, zero up to rounding by Lemma 1 (docs/theory.md §1.2).
    /// The two sides are computed along independent paths (a row-by-row sum against the trace
    /// of the centred scatter matrix), so a large residual means a bug or corrupted input.
    public var identityResidual: Double { abs(softAccuracy - (traceH + meanTerm)) }

    /// Tolerance for `identityResidual`: rounding of O(N C) additions of numbers in [0, 1].
    public var identityTolerance: Double { 64 * Double.ulpOfOne * Double(classes) * max(1, softAccuracy) }

    public var identityHolds: Bool { identityResidual <= identityTolerance }
}
