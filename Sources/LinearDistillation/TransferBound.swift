import Foundation

/// Phuong & Lampert's Theorem 3: for `n < d` transfer points, the expected transfer risk of the
/// distilled linear student satisfies
///
///     E R(w^) <= min over beta in [0, pi/2] of  p(beta) + p(pi/2 - beta)^n,
///
/// with `p` the reverse CDF of the acute angle between an input and `w*`; for `n >= d` (points in
/// general position) the risk is exactly 0 (docs/companions.md §1.3).
public struct TransferBound: Sendable {
    public let value: Double
    /// The angle at which the minimum was attained.
    public let beta: Double

    /// Angles on which the minimum is taken: any `beta` gives a valid bound, so a grid can only
    /// make it looser, never wrong.
    public static let gridSize = 4097

    /// - Parameters:
    ///   - candidates: angles tried besides the grid (where `p` has a kink, e.g. a margin's edge).
    ///   - p: the reverse angle CDF.
    public init(samples n: Int, dimension d: Int, generalPosition: Bool = true, candidates: [Double] = [], p: (Double) -> Double) {
        if n >= d && generalPosition { value = 0; beta = .nan; return }
        let grid = (0..<Self.gridSize).map { Double($0) / Double(Self.gridSize - 1) * .pi / 2 } + candidates
        var best = Double.infinity, at = 0.0
        for b in grid {
            let v = p(b) + pow(p(.pi / 2 - b), Double(n))
            if v < best { best = v; at = b }
        }
        value = min(1, best); beta = at
    }
}
