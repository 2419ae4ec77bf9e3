/// The one CSV tokeniser (RFC 4180) behind both CSV readers (`CSVTable` for numbers,
/// `TextTable` for runs tables): records end at LF or CRLF; a field may be double-quoted, and
/// then holds commas, line breaks and `""` for a quote; spaces and tabs around a field are not
/// part of it. Blank records are skipped. Fields are byte ranges into the input, so the numeric
/// reader parses them in place without building strings.
struct CSVRecords {
    struct Field {
        /// The field's bytes, inside the quotes for a quoted field, spaces around it trimmed.
        var start: Int, end: Int
        /// A quoted field with `""` inside: `text` turns each into one quote.
        var escaped: Bool
    }

    /// Calls `body(line, fields)` for every non-blank record, `line` being the 1-based line the
    /// record starts on. The `fields` buffer is reused between records.
    /// - Throws: `ArrayIOError.malformed` naming `file` and the line for a quoted field that is
    ///   never closed or is followed by text; whatever `body` throws.
    static func forEach(_ bytes: UnsafeRawBufferPointer, file: String, _ body: (Int, [Field]) throws -> Void) throws {
        let count = bytes.count
        var position = 0, line = 1
        var fields: [Field] = []
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        while position < count {
            let recordLine = line
            fields.removeAll(keepingCapacity: true)
            var blank = true
            while true {  // one field per pass
                var a = position
                while a < count, isSpace(bytes[a]) { a += 1 }
                var field: Field
                var after: Int
                if a < count, bytes[a] == 0x22 {
                    blank = false
                    var i = a + 1, escaped = false
                    while true {
                        guard i < count else {
                            throw ArrayIOError.malformed(file: file, detail: "line \(recordLine): a quoted field is not closed")
                        }
                        if bytes[i] == 0x22 {
                            if i + 1 < count, bytes[i + 1] == 0x22 { escaped = true; i += 2; continue }
                            break
                        }
                        if bytes[i] == 0x0A { line += 1 }
                        i += 1
                    }
                    field = Field(start: a + 1, end: i, escaped: escaped)
                    after = i + 1
                    while after < count, isSpace(bytes[after]) { after += 1 }
                    if after < count, bytes[after] != 0x2C, bytes[after] != 0x0A, !(bytes[after] == 0x0D && (after + 1 == count || bytes[after + 1] == 0x0A)) {
                        throw ArrayIOError.malformed(file: file, detail: "line \(line): text after a closing quote (write a quote inside a quoted field as \"\")")
                    }
                } else {
                    var b = a
                    while b < count, bytes[b] != 0x2C, bytes[b] != 0x0A { b += 1 }
                    after = b
                    if b > a, bytes[b - 1] == 0x0D, b == count || bytes[b] == 0x0A { b -= 1 }  // CR of a CRLF
                    while b > a, isSpace(bytes[b - 1]) { b -= 1 }
                    if b > a { blank = false }
                    field = Field(start: a, end: b, escaped: false)
                }
                fields.append(field)
                if after < count, bytes[after] == 0x2C {
                    blank = false
                    position = after + 1
                    continue
                }
                // Record end: CR LF, LF, or the end of the input.
                if after < count, bytes[after] == 0x0D { after += 1 }
                position = after + 1
                if after < count { line += 1 }
                break
            }
            if !blank { try body(recordLine, fields) }
        }
    }

    /// A field's text, with `""` turned into `"`: on the bytes, since `String` matching goes by
    /// `Character` and a quote followed by a combining mark is not the character `"`.
    static func text(_ field: Field, in bytes: UnsafeRawBufferPointer) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.escaped else { return String(decoding: raw, as: UTF8.self) }
        let quote = UInt8(ascii: "\"")
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += raw[i] == quote && i + 1 < raw.count && raw[i + 1] == quote ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
