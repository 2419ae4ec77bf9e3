/// Every way a file can be unreadable or unwritable, carrying the file and what a user can do.
///
/// `description` is exactly one line, `<file>: <problem>[; <fix>]`, so a command-line tool can
/// print it as its whole error message.
public enum ArrayIOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file cannot be opened or read at all (missing, a directory, no permission).
    case cannotOpen(file: String, reason: String)
    /// The container or header is not what the format requires.
    case malformed(file: String, detail: String)
    /// The file ends before the data its header promises.
    case truncated(file: String, expectedBytes: Int, actualBytes: Int)
    /// A well-formed file this reader does not support (dtype, byte order, rank).
    case unsupported(file: String, detail: String, fix: String)
    /// A value that is not a number, or not the number the caller needs.
    case badValue(file: String, row: Int, column: Int, detail: String)
    /// A field of a text table that is not what its column needs: `line` is the file's line
    /// number (1-based, the header is line 1), `column` the column's name as the file spells it.
    case badField(file: String, line: Int, column: String, detail: String)
    /// No data rows.
    case empty(file: String)
    /// Writing failed; nothing was left at the destination.
    case writeFailed(file: String, reason: String)

    /// One line, whatever bytes a hostile file managed to get quoted into it: control characters
    /// (newlines among them) are written as escapes (found by `make fuzz`: a dtype string holding
    /// a newline made a two-line error).
    public var description: String {
        var line = ""
        for scalar in rawDescription.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                line += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                line.unicodeScalars.append(scalar)
            }
        }
        return line
    }

    private var rawDescription: String {
        switch self {
        case let .cannotOpen(file, reason):
            return "\(file): cannot open (\(reason)); check the path"
        case let .malformed(file, detail):
            return "\(file): malformed file: \(detail)"
        case let .truncated(file, expected, actual):
            return "\(file): truncated: the header promises \(expected) bytes but the file has \(actual); re-save it with numpy"
        case let .unsupported(file, detail, fix):
            return "\(file): \(detail); \(fix)"
        case let .badValue(file, row, column, detail):
            return "\(file): row \(row), column \(column): \(detail)"
        case let .badField(file, line, column, detail):
            return "\(file): line \(line), column \(ArrayIOError.excerpt(column)): \(detail)"
        case let .empty(file):
            return "\(file): no data rows; the file is empty"
        case let .writeFailed(file, reason):
            return "\(file): cannot write (\(reason)); check that the folder exists and is writable"
        }
    }

    /// The file the error is about.
    public var file: String {
        switch self {
        case let .cannotOpen(file, _), let .malformed(file, _), let .truncated(file, _, _),
             let .unsupported(file, _, _), let .badValue(file, _, _, _), let .badField(file, _, _, _), let .empty(file),
             let .writeFailed(file, _):
            return file
        }
    }
}

extension ArrayIOError {
    /// Text taken from a file (a member name, a dtype), shortened for a message: a hostile file
    /// can hold 64 KiB names (found by `make fuzz`), and an error line must stay readable.
    static func excerpt(_ text: String, limit: Int = 80) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "… (\(text.count) characters)"
    }

    /// The first `limit` items, comma-separated, then how many more there are.
    static func list(_ items: [String], limit: Int = 10) -> String {
        let shown = items.prefix(limit).map { excerpt($0) }.joined(separator: ", ")
        return items.count <= limit ? shown : shown + " and \(items.count - limit) more"
    }
}
