/// Inputs that cannot give a meaningful spectrum. Pipelines add the file name.
public enum SpectraError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A NaN or infinity at (row, column) of the named input.
    case nonFinite(input: String, row: Int, column: Int, value: Double)
    /// A probability row that is negative somewhere or does not sum to 1.
    case notProbabilities(input: String, row: Int, detail: String)
    /// A label outside `0 ..< classes`.
    case labelOutOfRange(row: Int, label: Int, classes: Int)
    /// Fewer than two classes or no rows.
    case tooSmall(String)

    public var description: String {
        switch self {
        case let .nonFinite(input, row, column, value):
            return "\(input): row \(row), column \(column) is \(value); remove or fix non-finite values before logging"
        case let .notProbabilities(input, row, detail):
            return "\(input): row \(row) is not a probability vector (\(detail)); if these are logits, pass them with --logits"
        case let .labelOutOfRange(row, label, classes):
            return "label \(label) at row \(row) is outside 0..<\(classes); labels must be class indices 0 to \(classes - 1)"
        case let .tooSmall(detail):
            return detail
        }
    }
}
