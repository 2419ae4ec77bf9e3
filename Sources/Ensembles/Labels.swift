/// One-hot labels in their storage form, class indices (docs/theory.md §1: `Y` is never materialised).
public struct LabelSampler: Sendable {
    public let classes: Int
    /// Cumulative class probabilities (uniform when built without frequencies).
    private let cumulative: [Double]

    /// Uniform over `classes`, or proportional to `frequencies` (non-negative, positive sum).
    public init(classes: Int, frequencies: [Double]? = nil) {
        precondition(classes >= 1, "classes must be positive")
        let f = frequencies ?? [Double](repeating: 1, count: classes)
        precondition(f.count == classes && f.allSatisfy { $0 >= 0 } && f.reduce(0, +) > 0, "frequencies: one non-negative value per class")
        let total = f.reduce(0, +)
        var running = 0.0
        cumulative = f.map { running += $0 / total; return running }
        self.classes = classes
    }

    @inline(__always)
    public func sample(using rng: inout Xoshiro256StarStar) -> Int {
        let u = rng.uniform()
        var lo = 0, hi = classes - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
