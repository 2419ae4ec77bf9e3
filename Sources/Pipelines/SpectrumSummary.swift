import ArrayIO

/// What `summary.json` of a spectrum-like folder tells every reader (plots, reports, fits,
/// exports), whichever command wrote it: `spectrum` (`SpectrumSummary`) or `simulate`
/// (`SimulationSummary`).
public protocol SpectrumDescription: OutputDocument {
    var samples: Int { get }
    var classes: Int { get }
    var q: Double { get }
    var temperature: Double { get }
    var teacherTemperature: Double? { get }
    /// Spectra pooled into `eigenvalues.csv` (1 for `spectrum`).
    var pooledReplicas: Int { get }
    var accuracy: Double { get }
    var softAccuracy: Double { get }
    var traceH: Double { get }
    var meanTerm: Double { get }
    var identityResidual: Double { get }
    var identityHolds: Bool { get }
    /// The eigenvalue of H that `eigenvalues.csv` holds for the structural zero; nil when the
    /// file has none (pooled replicas have it removed already).
    var structuralZero: Double? { get }
    var teacherStructuralZero: Double? { get }
    var bulkMin: Double { get }
    var bulkMax: Double { get }
    /// Eigenvalues set apart from the bulk, when the run looked for them.
    var outliers: [Double]? { get }
    var manifest: RunManifest { get }
}

/// One `(gamma, Tr H(P_{gamma T}, Y))` row of the gamma -> 0 table (docs/theory.md §5.4).
public struct GammaTrace: Codable, Sendable, Equatable {
    public let gamma: Double
    public let temperature: Double
    public let traceH: Double
    public let ratioToArgmax: Double
}

/// `summary.json` of `spectralkd spectrum` (dense path): the covariance statistics, the
/// accuracy identity, the spectra's bulk statistics, the outliers, and where it came from.
public struct SpectrumSummary: SpectrumDescription, Equatable {
    public static let currentSchema = 1
    public static let command = "spectrum"
    public var schemaVersion = Self.currentSchema

    public var samples: Int
    public var classes: Int
    public var q: Double
    /// `probabilities` or `logits`.
    public var input: String
    public var temperature: Double
    /// `single` (the fused float32 kernel), `double`, or `mixed` across shards.
    public var softmaxPrecision: String
    public var accuracy: Double
    public var softAccuracy: Double
    public var traceH: Double
    public var meanTerm: Double
    public var meanTermBalanced: Double
    public var identityResidual: Double
    public var identityTolerance: Double
    public var identityHolds: Bool
    public var argmaxTraceH: Double
    public var gammaLimit: [GammaTrace]
    public var structuralZero: Double?
    public var structuralLeak: Double
    public var bulkMin: Double
    public var bulkMax: Double
    public var bulkMean: Double
    // The teacher's side: all nil without --teacher-logits/--teacher-probabilities.
    public var teacherInput: String?
    public var teacherTemperature: Double?
    public var teacherAccuracy: Double?
    public var teacherSoftAccuracy: Double?
    public var agreement: Double?
    public var traceHhat: Double?
    public var teacherPrecision: String?
    public var argmaxTraceHhat: Double?
    public var teacherArgmaxTraceH: Double?
    public var teacherStructuralZero: Double?
    public var teacherStructuralLeak: Double?
    public var teacherBulkMin: Double?
    public var teacherBulkMax: Double?
    public var teacherBulkMean: Double?
    public var labelsFile: String
    public var studentFile: String
    public var teacherFile: String?
    /// nil when the bulk was too small or flat to look for outliers.
    public var outliers: [Double]?
    public var outlierTwDistances: [Double]?
    public var shards: Int
    public var segments: Int
    public var shardRows: Int?
    public var ranks: Int
    public var warnings: [String]
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord

    public var pooledReplicas: Int { 1 }
}

/// `summary.json` of `spectralkd simulate`: the planted classifier's parameters, the replica
/// means, and the pooled bulk (structural zeros removed, so there is none to record).
public struct SimulationSummary: SpectrumDescription, Equatable {
    public static let currentSchema = 1
    public static let command = "simulate"
    public var schemaVersion = Self.currentSchema

    /// Planted outliers: `groups` blocks of `size` classes confused with `strength`.
    public struct Spikes: Codable, Sendable, Equatable {
        public let groups: Int
        public let size: Int
        public let strength: Double
    }

    public var spikes: Spikes?
    public var samples: Int
    public var classes: Int
    public var q: Double
    public var replicas: Int
    public var seed: Int
    public var temperature: Double
    public var targetAccuracy: Double
    public var accuracy: Double
    public var softAccuracy: Double
    public var traceH: Double
    public var meanTerm: Double
    /// The largest residual over the replicas; `identity_holds` is true only if it holds in each.
    public var identityResidual: Double
    public var identityHolds: Bool
    public var pooledBulk = true
    public var bulkMin: Double
    public var bulkMax: Double
    public var bulkMean: Double
    public var teacherTemperature: Double?
    public var targetTeacherAccuracy: Double?
    public var targetAgreement: Double?
    public var teacherAccuracy: Double?
    public var agreement: Double?
    public var traceHhat: Double?
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord

    public var pooledReplicas: Int { replicas }
    public var structuralZero: Double? { nil }
    public var teacherStructuralZero: Double? { nil }
    public var outliers: [Double]? { nil }
}
