/// Largest absolute difference between two equally long arrays, relative to `scale`
/// (default: the largest magnitude in `expected`).
public func maxRelativeDifference(_ observed: [Double], _ expected: [Double], scale: Double? = nil) -> Double {
    precondition(observed.count == expected.count, "lengths differ: \(observed.count) vs \(expected.count)")
    let s = scale ?? max(expected.map(abs).max() ?? 0, Double.leastNormalMagnitude)
    var worst = 0.0
    for (a, b) in zip(observed, expected) { worst = max(worst, abs(a - b)) }
    return worst / s
}

/// `|a - b| / max(|a|, |b|, tiny)`.
public func relativeDifference(_ a: Double, _ b: Double) -> Double {
    abs(a - b) / max(abs(a), abs(b), Double.leastNormalMagnitude)
}
