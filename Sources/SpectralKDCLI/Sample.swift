import ArgumentParser
import Ensembles
import Foundation
import Pipelines

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw from the ensembles of docs/theory.md §3 (seeded: same seed, same bits).",
        subcommands: [PD.self, WishartSample.self]
    )

    struct PD: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pd",
            abstract: "Poisson-Dirichlet PD(alpha, theta) weights by stick-breaking, ranked, as a K x M .npy.",
            discussion: """
            V_k ~ Beta(1 - alpha, theta + k alpha), w_k = V_k prod_{j<k}(1 - V_j), ranked
            decreasingly, at most M atoms, stopping once the unbroken mass is below
            --tolerance; zero-padded. The JSON reports the largest truncated mass and the
            mean of sum w^2 beside its expectation (1 - alpha)/(1 + theta). Generator:
            xoshiro256** seeded by SplitMix64, one stream per row.

            Example:
              spectralkd sample pd --alpha 0.5 --theta 1 --count 1000 --atoms 200 \\
                --seed 7 --out w.npy --json
            """
        )
        @Option(parsing: .unconditional, help: "alpha in [0, 1).") var alpha: Double
        @Option(parsing: .unconditional, help: "theta > -alpha.") var theta: Double
        @Option(parsing: .unconditional, help: "Number of draws K.") var count: Int
        @Option(parsing: .unconditional, help: "Atoms kept per draw M.") var atoms: Int
        @Option(parsing: .unconditional, help: "Stop breaking sticks once the remaining mass is below this.") var tolerance: Double = 1e-12
        @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64
        @Option(help: ArgumentHelp("Output .npy file.", valueName: "file")) var out: String = "pd.npy"
        @OptionGroup var output: JSONOption

        func validate() throws {
            guard alpha >= 0, alpha < 1 else { throw ValidationError("--alpha must lie in [0, 1).") }
            guard theta > -alpha, theta.isFinite else { throw ValidationError("--theta must exceed -alpha.") }
            guard count >= 1, atoms >= 1 else { throw ValidationError("--count and --atoms must be positive.") }
            guard tolerance >= 0 else { throw ValidationError("--tolerance must be non-negative.") }
        }

        func run() throws {
            let summary = try SamplePDJob(alpha: alpha, theta: theta, count: count, atoms: atoms, tolerance: tolerance, seed: seed,
                                          output: out).run()
            if output.json { print(summary.rendered()); return }
            print("wrote \(out): \(count) x \(atoms); largest truncated mass \(summary["largest_truncated_mass"].map { $0.rendered() } ?? "-")")
        }
    }

    struct WishartSample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "wishart",
            abstract: "Pooled eigenvalues of white, correlated (AR(1)) or generalised Wishart matrices.",
            discussion: """
            white: X X^T / T with X of M x T i.i.d. N(0, s2); correlated: rows with
            covariance s2 rho^|i-j| (--correlation rho); generalized: (X W^T + W X^T)/2T
            with corr(X_it, W_it) = c (docs/theory.md §2), whose limit `spectralkd density`
            evaluates. Writes CSV column `eigenvalue`, pooled over replicas.

            Example:
              spectralkd sample wishart --kind generalized --dimension 400 \\
                --samples 1600 --correlation 0.5 --seed 1 --out e.csv
            """
        )
        @Option(help: "white, correlated or generalized.") var kind: SampleWishartJob.Kind
        @Option(parsing: .unconditional, help: "Dimension M.") var dimension: Int
        @Option(parsing: .unconditional, help: "Samples T.") var samples: Int
        @Option(parsing: .unconditional, help: "rho (correlated) or c (generalized).") var correlation: Double = 0
        @Option(parsing: .unconditional, help: "Entry variance s2.") var scale: Double = 1
        @Option(parsing: .unconditional, help: "Independent matrices to pool.") var replicas: Int = 1
        @Option(help: "gaussian or rademacher (generalized only).") var entries: GeneralizedWishart.Entries = .gaussian
        @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64
        @Option(help: ArgumentHelp("Output CSV.", valueName: "file")) var out: String = "eigenvalues.csv"
        @OptionGroup var output: JSONOption

        func validate() throws {
            let k = kind
            guard dimension >= 1, samples >= 1, replicas >= 1 else { throw ValidationError("--dimension, --samples and --replicas must be positive.") }
            guard scale > 0 else { throw ValidationError("--scale must be positive.") }
            if k == .correlated && !(abs(correlation) < 1) { throw ValidationError("--correlation (rho) must lie in (-1, 1).") }
            if k == .generalized && !(abs(correlation) <= 1) { throw ValidationError("--correlation (c) must lie in [-1, 1].") }
        }

        func run() throws {
            let summary = try SampleWishartJob(kind: kind, dimension: dimension, samples: samples,
                                               correlation: correlation, scale: scale, replicas: replicas,
                                               entries: entries, seed: seed, output: out).run()
            if output.json { print(summary.rendered()); return }
            print("wrote \(out)")
        }
    }
}
