import ArrayIO
import Distillation

/// `prediction.json` of `spectralkd predict`: the estimators used, the fitted pilot model, the
/// recommended configuration, and the error on the runs the fit did not see, beside no change.
public struct PredictionSummary: OutputDocument {
    public static let currentSchema = 1
    public static let command = "predict"
    public var schemaVersion = Self.currentSchema

    /// The Hinton alpha: a number, or `"inf"` for soft targets only (JSON has no infinity).
    public struct Alpha: Codable, Sendable, Equatable {
        public let value: Double
        public init(_ value: Double) { self.value = value }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            if value == .infinity { try c.encode("inf") } else { try c.encode(value) }
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) {
                guard text == "inf" else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a number or \"inf\", found \"\(text)\"")
                }
                value = .infinity
            } else {
                value = try c.decode(Double.self)
            }
        }
    }

    /// A configuration: temperature, Hinton alpha (and alpha_H when the runs give it), soft weight.
    public struct Configuration: Codable, Sendable, Equatable {
        public let temperature: Double
        public let alphaH: Double?
        public let alpha: Alpha
        public let softWeight: Double

        init(_ p: GridPoint) {
            temperature = p.setting.temperature
            alphaH = p.alphaH.flatMap { $0.isFinite ? $0 : nil }
            alpha = Alpha(p.setting.alpha)
            softWeight = p.setting.softWeight
        }
    }

    public struct Pilot: Codable, Sendable, Equatable {
        public let label: String
        public let observed: Double
        public let configuration: Configuration
    }

    public struct Parameter: Codable, Sendable, Equatable {
        public let name: String
        public let value: Double
    }

    public struct Recommendation: Codable, Sendable, Equatable {
        public let configuration: Configuration
        public let predictedAccuracy: Double
        public let lower: Double?
        public let upper: Double?
        /// Whether the interval's lower end is above the hard-label baseline (nil without one).
        public let beatsNoChange: Bool?
        /// Other configurations with exactly the same prediction.
        public let tiedWith: Int
    }

    /// Errors on configurations the runs file observed but the fit never saw.
    public struct HeldOut: Codable, Sendable, Equatable {
        public let count: Int
        public let formulaMaePoints: Double
        public let noChangeMaePoints: Double
        public let dualInterpolationMaePoints: Double
        public let teacherGapFractionMaePoints: Double?
    }

    /// The measured error of a zero-shot chi estimator (no pilots), stated beside its prediction.
    public struct ExpectedError: Codable, Sendable, Equatable {
        public struct Measurement: Codable, Sendable, Equatable {
            public let sweep: String
            public let maePoints: Double?
            public let noChangeMaePoints: Double?
            public let onePilotMaePoints: Double?
        }
        public let estimator: String
        public let statement: String
        public let measurements: [Measurement]

        init(_ record: ZeroShotRecord) {
            func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
            estimator = record.estimator
            statement = record.statement
            measurements = record.measurements.map {
                .init(sweep: $0.sweep, maePoints: finite($0.maePoints), noChangeMaePoints: finite($0.noChangeMAEPoints),
                      onePilotMaePoints: finite($0.onePilotMAEPoints))
            }
        }
    }

    /// The teacher's calibration and the student's risk variance reduction, as context only.
    public struct TeacherContext: Codable, Sendable, Equatable {
        public var role = "context"
        public let accuracy: Double
        public let logLoss: Double
        public let brier: Double
        public let ece: Double
        public let bins: Int
        public let entropy: Double
        public let studentRiskVarianceReduction: Double?
    }

    public struct Inputs: Codable, Sendable, Equatable {
        public let pilots: String?
        public let pilotsSkippedLines: [Int]
        public let studentLogits: String?
        public let teacherLogits: String?
        public let labels: String?
    }

    /// The prediction and its interval when one configuration was asked for (else nil).
    public var predictedAccuracy: Double?
    public var lower: Double?
    public var upper: Double?
    public var flags: [String]?
    public var configurations: Int
    public var classes: Int
    public var baselineAccuracy: Double
    public var teacherAccuracy: Double
    public var form: String
    public var gEstimator: String
    public var chiEstimator: String
    public var model: String
    public var g: Double?
    public var chi: Double
    public var chiSe: Double?
    public var parameters: [Parameter]?
    public var pilotCount: Int
    public var pilots: [Pilot]
    public var intervalSource: String
    public var intervalLevel: Double
    public var expectedError: ExpectedError?
    public var recommended: Recommendation
    public var flagged: Int
    public var heldOut: HeldOut?
    public var teacherQuality: TeacherContext?
    public var inputs: Inputs
    public var warnings: [String]
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord
}
