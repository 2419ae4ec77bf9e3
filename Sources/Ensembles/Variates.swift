import Foundation

extension Xoshiro256StarStar {
    /// A standard normal variate by the Marsaglia polar method (exact, no tables; rejection rate
    /// 1 - pi/4). Pairs are not cached, so the stream position depends only on the calls made.
    @inline(__always)
    public mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * Foundation.log(s) / s).squareRoot() }
        }
    }

    /// Fills `buffer` with standard normal variates.
    public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Double>) {
        for i in buffer.indices { buffer[i] = normal() }
    }

    /// A Rademacher variate: -1 or +1 with probability 1/2 each.
    @inline(__always)
    public mutating func rademacher() -> Double { next() >> 63 == 0 ? -1 : 1 }
}
