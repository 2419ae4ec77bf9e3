import LinearAlgebra

/// `H(A, B) = (dA^T dB + dB^T dA) / 2N` the slow, obvious way (docs/theory.md §1.1): centre both
/// matrices densely and multiply with three nested loops. Only for tests, as an independent
/// reference for the streaming accumulator.
public func denseH(_ a: [Double], _ b: [Double], rows n: Int, columns c: Int) -> SquareMatrix {
    var meanA = [Double](repeating: 0, count: c), meanB = [Double](repeating: 0, count: c)
    for r in 0..<n {
        for j in 0..<c { meanA[j] += a[r * c + j] / Double(n); meanB[j] += b[r * c + j] / Double(n) }
    }
    var h = SquareMatrix(zeros: c)
    for i in 0..<c {
        for j in 0..<c {
            var s = 0.0
            for r in 0..<n { s += (a[r * c + i] - meanA[i]) * (b[r * c + j] - meanB[j]) + (b[r * c + i] - meanB[i]) * (a[r * c + j] - meanA[j]) }
            h[i, j] = s / Double(2 * n)
        }
    }
    return h
}

/// One-hot rows for integer labels.
public func oneHot(_ labels: [Int], classes c: Int) -> [Double] {
    var y = [Double](repeating: 0, count: labels.count * c)
    for (r, k) in labels.enumerated() { y[r * c + k] = 1 }
    return y
}

/// Random logits and (unbalanced) labels from a seed: `rows x classes`, label `k` drawn with
/// weight `k + 1`, and a signal of `signal` added to the true class.
public func randomClassifierOutputs(rows n: Int, classes c: Int, signal: Double, seed: UInt64) -> (logits: [Double], labels: [Int]) {
    var rng = SplitMix64(seed: seed)
    let total = c * (c + 1) / 2
    var labels = [Int](repeating: 0, count: n)
    var logits = [Double](repeating: 0, count: n * c)
    for r in 0..<n {
        var pick = Int.random(in: 0..<total, using: &rng)
        var k = 0
        while pick >= k + 1 { pick -= k + 1; k += 1 }
        labels[r] = k
        for j in 0..<c { logits[r * c + j] = rng.normal() + (j == k ? signal : 0) }
    }
    return (logits, labels)
}
