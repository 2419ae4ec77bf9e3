import ArrayIO
import Foundation

/// The summary JSON and the table of a folder another command wrote (`predict`, `evaluate`),
/// read back for pictures and reports.
struct CommandFolder {
    let summary: JSONValue
    let summaryPath: String
    let table: TextTable

    /// - Throws: `PipelineError` naming the missing file and the command whose `--out` is expected.
    init(path: String, summary summaryName: String, table tableName: String, command: String) throws {
        let csv = (path as NSString).appendingPathComponent(tableName)
        let json = (path as NSString).appendingPathComponent(summaryName)
        for needed in [csv, json] where !FileManager.default.fileExists(atPath: needed) {
            throw PipelineError(file: path, problem: "has no \((needed as NSString).lastPathComponent)", fix: "pass the --out folder of spectralkd \(command)")
        }
        summary = try JSONValue.read(path: json)
        summaryPath = json
        table = try TextTable.read(path: csv)
    }

    /// A numeric column; unparsable cells (empty: NaN as pandas writes it) are NaN.
    func column(_ name: String) throws -> [Double] {
        let j = try table.column(name)
        return table.rows.map { Double($0[j]) ?? .nan }
    }
}
