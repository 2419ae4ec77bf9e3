/// How the kernel bandwidth is chosen (docs/theory.md §4).
public enum BandwidthMethod: Sendable, Equatable, CustomStringConvertible {
    /// `0.9 min(sd, IQR / 1.34) n^(-1/5)` (Silverman 1986, eq. 3.31): robust to heavy tails,
    /// near-optimal for unimodal data, oversmooths multimodal data.
    case silverman
    /// `1.06 sd n^(-1/5)` (Scott 1992): the normal-reference optimum.
    case scott
    /// Improved Sheather-Jones (Botev, Grotowski & Kroese 2010): a plug-in fixed point that does
    /// not assume normality, good for multimodal data.
    case isj
    /// A given bandwidth.
    case fixed(Double)

    public var description: String {
        switch self {
        case .silverman: return "silverman"
        case .scott: return "scott"
        case .isj: return "isj"
        case .fixed: return "fixed"
        }
    }

    /// Parses `silverman`, `scott`, `isj` or a positive number.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "silverman": self = .silverman
        case "scott": self = .scott
        case "isj": self = .isj
        default:
            guard let h = Double(argument), h.isFinite, h > 0 else { return nil }
            self = .fixed(h)
        }
    }

    /// The bandwidth for `sample`. `n` is the total weight (frequency weights).
    /// - Throws: `zeroSpread` when the rule gives 0 (all points equal), `isjDidNotConverge`, `invalidBandwidth`.
    public func bandwidth(for sample: WeightedSample) throws(DensityEstimationError) -> Double {
        let n = sample.totalWeight
        switch self {
        case let .fixed(h):
            guard h.isFinite, h > 0 else { throw .invalidBandwidth(h) }
            return h
        case .scott:
            let h = 1.06 * sample.standardDeviation * Foundation.pow(n, -0.2)
            guard h > 0 else { throw .zeroSpread(method: description) }
            return h
        case .silverman:
            let q = sample.quantiles([0.25, 0.75])
            let iqr = q[1] - q[0]
            let sd = sample.standardDeviation
            // A zero IQR (over half the points tied) must not zero the bandwidth: fall back to sd,
            // as R's bw.nrd0 does. Both zero means no spread at all.
            let spread = iqr > 0 ? min(sd, iqr / 1.34) : sd
            let h = 0.9 * spread * Foundation.pow(n, -0.2)
            guard h > 0 else { throw .zeroSpread(method: description) }
            return h
        case .isj:
            return try ImprovedSheatherJones.bandwidth(for: sample)
        }
    }
}

import Foundation
