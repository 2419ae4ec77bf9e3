import ArrayIO
import Foundation
import Testing
import _TestSupport

/// Float32 rows read straight into `Float` buffers equal the `Double` reader's values for every
/// layout: little- and big-endian, C and Fortran order, blocks large enough to be read in
/// parallel slices, and other dtypes through the converting default.
@Suite struct NPYSingleRowsTests {
    static func file(_ descr: String, rows: Int, columns: Int, fortran: Bool = false, _ values: (Int) -> Double) -> String {
        var bytes = NPYHeader.encode(descr: descr, shape: [rows, columns], fortranOrder: fortran)
        for i in 0..<(rows * columns) {
            let v = values(i)
            switch descr {
            case "<f4": withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 }
            case ">f4": withUnsafeBytes(of: Float(v).bitPattern.bigEndian) { bytes += $0 }
            case "<i2": withUnsafeBytes(of: Int16(v).littleEndian) { bytes += $0 }
            default: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
            }
        }
        let path = makeTemporaryFolder("npy-single") + "/a.npy"
        writeFile(path, bytes)
        return path
    }

    @Test(arguments: [("<f4", false), (">f4", false), ("<f4", true), ("<i2", false), ("<f8", false)])
    func floatRowsEqualDoubleRows(descr: String, fortran: Bool) throws {
        let rows = 1100, columns = 1000  // 1.1e6 elements: the parallel-slice path
        let path = Self.file(descr, rows: rows, columns: columns, fortran: fortran) { i in Double((i * 7919) % 2001) / 8 - 125 }
        let array = try NPYArray(path: path)
        for range in [0 ..< rows, 37 ..< 38, 500 ..< 1100] {
            var single = [Float](repeating: .nan, count: range.count * columns)
            var double = [Double](repeating: .nan, count: range.count * columns)
            try single.withUnsafeMutableBufferPointer { try array.readRows(range, into: $0) }
            try double.withUnsafeMutableBufferPointer { try array.readRows(range, into: $0) }
            #expect(single.map(Double.init) == double.map { Double(Float($0)) }, "\(descr) fortran \(fortran) rows \(range)")
        }
        #expect(array.elementType.isExactInSingle == (descr != "<f8"))
    }

    /// Rows in place (the memory-mapped window the float32 pass reads): exactly the stored floats
    /// for little-endian C-order float32, including one column in Fortran order; nil for the
    /// layouts that need a conversion, which the pass then reads into a buffer.
    @Test(arguments: [("<f4", false, 1000), ("<f4", false, 13), ("<f4", true, 1), (">f4", false, 13), ("<f4", true, 13),
                      ("<i2", false, 13), ("<f8", false, 13)])
    func storedRowsInPlace(descr: String, fortran: Bool, columns: Int) throws {
        let rows = 300
        let path = Self.file(descr, rows: rows, columns: columns, fortran: fortran) { i in Double((i * 7919) % 2001) / 8 - 125 }
        let array = try NPYArray(path: path)
        let inPlace = descr == "<f4" && (!fortran || columns == 1)
        for range in [0 ..< rows, 37 ..< 38, 299 ..< 300, 5 ..< 5] {
            var expected = [Float](repeating: .nan, count: range.count * columns)
            try expected.withUnsafeMutableBufferPointer { try array.readRows(range, into: $0) }
            let stored = try array.withStoredFloatRows(range) { Array($0) }
            #expect(stored == (inPlace ? expected : nil), "\(descr) fortran \(fortran) C = \(columns) rows \(range)")
        }
    }

    /// A window of a file (how an `.npz` member stored without compression is read): in place
    /// when its data is 4-byte aligned in the file, nil (a buffered read) when it is not; the
    /// values the pass sees are the stored ones either way.
    @Test(arguments: [0, 1, 2, 4, 4097])
    func windowsInPlaceWhenAligned(padding: Int) throws {
        let rows = 40, columns = 10
        let npy = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.file("<f4", rows: rows, columns: columns) { Double($0) / 7 - 20 })))
        let path = makeTemporaryFolder("npy-window") + "/archive.bin"
        writeFile(path, [UInt8](repeating: 0xAB, count: padding) + npy + [0, 1, 2])
        let array = try NPYArray(source: WindowByteSource(name: "archive.bin:z", base: try FileByteSource(path: path), offset: padding, size: npy.count))
        var expected = [Float](repeating: .nan, count: rows * columns)
        try expected.withUnsafeMutableBufferPointer { try array.readRows(0 ..< rows, into: $0) }
        #expect(expected == (0 ..< rows * columns).map { Float(Double($0) / 7 - 20) })
        let stored = try array.withStoredFloatRows(3 ..< rows) { Array($0) }
        #expect(stored == (padding % 4 == 0 ? Array(expected[(3 * columns)...]) : nil), "padding \(padding)")
    }
}
