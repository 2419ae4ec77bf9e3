import ArrayIO
import Foundation
import Testing
import _TestSupport

/// Every malformed input gets an `ArrayIOError` whose one-line description names the file.
@Suite struct MalformedInputTests {
    let folder = makeTemporaryFolder()

    func header(_ dict: String, version: UInt8 = 1) -> [UInt8] {
        var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, version, 0]
        let body = Array(dict.utf8)
        if version == 1 {
            bytes += [UInt8(body.count & 0xFF), UInt8(body.count >> 8)]
        } else {
            bytes += [UInt8(body.count & 0xFF), UInt8((body.count >> 8) & 0xFF), 0, 0]
        }
        return bytes + body
    }

    func expectError(_ bytes: [UInt8], name: String, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let path = folder + "/" + name
        writeFile(path, bytes)
        let error = #expect(throws: ArrayIOError.self, sourceLocation: sourceLocation) { _ = try ArrayFile.open(path).readAll() }
        guard let text = error?.description else { return }
        #expect(text.hasPrefix(path), "error must start with the file: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains("\n"), "error must be one line: \(text)", sourceLocation: sourceLocation)
        for word in words { #expect(text.contains(word), "'\(word)' missing from: \(text)", sourceLocation: sourceLocation) }
    }

    @Test func npyDefects() {
        let ok = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n"
        expectError([], name: "empty.npy", mentioning: ["too short"])
        expectError(Array("not numpy at all, really".utf8), name: "magic.npy", mentioning: ["magic"])
        expectError(header(ok, version: 9) + [UInt8](repeating: 0, count: 16), name: "version.npy", mentioning: ["version"])
        expectError(header(ok), name: "nodata.npy", mentioning: ["truncated"])
        expectError(header(ok) + [UInt8](repeating: 0, count: 9), name: "short.npy", mentioning: ["truncated"])
        expectError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"), name: "huge.npy",
                    mentioning: ["truncated"])
        expectError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }"),
                    name: "overflow.npy", mentioning: ["overflow"])
        expectError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (-3,), }"), name: "negative.npy", mentioning: ["negative"])
        expectError(header("{'descr': '<f8', 'fortran_order': False, 'shape': (2,"), name: "cut.npy", mentioning: ["header"])
        expectError(header("{'descr': '<U8', 'fortran_order': False, 'shape': (2,), }") + [UInt8](repeating: 0, count: 64),
                    name: "dtype.npy", mentioning: ["dtype"])
        expectError(header("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }"), name: "structured.npy",
                    mentioning: ["structured"])
        expectError(header("{'fortran_order': False, 'shape': (2,), }"), name: "nodescr.npy", mentioning: ["descr"])
        expectError(header("{'descr': '<f8', 'shape': (2,), }"), name: "noorder.npy", mentioning: ["fortran_order"])
        expectError(header(String(repeating: "(", count: 100)), name: "deep.npy", mentioning: ["header"])
        expectError([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F] + Array(ok.utf8), name: "v2.npy",
                    mentioning: ["exceeds"])
        expectError(header(ok, version: 3) + [UInt8](repeating: 0, count: 15), name: "v3.npy", mentioning: ["truncated"])
    }

    @Test func fixturesWithUnsupportedContent() throws {
        let complex = #expect(throws: ArrayIOError.self) { try NPYArray(path: fixture("unsupported_c16.npy")) }
        #expect(complex?.description.contains("'<c16' is not supported") == true)
        let cube = #expect(throws: ArrayIOError.self) { try NPYArray(path: fixture("three_d.npy")) }
        #expect(cube?.description.contains("3-d") == true)
    }

    @Test func npzDefects() {
        expectError(Array("PK not really a zip archive at all, sorry".utf8), name: "bad.npz", mentioning: ["zip"])
        expectError([0x50, 0x4B], name: "tiny.npz", mentioning: ["too short"])
        // A real archive cut in half.
        let whole = try! [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("deflated.npz"))))
        expectError(Array(whole[0 ..< whole.count / 2]), name: "half.npz", mentioning: [])
    }

    @Test func csvDefects() {
        expectError([], name: "empty.csv", mentioning: ["empty"])
        expectError(Array("a,b\n".utf8), name: "header-only.csv", mentioning: ["empty"])
        expectError(Array("1,2\n3\n".utf8), name: "ragged.csv", mentioning: ["line 2", "1 fields, expected 2"])
        expectError(Array("1,2\n3,x\n".utf8), name: "text.csv", mentioning: ["line 2", "'x' is not a number"])
        expectError(Array("1,2\n3,\n".utf8), name: "blank.csv", mentioning: ["empty field"])
    }

    @Test func missingFilesAndFolders() {
        let missing = #expect(throws: ArrayIOError.self) { try ArrayFile.open(folder + "/nope.npy") }
        #expect(missing?.description.contains("No such file") == true)
        let directory = #expect(throws: ArrayIOError.self) { try ArrayFile.open(folder + "/") }
        #expect(directory != nil)
        let unknown = #expect(throws: ArrayIOError.self) { try ArrayFile.open(folder + "/x.parquet") }
        #expect(unknown?.description.contains("unknown file type") == true)
    }

    @Test func nonIntegerLabelsAreRefused() {
        let path = folder + "/labels.npy"
        writeFile(path, Writers.npy(float64: [0, 1.5], shape: [2]))
        let error = #expect(throws: ArrayIOError.self) { try NPYArray(path: path).readIntegerVector() }
        #expect(error?.description.contains("row 1") == true)
    }

    @Test func transactionLeavesNothingOnFailure() throws {
        var transaction = OutputTransaction()
        transaction.add(folder + "/out/a.csv", [1, 2, 3])
        transaction.add("/proc/forbidden/b.csv", [4])
        #expect(throws: ArrayIOError.self) { try transaction.commit() }
        #expect(filesIn(folder + "/out").isEmpty)
    }
}

/// The RFC 4180 rules both CSV readers share (`CSVRecords`).
@Suite struct CSVRecordTests {
    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let text = "name,note\r\n\"a, b\",\"say \"\"hi\"\"\"\n  plain  , \"two\nlines\" \n\n"
        let table = try TextTable.parse(Array(text.utf8), path: "t.csv")
        #expect(table.header == ["name", "note"])
        #expect(table.rows == [["a, b", "say \"hi\""], ["plain", "two\nlines"]])
        #expect(table.lineNumbers == [2, 3])
        let numbers = try Array("x,y\n\"1.5\",2\r\n3,\"4\"\n".utf8).withUnsafeBytes { try CSVTable.parse($0, name: "n.csv") }
        #expect(numbers.values == [1.5, 2, 3, 4] && numbers.columnNames == ["x", "y"])
    }

    @Test func brokenQuotingIsNamed() {
        #expect { try TextTable.parse(Array("a,b\n\"open,1\n".utf8), path: "t.csv") } throws: { "\($0)".contains("line 2: a quoted field is not closed") }
        #expect { try TextTable.parse(Array("a,b\n\"x\"y,1\n".utf8), path: "t.csv") } throws: { "\($0)".contains("text after a closing quote") }
        #expect { try Array("a,b\n1,\"2\n".utf8).withUnsafeBytes { try CSVTable.parse($0, name: "n.csv") } } throws: { "\($0)".contains("not closed") }
    }
}
