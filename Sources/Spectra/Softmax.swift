import Foundation

/// Row-wise softmax at a temperature (THEORY §1): `P_tau = softmax(Z / tau)`.
public enum Softmax {
    /// Replaces each row of logits by `softmax(row / temperature)`, with the max-subtraction
    /// trick so no finite logit overflows; every output row sums to 1 within a few ulps and the
    /// largest entry of a row is at least `1 / columns`.
    ///
    /// - Precondition: `temperature > 0`; every logit finite (callers validate first).
    /// - Complexity: O(rows x columns), one `exp` per entry, no allocation.
    public static func logitsToProbabilities(_ values: UnsafeMutableBufferPointer<Double>, rows: Int, columns: Int,
                                             temperature: Double) {
        precondition(temperature > 0, "temperature must be positive")
        let inverse = 1 / temperature
        guard let base = values.baseAddress else { return }
        for r in 0..<rows {
            let row = base + r * columns
            var maximum = -Double.infinity
            for j in 0..<columns where row[j] > maximum { maximum = row[j] }
            var total = 0.0
            for j in 0..<columns {
                let e = Foundation.exp((row[j] - maximum) * inverse)
                row[j] = e
                total += e
            }
            let scale = 1 / total
            for j in 0..<columns { row[j] *= scale }
        }
    }

    /// Re-tempers probability rows: `p -> p^(1/temperature) / sum`, i.e. `softmax(log p / tau)`,
    /// which is what the model's softmax at temperature `tau` would have given when `p` was
    /// produced at temperature 1. At `temperature == 1` rows are only renormalised to sum to 1
    /// exactly (logged float32 rows drift by about 1e-7), so that the structural zero of
    /// THEORY §1.3 is exact.
    ///
    /// - Precondition: entries non-negative, each row with a positive sum (callers validate first).
    /// - Complexity: O(rows x columns).
    public static func retemper(_ values: UnsafeMutableBufferPointer<Double>, rows: Int, columns: Int,
                                temperature: Double) {
        precondition(temperature > 0, "temperature must be positive")
        guard let base = values.baseAddress else { return }
        let power = 1 / temperature
        for r in 0..<rows {
            let row = base + r * columns
            if power != 1 {
                // Scale by the row maximum first so tiny temperatures do not underflow every entry.
                var maximum = 0.0
                for j in 0..<columns where row[j] > maximum { maximum = row[j] }
                for j in 0..<columns { row[j] = Foundation.pow(row[j] / maximum, power) }
            }
            var total = 0.0
            for j in 0..<columns { total += row[j] }
            let scale = 1 / total
            for j in 0..<columns { row[j] *= scale }
        }
    }
}
