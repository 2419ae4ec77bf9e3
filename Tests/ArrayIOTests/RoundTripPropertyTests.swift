import ArrayIO
import Foundation
import PropertyBased
import Testing

/// A small typed document with every shape the output structs use: numbers that may be NaN,
/// optionals, arrays, nested structs, strings with any characters.
private struct Document: Codable, Equatable {
    struct Row: Codable, Equatable { let gamma: Double; let traceH: Double }
    var schemaVersion = 1
    var count: Int
    var value: Double
    var maybe: Double?
    var label: String
    var values: [Double]
    var rows: [Row]
    var flag: Bool?

    /// Equality with NaN equal to itself (the decoder reads `null` back as NaN).
    func same(_ other: Document) -> Bool {
        func eq(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }
        return count == other.count && eq(value, other.value) && maybe == other.maybe && label == other.label
            && values.count == other.values.count && zip(values, other.values).allSatisfy(eq)
            && rows.count == other.rows.count && zip(rows, other.rows).allSatisfy { eq($0.gamma, $1.gamma) && eq($0.traceH, $1.traceH) }
            && flag == other.flag && schemaVersion == other.schemaVersion
    }
}

/// Any double, by bit pattern: subnormals, -0, NaN payloads and infinities included.
private let anyDouble = Gen.uint64().map { Double(bitPattern: $0) }
/// Text from the control characters through quotes, backslashes and most of the BMP's scripts.
private let anyText = Gen.character(in: "\u{0}"..."\u{2FFF}").string(of: 0...12)

@Suite struct RoundTripPropertyTests {
    /// Every finite double is written in a form that parses back to the same bits; NaN and the
    /// infinities are written as `null`.
    @Test func doublesSurviveJSON() async {
        await propertyCheck(count: 2000, input: anyDouble) { d in
            let text = JSONValue.array([.double(d)]).rendered()
            guard let parsed = try? JSONValue.parse(Array(text.utf8), file: "t"), case let .array(items) = parsed, items.count == 1 else {
                Issue.record("\(d) wrote unparsable \(text)"); return
            }
            if d.isFinite {
                #expect(items[0].number?.bitPattern == d.bitPattern, "\(d) came back as \(items[0])")
            } else {
                #expect(items[0] == .null)
            }
        }
    }

    /// Strings of any characters (controls, quotes, backslashes, non-ASCII) come back equal.
    @Test func stringsSurviveJSON() async {
        await propertyCheck(count: 500, input: anyText) { s in
            let text = JSONValue.object([(s, .string(s))]).rendered(pretty: false)
            let parsed = try? JSONValue.parse(Array(text.utf8), file: "t")
            #expect(parsed?[s]?.string == s, "\(s.debugDescription) wrote \(text)")
        }
    }

    /// Encoder -> text -> parser -> decoder gives the value back, and writing it again gives the
    /// same text: writers and readers of a typed document agree.
    @Test func typedDocumentsSurvive() async {
        let rows = zip(anyDouble, anyDouble).map { Document.Row(gamma: $0, traceH: $1) }.array(of: 0...4)
        let documents = zip(Gen.int(in: -1_000_000...1_000_000), anyDouble, Gen.double(in: -1e300...1e300).optional, anyText,
                            anyDouble.array(of: 0...6), rows, Gen.bool.optional)
            .map { Document(count: $0, value: $1, maybe: $2, label: $3, values: $4, rows: $5, flag: $6) }
        await propertyCheck(count: 500, input: documents) { doc in
            do {
                let text = try JSONValueEncoder().encode(doc).rendered()
                let back = try JSONValueDecoder().decode(Document.self, from: JSONValue.parse(Array(text.utf8), file: "t"))
                #expect(back.same(doc), "\(doc) came back as \(back)")
                #expect(try JSONValueEncoder().encode(back).rendered() == text)
            } catch {
                Issue.record("\(doc): \(error)")
            }
        }
    }

