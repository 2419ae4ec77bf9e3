/// A sample with frequency weights: weight `k` counts as `k` repeated points, so every
/// statistic here equals that of the repeated data when the weights are integers.
public struct WeightedSample: Sendable {
    public let values: [Double]
    /// Frequency weights, or nil for unit weights (stored as nil so large unweighted samples
    /// cost no second array).
    public let storedWeights: [Double]?
    /// `sum w`: the effective number of points.
    public let totalWeight: Double
    public let minimum: Double
    public let maximum: Double

    /// - Throws: `DensityEstimationError` for no points, non-finite values, negative or
    ///   non-finite weights, a weight count mismatch, or weights summing to 0.
    /// - Complexity: O(n), one pass (plus a filtering pass when some weights are 0).
    public init(values: [Double], weights: [Double]? = nil) throws(DensityEstimationError) {
        if values.isEmpty { throw .empty }
        var low = Double.infinity, high = -Double.infinity
        for (i, x) in values.enumerated() {
            if !x.isFinite { throw .nonFinite(index: i, value: x) }
            low = Swift.min(low, x)
            high = Swift.max(high, x)
        }
        guard let w = weights else {
            self.values = values
            storedWeights = nil
            totalWeight = Double(values.count)
            minimum = low
            maximum = high
            return
        }
        if w.count != values.count { throw .weightCountMismatch(data: values.count, weights: w.count) }
        if let i = w.firstIndex(where: { !$0.isFinite || $0 < 0 }) { throw .badWeight(index: i, value: w[i]) }
        let total = w.reduce(0, +)
        if !(total > 0) { throw .badWeight(index: 0, value: total) }
        // Zero weights are dropped: a point of weight 0 is absent (KDEpy's convention).
        var kept: [Double] = [], keptWeights: [Double] = []
        for (x, wi) in zip(values, w) where wi > 0 { kept.append(x); keptWeights.append(wi) }
        self.values = kept
        storedWeights = keptWeights
        totalWeight = total
        minimum = kept.min()!
        maximum = kept.max()!
    }

    /// The weights, materialised (all ones for an unweighted sample).
    public var weights: [Double] { storedWeights ?? [Double](repeating: 1, count: values.count) }

    public var mean: Double {
        var s = 0.0
        if let w = storedWeights { for (x, wi) in zip(values, w) { s += wi * x } } else { for x in values { s += x } }
        return s / totalWeight
    }

    /// Standard deviation with `ddof = 1` in the frequency sense: `sum w (x - mean)^2 / (sum w - 1)`.
    public var standardDeviation: Double {
        let m = mean
        var s = 0.0
        if let w = storedWeights {
            for (x, wi) in zip(values, w) { s += wi * (x - m) * (x - m) }
        } else {
            for x in values { s += (x - m) * (x - m) }
        }
        return totalWeight > 1 ? (s / (totalWeight - 1)).squareRoot() : 0
    }

    /// The `p`-quantiles with numpy's default (linear) interpolation between order statistics
    /// of the repeated data: position `p (sum w - 1)`.
    ///
    /// - Complexity: O(n) per quantile by selection for unit weights; O(n log n) with weights.
    public func quantiles(_ ps: [Double]) -> [Double] {
        if storedWeights == nil || storedWeights!.allSatisfy({ $0 == 1 }) {
            var work = values
            return ps.map { p in
                let position = p * Double(work.count - 1)
                let low = Int(position.rounded(.down))
                let fraction = position - Double(low)
                let a = Selection.select(&work, rank: low)
                if fraction == 0 || low + 1 >= work.count { return a }
                // After selecting rank `low`, the next order statistic is the minimum above it.
                var next = Double.infinity
                for i in (low + 1)..<work.count where work[i] < next { next = work[i] }
                return a + fraction * (next - a)
            }
        }
        let weights = self.weights
        let order = values.indices.sorted { values[$0] < values[$1] }
        func orderStatistic(_ rank: Double) -> Double {
            var cumulative = 0.0
            for i in order {
                cumulative += weights[i]
                if cumulative > rank { return values[i] }
            }
            return values[order.last!]
        }
        return ps.map { p in
            let position = p * max(totalWeight - 1, 0)
            let lowRank = position.rounded(.down)
            let fraction = position - lowRank
            let low = orderStatistic(lowRank)
            return fraction == 0 ? low : low + fraction * (orderStatistic(lowRank + 1) - low)
        }
    }

}
