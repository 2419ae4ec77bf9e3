import ArrayIO

/// `summary.json` of `spectrum --matrix-free` (docs/theory.md §1.6): the exact trace, the SLQ
/// budget and its W1 bound, the probe moments and the moment fit. `fit --spectrum` reads it.
public struct MatrixFreeSummary: OutputDocument, Equatable {
    public static let currentSchema = 1
    public static let command = "spectrum"
    public var schemaVersion = Self.currentSchema

    /// GMP parameters matched to the mean, variance and third moment (or why none match).
    public struct MomentFitResult: Codable, Sendable, Equatable {
        public var method = "moments"
        public let q: Double?
        public let s2: Double?
        public let c: Double?
        public let failed: String?
    }

    public var matrixFree = true
    /// Why the dense path was not taken (nil when --matrix-free was asked for).
    public var matrixFreeReason: String?
    public var samples: Int
    public var classes: Int
    public var temperature: Double
    public var traceH: Double
    public var traceHSlq: Double
    public var tolerance: Double
    public var failureProbability: Double
    public var lanczosSteps: Int
    public var probes: Int
    public var bulkMin: Double
    public var bulkMax: Double
    public var wasserstein1Bound: Double
    public var bandwidth: Double
    public var mean: Double
    public var meanSlq: Double
    public var variance: Double
    public var varianceSe: Double
    public var thirdCentralMoment: Double
    public var momentProbes: Int
    public var varianceSlq: Double
    public var thirdCentralMomentSlq: Double
    public var momentFit: MomentFitResult
    public var seed: Int
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord

    enum CodingKeys: String, CodingKey {
        case schemaVersion, matrixFree, matrixFreeReason, samples, classes, temperature, traceH, traceHSlq = "trace_h_slq", tolerance,
             failureProbability, lanczosSteps, probes, bulkMin, bulkMax, wasserstein1Bound = "wasserstein1_bound", bandwidth, mean,
             meanSlq, variance, varianceSe, thirdCentralMoment, momentProbes, varianceSlq, thirdCentralMomentSlq, momentFit, seed,
             manifest, provenance
    }
}
