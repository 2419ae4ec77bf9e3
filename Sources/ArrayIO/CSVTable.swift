import Foundation

/// A numeric CSV file: optional header line, then rows of numbers separated by commas.
///
/// Reads what `pandas.DataFrame.to_csv` and `numpy.savetxt(..., delimiter=",")` write:
/// a header is recognised when any field of the first non-blank line is not a number; blank
/// lines are skipped; `\r\n` line ends and double-quoted fields are accepted; `nan` and `inf`
/// parse (callers reject non-finite values where they matter, naming the row).
public struct CSVTable: Sendable {
    /// Column names from the header, or `column0`, `column1`, ... when there is none.
    public var columnNames: [String]
    public var hasHeader: Bool
    public var rows: Int
    /// Row-major values.
    public var values: [Double]

    public var columns: Int { columnNames.count }

    /// Parses the CSV file at `path`.
    /// - Throws: `ArrayIOError` naming the line for a non-numeric field, a ragged row, or an empty file.
    public static func read(path: String) throws -> CSVTable {
        let data: Data
        do {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw ArrayIOError.cannotOpen(file: path, reason: "is a directory")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch let error as ArrayIOError {
            throw error
        } catch {
            throw ArrayIOError.cannotOpen(file: path, reason: (error as NSError).localizedDescription)
        }
        return try data.withUnsafeBytes { try parse(UnsafeRawBufferPointer($0), name: path) }
    }

    /// Parses CSV text held in memory; `name` is used in error messages.
    public static func parse(_ bytes: UnsafeRawBufferPointer, name: String) throws -> CSVTable {
        var names: [String]? = nil
        var values: [Double] = []
        var columns = -1
        var rows = 0
        var lineNumber = 0
        var fieldBuffer = [CChar](repeating: 0, count: 128)
        var position = 0
        let count = bytes.count
        var rowValues: [Double] = []
        var rowText: [String] = []
        while position < count {
            lineNumber += 1
            var end = position
            while end < count, bytes[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > position, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { position = end + 1 }
            // Skip blank lines.
            var blank = true
            for i in position..<lineEnd where bytes[i] != 0x20 && bytes[i] != 0x09 { blank = false; break }
            if blank { continue }
            rowValues.removeAll(keepingCapacity: true)
            rowText.removeAll(keepingCapacity: true)
            var allNumeric = true
            var start = position
            while true {
                var stop = start
                var inQuotes = false
                while stop < lineEnd, inQuotes || bytes[stop] != 0x2C {
                    if bytes[stop] == 0x22 { inQuotes.toggle() }
                    stop += 1
                }
                var a = start, b = stop
                while a < b, bytes[a] == 0x20 || bytes[a] == 0x09 { a += 1 }
                while b > a, bytes[b - 1] == 0x20 || bytes[b - 1] == 0x09 { b -= 1 }
                if b - a >= 2, bytes[a] == 0x22, bytes[b - 1] == 0x22 { a += 1; b -= 1 }
                let length = b - a
                var parsed: Double? = nil
                if length > 0 && length < 120 {
                    for i in 0..<length { fieldBuffer[i] = CChar(bitPattern: bytes[a + i]) }
                    fieldBuffer[length] = 0
                    parsed = fieldBuffer.withUnsafeMutableBufferPointer { buf -> Double? in
                        var endPointer: UnsafeMutablePointer<CChar>? = nil
                        let v = strtod(buf.baseAddress!, &endPointer)
                        return endPointer == buf.baseAddress! + length ? v : nil
                    }
                }
                if let v = parsed {
                    rowValues.append(v)
                } else {
                    allNumeric = false
                }
                if names == nil && rows == 0 && values.isEmpty {
                    rowText.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self))
                } else if parsed == nil {
                    let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self)
                    throw ArrayIOError.malformed(
                        file: name,
                        detail: "line \(lineNumber), field \(rowValues.count + 1): \(text.isEmpty ? "empty field" : "'\(text.prefix(40))' is not a number")")
                }
                if stop >= lineEnd { break }
                start = stop + 1
            }
            if names == nil && rows == 0 && !allNumeric {
                names = rowText
                columns = rowText.count
                continue
            }
            let fieldCount = rowValues.count
            if columns < 0 { columns = fieldCount }
            if fieldCount != columns {
                throw ArrayIOError.malformed(file: name, detail: "line \(lineNumber) has \(fieldCount) fields, expected \(columns)")
            }
            values.append(contentsOf: rowValues)
            rows += 1
        }
        if rows == 0 { throw ArrayIOError.empty(file: name) }
        let columnNames = names ?? (0..<columns).map { "column\($0)" }
        return CSVTable(columnNames: columnNames, hasHeader: names != nil, rows: rows, values: values)
    }

    /// The table as a row source over all columns.
    public func asRowSource(name: String) -> InMemoryArray {
        InMemoryArray(name: name, rows: rows, columns: columns, values: values)
    }

    /// One column, chosen by header name, as a vector.
    /// - Throws: `ArrayIOError.unsupported` listing the available names when `named` is absent.
    public func column(named: String, file: String) throws -> [Double] {
        guard let j = columnNames.firstIndex(of: named) else {
            throw ArrayIOError.unsupported(file: file, detail: "no column '\(ArrayIOError.excerpt(named))'",
                                           fix: "choose one of: \(ArrayIOError.list(columnNames))")
        }
        return (0..<rows).map { values[$0 * columns + j] }
    }
}
