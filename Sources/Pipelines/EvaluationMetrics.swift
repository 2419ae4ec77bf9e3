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

    /// The errors of the predictor `EvaluationFolder.predictors` names.
    public func metrics(_ predictor: String) -> ErrorMetrics? {
        switch predictor {
        case "formula": formula
        case "no_change": noChange
        case "teacher": teacher
        case "dual_interpolation": dualInterpolation
        case "teacher_gap_fraction": teacherGapFraction
        case "per_temperature": perTemperature
        default: nil
        }
    }

    /// The formula's share of wins against a baseline.
    public func formulaWins(against predictor: String) -> Double? {
        switch predictor {
        case "no_change": formulaBeats.noChange
        case "teacher": formulaBeats.teacher
        case "dual_interpolation": formulaBeats.dualInterpolation
        case "teacher_gap_fraction": formulaBeats.teacherGapFraction
        case "per_temperature": formulaBeats.perTemperature
        default: nil
        }
    }

    mutating func set(_ predictor: String, _ value: ErrorMetrics?, wins: Double?) {
        switch predictor {
        case "formula": formula = value
        case "no_change": noChange = value; formulaBeats.noChange = wins
        case "teacher": teacher = value; formulaBeats.teacher = wins
        case "dual_interpolation": dualInterpolation = value; formulaBeats.dualInterpolation = wins
        case "teacher_gap_fraction": teacherGapFraction = value; formulaBeats.teacherGapFraction = wins
        case "per_temperature": perTemperature = value; formulaBeats.perTemperature = wins
        default: preconditionFailure("no metrics field for predictor \(predictor)")
        }
    }
}
