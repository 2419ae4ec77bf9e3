import Foundation

/// A linear axis: a data interval widened to round tick values, and its tick labels.
///
/// Ticks are multiples of 1, 2, 2.5 or 5 times a power of ten (Heckbert, "Nice numbers for graph
/// labels", Graphics Gems 1990), about `target` of them; labels share one number of decimals so
/// a column of them lines up, switching to scientific notation for very small or large values.
public struct Axis: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let ticks: [Double]
    public let labels: [String]

    public init(covering values: [Double], target: Int = 6, includeZero: Bool = false) {
        var finite = values.filter(\.isFinite)
        if includeZero { finite.append(0) }
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if lo == hi {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let step = Self.niceStep((hi - lo) / Double(max(target - 1, 1)))
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        lower = first * step
        upper = last * step
        let count = Int(last - first) + 1
        ticks = (0..<count).map { (first + Double($0)) * step }
        labels = Self.format(ticks, step: step)
    }

    /// An axis over exactly `range`, with nice ticks inside it.
    public init(exactly range: ClosedRange<Double>, target: Int = 6) {
        let lo = range.lowerBound, hi = range.upperBound > range.lowerBound ? range.upperBound : range.lowerBound + 1
        let step = Self.niceStep((hi - lo) / Double(max(target - 1, 1)))
        let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
        lower = lo
        upper = hi
        ticks = first <= last ? (0...Int(last - first)).map { (first + Double($0)) * step } : []
        labels = Self.format(ticks, step: step)
    }

    /// The smallest of 1, 2, 2.5, 5 (times a power of ten) at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw.isFinite, raw > 0 else { return 1 }
        let power = Foundation.pow(10, (Foundation.log10(raw)).rounded(.down))
        for m in [1, 2, 2.5, 5, 10] where m * power >= raw * (1 - 1e-12) { return m * power }
        return 10 * power
    }

    /// Labels with the decimals the step needs; scientific (`2.5e-4`) below 1e-3 or from 1e5 on.
    static func format(_ ticks: [Double], step: Double) -> [String] {
        let largest = ticks.map(abs).max() ?? 0
        if largest > 0 && (largest < 1e-3 || largest >= 1e5) {
            let exponent = Int(Foundation.log10(largest).rounded(.down))
            let scale = Foundation.pow(10, Double(exponent))
            let decimals = decimalsNeeded(step / scale)
            return ticks.map { abs($0) < step * 1e-9 ? "0" : String(format: "%.\(decimals)fe%d", $0 / scale, exponent) }
        }
        let decimals = decimalsNeeded(step)
        return ticks.map { t in String(format: "%.\(decimals)f", abs(t) < step * 1e-9 ? 0 : t) }
    }

    /// The fewest decimals that write every multiple of `step` exactly (at most 10).
    static func decimalsNeeded(_ step: Double) -> Int {
        for d in 0...10 {
            let scaled = step * Foundation.pow(10, Double(d))
            if scaled >= 0.5 && abs(scaled - scaled.rounded()) < 1e-6 * scaled { return d }
        }
        return 10
    }

    /// Maps `value` from this axis to `[from, to]` (pixels).
    func position(_ value: Double, from: Double, to: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }
}
