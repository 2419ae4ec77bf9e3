import LinearAlgebra
import NumericSupport

/// Logged scores turned into the probability rows of P (docs/theory.md §1), checked on the way:
/// one parallel pass per block, each row read once while it is in L1 (the step is memory bound).
public enum ProbabilityRows {
    /// What a row of scores is.
    public enum Scores: Sendable {
        /// Logits: any finite reals; softmax at the temperature.
        case logits
        /// Probabilities: non-negative, summing to 1 within a tolerance; re-tempered as
        /// `p^(1/T)` renormalised (the identity at T = 1).
        case probabilities(rowSumTolerance: Double)
    }

    /// The first defective row of a block, in row order, and what is wrong with it.
    public enum Defect: Equatable, Sendable {
        case nonFinite(row: Int, column: Int, value: Double)
        /// Finite logits whose exponentials' sum overflows.
        case overflow(row: Int)
        case negative(row: Int, column: Int, value: Double)
        case rowSum(row: Int, total: Double)
    }

    /// Writes `rows x columns` probabilities from `scores` (row-major) at `temperature`.
    /// - Returns: nil, or the first defective row (whose probabilities are not written; rows after
    ///   it may or may not be). The result does not depend on the thread count.
    public static func convert(_ scores: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>,
                               rows: Int, columns c: Int, kind: Scores, temperature: Double) -> Defect? {
        precondition(scores.count >= rows * c && probabilities.count >= rows * c, "ProbabilityRows: buffers shorter than rows x columns")
        let blockSize = 256
        let blocks = (rows + blockSize - 1) / blockSize
        var firstBad = [Int](repeating: Int.max, count: blocks)
        let zb = scores.baseAddress!, pb = probabilities.baseAddress!
        firstBad.withUnsafeMutableBufferPointer { bad in
            let badBase = bad.baseAddress!
            ParallelRows.forEachBlock(rows: rows, blockSize: blockSize) { b, block in
                for r in block {
                    let row = zb + r * c
                    // NaN or infinity anywhere makes the sum non-finite.
                    let (total, minimum, _) = RowReductions.summary(row, count: c)
                    switch kind {
                    case .logits:
                        guard total.isFinite else { badBase[b] = r; return }
                        Softmax.logitsToProbabilities(from: row, into: pb + r * c, columns: c, temperature: temperature)
                    case let .probabilities(tolerance):
                        guard total.isFinite, minimum >= 0, abs(total - 1) <= tolerance else { badBase[b] = r; return }
                        Softmax.retemper(from: row, into: pb + r * c, columns: c, temperature: temperature)
                    }
                }
            }
        }
        guard let r = firstBad.first(where: { $0 != Int.max }) else { return nil }
        return describe(UnsafeBufferPointer(start: zb + r * c, count: c), row: r, kind: kind)
    }

    /// Why row `row` (its `values`) was refused.
    static func describe(_ values: UnsafeBufferPointer<Double>, row: Int, kind: Scores) -> Defect {
        if let j = values.firstIndex(where: { !$0.isFinite }) { return .nonFinite(row: row, column: j, value: values[j]) }
        if case .logits = kind { return .overflow(row: row) }
        if let j = values.firstIndex(where: { $0 < 0 }) { return .negative(row: row, column: j, value: values[j]) }
        return .rowSum(row: row, total: values.reduce(0, +))
    }

    /// Whether the first `min(rows, 1000)` rows are non-negative and sum to 1 within
    /// `tolerance`: logits that look like this are probably probabilities, whose softmax is
    /// nearly flat (H would measure nothing).
    public static func lookLikeProbabilities(_ scores: UnsafeBufferPointer<Double>, rows: Int, columns c: Int, tolerance: Double) -> Bool {
        guard rows > 0 else { return false }
        for r in 0..<min(rows, 1000) {
            let (total, minimum, _) = RowReductions.summary(scores.baseAddress! + r * c, count: c)
            if !(minimum >= 0 && abs(total - 1) <= tolerance) { return false }
        }
        return true
    }
}
