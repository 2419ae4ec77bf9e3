import ArrayIO
import Foundation

/// A folder written by `spectrum` or `simulate`: its summary and its bulk spectra, with the
/// structural zero (THEORY §1.3) removed the same way everywhere (plots, exports, fits).
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
        let teacherPath = Self.file(path, "teacher_eigenvalues.csv")
        teacherBulk = FileManager.default.fileExists(atPath: teacherPath)
            ? try Self.bulk(teacherPath, zero: summary["teacher_structural_zero"]?.number) : nil
    }

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
