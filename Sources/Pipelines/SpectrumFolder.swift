import ArrayIO
import Foundation

/// A folder written by `spectrum` or `simulate`: its summary and its bulk spectra, with the
/// structural zero (docs/theory.md §1.3) removed the same way everywhere (plots, exports, fits).
public struct SpectrumFolder: Sendable {
    public let path: String
    /// `SpectrumSummary` or `SimulationSummary`, by the command its manifest names.
    public let summary: any SpectrumDescription
    /// Eigenvalues of H without the structural zero, ascending.
    public let bulk: [Double]
    /// Eigenvalues of Hhat without its structural zero, when the run had a teacher.
    public let teacherBulk: [Double]?

    /// - Throws: `PipelineError` when the folder lacks `eigenvalues.csv` or `summary.json`;
    ///   `ArrayIOError` for malformed files.
    public init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineError(file: path, problem: "is not a folder", fix: "pass the --out folder of spectralkd spectrum or simulate")
        }
        let summaryPath = Self.file(path, "summary.json"), eigenPath = Self.file(path, "eigenvalues.csv")
        for needed in [summaryPath, eigenPath] where !FileManager.default.fileExists(atPath: needed) {
            throw PipelineError(file: path, problem: "has no \((needed as NSString).lastPathComponent)",
                                fix: "pass the --out folder of spectralkd spectrum or simulate")
        }
        self.path = path
        summary = try Self.summary(summaryPath)
        bulk = try Self.bulk(eigenPath, zero: summary.structuralZero)
        // Only files this run wrote: a teacher_eigenvalues.csv that an earlier run left is not read.
        let teacherPath = Self.file(path, "teacher_eigenvalues.csv")
        teacherBulk = summary.manifest.lists("teacher_eigenvalues.csv") && FileManager.default.fileExists(atPath: teacherPath)
            ? try Self.bulk(teacherPath, zero: summary.teacherStructuralZero) : nil
    }

    /// The summary of whichever command wrote the folder.
    static func summary(_ file: String) throws -> any SpectrumDescription {
        let value = try JSONValue.read(path: file)
        switch value["manifest"]?["command"]?.string {
        case SimulationSummary.command?: return try SimulationSummary.decode(value, file: file)
        case SpectrumSummary.command? where value["matrix_free"] == nil: return try SpectrumSummary.decode(value, file: file)
        case SpectrumSummary.command?:
            throw PipelineError(file: file, problem: "belongs to a matrix-free spectrum, which has no eigenvalues to read",
                                fix: "fit it with spectralkd fit --spectrum, or run spectrum without --matrix-free")
        default:
            throw PipelineError(file: file, problem: "is not the summary of spectralkd spectrum or simulate (its manifest names no such command)",
                                fix: "pass the --out folder of spectralkd spectrum or simulate")
        }
    }

    /// The run that wrote the folder.
    public var runID: String { summary.manifest.runID }

    /// SHA-256 of this folder's `eigenvalues.csv`, to tell whether a fit was made from it.
    public func eigenvaluesDigest() throws -> String { try Provenance.digest(Self.file(path, "eigenvalues.csv")).sha256 }

    static func file(_ folder: String, _ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// The `eigenvalue` column with the recorded structural zero (matched bit for bit) removed.
    static func bulk(_ file: String, zero: Double?) throws -> [Double] {
        removingStructuralZero(try CSVTable.read(path: file).column(named: "eigenvalue", file: file), zero: zero)
    }

    /// `values` without the first entry equal (bit for bit) to the recorded structural zero.
    static func removingStructuralZero(_ values: [Double], zero: Double?) -> [Double] {
        var values = values
        if let zero, let index = values.firstIndex(of: zero) { values.remove(at: index) }
        return values
    }
}
