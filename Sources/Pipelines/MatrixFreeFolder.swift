import ArrayIO
import Foundation

/// A folder written by `spectrum --matrix-free`: the SLQ measure (`slq_nodes.csv`), the exact
/// mean and the W1 bound from its summary, for `fit` (docs/theory.md §1.6).
public struct MatrixFreeFolder: Sendable {
    public let path: String
    /// The quadrature nodes of every probe, and their weights divided by the probe count.
    public let nodes: [Double], weights: [Double]
    /// `Tr H / (C - 1)`, exact.
    public let mean: Double
    public let q: Double
    /// The estimate's Wasserstein-1 bound, `t (lambda_max - lambda_min)`.
    public let bound: Double
    public let runID: String
    /// The variance and third central moment the summary reports (from the extra moment probes).
    public let moments: (variance: Double, third: Double)
    public var nodesFile: String { (path as NSString).appendingPathComponent("slq_nodes.csv") }

    /// Whether `path` holds a matrix-free summary (false when it has no summary at all).
    /// - Throws: `ArrayIOError` when the summary exists but cannot be read.
    public static func isMatrixFree(_ path: String) throws -> Bool {
        let summary = (path as NSString).appendingPathComponent("summary.json")
        guard FileManager.default.fileExists(atPath: summary) else { return false }
        return try JSONValue.read(path: summary)["matrix_free"] == .bool(true)
    }

    /// - Throws: `PipelineError` naming the file when the summary lacks a key or the nodes file
    ///   is not the one the manifest lists.
    public init(path: String) throws {
        self.path = path
        let summaryPath = (path as NSString).appendingPathComponent("summary.json")
        let summary = try MatrixFreeSummary.read(path: summaryPath)
        for (key, v) in [("trace_h", summary.traceH), ("wasserstein1_bound", summary.wasserstein1Bound), ("variance", summary.variance),
                         ("third_central_moment", summary.thirdCentralMoment)] where !v.isFinite {
            throw PipelineError(file: summaryPath, problem: "has no finite \(key)", fix: "run spectrum --matrix-free again to rewrite the folder")
        }
        guard summary.classes >= 2, summary.samples >= 1, summary.probes >= 1 else {
            throw PipelineError(file: summaryPath, problem: "records \(summary.classes) classes, \(summary.samples) samples and \(summary.probes) probes",
                                fix: "run spectrum --matrix-free again to rewrite the folder")
        }
        let c = Double(summary.classes), n = Double(summary.samples)
        mean = summary.traceH / (c - 1)
        q = (c - 1) / n
        bound = summary.wasserstein1Bound
        moments = (summary.variance, summary.thirdCentralMoment)
        runID = summary.manifest.runID
        let file = (path as NSString).appendingPathComponent("slq_nodes.csv")
        let table = try CSVTable.read(path: file)
        let node = try table.column(named: "node", file: file), weight = try table.column(named: "weight", file: file)
        guard !node.isEmpty, node.count == weight.count else {
            throw PipelineError(file: file, problem: "has no quadrature nodes", fix: "run spectrum --matrix-free again to rewrite the folder")
        }
        let probes = Double(summary.probes)
        nodes = node
        weights = weight.map { $0 / probes }
    }
}
