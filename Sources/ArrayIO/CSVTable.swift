import Foundation

/// How to read the first line and the first column of a numeric CSV.
public struct CSVOptions: Sendable, Equatable {
    public enum Header: String, Sendable { case auto, present, absent }
    public enum Index: Sendable, Equatable { case auto, none, column(Int) }
    public var header: Header
    public var index: Index
    public init(header: Header = .auto, index: Index = .auto) { self.header = header; self.index = index }
    public static let auto = CSVOptions()
}

/// A numeric CSV file: optional header line, then rows of numbers separated by commas.
///
/// Reads what `pandas.DataFrame.to_csv` and `numpy.savetxt(..., delimiter=",")` write. With
/// `CSVOptions.auto`:
/// * the first line is a header when any field is not a number, or when it is exactly the
///   integers `0,1,...,k-1` with `k >= 2` (pandas' header for a frame made from an array);
/// * the first column is an index, dropped with a note, when its header is empty, `Unnamed: 0`
///   or `index` (pandas' `index=True` and `reset_index()`), or when there is no such name but
///   the table has at least 2 columns and 3 rows and the column is exactly `0, 1, ..., N-1`.
/// Fields are split by `CSVRecords` (RFC 4180, shared with `TextTable`). Blank lines are
/// skipped; `\r\n` line ends and double-quoted fields are accepted; `nan` and
/// `inf` parse (callers reject non-finite values where they matter, naming the row).
/// A single-column file whose first line is `0` stays data under `auto` (it is as likely a
/// label as pandas' header of a Series): `header: .present` says otherwise.
public struct CSVTable: Sendable {
    /// Column names from the header, or `column0`, `column1`, ... when there is none.
    public var columnNames: [String]
    public var hasHeader: Bool
    public var rows: Int
    /// Row-major values.
    public var values: [Double]
    /// What was decided about the header and index, for the user.
    public var notes: [String] = []

    public var columns: Int { columnNames.count }

    /// Parses the CSV file at `path`.
    /// - Throws: `ArrayIOError` naming the line for a non-numeric field, a ragged row, or an empty file.
    public static func read(path: String, options: CSVOptions = .auto) throws -> CSVTable {
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
        return try data.withUnsafeBytes { try parse(UnsafeRawBufferPointer($0), name: path, options: options) }
    }

    /// Parses CSV text held in memory; `name` is used in error messages.
    public static func parse(_ bytes: UnsafeRawBufferPointer, name: String, options: CSVOptions = .auto) throws -> CSVTable {
        var table = try parseFields(bytes, name: name, header: options.header)
        try table.dropIndex(options.index, file: name)
        return table
    }

    /// `0,1,...,k-1` written as plain integers, k >= 2: pandas' header for `DataFrame(array)`.
    static func isIntegerHeader(_ fields: [String]) -> Bool {
        fields.count >= 2 && fields.enumerated().allSatisfy { $0.element == String($0.offset) }
    }

    /// Removes the index column that `options` or the auto rules name.
    mutating func dropIndex(_ index: CSVOptions.Index, file: String) throws {
        let column: Int?
        switch index {
        case .none: column = nil
        case let .column(k):
            guard k >= 0 && k < columns else {
                throw ArrayIOError.unsupported(file: file, detail: "--index-col \(k) is outside its \(columns) columns", fix: "give a column from 0 to \(columns - 1)")
            }
            column = k
        case .auto:
            let first = hasHeader ? columnNames[0].trimmingCharacters(in: .whitespaces).lowercased() : nil
            if let first, ["", "unnamed: 0", "index"].contains(first) {
                column = 0
            } else if first == nil, columns >= 2, rows >= 3, (0..<rows).allSatisfy({ values[$0 * columns] == Double($0) }) {
                column = 0
            } else {
                column = nil
            }
        }
        guard let j = column, columns >= 2 else { return }
        let name = hasHeader ? "'\(ArrayIOError.excerpt(columnNames[j]))'" : "without a name"
        notes.append("\(file): column \(j) (\(name)) is an index (pandas to_csv writes one unless index=False) and was dropped; pass --index-col none to keep it")
        var kept: [Double] = []
        kept.reserveCapacity(rows * (columns - 1))
        for r in 0..<rows { for c in 0..<columns where c != j { kept.append(values[r * columns + c]) } }
        values = kept
        columnNames.remove(at: j)
    }

    static func parseFields(_ bytes: UnsafeRawBufferPointer, name: String, header: CSVOptions.Header) throws -> CSVTable {
        var names: [String]? = nil
        var values: [Double] = []
        var columns = -1
        var rows = 0
        var fieldBuffer = [CChar](repeating: 0, count: 128)
        var rowValues: [Double] = []
        var rowText: [String] = []
        var integerHeader = false
        try CSVRecords.forEach(bytes, file: name) { lineNumber, fields in
            rowValues.removeAll(keepingCapacity: true)
            rowText.removeAll(keepingCapacity: true)
            var allNumeric = true
            for field in fields {
                let a = field.start, length = field.end - field.start
                var parsed: Double? = nil
                if length > 0 && length < 120 && !field.escaped {
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
                    rowText.append(CSVRecords.text(field, in: bytes))
                } else if parsed == nil {
                    let text = CSVRecords.text(field, in: bytes)
                    throw ArrayIOError.malformed(
                        file: name,
                        detail: "line \(lineNumber), field \(rowValues.count + 1): \(text.isEmpty ? "empty field" : "'\(text.prefix(40))' is not a number")")
                }
            }
            if names == nil && rows == 0 && header != .absent && (!allNumeric || header == .present || isIntegerHeader(rowText)) {
                if allNumeric && header == .auto { integerHeader = true }
                names = rowText
                columns = rowText.count
                return
            }
            if !allNumeric && header == .absent && names == nil && rows == 0 {
                throw ArrayIOError.malformed(file: name, detail: "line \(lineNumber) is not numeric but --no-header was given")
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
        var table = CSVTable(columnNames: columnNames, hasHeader: names != nil, rows: rows, values: values)
        if integerHeader {
            table.notes.append("\(name): the first line 0,1,...,\(columns - 1) was read as pandas' column header, not as data; pass --no-header if it is data")
        }
        return table
    }

    /// The table as a row source over all columns.
    public func asRowSource(name: String) -> InMemoryArray {
        InMemoryArray(name: name, rows: rows, columns: columns, values: values, notes: notes)
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
