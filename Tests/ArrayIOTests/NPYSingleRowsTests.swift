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
}
