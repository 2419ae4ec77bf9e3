import ComplexModule
import NumericSupport
@testable import Laws
import Foundation
import Testing

@Suite struct PolynomialRootTests {
    /// Wilkinson-type: prod_{k=1..8} (x - k), whose roots are notoriously ill-conditioned.
    @Test func wilkinsonEight() {
        var p = [1.0]
        for k in 1...8 {
            var next = [Double](repeating: 0, count: p.count + 1)
            for (i, c) in p.enumerated() { next[i + 1] += c; next[i] -= Double(k) * c }
            p = next
        }
        let roots = Polynomial.roots(p).map(\.real).sorted()
        for (k, r) in roots.enumerated() { #expect(abs(r - Double(k + 1)) < 1e-6, "root \(k + 1): \(r)") }
    }

    /// Cardano with Newton polishing near a triple root: (u - 1)^3 and a split triple.
    @Test func nearTripleRoots() {
        let triple = CubicRoots.monic(e2: Complex(-3), e1: Complex(3), e0: Complex(-1))
        for r in triple { #expect((r - Complex(1)).length < 1e-4, "\(r)") }
        // (u - 1)(u - 1 - 1e-3)(u - 1 + 1e-3) = u^3 - 3u^2 + (3 - 1e-6)u - (1 - 1e-6).
        let split = CubicRoots.monic(e2: Complex(-3), e1: Complex(3 - 1e-6), e0: Complex(-(1 - 1e-6))).map(\.real).sorted()
        for (r, t) in zip(split, [1 - 1e-3, 1, 1 + 1e-3]) { #expect(abs(r - t) < 1e-7, "\(split)") }
    }
}

@Suite struct CDFReferenceTests {
    /// The CDF against an independent computation (Fixtures/make_cdf_reference.py: numpy's
    /// companion-matrix roots of the cubic in g and QUADPACK quadrature from the lower edge), at
    /// its claimed accuracy of 1e-10, from just inside the lower edge to just inside the upper.
    @Test func matchesIndependentQuadrature() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cdf_reference.json")
        let cases = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [[String: Any]]
        #expect(cases.count == 5)
        for c in cases {
            let law = try GeneralizedMarchenkoPastur(q: c["q"] as! Double, scale: c["scale"] as! Double, correlation: c["correlation"] as! Double)
            for p in c["points"] as! [[String: Double]] {
                let ours = law.cdf(at: p["x"]!), reference = p["cdf"]!
                #expect(abs(ours - reference) < 1e-10, "q \(c["q"]!) c \(c["correlation"]!) x \(p["x"]!): \(ours) vs \(reference)")
            }
        }
    }
}
