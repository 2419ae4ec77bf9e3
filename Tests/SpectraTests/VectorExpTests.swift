import Foundation
import Spectra
import Testing

@Suite struct VectorExpTests {
    /// Within 4 ulp of glibc's exp over [-708, 709], including lanes and the scalar tail.
    @Test(arguments: [(-708.0, 709.0), (-40.0, 0.0), (-1e-3, 1e-3)])
    func matchesLibm(range: (Double, Double)) {
        let count = 100_003
        let xs = (0..<count).map { range.0 + (range.1 - range.0) * Double($0) / Double(count - 1) }
        let ys = VectorExp.exp(xs)
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let reference = Foundation.exp(x)
            worst = max(worst, abs(y - reference) / reference.ulp)
        }
        #expect(worst <= 4, "worst error \(worst) ulp")
    }

    @Test func edgeCases() {
        let ys = VectorExp.exp([0, -709, -1000, 710, .nan, -.infinity, 1, 2, 3])
        #expect(ys[0] == 1)
        #expect(ys[1] == 0 && ys[2] == 0)
        #expect(ys[3] == .infinity)
        #expect(ys[4].isNaN)
        #expect(ys[5] == 0)
        #expect(abs(ys[6] - M_E) <= M_E.ulp)
    }
}
