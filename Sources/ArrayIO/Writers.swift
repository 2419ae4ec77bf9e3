import Foundation

/// Encoders for the files SpectralKD writes. They build bytes in memory; `OutputTransaction`
/// puts them on disk atomically.
public enum Writers {
    /// CSV with a header line and one row per entry, numbers in shortest round-trip form
    /// (`pandas.read_csv` reads it back bit for bit). Infinities are written `inf`/`-inf` and NaN
    /// as an empty field, as pandas reads them. A file of one column writes NaN as `nan` (and an
    /// empty text as `""`): an empty field there would be a blank line, which `read_csv` and
    /// every other reader skip, losing the row. Optional leading and trailing text columns are
    /// quoted when needed.
    public static func csv(header: [String], text leading: [String]? = nil, columns: [[Double]], trailingText trailing: [String]? = nil) -> [UInt8] {
        csv(header: header, leadingText: leading.map { [$0] } ?? [], columns: columns, trailingText: trailing)
    }

    /// The same with several leading text columns (a label and a group, say).
    public static func csv(header: [String], leadingText: [[String]], columns: [[Double]], trailingText trailing: [String]? = nil) -> [UInt8] {
        precondition(header.count == leadingText.count + columns.count + (trailing == nil ? 0 : 1), "CSV: \(header.count) names for the columns")
        let rows = columns.first?.count ?? leadingText.first?.count ?? trailing?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rows } && leadingText.allSatisfy { $0.count == rows } && (trailing?.count ?? rows) == rows,
                     "CSV: columns of different lengths")
        var text = header.map(quoted).joined(separator: ",") + "\n"
        text.reserveCapacity(rows * (columns.count + leadingText.count) * 20)
        for r in 0..<rows {
            let rowStart = text.utf8.count
            var first = true
            for column in leadingText { text += (first ? "" : ",") + quoted(column[r]); first = false }
            for column in columns {
                if !first { text += "," }
                first = false
                let v = column[r]
                if v.isFinite { text += "\(v)" } else if v.isInfinite { text += v > 0 ? "inf" : "-inf" }
            }
            if let trailing { text += (first ? "" : ",") + quoted(trailing[r]) }
            if text.utf8.count == rowStart { text += columns.isEmpty ? "\"\"" : "nan" }
            text += "\n"
        }
        return Array(text.utf8)
    }

    /// RFC 4180 quoting where a reader would otherwise split or trim the field: commas, quotes,
    /// line breaks, and spaces or tabs at either end.
    static func quoted(_ field: String) -> String {
        let needs = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || field.first.map { $0 == " " || $0 == "\t" } == true || field.last.map { $0 == " " || $0 == "\t" } == true
        return needs ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }

    /// A little-endian float64 `.npy` (version 1.0, C order) of the given shape.
    public static func npy(float64 values: [Double], shape: [Int]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "npy: shape \(shape) does not hold \(values.count) values")
        var bytes = NPYHeader.encode(descr: "<f8", shape: shape)
        bytes.reserveCapacity(bytes.count + values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// A little-endian int64 `.npy` (version 1.0, C order) of the given shape.
    public static func npy(int64 values: [Int], shape: [Int]) -> [UInt8] {
        precondition(shape.reduce(1, *) == values.count, "npy: shape \(shape) does not hold \(values.count) values")
        var bytes = NPYHeader.encode(descr: "<i8", shape: shape)
        for v in values { withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) } }
        return bytes
    }

    /// Pretty-printed JSON followed by a newline.
    public static func json(_ value: JSONValue) -> [UInt8] { Array((value.rendered() + "\n").utf8) }
}
