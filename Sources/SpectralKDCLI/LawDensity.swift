import ArgumentParser
import Foundation
import Pipelines

struct LawDensity: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "density",
        abstract: "The generalised Marchenko-Pastur density on a grid, with its support and atom.",
        discussion: """
        Evaluates the law of docs/theory.md §2 (Bouchaud & Potters): the limiting
        spectrum of (X W^T + W X^T)/2T for M x T matrices with entry variance s2 and
        correlation c at q = M/T. Writes CSV `x,density` (the continuous part; an atom
        at 0, present for q > 2, or for q > 1 when |c| = 1, is reported in the JSON).
        Default grid: the support padded by 10%.

        Examples:
          spectralkd density --q 0.25 --scale 1 --correlation 0.5
          spectralkd density --q 3 --scale 1 --correlation 0.3 \\
            --from -3 --to 5 --points 2001 --json
        """
    )

    @Option(parsing: .unconditional, help: "Ratio q = M/T (for H: (C-1)/N).")
    var q: Double

    @Option(parsing: .unconditional, help: "Entry variance s2.")
    var scale: Double

    @Option(parsing: .unconditional, help: "Correlation c of X and W, in [-1, 1].")
    var correlation: Double

    @Option(parsing: .unconditional, help: "Grid start (default: support padded by 10%).")
    var from: Double?

    @Option(parsing: .unconditional, help: "Grid end.")
    var to: Double?

    @Option(parsing: .unconditional, help: "Grid points.")
    var points: Int = 1000

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String = "density.csv"

    @OptionGroup var output: JSONOption

    func validate() throws {
        if points < 2 { throw ValidationError("--points must be at least 2.") }
        for (name, v) in [("--q", q), ("--scale", scale), ("--correlation", correlation)] where !v.isFinite {
            throw ValidationError("\(name) must be a finite number.")
        }
    }

    func run() throws {
        let (law, summary) = try LawDensityJob(q: q, scale: scale, correlation: correlation, from: from, to: to,
                                               points: points, output: out).run()
        if output.json { print(summary.rendered()); return }
        let support = law.supportIntervals.map { String(format: "[%.6g, %.6g]", $0.lowerBound, $0.upperBound) }.joined(separator: " U ")
        print("support \(support), atom at 0: \(String(format: "%.6g", law.atom)), mean \(String(format: "%.6g", law.mean)), variance \(String(format: "%.6g", law.variance))")
        print("wrote \(out)")
    }
}
