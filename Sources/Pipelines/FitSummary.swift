import ArrayIO
import Fitting
import Laws

/// `fit.json`: the law, the goodness of fit and its verdict, the outliers set apart, and the
/// one eigenvalue file it was fitted to (so a plot or report refuses another run's spectrum).
public struct FitSummary: OutputDocument, Equatable {
    public static let currentSchema = 1
    public static let command = "fit"
    public var schemaVersion = Self.currentSchema

    /// One eigenvalue set apart from the bulk before the fit.
    public struct Outlier: Codable, Sendable, Equatable {
        public let value: Double
        /// Distance beyond the nearer edge in Tracy-Widom units (docs/theory.md §2.6).
        public let twDistance: Double
        /// `lower` or `upper`.
        public let side: String
    }

    /// One Tracy-Widom unit at each edge: `c(N) N^{-2/3}` of the fitted law.
    public struct EdgeUnits: Codable, Sendable, Equatable {
        public let lower: Double
        public let upper: Double
    }

    /// The spectrum the law was fitted to.
    public struct FittedTo: Codable, Sendable, Equatable {
        /// The spectrum run's id (nil for a bare eigenvalue file).
        public let runID: String?
        /// `h` or `hhat` (nil for a bare eigenvalue file).
        public let matrix: String?
        public let eigenvaluesSha256: String

        enum CodingKeys: String, CodingKey { case runID = "run_id", matrix, eigenvaluesSha256 = "eigenvalues_sha256" }
    }

    /// What a matrix-free fit adds (docs/theory.md §1.6).
    public struct MatrixFreeFit: Codable, Sendable, Equatable {
        public let wasserstein1: Double
        public let wasserstein1Bound: Double
        public let exactMean: Double

        enum CodingKeys: String, CodingKey { case wasserstein1, wasserstein1Bound = "wasserstein1_bound", exactMean = "exact_mean" }
    }

    // The law, flat at the top level as pandas and notebooks read it (`record(_:q:)`).
    public var q: Double?
    public var scale: Double?
    public var correlation: Double?
    public var mean: Double?
    public var variance: Double?
    public var thirdCentralMoment: Double?
    public var support: [[Double]]?
    public var atom: Double?
    public var qFitted: Bool
    public var method: String
    public var n: Int
    public var ks: Double?
    public var ksCritical5: Double
    public var cramerVonMises: Double?
    public var pValue: Double?
    public var pValueSe: Double?
    public var bootstrap: Int
    public var bootstrapSampler: String
    public var failedReplicates: Int
    /// `adequate`, `rejected` or `undecided`.
    public var verdict: String
    public var seed: Int
    public var adequate: Bool
    public var reason: String
    public var inputs: [String]
    public var pooledSpectra: Int
    public var outlierMode: String
    /// The outliers' values, and each with its side and distance.
    public var outliers: [Double]
    public var outlierDetails: [Outlier]
    public var outlierSequence: [Int]
    public var outlierMarginTw: Double?
    public var twUnits: EdgeUnits?
    public var droppedStructuralZeros: Int
    public var fittedTo: FittedTo?
    public var matrixFree: MatrixFreeFit?
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord

    /// Writes the law's parameters and what follows from them (docs/theory.md §2), or only the
    /// q it was to be fitted at when no law was fitted.
    public mutating func record(_ law: GeneralizedMarchenkoPastur?, q fallback: Double?) {
        guard let law else {
            (q, scale, correlation, mean, variance, thirdCentralMoment, support, atom) = (fallback, nil, nil, nil, nil, nil, nil, nil)
            return
        }
        (q, scale, correlation) = (law.q, law.scale, law.correlation)
        (mean, variance, thirdCentralMoment) = (law.mean, law.variance, law.thirdCentralMoment)
        support = law.supportIntervals.map { [$0.lowerBound, $0.upperBound] }
        atom = law.atom
    }

    /// The law again, when all three parameters are there (nil otherwise).
    /// - Throws: `LawError` for values no law has.
    public func law() throws -> GeneralizedMarchenkoPastur? {
        guard let q, let scale, let correlation else { return nil }
        return try GeneralizedMarchenkoPastur(q: q, scale: scale, correlation: correlation)
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, q, scale, correlation, mean, variance, thirdCentralMoment, support, atom, qFitted, method, n, ks, ksCritical5 = "ks_critical_5", cramerVonMises, pValue, pValueSe, bootstrap,
             bootstrapSampler, failedReplicates, verdict, seed, adequate, reason, inputs, pooledSpectra, outlierMode, outliers, outlierDetails,
             outlierSequence, outlierMarginTw, twUnits, droppedStructuralZeros, fittedTo, matrixFree, manifest, provenance
    }
}
