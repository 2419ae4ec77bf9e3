import Foundation
import FourierTransform

/// A Gaussian kernel density estimate on an equispaced grid, computed by linear binning and a
/// zero-padded real FFT convolution (docs/theory.md §4; Wand & Jones 1995, App. D).
public struct KernelDensityEstimate: Sendable {
    public let grid: UniformGrid
    /// Density at each grid point; integrates to 1 over the grid (trapezoid rule) to rounding,
    /// with or without reflection.
    public let density: [Double]
    public let bandwidth: Double
    public let method: BandwidthMethod
    /// Total weight (number of points for unit weights).
    public let n: Double
    public let lowerBound: Double?
    public let upperBound: Double?

    /// Density at arbitrary points by linear interpolation on the grid; 0 outside the grid.
    public func evaluate(at xs: [Double]) -> [Double] {
        let h = grid.spacing, last = grid.count - 1
        return xs.map { x in
            let t = (x - grid.lower) / h
            guard t >= 0, t <= Double(last) else { return 0 }
            let i = min(Int(t), last - 1)
            let f = t - Double(i)
            return density[i] * (1 - f) + density[i + 1] * f
        }
    }
}

/// The estimator: `KernelDensity(bandwidth: .isj).estimate(sample)`.
public struct KernelDensity: Sendable {
    public var bandwidth: BandwidthMethod
    /// Grid points (default 4096). The grid spans the data plus `padding` bandwidths on each
    /// side, or starts and ends at the given bounds.
    public var gridPoints: Int
    /// Bandwidths of padding beyond the data: 6, so the Gaussian tails lost off the grid are
    /// below 2e-9 of the mass.
    public var padding: Double = 6
    /// Reflect at these bounds (Silverman 1986 §3.10.1): `f(x) + f(2L - x)`, so no mass is lost.
    public var lowerBound: Double?
    public var upperBound: Double?
    /// Grid points for the ISJ fixed point (`ImprovedSheatherJones.defaultGridPoints`).
    public var isjGridPoints = ImprovedSheatherJones.defaultGridPoints

    public init(bandwidth: BandwidthMethod = .silverman, gridPoints: Int = 4096, lowerBound: Double? = nil, upperBound: Double? = nil) {
        self.bandwidth = bandwidth
        self.gridPoints = gridPoints
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// - Throws: `DensityEstimationError` for points outside the bounds, a bad grid, or a
    ///   bandwidth rule that cannot be applied (all points equal, ISJ without a root).
    /// - Complexity: O(n + m log m).
    public func estimate(_ sample: WeightedSample) throws(DensityEstimationError) -> KernelDensityEstimate {
        guard gridPoints >= 16 else { throw .invalidGrid(gridPoints) }
        if let lo = lowerBound, let hi = upperBound, !(hi > lo) { throw .outsideBounds(index: 0, value: hi, lower: lo, upper: hi) }
        for (i, x) in sample.values.enumerated() {
            if let lo = lowerBound, x < lo { throw .outsideBounds(index: i, value: x, lower: lowerBound, upper: upperBound) }
            if let hi = upperBound, x > hi { throw .outsideBounds(index: i, value: x, lower: lowerBound, upper: upperBound) }
        }
        let h = bandwidth == .isj ? try ImprovedSheatherJones.bandwidth(for: sample, gridPoints: isjGridPoints)
                                  : try bandwidth.bandwidth(for: sample)
        let lower = lowerBound ?? sample.minimum - padding * h
        let upper = upperBound ?? sample.maximum + padding * h
        let grid = UniformGrid(lower: lower, upper: max(upper, lower + h), count: gridPoints)
        let bins = LinearBinning.bin(sample, on: grid)
        let dx = grid.spacing
        let m = gridPoints

        // Discrete kernel on offsets -L...L, normalised so that sum_j K_j dx = 1 exactly.
        let reach = min(Int((padding * h / dx).rounded(.up)), 2 * m)
        var kernel = (0...reach).map { j -> Double in let u = Double(j) * dx / h; return Foundation.exp(-0.5 * u * u) }
        let kernelSum = kernel[0] + 2 * kernel[1...].reduce(0, +)
        for j in kernel.indices { kernel[j] /= kernelSum * dx }

        // Weights laid out on indices -m+1 ... 2m-2 (offset m-1), with mirrored copies for reflection.
        let offset = m - 1
        var extended = [Double](repeating: 0, count: 3 * m - 2)
        for i in 0..<m { extended[offset + i] += bins[i] }
        if lowerBound != nil { for i in 0..<m { extended[offset - i] += bins[i] } }
        if upperBound != nil { for i in 0..<m { extended[offset + 2 * (m - 1) - i] += bins[i] } }

        // Linear convolution by a zero-padded real FFT: size >= signal + kernel support.
        let needed = extended.count + 2 * reach
        var size = 1
        while size < needed { size <<= 1 }
        let fft = RealFFT(length: size)
        var signal = [Double](repeating: 0, count: size)
        for i in extended.indices { signal[i] = extended[i] }
        var kernelCircular = [Double](repeating: 0, count: size)
        kernelCircular[0] = kernel[0]
        for j in 1...max(reach, 1) where j <= reach {
            kernelCircular[j] = kernel[j]
            kernelCircular[size - j] = kernel[j]
        }
        let convolved = fft.circularConvolution(signal, kernelCircular)
        let total = sample.totalWeight
        let density = (0..<m).map { max(0, convolved[offset + $0] / total) }
        return KernelDensityEstimate(grid: grid, density: density, bandwidth: h, method: bandwidth, n: total,
                                     lowerBound: lowerBound, upperBound: upperBound)
    }
}
