import ArgumentParser
import DensityEstimation
import Foundation
import Pipelines

struct KDE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kde",
        abstract: "Kernel density estimate by FFT, with Silverman, Scott or Improved Sheather-Jones bandwidth.",
        discussion: """
        Bins the data linearly on a grid covering them plus 6 bandwidths (or starting
        and ending at --lower/--upper, with reflection there), convolves with a
        Gaussian kernel by a zero-padded real FFT (FFTW), and writes CSV `x,density`
        (docs/theory.md §4). The density integrates to 1 on the grid. Input: a vector
        (.npy/.npz), a CSV column, or a `spectrum` output folder, whose
        eigenvalues.csv is read with the structural zero dropped.

        Examples:
          spectralkd kde --input spectrum-out --bandwidth isj --out kde.csv
          spectralkd kde --input runs.csv --column test_accuracy \\
            --bandwidth 0.002 --json
          spectralkd kde --input x.npy --weights w.npy --lower 0 --grid 8192
        """
    )

    @Option(help: ArgumentHelp("Data: .npy/.npz vector, .csv file, or a spectrum output folder.", valueName: "path"))
    var input: String

    @Option(help: "CSV column to read (default: the only column, or `eigenvalue` in a spectrum folder).")
    var column: String?

    @Option(help: ArgumentHelp("Frequency weights, one per point (integer weights = repeated points).", valueName: "file"))
    var weights: String?

    @Option(help: "silverman, scott, isj, or a positive number.")
    var bandwidth: String = "silverman"

    @Option(parsing: .unconditional, help: "Grid points.")
    var grid: Int = 4096

    @Option(parsing: .unconditional, help: "Grid points for the ISJ fixed point (Botev's default 16384; KDEpy uses 1024).")
    var isjGrid: Int = 16384

    @Option(parsing: .unconditional, help: "Lower bound: the grid starts here and the density is reflected at it.")
    var lower: Double?

    @Option(parsing: .unconditional, help: "Upper bound: the grid ends here and the density is reflected at it.")
    var upper: Double?

    @Option(help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String = "kde.csv"

    @OptionGroup var output: JSONOption

    func validate() throws {
        if BandwidthMethod(argument: bandwidth) == nil {
            throw ValidationError("--bandwidth must be silverman, scott, isj or a positive number, got '\(bandwidth)'.")
        }
        if grid < 16 { throw ValidationError("--grid must be at least 16.") }
        if isjGrid < 64 { throw ValidationError("--isj-grid must be at least 64.") }
        if let lower, let upper, !(upper > lower) { throw ValidationError("--upper must be greater than --lower.") }
        for (name, value) in [("--lower", lower), ("--upper", upper)] {
            if let value, !value.isFinite { throw ValidationError("\(name) must be finite.") }
        }
    }

    func run() throws {
        var job = KDEJob(input: input, column: column, weights: weights, bandwidth: BandwidthMethod(argument: bandwidth)!,
                         gridPoints: grid, lowerBound: lower, upperBound: upper, output: out)
        job.isjGridPoints = isjGrid
        let result = try job.run()
        if output.json {
            print(result.summary.rendered())
        } else {
            let e = result.estimate
            print("n \(Int(e.n)), bandwidth \(String(format: "%.6g", e.bandwidth)) (\(job.bandwidth)), grid \(e.grid.count) points on [\(String(format: "%.6g", e.grid.lower)), \(String(format: "%.6g", e.grid.upper))]")
            print("wrote \(out)")
        }
    }
}
