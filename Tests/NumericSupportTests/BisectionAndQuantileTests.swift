import Foundation
import NumericSupport
import Testing

@Suite struct BisectionAndQuantileTests {
    /// Inverse of a CDF with an atom and a flat stretch: the smallest x reaching the target.
    @Test func bisectionFindsTheSmallestX() {
        let f: (Double) -> Double = { x in x < 0 ? 0 : x < 1 ? 0.3 + 0.2 * x : x < 2 ? 0.5 : min(1, 0.5 + (x - 2) / 2) }
        #expect(abs(Bisection.inverse(of: f, at: 0.2, in: (-1, 5))) < 1e-12)           // inside the atom at 0
        #expect(abs(Bisection.inverse(of: f, at: 0.4, in: (-1, 5)) - 0.5) < 1e-12)
        #expect(abs(Bisection.inverse(of: f, at: 0.5, in: (-1, 5)) - 1) < 1e-12)        // start of the flat stretch
        #expect(abs(Bisection.inverse(of: f, at: 0.75, in: (-1, 5)) - 2.5) < 1e-12)
        #expect(abs(Bisection.inverse(of: { erf($0) }, at: 0.5, in: (0, 4), tolerance: 1e-14) - 0.4769362762044699) < 1e-12)
    }

    /// numpy: np.quantile([1, 2, 3, 4], [0, 0.3, 0.5, 1]) = [1, 1.9, 2.5, 4]; np.quantile([7], 0.4) = 7.
    @Test func sampleQuantileIsNumpysLinear() {
        let values = [1.0, 2, 3, 4]
        let expected = [(0.0, 1.0), (0.3, 1.9), (0.5, 2.5), (1.0, 4.0)]
        for (p, q) in expected { #expect(abs(SampleQuantile.linear(values, p) - q) < 1e-15, "p \(p)") }
        #expect(SampleQuantile.linear([7], 0.4) == 7)
    }

    /// The parallel loop visits every block once, whatever the block size, and a block-ordered
    /// reduction gives the serial bits.
    @Test(arguments: [1, 7, 256, 5000])
    func parallelRowsCoversEveryBlockOnce(blockSize: Int) {
        let rows = 4099
        let blocks = (rows + blockSize - 1) / blockSize
        var seen = [Int](repeating: 0, count: rows)
        var partial = [Double](repeating: 0, count: blocks)
        seen.withUnsafeMutableBufferPointer { s in
            partial.withUnsafeMutableBufferPointer { p in
                let sb = s.baseAddress!, pb = p.baseAddress!
                ParallelRows.forEachBlock(rows: rows, blockSize: blockSize) { b, range in
                    for r in range { sb[r] += 1; pb[b] += 1 / Double(r + 1) }
                }
            }
        }
        #expect(seen.allSatisfy { $0 == 1 })
        var serial = [Double](repeating: 0, count: blocks)
        for r in 0..<rows { serial[r / blockSize] += 1 / Double(r + 1) }
        #expect(partial == serial)
    }
}
