import Foundation

/// Row-wise softmax at a temperature (docs/theory.md §1): `P_tau = softmax(Z / tau)`.
public enum Softmax {
    /// Replaces each row of logits by `softmax(row / temperature)`, with the max-subtraction
    /// trick so no finite logit overflows; every output row sums to 1 within a few ulps and the
    /// largest entry of a row is at least `1 / columns`.
    ///
    /// - Precondition: `temperature > 0`; every logit finite (callers validate first).
    /// - Complexity: O(rows x columns), one `exp` per entry (`VectorExp`, eight lanes), no allocation.
    public static func logitsToProbabilities(_ values: UnsafeMutableBufferPointer<Double>, rows: Int, columns: Int,
                                             temperature: Double) {
        precondition(temperature > 0, "temperature must be positive")
        guard let base = values.baseAddress else { return }
        for r in 0..<rows {
            logitsToProbabilities(from: base + r * columns, into: base + r * columns, columns: columns, temperature: temperature)
        }
    }

    /// One row: `destination = softmax(source / temperature)`. `source` may equal `destination`;
    /// a separate source lets a pipeline copy and transform in one pass over an L1-resident row.
    @inline(__always)
    public static func logitsToProbabilities(from source: UnsafePointer<Double>, into row: UnsafeMutablePointer<Double>,
                                             columns: Int, temperature: Double) {
        let maximum = RowReductions.summary(source, count: columns).maximum
        let total = VectorExp.exponentiate(from: source, into: row, count: columns, shift: maximum, scale: 1 / temperature)
        let scale = 1 / total
        for j in 0..<columns { row[j] *= scale }
    }

    /// Re-tempers probability rows: `p -> p^(1/temperature) / sum`, i.e. `softmax(log p / tau)`,
    /// which is what the model's softmax at temperature `tau` would have given when `p` was
    /// produced at temperature 1. At `temperature == 1` rows are only renormalised to sum to 1
    /// exactly (logged float32 rows drift by about 1e-7), so that the structural zero of
    /// docs/theory.md §1.3 is exact.
    ///
    /// - Precondition: entries non-negative, each row with a positive sum (callers validate first).
    /// - Complexity: O(rows x columns).
    public static func retemper(_ values: UnsafeMutableBufferPointer<Double>, rows: Int, columns: Int,
                                temperature: Double) {
        precondition(temperature > 0, "temperature must be positive")
        guard let base = values.baseAddress else { return }
        for r in 0..<rows {
            retemper(from: base + r * columns, into: base + r * columns, columns: columns, temperature: temperature)
        }
    }

    /// One row of `retemper`; `source` may equal `destination`.
    @inline(__always)
    public static func retemper(from source: UnsafePointer<Double>, into row: UnsafeMutablePointer<Double>,
                                columns: Int, temperature: Double) {
        let power = 1 / temperature
        for j in 0..<columns { row[j] = source[j] }
        if power != 1 {
            // Scale by the row maximum first so tiny temperatures do not underflow every entry.
            var maximum = 0.0
            for j in 0..<columns where row[j] > maximum { maximum = row[j] }
            for j in 0..<columns { row[j] = Foundation.pow(row[j] / maximum, power) }
        }
        let scale = 1 / RowReductions.sum(row, count: columns)
        for j in 0..<columns { row[j] *= scale }
    }
}
