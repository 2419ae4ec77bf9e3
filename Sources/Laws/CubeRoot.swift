import Foundation

/// A real cube root for the density's hot loop: an exponent-thirds bit estimate (within 4%)
/// refined by three Halley steps (cubic convergence: 4e-2 -> 1e-5 -> 1e-16), within 2 ulp of
/// glibc's `cbrt` (LawsTests checks 4 ulp over 1e-300...1e300) and 1.6x faster: 14 ms against
/// 23 ms per 1e6 arguments (median, `make bench-kernels`).
@inline(__always)
public func cubeRoot(_ x: Double) -> Double {
    let magnitude = abs(x)
    guard magnitude >= 1e-300, magnitude.isFinite else { return Foundation.cbrt(x) }
    var y = Double(bitPattern: magnitude.bitPattern / 3 + 0x2A9F_7625_3119_D328)
    for _ in 0..<3 {
        let y3 = y * y * y
        y *= (y3 + 2 * magnitude) / (2 * y3 + magnitude)
    }
    return x < 0 ? -y : y
}
