import Foundation

/// A CSV file of text fields with a header line, as pandas writes tables of runs
/// (`role,seed,temperature,...`). Fields are split by `CSVRecords` (RFC 4180: double-quoted
/// fields with `""` for a quote, commas and line breaks inside), shared with `CSVTable`.
public struct TextTable: Sendable {
    public let path: String
    public let header: [String]
    public let rows: [[String]]
    /// The file line of each row (1-based; the header is line 1; blank lines count).
    public let lineNumbers: [Int]

    /// - Throws: `ArrayIOError` for a missing file, an empty one, or a row with the wrong number of fields.
    public static func read(path: String) throws -> TextTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArrayIOError.cannotOpen(file: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "No such file")
        }
        return try parse(Array(data), path: path)
    }

    /// Parses CSV text held in memory; `path` is used in error messages.
    public static func parse(_ bytes: [UInt8], path: String) throws -> TextTable {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ArrayIOError.malformed(file: path, detail: "not UTF-8 text")
        }
        var records: [(line: Int, fields: [String])] = []
        try bytes.withUnsafeBytes { raw in
            try CSVRecords.forEach(raw, file: path) { line, fields in records.append((line, fields.map { CSVRecords.text($0, in: raw) })) }
        }
        guard let first = records.first else { throw ArrayIOError.empty(file: path) }
        let header = first.fields
        var rows: [[String]] = [], lineNumbers: [Int] = []
        for record in records.dropFirst() {
            if record.fields.count != header.count {
                throw ArrayIOError.malformed(file: path, detail: "line \(record.line) has \(record.fields.count) fields, expected \(header.count)")
            }
            rows.append(record.fields)
            lineNumbers.append(record.line)
        }
        if rows.isEmpty { throw ArrayIOError.empty(file: path) }
        return TextTable(path: path, header: header, rows: rows, lineNumbers: lineNumbers)
    }

    /// A column name folded for matching: lower case, without `-`, `_`, spaces and dots, so that
    /// `kl_times_T2`, `KL-times-t2` and `kl times t2` are one column.
    public static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { !"-_ .".unicodeScalars.contains($0) }.map(Character.init))
    }

    /// The index of the first column whose folded name is one of `names`' folded names, or nil.
    public func index(of names: [String]) -> Int? {
        let wanted = Set(names.map(Self.normalized))
        return header.firstIndex { wanted.contains(Self.normalized($0)) }
    }

    public func has(_ name: String, aliases: [String] = []) -> Bool { index(of: [name] + aliases) != nil }

    /// The index of a column (matched case-, `-`/`_`/space-insensitively, or by an alias), or an
    /// error naming the closest column the file has.
    public func column(_ name: String, aliases: [String] = []) throws -> Int {
        if let i = index(of: [name] + aliases) { return i }
        let closest = header.min { editDistance(Self.normalized($0), Self.normalized(name)) < editDistance(Self.normalized($1), Self.normalized(name)) }
        let hint = closest.map { "the closest column is '\(ArrayIOError.excerpt($0))'; " } ?? ""
        throw ArrayIOError.unsupported(file: path, detail: "no column '\(ArrayIOError.excerpt(name))'",
                                       fix: hint + "columns are: \(ArrayIOError.list(header))")
    }

    /// Columns of the file that match none of `known` (each with its aliases), with the closest
    /// known name: what a runs reader lists so that a misspelt column is not silently ignored.
    public func unknownColumns(known: [[String]]) -> [(column: String, closest: String)] {
        let names = Set(known.flatMap { $0 }.map(Self.normalized))
        return header.filter { !$0.isEmpty && !names.contains(Self.normalized($0)) }.map { column in
            let c = Self.normalized(column)
            let best = known.map { $0[0] }.min { editDistance(Self.normalized($0), c) < editDistance(Self.normalized($1), c) } ?? ""
            return (column, best)
        }
    }

    /// The file line of row `r` (1-based; the header is line 1).
    public func line(_ r: Int) -> Int { lineNumbers[r] }

    /// Whether field `name` of row `r` is missing: empty, or a missing-value marker pandas and R
    /// write (`nan`, `NA`, `N/A`, `null`, `None`, `-`).
    public func isMissing(_ r: Int, _ name: String, aliases: [String] = []) -> Bool {
        guard let i = index(of: [name] + aliases) else { return true }
        return Self.missingMarkers.contains(rows[r][i].lowercased())
    }

    static let missingMarkers: Set<String> = ["", "nan", "na", "n/a", "null", "none", "-", "<na>"]

    /// Field `name` of row `r` as a number.
    public func number(_ r: Int, _ name: String, aliases: [String] = []) throws -> Double {
        let i = try column(name, aliases: aliases)
        let text = rows[r][i]
        guard let v = Double(text), v.isFinite else {
            throw ArrayIOError.badField(file: path, line: line(r), column: header[i], detail: "'\(ArrayIOError.excerpt(text))' is not a finite number")
        }
        return v
    }

    /// Field `name` of row `r` as a boolean (`true`/`false`, `1`/`0`, `yes`/`no`).
    public func boolean(_ r: Int, _ name: String, aliases: [String] = []) throws -> Bool {
        let i = try column(name, aliases: aliases)
        let text = rows[r][i].lowercased()
        switch text {
        case "true", "1", "yes", "1.0": return true
        case "false", "0", "no", "0.0": return false
        default:
            throw ArrayIOError.badField(file: path, line: line(r), column: header[i], detail: "'\(ArrayIOError.excerpt(text))' is not true or false")
        }
    }

    public func text(_ r: Int, _ name: String, aliases: [String] = []) throws -> String { rows[r][try column(name, aliases: aliases)] }
}
