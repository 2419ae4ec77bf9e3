import ArrayIO
import Foundation
import Testing
import _TestSupport

/// Files written by numpy, pandas and the safetensors package (Fixtures/ecosystem/make_fixtures.py;
/// `make test` checks they are byte-identical to what those packages write now).
nonisolated(unsafe) let ecosystem: [String: [String: Any]] = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: fixture("ecosystem/expected.json")))
    return try! JSONSerialization.jsonObject(with: data) as! [String: [String: Any]]
}()

@Suite struct EcosystemTests {
    /// Every file reads as numpy holds it: every float width (f2 included), every signed and
    /// unsigned integer width, both byte orders, safetensors F16/BF16/F32/F64/I32/I64/U8/BOOL,
    /// and pandas CSVs with their header and index column.
    @Test(arguments: Array(ecosystem.keys).sorted())
    func readsAsWritten(name: String) throws {
        let expected = ecosystem[name]!
        let values = (expected["values"] as! [NSNumber]).map(\.doubleValue)
        let shape = (expected["shape"] as! [Int])
        let folder = (fixture("ecosystem/expected.json") as NSString).deletingLastPathComponent
        let source = try ArrayFile.open(folder + "/" + name)
        #expect(source.rows == (shape.first ?? 1) && source.columns == (shape.count == 2 ? shape[1] : 1), "\(name): \(source.rows) x \(source.columns)")
        #expect(try source.readAll() == values, "\(name)")
    }

    @Test func pandasNotes() throws {
        let indexed = try ArrayFile.open(fixture("ecosystem/pandas_index_true.csv"))
        #expect(indexed.notes.count == 1 && indexed.notes[0].contains("is an index"))
        let header = try ArrayFile.open(fixture("ecosystem/pandas_index_false.csv"))
        #expect(header.notes.count == 1 && header.notes[0].contains("pandas' column header"))
        // Overrides: keep the index, or read the integer header as data.
        let kept = try ArrayFile.open(fixture("ecosystem/pandas_index_true.csv"), csv: CSVOptions(index: .none))
        #expect(kept.columns == 5 && kept.notes.isEmpty)
        let data = try ArrayFile.open(fixture("ecosystem/pandas_index_false.csv"), csv: CSVOptions(header: .absent))
        let all = try data.readAll()
        #expect(data.rows == 4 && all.prefix(4) == [0, 1, 2, 3])
        // A real first column that merely starts at 0 is not an index.
        let text = "a,b\n0,1\n5,2\n9,3\n"
        let plain = try text.utf8CString.withUnsafeBytes { raw in
            try CSVTable.parse(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count - 1)]), name: "t.csv")
        }
        #expect(plain.columns == 2 && plain.notes.isEmpty)
    }

    @Test func safetensorsTensorsByName() throws {
        let file = fixture("ecosystem/two.safetensors")
        #expect { try ArrayFile.open(file) } throws: { "\($0)".contains("holds 2 tensors") && "\($0)".contains("logits") }
        #expect { try ArrayFile.open(file + ":nope") } throws: { "\($0)".contains("has no tensor 'nope'") }
        let labels = try ArrayFile.open(file + ":labels")
        let vector = try labels.readIntegerVector()
        #expect(vector == [0, 3, 1] && labels.name.hasSuffix(":labels"))
    }

    /// Hostile safetensors headers fail with one-line ArrayIOErrors, never a crash or an
    /// allocation of the claimed size; every prefix of a valid file fails cleanly too.
    @Test func hostileSafetensors() throws {
        func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
            let h = Array(header.utf8)
            let bytes = withUnsafeBytes(of: (length ?? UInt64(h.count)).littleEndian) { Array($0) }
            return bytes + h + data
        }
        let cases: [([UInt8], String)] = [
            (file("{}", length: 1 << 40), "header length"),
            (file("[1,2]"), "not a JSON object"),
            (file(#"{"x":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), "not supported"),
            (file(#"{"x":{"dtype":"F32","shape":[4000000000000000,4000000000000000],"data_offsets":[0,16]}}"#, data: Array(repeating: 0, count: 16)), "overflows"),
            (file(#"{"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,1000000]}}"#, data: Array(repeating: 0, count: 16)), "truncated"),
            (file(#"{"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#, data: Array(repeating: 0, count: 16)), "span 12 bytes"),
            (file(#"{"x":{"dtype":"F32","shape":[2,2,2],"data_offsets":[0,32]}}"#, data: Array(repeating: 0, count: 32)), "3-d"),
            (file(#"{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: Array(repeating: 0, count: 4)), "shape entry"),
            (file(#"{"x":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: Array(repeating: 0, count: 8)), "data_offsets"),
        ]
        for (bytes, message) in cases {
            #expect { try SafetensorsArray(source: MemoryByteSource(name: "h.safetensors", bytes: bytes), tensor: nil) }
                throws: { e in "\(e)".contains(message) && !"\(e)".contains("\n") && e is ArrayIOError }
        }
        let valid = Array(try Data(contentsOf: URL(fileURLWithPath: fixture("ecosystem/f16.safetensors"))))
        for cut in 0..<valid.count {
            #expect(throws: ArrayIOError.self, "prefix \(cut)") {
                let a = try SafetensorsArray(source: MemoryByteSource(name: "p.safetensors", bytes: Array(valid.prefix(cut))), tensor: nil)
                _ = try a.readAll()
            }
        }
    }
}
