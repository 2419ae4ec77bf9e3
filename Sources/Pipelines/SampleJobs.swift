import ArrayIO
import Ensembles
import Foundation
import LinearAlgebra

/// `spectralkd sample pd`: K draws of PD(alpha, theta), ranked, zero-padded to M atoms, as `.npy`.
public struct SamplePDJob: Sendable {
    public var alpha: Double, theta: Double, count: Int, atoms: Int, tolerance: Double, seed: UInt64, output: String

    public init(alpha: Double, theta: Double, count: Int, atoms: Int, tolerance: Double = 1e-12, seed: UInt64, output: String) {
        self.alpha = alpha; self.theta = theta; self.count = count; self.atoms = atoms; self.tolerance = tolerance
        self.seed = seed; self.output = output
    }

    /// Rows are independent streams `(seed, row)`, drawn in parallel: same seed, same bits.
    public func run() throws -> JSONValue {
        // The K x M weights and the .npy bytes written from them.
        try MemoryBudget.require(Double(count) * Double(atoms) * 16, for: "\(count) x \(atoms) weights",
                                 file: "--count \(count) --atoms \(atoms)", fix: "draw fewer rows or atoms")
        let pd = PoissonDirichlet(alpha: alpha, theta: theta)
        let (values, truncated, meanSquares) = pd.sampleRows(count: count, atoms: atoms, tolerance: tolerance, seed: seed)
        var transaction = OutputTransaction()
        transaction.add(output, Writers.npy(float64: values, shape: [count, atoms]))
        try transaction.commit()
        return .object([("provenance", try Provenance(inputs: [], seed: seed).json), ("alpha", .double(alpha)), ("theta", .double(theta)), ("count", .int(count)), ("atoms", .int(atoms)),
                        ("seed", .int(Int(truncatingIfNeeded: seed))), ("tolerance", .double(tolerance)),
                        ("largest_truncated_mass", .double(truncated.max() ?? 0)),
                        ("mean_sum_of_squares", .double(meanSquares)),
                        ("expected_sum_of_squares", .double(pd.expectedSumOfSquares)), ("output", .string(output))])
    }
}

/// `spectralkd sample wishart`: pooled eigenvalues of white, correlated or generalised Wisharts.
public struct SampleWishartJob: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case white, correlated, generalized }
    public var kind: Kind, dimension: Int, samples: Int, correlation: Double, scale: Double, replicas: Int
    public var entries: GeneralizedWishart.Entries, seed: UInt64, output: String

    public init(kind: Kind, dimension: Int, samples: Int, correlation: Double, scale: Double, replicas: Int,
                entries: GeneralizedWishart.Entries = .gaussian, seed: UInt64, output: String) {
        self.kind = kind; self.dimension = dimension; self.samples = samples; self.correlation = correlation; self.scale = scale
        self.replicas = replicas; self.entries = entries; self.seed = seed; self.output = output
    }

    public func run() throws -> JSONValue {
        // The matrix, its LAPACK copy and workspace; the samples are drawn in bounded blocks.
        try MemoryBudget.require(MemoryBudget.matrices(3, order: dimension), for: "a \(dimension) x \(dimension) Wishart matrix",
                                 file: "--dimension \(dimension)", fix: "use a smaller --dimension")
        let values: [Double]
        switch kind {
        case .white: values = try Wishart(dimension: dimension, samples: samples, scale: scale).sampleEigenvalues(seed: seed, replicas: replicas)
        case .correlated:
            values = try Wishart(dimension: dimension, samples: samples, scale: scale, correlation: correlation)
                .sampleEigenvalues(seed: seed, replicas: replicas)
        case .generalized:
            values = try GeneralizedWishart(dimension: dimension, samples: samples, scale: scale, correlation: correlation, entries: entries)
                .sampleEigenvalues(seed: seed, replicas: replicas)
        }
        var transaction = OutputTransaction()
        transaction.add(output, Writers.csv(header: ["eigenvalue"], columns: [values]))
        try transaction.commit()
        return .object([("provenance", try Provenance(inputs: [], seed: seed).json), ("kind", .string(kind.rawValue)), ("dimension", .int(dimension)), ("samples", .int(samples)),
                        ("q", .double(Double(dimension) / Double(samples))), ("correlation", .double(correlation)),
                        ("scale", .double(scale)), ("replicas", .int(replicas)), ("entries", .string(entries.rawValue)),
                        ("seed", .int(Int(truncatingIfNeeded: seed))), ("eigenvalues", .int(values.count)),
                        ("mean", .double(values.reduce(0, +) / Double(values.count))), ("output", .string(output))])
    }
}
