import ArrayIO
import Foundation
import Laws

/// A folder written by `fit`: the fitted law (when there is one) and its verdict.
public struct FitFolder: Sendable {
    public let path: String
    public let summary: JSONValue
    /// `nil` when the fit failed (the summary then says why).
    public let law: GeneralizedMarchenkoPastur?
    public let adequate: Bool
    public let reason: String

    /// - Throws: `PipelineError` when `fit.json` is missing or lacks its verdict.
    public init(path: String) throws {
        let file = (path as NSString).appendingPathComponent("fit.json")
        guard FileManager.default.fileExists(atPath: file) else {
            throw PipelineError(file: path, problem: "has no fit.json", fix: "pass the --out folder of spectralkd fit")
        }
        summary = try JSONValue.read(path: file)
        guard let adequate = summary["adequate"]?.bool, let reason = summary["reason"]?.string else {
            throw PipelineError(file: file, problem: "has no adequate/reason fields", fix: "re-run spectralkd fit")
        }
        self.path = path
        self.adequate = adequate
        self.reason = reason
        if let q = summary["q"]?.number, let s = summary["scale"]?.number, let c = summary["correlation"]?.number {
            law = try? GeneralizedMarchenkoPastur(q: q, scale: s, correlation: c)
        } else {
            law = nil
        }
    }
}
