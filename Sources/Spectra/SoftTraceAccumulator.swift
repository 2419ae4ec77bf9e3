import LinearAlgebra
import NumericSupport

/// `Tr H(P_tau, Y)` at one extra temperature `tau = gamma T`, accumulated over blocks of rows,
/// so that `spectrum --gamma` can show the traces converge to the argmax trace as `gamma -> 0`
/// (docs/theory.md §5.4). `Tr H(P, Y) = (1/N) sum_n P[n, y_n] - sum_c pbar_c ybar_c` (Lemma 1), so only
/// the true-class sum, the column sums of `P` and the label counts are kept.
public struct SoftTraceAccumulator: Sendable {
    public let classes: Int
    /// The softmax temperature applied to the raw scores (`gamma T`).
    public let temperature: Double
    /// Whether the scores are logits (softmax at `temperature`) or probabilities (re-tempered).
    public let logits: Bool
    private var correct = 0.0
    private var columnSums: [Double]
    private var labelCounts: [Double]
    private var samples = 0

    public init(classes: Int, temperature: Double, logits: Bool) {
        precondition(classes >= 1 && temperature > 0 && temperature.isFinite, "need classes >= 1 and a positive temperature")
        self.classes = classes; self.temperature = temperature; self.logits = logits
        columnSums = [Double](repeating: 0, count: classes)
        labelCounts = [Double](repeating: 0, count: classes)
    }

    /// Adds a block: `scores` are the raw rows (`labels.count x classes`), `scratch` at least as
    /// large, overwritten. Per-row work runs in parallel in fixed blocks, merged in block order.
    public mutating func add(scores: UnsafeBufferPointer<Double>, labels: UnsafeBufferPointer<Int>,
                             scratch: UnsafeMutableBufferPointer<Double>) {
        let rows = labels.count, c = classes
        precondition(scores.count >= rows * c && scratch.count >= rows * c, "block too small")
        if rows == 0 { return }
        let blockRows = 512, blocks = (rows + blockRows - 1) / blockRows
        var partial = [Double](repeating: 0, count: blocks)
        let z = scores.baseAddress!, p = scratch.baseAddress!, y = labels.baseAddress!
        let temperature = temperature, logits = logits
        partial.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            ParallelRows.forEachBlock(rows: rows, blockSize: blockRows) { b, range in
                var sum = 0.0
                for n in range {
                    if logits {
                        Softmax.logitsToProbabilities(from: z + n * c, into: p + n * c, columns: c, temperature: temperature)
                    } else {
                        Softmax.retemper(from: z + n * c, into: p + n * c, columns: c, temperature: temperature)
                    }
                    sum += p[n * c + y[n]]
                }
                o[b] = sum
            }
        }
        for v in partial { correct += v }
        Products.addColumnSums(UnsafeBufferPointer(scratch), rows: rows, columns: c, into: &columnSums)
        for n in 0..<rows { labelCounts[y[n]] += 1 }
        samples += rows
    }

    /// Adds the sums of another accumulator at the same temperature over disjoint rows.
    public mutating func merge(_ other: SoftTraceAccumulator) {
        precondition(other.classes == classes && other.temperature == temperature && other.logits == logits,
                     "merging soft-trace accumulators of different settings")
        correct += other.correct
        for j in 0..<classes { columnSums[j] += other.columnSums[j]; labelCounts[j] += other.labelCounts[j] }
        samples += other.samples
    }

    /// The sums, flat (`[samples, correct, column sums, label counts]`), for another process.
    public var packed: [Double] { [Double(samples), correct] + columnSums + labelCounts }

    /// Rebuilds an accumulator from `packed` with the settings of this one.
    /// - Throws: `SpectraError.tooSmall` when the length does not match `classes`.
    public func unpacked(_ values: [Double]) throws -> SoftTraceAccumulator {
        guard values.count == 2 + 2 * classes else {
            throw SpectraError.tooSmall("packed soft trace has \(values.count) values, expected \(2 + 2 * classes)")
        }
        var out = SoftTraceAccumulator(classes: classes, temperature: temperature, logits: logits)
        out.samples = Int(values[0]); out.correct = values[1]
        out.columnSums = Array(values[2 ..< 2 + classes]); out.labelCounts = Array(values[2 + classes ..< 2 + 2 * classes])
        return out
    }

    /// `Tr H(P_tau, Y)`. - Precondition: rows were added.
    public var trace: Double {
        precondition(samples > 0, "no rows accumulated")
        let n = Double(samples)
        return correct / n - zip(columnSums, labelCounts).reduce(0.0) { $0 + ($1.0 / n) * ($1.1 / n) }
    }
}
