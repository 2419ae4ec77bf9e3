import Foundation
import FourierTransform
import Testing
import _TestSupport

@Suite struct FourierTransformTests {
    @Test(arguments: [1, 2, 15, 64, 1000])
    func forwardMatchesDirectDFTAndInverts(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let x = (0..<n).map { _ in rng.normal() }
        let fft = RealFFT(length: n)
        let spectrum = fft.forward(x)
        for k in 0..<fft.spectrumCount {
            var re = 0.0, im = 0.0
            for t in 0..<n {
                let angle = -2 * Double.pi * Double(k * t) / Double(n)
                re += x[t] * cos(angle); im += x[t] * sin(angle)
            }
            #expect(abs(spectrum[k].re - re) < 1e-10 * Double(n) && abs(spectrum[k].im - im) < 1e-10 * Double(n))
        }
        #expect(maxRelativeDifference(fft.inverse(spectrum), x) < 1e-12)
    }

    @Test(arguments: [1, 8, 33, 512])
    func dct2MatchesDirectSum(n: Int) {
        var rng = SplitMix64(seed: UInt64(n) + 99)
        let x = (0..<n).map { _ in rng.normal() }
        let y = DCT2(length: n)(x)
        for k in 0..<n {
            var s = 0.0
            for t in 0..<n { s += 2 * x[t] * cos(Double.pi * Double(k) * Double(2 * t + 1) / Double(2 * n)) }
            #expect(abs(y[k] - s) < 1e-10 * Double(n))
        }
    }

    /// Plans are created from many threads at once: the planner lock must make that safe.
    @Test func concurrentPlanningIsSafe() {
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let fft = RealFFT(length: 64 + i)
            let x = (0..<(64 + i)).map(Double.init)
            #expect(maxRelativeDifference(fft.inverse(fft.forward(x)), x) < 1e-12)
        }
    }
}
