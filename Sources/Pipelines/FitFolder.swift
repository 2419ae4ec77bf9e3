import ArrayIO
import Foundation
import Laws

/// A folder written by `fit`: the fitted law (when there is one) and its verdict.
public struct FitFolder: Sendable {
    public let path: String
    public let summary: FitSummary
    /// `nil` when the fit failed (the summary then says why).
    public let law: GeneralizedMarchenkoPastur?
    public let adequate: Bool
    public let reason: String
    /// SHA-256 of the one eigenvalue file the law was fitted to (nil for pooled or older fits).
    public let fittedToDigest: String?
    /// Eigenvalues set apart as outliers before the bulk was fitted, and their distances beyond
    /// the edges in Tracy-Widom units.
    public let outliers: [Double]
    public let outlierDistances: [Double]
    /// How far beyond the lower and upper edges an eigenvalue must lie to be an outlier.
    public let outlierThreshold: (lower: Double, upper: Double)?
    /// `h` or `hhat`: which matrix of a spectrum folder was fitted.
    public let matrix: String

    /// Refuses to draw or report this fit beside a spectrum it was not fitted to (unless
    /// `allowMixed`): the two folders must come from the same eigenvalues, byte for byte.
    public func requireFitted(to spectrum: SpectrumFolder, teacher: Bool = false, allowMixed: Bool) throws {
        if allowMixed { return }
        let name = teacher ? "teacher_eigenvalues.csv" : "eigenvalues.csv"
        guard let fittedToDigest else {
            throw PipelineError(file: path, problem: "does not record a single spectrum it was fitted to (pooled, or written by an older version)",
                                fix: "re-run spectralkd fit --spectrum \(spectrum.path), or pass --allow-mixed to combine them anyway")
        }
        if try Provenance.digest((spectrum.path as NSString).appendingPathComponent(name)).sha256 != fittedToDigest {
            throw PipelineError(file: path, problem: "was fitted to other eigenvalues than \(spectrum.path)/\(name) (another run or matrix)",
                                fix: "re-run spectralkd fit --spectrum \(spectrum.path), or pass --allow-mixed to combine them anyway")
        }
    }

    /// - Throws: `PipelineError` when `fit.json` is missing, of another schema, or its law invalid.
    public init(path: String) throws {
        let file = (path as NSString).appendingPathComponent("fit.json")
        guard FileManager.default.fileExists(atPath: file) else {
            throw PipelineError(file: path, problem: "has no fit.json", fix: "pass the --out folder of spectralkd fit")
        }
        summary = try FitSummary.read(path: file)
        self.path = path
        adequate = summary.adequate
        reason = summary.reason
        fittedToDigest = summary.fittedTo?.eigenvaluesSha256
        outliers = summary.outliers
        outlierDistances = summary.outlierDetails.map(\.twDistance)
        if let units = summary.twUnits, let margin = summary.outlierMarginTw {
            outlierThreshold = (units.lower * margin, units.upper * margin)
        } else {
            outlierThreshold = nil
        }
        matrix = summary.fittedTo?.matrix ?? "h"
        do { law = try summary.law() } catch {
            throw PipelineError(file: file, problem: "its law parameters are invalid (\(error))", fix: "re-run spectralkd fit")
        }
    }
}
