import ArrayIO
import Distillation

/// `metrics.json` of `spectralkd evaluate`: each predictor's leave-one-out error on runs it was
/// not fitted to, the formula's share of wins against each baseline, and the k-pilot reduction.
/// Errors are in accuracy points (100 x fraction); a predictor that could not be fitted is null.
public struct EvaluationMetrics: OutputDocument {
    public static let currentSchema = 1
    public static let command = "evaluate"
    public var schemaVersion = Self.currentSchema

    /// The formula's share of configurations with the smaller error, per baseline (ties half).
    public struct Wins: Codable, Sendable, Equatable {
        public var noChange: Double?
        public var teacher: Double?
        public var dualInterpolation: Double?
        public var teacherGapFraction: Double?
        public var perTemperature: Double?
    }

    public struct SkippedRows: Codable, Sendable, Equatable {
        public let count: Int
        /// The first 20 skipped file lines.
        public let lines: [Int]
    }

    /// One predictor's held-out errors over the pilot sets of a reduction.
    public struct ReductionSummary: Codable, Sendable, Equatable {
        public let name: String
        public let meanMae: Double?
        public let medianMae: Double?
        public let worstMae: Double?
        public let pilotSets: Int
        public let formulaBetterShare: Double?
        public let formulaMeanMaeOnSameSets: Double?

        public init(_ s: PilotReduction.Summary) {
            func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
            name = s.name; meanMae = finite(s.meanMAE); medianMae = finite(s.medianMAE); worstMae = finite(s.worstMAE)
            pilotSets = s.pilotSets; formulaBetterShare = s.formulaBetterShare; formulaMeanMaeOnSameSets = s.formulaMeanMAEOnSameSets
        }
    }

    public struct GroupReduction: Codable, Sendable, Equatable {
        public let group: String
        public let summaries: [ReductionSummary]
    }

    /// The k-pilot reduction (docs/theory.md §5.5): every k-subset as pilots, the rest held out.
    public struct Reduction: Codable, Sendable, Equatable {
        public let k: Int
        public let exhaustive: Bool
        public let subsets: Int?
        public let seed: Int?
        public let pilotSets: Int
        public let pooled: [ReductionSummary]
        public let groups: [GroupReduction]
    }

    public var runs: String
    /// `runs` (one row per configuration) or `seeds` (one row per seed), as the runs file was read.
    public var layout: String
    public var configurations: Int
    public var evaluated: Int
    public var form: String
    public var gEstimator: String
    public var chiEstimator: String
    public var model: String
    public var groupBy: String?
    public var groups: [String]
    public var note: String
    /// The mean seed standard error in points: no predictor can be judged below it.
    public var noiseFloorPoints: Double?
    public var formula: ErrorMetrics?
    public var noChange: ErrorMetrics?
    public var teacher: ErrorMetrics?
    public var dualInterpolation: ErrorMetrics?
    public var teacherGapFraction: ErrorMetrics?
    public var perTemperature: ErrorMetrics?
    public var formulaBeats: Wins
    public var flagged: Int
    public var skippedRows: SkippedRows
    public var reduction: Reduction?
    public var warnings: [String]
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord

    /// Where each predictor `EvaluationFolder.predictors` names keeps its errors, and the
    /// formula's wins against it (none for the formula itself).
    // Key paths are immutable values; Swift 6 does not yet mark them Sendable.
    nonisolated(unsafe) static let fields: [String: (metrics: WritableKeyPath<EvaluationMetrics, ErrorMetrics?>, wins: WritableKeyPath<Wins, Double?>?)] = [
        "formula": (\.formula, nil),
        "no_change": (\.noChange, \.noChange),
        "teacher": (\.teacher, \.teacher),
        "dual_interpolation": (\.dualInterpolation, \.dualInterpolation),
        "teacher_gap_fraction": (\.teacherGapFraction, \.teacherGapFraction),
        "per_temperature": (\.perTemperature, \.perTemperature),
    ]

    /// The errors of a predictor (nil for a name `evaluate` does not write, or one not fitted).
    public func metrics(_ predictor: String) -> ErrorMetrics? { Self.fields[predictor].flatMap { self[keyPath: $0.metrics] } }

    /// The formula's share of wins against a baseline.
    public func formulaWins(against predictor: String) -> Double? { Self.fields[predictor]?.wins.flatMap { formulaBeats[keyPath: $0] } }

    mutating func set(_ predictor: String, _ value: ErrorMetrics?, wins: Double?) {
        guard let field = Self.fields[predictor] else { preconditionFailure("no metrics field for predictor \(predictor)") }
        self[keyPath: field.metrics] = value
        if let w = field.wins { formulaBeats[keyPath: w] = wins }
    }
}
