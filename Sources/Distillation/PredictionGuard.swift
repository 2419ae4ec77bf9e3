/// Flags on a predicted accuracy that a user must see (docs/theory.md §5.5): outside what an accuracy
/// can be, or far outside the span a distilled student is normally found in.
public enum PredictionFlag: String, Sendable, CaseIterable {
    /// Below chance `1/C` or above 1 (the reported value is then clipped to `[0, 1]`).
    case outOfRange = "out-of-range"
    /// More than 2 points outside `[min(acc_b, acc_t), max(acc_b, acc_t)]`.
    case beyondSpan = "beyond-span"

    public var explanation: String {
        switch self {
        case .outOfRange: "outside [1/C, 1]: not a possible accuracy for a trained classifier (clipped to [0, 1])"
        case .beyondSpan: "more than 2 points outside [min(baseline, teacher), max(baseline, teacher)]"
        }
    }
}

public enum PredictionGuard {
    /// Allowed excursion beyond the baseline-teacher span, in accuracy fractions.
    public static let spanMargin = 0.02

    public static func flags(_ value: Double, classes: Int, baseline: Double, teacher: Double) -> [PredictionFlag] {
        var flags: [PredictionFlag] = []
        if !(value >= 1 / Double(classes) && value <= 1) { flags.append(.outOfRange) }
        if !(value >= min(baseline, teacher) - spanMargin && value <= max(baseline, teacher) + spanMargin) { flags.append(.beyondSpan) }
        return flags
    }

    /// `value` clipped to `[0, 1]` (NaN stays NaN so that it is never mistaken for a number).
    public static func clipped(_ value: Double) -> Double { value.isNaN ? value : min(1, max(0, value)) }

    /// `ok`, or the flags joined by `;` (one CSV cell pandas reads as text).
    public static func cell(_ flags: [PredictionFlag]) -> String { flags.isEmpty ? "ok" : flags.map(\.rawValue).joined(separator: ";") }
}
