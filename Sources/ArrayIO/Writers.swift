import Foundation
import NumericSupport

/// Encoders for the files SpectralKD writes. They build bytes in memory; `OutputTransaction`
/// puts them on disk atomically.
public enum Writers {
    /// CSV with a header line and one row per entry, numbers in shortest round-trip form
    /// (`pandas.read_csv` reads it back bit for bit), built in one byte buffer (`ByteText`).
    /// Infinities are written `inf`/`-inf` and NaN as an empty field, as pandas reads them. A file
    /// of one column writes NaN as `nan` (and an empty text as `""`): an empty field there would be
    /// a blank line, which `read_csv` and every other reader skip, losing the row. Optional leading
    /// and trailing text columns are quoted when needed.
    public static func csv(header: [String], text leading: [String]? = nil, columns: [[Double]], trailingText trailing: [String]? = nil) -> [UInt8] {
        csv(header: header, leadingText: leading.map { [$0] } ?? [], columns: columns, trailingText: trailing)
    }

    /// The same with several leading text columns (a label and a group, say).
    public static func csv(header: [String], leadingText: [[String]], columns: [[Double]], trailingText trailing: [String]? = nil) -> [UInt8] {
        precondition(header.count == leadingText.count + columns.count + (trailing == nil ? 0 : 1), "CSV: \(header.count) names for the columns")
        let rows = columns.first?.count ?? leadingText.first?.count ?? trailing?.count ?? 0
        precondition(columns.allSatisfy { $0.count == rows } && leadingText.allSatisfy { $0.count == rows } && (trailing?.count ?? rows) == rows,
                     "CSV: columns of different lengths")
        var text = ByteText(capacity: 64 + rows * bytesPerRow(leadingText.count, columns.count, trailing != nil))
        text.append(header.map(quoted).joined(separator: ","))
        text.append(byte: newline)
        // Rows format independently, so large tables are cut into fixed chunks formatted on all
        // cores and joined in order: the same bytes for any thread count.
        if rows <= csvChunk {
            appendRows(0..<rows, leadingText, columns, trailing, to: &text)
            return text.bytes
        }
        let chunks = ParallelRows.map((rows + csvChunk - 1) / csvChunk) { k in
            let range = k * csvChunk ..< min(rows, (k + 1) * csvChunk)
            var part = ByteText(capacity: range.count * bytesPerRow(leadingText.count, columns.count, trailing != nil))
            appendRows(range, leadingText, columns, trailing, to: &part)
            return part.bytes
        }
        var bytes = text.bytes
        bytes.reserveCapacity(bytes.count + chunks.reduce(0) { $0 + $1.count })
        for chunk in chunks { bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Rows per chunk when a CSV is formatted in parallel.
    static let csvChunk = 1 << 16

    private static func bytesPerRow(_ leading: Int, _ numbers: Int, _ trailing: Bool) -> Int {
        1 + numbers * 20 + leading * 12 + (trailing ? 12 : 0)
    }

    private static func appendRows(_ range: Range<Int>, _ leadingText: [[String]], _ columns: [[Double]], _ trailing: [String]?,
                                   to text: inout ByteText) {
        for r in range {
            let rowStart = text.count
            var first = true
            for column in leadingText {
                if !first { text.append(byte: comma) }
                first = false
                text.append(quoted(column[r]))
            }
            for column in columns {
                if !first { text.append(byte: comma) }
                first = false
                let v = column[r]
                if v.isFinite { text.append(v) } else if v.isInfinite { text.append(v > 0 ? "inf" : "-inf") }
            }
            if let trailing {
                if !first { text.append(byte: comma) }
                text.append(quoted(trailing[r]))
            }
            if text.count == rowStart { text.append(columns.isEmpty ? "\"\"" : "nan") }
            text.append(byte: newline)
        }
    }

    private static let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")

    /// RFC 4180 quoting where a reader would otherwise split or trim the field: commas, quotes,
    /// line breaks, and spaces or tabs at either end.
    ///
    /// Decided on the UTF-8 bytes, as readers tokenise, not on `Character`s: a quote followed by
    /// a combining mark (`"` + U+1B81) is one `Character` that is not `"`, so a check by
    /// characters left the field unquoted and the reader saw an unclosed quoted field (found by
    /// `RoundTripPropertyTests.textFieldsSurvive`).
    static func quoted(_ field: String) -> String {
        let bytes = field.utf8
        let special: (UInt8) -> Bool = { $0 == comma || $0 == quote || $0 == newline || $0 == carriageReturn }
        let blank: (UInt8) -> Bool = { $0 == space || $0 == tab }
        guard bytes.contains(where: special) || bytes.first.map(blank) == true || bytes.last.map(blank) == true else { return field }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 2)
        out.append(quote)
        for byte in bytes {
            out.append(byte)
            if byte == quote { out.append(quote) }
        }
        out.append(quote)
        return String(decoding: out, as: UTF8.self)
    }
    private static let quote = UInt8(ascii: "\""), carriageReturn = UInt8(ascii: "\r"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")

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
    public static func json(_ value: JSONValue) -> [UInt8] {
        var text = ByteText()
        value.write(into: &text)
        text.append(byte: newline)
        return text.bytes
    }
}
