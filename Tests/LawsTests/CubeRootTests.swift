import Foundation
@testable import Laws
import Testing

@Test func cubeRootMatchesLibm() {
    var worst = 0.0
    var x = 1e-300
    while x < 1e300 {
        for v in [x, -x, x * 1.37, x * 2.91] {
            let r = cubeRoot(v), reference = Foundation.cbrt(v)
            worst = max(worst, abs(r - reference) / reference.magnitude.ulp)
        }
        x *= 1.9
    }
    #expect(worst <= 4, "worst \(worst) ulp")
    #expect(cubeRoot(0) == 0 && cubeRoot(-8) == -2 && cubeRoot(27) == 3)
}