    /// CSV columns written by `Writers.csv` are read back by `CSVTable` bit for bit, infinities
    /// included. (NaN is an empty field, which the numeric reader refuses by design: a missing
    /// eigenvalue or logit is an error. The text-table reader test below covers NaN.)
    @Test func csvColumnsSurvive() async {
        let shapes = zip(Gen.int(in: 1...3), anyDouble.filter { !$0.isNaN }.array(of: 3...15))
        await propertyCheck(count: 300, input: shapes) { width, flat in
            let rows = flat.count / width
            let columns = (0..<width).map { j in Array(flat[(j * rows)..<((j + 1) * rows)]) }
            let header = columns.indices.map { "c\($0)" }
            let bytes = Writers.csv(header: header, columns: columns)
            do {
                let table = try bytes.withUnsafeBytes { try CSVTable.parse($0, name: "t.csv") }
                for (j, column) in columns.enumerated() {
                    let back = try table.column(named: "c\(j)", file: "t.csv")
                    let same = back.count == column.count && zip(back, column).allSatisfy {
                        $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) || ($1.isInfinite && $0 == $1)
                    }
                    #expect(same, "column \(j): \(column) came back as \(back)")
                }
            } catch {
                Issue.record("\(columns): \(error)")
            }
        }
    }

    /// Tables with NaN cells (predictions.csv, metrics tables) come back through `TextTable`
    /// with every row, NaN where it was, including files of a single column.
    @Test func tablesWithMissingValuesKeepTheirRows() async {
        let cell = Gen.oneOf(anyDouble.filter(\.isFinite), Gen.always(Double.nan))
        let shapes = zip(Gen.int(in: 1...3), cell.array(of: 3...15))
        await propertyCheck(count: 300, input: shapes) { width, flat in
            let rows = flat.count / width
            let columns = (0..<width).map { j in Array(flat[(j * rows)..<((j + 1) * rows)]) }
            let bytes = Writers.csv(header: columns.indices.map { "c\($0)" }, columns: columns)
            do {
                let table = try TextTable.parse(bytes, path: "t.csv")
                #expect(table.rows.count == rows, "\(columns): \(table.rows.count) rows")
                for (j, column) in columns.enumerated() {
                    let k = try table.column("c\(j)")
                    let back = table.rows.map { Double($0[k]) ?? .nan }
                    #expect(back.count == column.count && zip(back, column).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) },
                            "column \(j): \(column) came back as \(back)")
                }
            } catch {
                Issue.record("\(columns): \(error)")
            }
        }
    }

    /// A quote, comma, line break or end space followed by a combining mark is one `Character`
    /// that is none of those, but its bytes still hold them: the writer quotes by bytes, so each
    /// comes back unchanged (the first was found by `textFieldsSurvive`).
    @Test(arguments: ["\"\u{1B81}", "a\"\u{301}b", ",\u{301}", "x\n\u{301}", "\r\u{301}", " \u{301}x", "x \u{301}", "\t\u{20DD}"])
    func combiningMarksAfterSpecialBytes(field: String) throws {
        let bytes = Writers.csv(header: ["label", "value"], text: [field, "plain"], columns: [[1, 2]])
        let table = try TextTable.parse(bytes, path: "t.csv")
        #expect(table.rows.map { $0[0] } == [field, "plain"], "\(field.debugDescription) came back as \(table.rows)")
    }

    /// Text columns with any characters (commas, quotes, line breaks, spaces at the ends) written
    /// by `Writers.csv` come back from `TextTable` unchanged: one RFC 4180 writer and tokeniser.
    @Test func textFieldsSurvive() async {
        let fields = zip(anyText.array(of: 1...6), anyText.array(of: 1...6))
        await propertyCheck(count: 300, input: fields) { labels, others in
            let n = min(labels.count, others.count)
            let (a, b) = (Array(labels.prefix(n)), Array(others.prefix(n)))
            let bytes = Writers.csv(header: ["label", "value", "note"], text: a, columns: [(0..<n).map(Double.init)], trailingText: b)
            do {
                let table = try TextTable.parse(bytes, path: "t.csv")
                let same = table.rows.count == n && table.rows.map { $0[0] } == a && table.rows.map { $0[2] } == b
                #expect(same, "\(a.map(\.debugDescription)) / \(b.map(\.debugDescription)) came back as \(table.rows)")
            } catch {
                Issue.record("\(a.map(\.debugDescription)): \(error)")
            }
        }
    }
}
