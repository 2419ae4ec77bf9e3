import ArrayIO

/// `manifest.json` of `spectralkd export`: every exported file with its columns and meaning,
/// the spectrum's summary, the fit's headline numbers and each evaluation's metrics, so a
/// notebook needs no knowledge of SpectralKD's folders.
public struct ExportManifest: OutputDocument {
    public static let currentSchema = 1
    public static let command = "export"
    public var schemaVersion = Self.currentSchema

    public struct File: Codable, Sendable, Equatable {
        public let name: String
        public let columns: [String]
        public let description: String
    }

    /// The fit's verdict and law, as a notebook plots them.
    public struct FitResult: Codable, Sendable, Equatable {
        public let adequate: Bool
        public let reason: String
        public let q: Double?
        public let scale: Double?
        public let correlation: Double?
        public let support: [[Double]]?
        public let atom: Double?
        public let ks: Double?
        public let pValue: Double?
    }

    public struct Evaluation: Codable, Sendable {
        /// The exported copy of its `predictions.csv`.
        public let file: String
        public let source: String
        public let metrics: EvaluationMetrics
    }

    public var spectrum: String
    public var fit: String?
    /// The spectrum folder's `summary.json` as it was read (`spectrum` or `simulate`).
    public var summary: JSONValue
    public var fitResult: FitResult?
    public var evaluations: [Evaluation]
    public var files: [File]
    public var manifest: RunManifest
    public var provenance: ProvenanceRecord
}
