import ArrayIO
import Foundation
import Testing
import _TestSupport

/// The values every `base*` fixture holds: arange(12).reshape(3, 4) * 0.5 - 1 (make_fixtures.py).
let base = (0..<12).map { Double($0) * 0.5 - 1 }

func fixture(_ name: String) -> String {
    Bundle.module.path(forResource: "Fixtures/" + name, ofType: nil)!
}

@Suite struct NPYReaderTests {
    @Test(arguments: ["base_v1.npy", "base_v2.npy", "base_v3.npy", "base_f32.npy", "base_fortran.npy", "base_bigendian.npy"])
    func readsFloatArrays(name: String) throws {
        let array = try NPYArray(path: fixture(name))
        #expect(array.rows == 3 && array.columns == 4)
        #expect(try array.readAll() == base)
    }

    @Test func readsIntegerAndBoolArrays() throws {
        #expect(try NPYArray(path: fixture("int_i4.npy")).readAll() == (0..<12).map { Double($0 - 5) })
        #expect(try NPYArray(path: fixture("int_i8.npy")).readAll() == (0..<12).map { Double($0 - 5) })
        #expect(try NPYArray(path: fixture("int_u1.npy")).readAll() == (0..<12).map(Double.init))
        #expect(try NPYArray(path: fixture("bool.npy")).readAll() == (0..<12).map { $0 % 3 == 0 ? 1.0 : 0.0 })
    }

    @Test func vectorsAndScalars() throws {
        let v = try NPYArray(path: fixture("vector.npy"))
        #expect(v.rows == 5 && v.columns == 1)
        #expect(try v.readIntegerVector() == [3, 1, 4, 1, 5])
        let s = try NPYArray(path: fixture("scalar.npy"))
        #expect(s.rows == 1 && s.columns == 1)
        #expect(try s.readAll() == [2.5])
    }

    /// Blocks of rows in both storage orders equal the matching slice of the whole array.
    @Test(arguments: ["base_v1.npy", "base_fortran.npy", "base_f32.npy"])
    func blocksEqualSlices(name: String) throws {
        let array = try NPYArray(path: fixture(name))
        for start in 0..<3 {
            for end in start...3 {
                var buffer = [Double](repeating: .nan, count: (end - start) * 4)
                try buffer.withUnsafeMutableBufferPointer { try array.readRows(start..<end, into: $0) }
                #expect(buffer == Array(base[start * 4 ..< end * 4]))
            }
        }
    }

    @Test func writerRoundTrips() throws {
        let folder = makeTemporaryFolder()
        let values = [1.5, -2.25, .pi, 1e-300, 0, -0.0]
        writeFile(folder + "/x.npy", Writers.npy(float64: values, shape: [2, 3]))
        let back = try NPYArray(path: folder + "/x.npy")
        #expect(back.rows == 2 && back.columns == 3)
        #expect(try back.readAll().map(\.bitPattern) == values.map(\.bitPattern))
        writeFile(folder + "/y.npy", Writers.npy(int64: [1, -2, 3], shape: [3]))
        #expect(try NPYArray(path: folder + "/y.npy").readIntegerVector() == [1, -2, 3])
    }
}

@Suite struct NPZAndCSVTests {
    @Test(arguments: ["stored.npz", "deflated.npz"])
    func readsArchives(name: String) throws {
        let array = try ArrayFile.open(fixture(name) + ":base")
        #expect(array.rows == 3 && array.columns == 4)
        #expect(try array.readAll() == base)
    }

    @Test func singleMemberArchiveNeedsNoKey() throws {
        #expect(try ArrayFile.open(fixture("deflated.npz")).readAll() == base)
    }

    @Test func ambiguousOrMissingMemberListsKeys() throws {
        let error = #expect(throws: ArrayIOError.self) { try ArrayFile.open(fixture("stored.npz")) }
        #expect(error?.description.contains("base") == true && error?.description.contains("labels") == true)
        let missing = #expect(throws: ArrayIOError.self) { try ArrayFile.open(fixture("stored.npz") + ":nope") }
        #expect(missing?.description.contains("no array 'nope'") == true)
    }

    @Test(arguments: ["with_header.csv", "no_header.csv"])
    func readsCSV(name: String) throws {
        let table = try CSVTable.read(path: fixture(name))
        #expect(table.rows == 3 && table.columns == 4)
        #expect(table.values == base)
        #expect(table.hasHeader == (name == "with_header.csv"))
        if table.hasHeader { #expect(try table.column(named: "c", file: name) == [0, 2, 4]) }
    }

    @Test func csvWriterRoundTripsExactly() throws {
        let values = [0.1, 1.0 / 3, -2e-17, 12345.678, .pi]
        let bytes = Writers.csv(header: ["eigenvalue"], columns: [values])
        let table = try bytes.withUnsafeBytes { try CSVTable.parse($0, name: "mem") }
        #expect(table.columnNames == ["eigenvalue"])
        #expect(table.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func jsonRendersOrderedAndNullsNonFinite() {
        let v = JSONValue.object([("b", .int(1)), ("a", .double(.nan)), ("c", .array([.double(0.5), .string("x\"y")]))])
        #expect(v.rendered(pretty: false) == #"{"b":1,"a":null,"c":[0.5, "x\"y"]}"#)
        #expect(JSONValue.double(2).rendered() == "2.0")
    }
}
