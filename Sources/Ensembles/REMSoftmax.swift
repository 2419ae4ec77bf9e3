import Foundation

/// Finite-C random energy model rows (docs/theory.md §3): `p = softmax(E / tau)` with i.i.d. Gumbel
/// energies. As `C -> infinity` the ranked weights tend to `PD(tau, 0)` for `tau < 1`
/// (the paper's picture of softmax outputs at low temperature).
public struct REMSoftmax: Sendable {
    public let classes: Int
    public let temperature: Double

    public init(classes: Int, temperature: Double) {
        precondition(classes >= 1 && temperature > 0, "classes >= 1 and temperature > 0")
        self.classes = classes
        self.temperature = temperature
    }

    /// One row of probabilities (unranked).
    public func sample(using rng: inout Xoshiro256StarStar) -> [Double] {
        var e = (0..<classes).map { _ in rng.gumbel() / temperature }
        let m = e.max()!
        var total = 0.0
        for j in e.indices { e[j] = Foundation.exp(e[j] - m); total += e[j] }
        return e.map { $0 / total }
    }
}
