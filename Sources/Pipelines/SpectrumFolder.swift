import ArrayIO
import Foundation

/// A folder written by `spectrum` or `simulate`: its summary and its bulk spectra, with the
/// structural zero (docs/theory.md §1.3) removed the same way everywhere (plots, exports, fits).
public struct SpectrumFolder: Sendable {
    public let path: String
    public let summary: JSONValue
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
        summary = try JSONValue.read(path: summaryPath)
        bulk = try Self.bulk(eigenPath, zero: summary["structural_zero"]?.number)
        // Only files this run wrote: a teacher_eigenvalues.csv that an earlier run left is not read.
        let teacherPath = Self.file(path, "teacher_eigenvalues.csv")
        teacherBulk = Self.lists(summary, "teacher_eigenvalues.csv") && FileManager.default.fileExists(atPath: teacherPath)
            ? try Self.bulk(teacherPath, zero: summary["teacher_structural_zero"]?.number) : nil
        runID = summary["manifest"]?["run_id"]?.string
    }

    /// The run that wrote the folder (nil for folders written before manifests existed).
    public let runID: String?

    /// Whether the summary's manifest (or, in older folders, its `files` object) lists `name`.
    static func lists(_ summary: JSONValue, _ name: String) -> Bool {
        if let files = summary["manifest"]?["files"]?.array { return files.contains { $0.string == name } }
        if case let .object(pairs)? = summary["files"] { return pairs.contains { $0.1.string == name } }
        return false
    }

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

    public func number(_ key: String) -> Double? { summary[key]?.number }
}
