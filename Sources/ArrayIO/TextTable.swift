import Foundation

/// A CSV file of text fields with a header line, as pandas writes tables of runs
/// (`role,seed,temperature,...`). Fields may be double-quoted (with `""` for a quote).
public struct TextTable: Sendable {
    public let path: String
    public let header: [String]
    public let rows: [[String]]

    /// - Throws: `ArrayIOError` for a missing file, an empty one, or a row with the wrong number of fields.
    public static func read(path: String) throws -> TextTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ArrayIOError.cannotOpen(file: path, reason: FileManager.default.fileExists(atPath: path) ? "unreadable" : "No such file")
        }
        return try parse(Array(data), path: path)
    }

    /// Parses CSV text held in memory; `path` is used in error messages.
    public static func parse(_ bytes: [UInt8], path: String) throws -> TextTable {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ArrayIOError.malformed(file: path, detail: "not UTF-8 text")
        }
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let first = lines.first else { throw ArrayIOError.empty(file: path) }
        let header = split(first).map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [[String]] = []
        for (i, line) in lines.dropFirst().enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = split(line).map { $0.trimmingCharacters(in: .whitespaces) }
            if fields.count != header.count {
                throw ArrayIOError.malformed(file: path, detail: "line \(i + 2) has \(fields.count) fields, expected \(header.count)")
            }
            rows.append(fields)
        }
        if rows.isEmpty { throw ArrayIOError.empty(file: path) }
        return TextTable(path: path, header: header, rows: rows)
    }

    static func split(_ line: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; if next == "," { fields.append(current); current = "" } else { current.append(next) } }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current); current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }

    /// The index of a column, or an error listing the columns.
    public func column(_ name: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw ArrayIOError.unsupported(file: path, detail: "no column '\(ArrayIOError.excerpt(name))'", fix: "columns are: \(ArrayIOError.list(header))")
        }
        return i
    }

    /// Field `name` of row `r` as a number.
    public func number(_ r: Int, _ name: String) throws -> Double {
        let text = rows[r][try column(name)]
        guard let v = Double(text), v.isFinite else {
            throw ArrayIOError.badValue(file: path, row: r + 2, column: try column(name), detail: "'\(ArrayIOError.excerpt(text))' in column \(name) is not a finite number")
        }
        return v
    }

    /// Field `name` of row `r` as a boolean (`true`/`false`, `1`/`0`, `yes`/`no`).
    public func boolean(_ r: Int, _ name: String) throws -> Bool {
        let text = rows[r][try column(name)].lowercased()
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default:
            throw ArrayIOError.badValue(file: path, row: r + 2, column: try column(name), detail: "'\(ArrayIOError.excerpt(text))' in column \(name) is not true or false")
        }
    }

    public func text(_ r: Int, _ name: String) throws -> String { rows[r][try column(name)] }
}
