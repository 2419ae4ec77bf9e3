import ArrayIO
import Foundation

/// Reads a one-dimensional numeric input the way users hand it over: a `.npy`/`.npz` vector
/// (or `n x 1`), a CSV column chosen by name (or the only column), or a `spectrum` output folder,
/// whose `eigenvalues.csv` is read with the structural zero (docs/theory.md §1.3) dropped.
public struct VectorInput: Sendable {
    public let values: [Double]
    /// What was read, for summaries: the file, and the column when one was chosen.
    public let file: String
    public let column: String?
    /// True when a spectrum folder's structural zero was removed.
    public let droppedStructuralZero: Bool

    /// - Throws: `ArrayIOError` or `PipelineError` naming the file and the fix.
    public init(path: String, column: String? = nil) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            let csv = (path as NSString).appendingPathComponent("eigenvalues.csv")
            guard FileManager.default.fileExists(atPath: csv) else {
                throw PipelineError(file: path, problem: "is a folder without eigenvalues.csv",
                                    fix: "pass a spectrum output folder or a .csv/.npy file")
            }
            // The structural zero is removed exactly as plots and exports remove it (`SpectrumFolder`).
            // A folder without a summary has no known zero; an unreadable summary is an error, never
            // a silently kept structural zero.
            let summary = (path as NSString).appendingPathComponent("summary.json")
            let zero = FileManager.default.fileExists(atPath: summary) ? try JSONValue.read(path: summary)["structural_zero"]?.number : nil
            let all = try CSVTable.read(path: csv).column(named: column ?? "eigenvalue", file: csv)
            let values = SpectrumFolder.removingStructuralZero(all, zero: zero)
            self.init(values: values, file: csv, column: column ?? "eigenvalue", dropped: values.count < all.count)
            return
        }
        if path.lowercased().hasSuffix(".csv") || path.lowercased().hasSuffix(".txt") {
            let table = try CSVTable.read(path: path)
            let name: String
            if let column {
                name = column
            } else if table.columns == 1 {
                name = table.columnNames[0]
            } else {
                throw PipelineError(file: path, problem: "has \(table.columns) columns",
                                    fix: "choose one with --column (one of: \(table.columnNames.joined(separator: ", ")))")
            }
            self.init(values: try table.column(named: name, file: path), file: path, column: table.hasHeader ? name : nil, dropped: false)
            return
        }
        let source = try ArrayFile.open(path)
        if column != nil {
            throw PipelineError(file: path, problem: "--column applies to CSV files only", fix: "drop --column for .npy/.npz input")
        }
        if source.columns != 1 {
            throw PipelineError(file: path, problem: "is \(source.rows) x \(source.columns), not a vector",
                                fix: "save a 1-d array (for example eigenvalues.ravel())")
        }
        self.init(values: try source.readAll(), file: path, column: nil, dropped: false)
    }

    init(values: [Double], file: String, column: String?, dropped: Bool) {
        self.values = values
        self.file = file
        self.column = column
        droppedStructuralZero = dropped
    }
}
