import LinearAlgebra
import Testing

@Suite struct BLASThreadsTests {
    /// Nested and overlapping callers see one thread; the caller's products are unchanged.
    @Test func nestedCallsAndSameResults() throws {
        let n = 64
        var a = SquareMatrix(zeros: n)
        for i in 0..<n { for j in 0..<n { a[i, j] = Double((i * 7 + j * 3) % 11) - 5 } }
        let rows = Array(a.elements)
        func product() -> [Double] {
            var c = SquareMatrix(zeros: n)
            rows.withUnsafeBufferPointer { Products.transposeTimes($0, $0, rows: n, columns: n, into: &c) }
            return c.elements
        }
        let before = product(), threads = BLASThreads.count
        let inside = BLASThreads.singleThreaded { () -> [Double] in
            #expect(BLASThreads.count == 1)
            return BLASThreads.singleThreaded { product() }
        }
        #expect(inside == before)
        #expect(BLASThreads.count == threads)  // restored after the last caller leaves
        #expect(product() == before)
    }
}
