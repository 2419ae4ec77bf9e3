/// xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
/// ACM TOMS 2021, doi:10.1145/3460772): SpectralKD's one random number generator.
///
/// 256 bits of state, period 2^256 - 1, passes BigCrush; the state is filled from the seed by
/// SplitMix64, as the authors recommend. `init(seed:stream:)` gives independent streams for
/// parallel work: stream `k` of a seed is seeded from `(seed, k)` through SplitMix64, so a
/// result depends on the seed and the work item, never on the thread that ran it.
/// Same seed, same bits, on every machine (integer arithmetic only).
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64, stream: UInt64 = 0) {
        var splitmix = seed &+ stream &* 0xD134_2543_DE82_EF95
        func next() -> UInt64 {
            splitmix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitmix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = next(); s1 = next(); s2 = next(); s3 = next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    @inline(__always)
    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform variate in `[0, 1)` with 53 random bits.
    @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform variate in `(0, 1]`, safe to take the logarithm of.
    @inline(__always)
    public mutating func uniformPositive() -> Double { (Double(next() >> 11) + 1) * 0x1.0p-53 }
}
