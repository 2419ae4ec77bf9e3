import Spectra
import Testing
import _TestSupport

@Suite struct ProbabilityRowsTests {
    func convert(_ z: [Double], rows: Int, columns c: Int, kind: ProbabilityRows.Scores, temperature: Double = 1) -> ([Double], ProbabilityRows.Defect?) {
        var p = [Double](repeating: -1, count: z.count)
        let defect = z.withUnsafeBufferPointer { zz in
            p.withUnsafeMutableBufferPointer { ProbabilityRows.convert(zz, into: $0, rows: rows, columns: c, kind: kind, temperature: temperature) }
        }
        return (p, defect)
    }

    /// Good rows: the same probabilities as `Softmax` row by row (the pass is the same arithmetic).
    @Test func goodRowsAreSoftmax() {
        let (n, c) = (1500, 11)
        let (z, _) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 5)
        let (p, defect) = convert(z, rows: n, columns: c, kind: .logits, temperature: 0.7)
        #expect(defect == nil)
        #expect(p == softmaxRows(z, classes: c, temperature: 0.7))
        let (q, none) = convert(p, rows: n, columns: c, kind: .probabilities(rowSumTolerance: 1e-3))
        #expect(none == nil && maxRelativeDifference(q, p) < 1e-14)
    }

    /// The first defect in row order is reported, even when a later block (another thread) meets
    /// its own defect first, and each kind is named.
    @Test func firstDefectInRowOrder() {
        let (n, c) = (2000, 4)
        var z = [Double](repeating: 0.25, count: n * c)
        z[1900 * c + 1] = .nan      // block 7
        z[700 * c + 2] = -0.5       // block 2: the first
        z[700 * c + 3] += 0.5       // keep its sum at 1, so "negative" is the defect
        #expect(convert(z, rows: n, columns: c, kind: .probabilities(rowSumTolerance: 1e-3)).1 == .negative(row: 700, column: 2, value: -0.5))
        guard case let .nonFinite(row, column, value)? = convert(z, rows: n, columns: c, kind: .logits).1 else {
            Issue.record("the NaN at row 1900 was not reported"); return
        }
        #expect(row == 1900 && column == 1 && value.isNaN)  // as logits, -0.5 is a valid score
        var sums = [Double](repeating: 0.25, count: n * c)
        sums[3 * c] = 0.5
        #expect(convert(sums, rows: n, columns: c, kind: .probabilities(rowSumTolerance: 1e-3)).1 == .rowSum(row: 3, total: 1.25))
        var huge = [Double](repeating: 0, count: n * c)
        huge[10 * c] = 1e308; huge[10 * c + 1] = 1e308
        #expect(convert(huge, rows: n, columns: c, kind: .logits).1 == .overflow(row: 10))
        var bad = [Double](repeating: 0, count: n * c)
        bad[1999 * c + 3] = .infinity
        #expect(convert(bad, rows: n, columns: c, kind: .logits).1 == .nonFinite(row: 1999, column: 3, value: .infinity))
    }

    @Test func probabilitiesPassedAsLogitsAreRecognised() {
        let (z, _) = randomClassifierOutputs(rows: 50, classes: 6, signal: 1, seed: 2)
        let p = softmaxRows(z, classes: 6, temperature: 1)
        #expect(p.withUnsafeBufferPointer { ProbabilityRows.lookLikeProbabilities($0, rows: 50, columns: 6, tolerance: 1e-3) })
        #expect(!z.withUnsafeBufferPointer { ProbabilityRows.lookLikeProbabilities($0, rows: 50, columns: 6, tolerance: 1e-3) })
    }
}
