import ArgumentParser
import Fitting
import Foundation
import Pipelines

struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the generalised Marchenko-Pastur law to eigenvalues, with goodness of fit.",
        discussion: """
        Fits (s2, c), and q when asked, by minimum Cramer-von Mises distance from the
        moment fit (docs/theory.md §2.5), or by moments. Reports the KS statistic
        against the 5% critical value, and with --bootstrap B a parametric-bootstrap
        p-value (B Gaussian generalised Wisharts of the fitted law at the observed size,
        refitted the same way; drawn by Bartlett's decomposition in O(C^3) per
        replicate). The verdict is adequate or rejected only when the p-value is more
        than two Monte Carlo standard errors from 0.05, else undecided (so is any B <
        19). Default B: 199 with --spectrum (about 5 s at C = 100), 0 with
        --eigenvalues. Writes DIR/fit.json (q, scale, correlation, mean, variance,
        support, atom, ks, p_value, p_value_se, verdict, failed_replicates, method, n,
        adequate, reason, ...) and DIR/density.csv. A spectrum the law cannot describe
        is reported with the reason, never hidden. --matrix hhat fits the teacher
        spectrum Hhat; several --spectrum folders of one task (seeds) are pooled, which
        is how a small-C spectrum (C <= 10) gets enough eigenvalues.

        A --spectrum folder of 'spectrum --matrix-free' is fitted to its SLQ measure
        with the exact mean kept (moments, or minimum Wasserstein-1 distance). There
        is no bootstrap and no outlier separation: the fit is rejected when its W1
        distance to the estimate exceeds the estimate's W1 bound, else undecided
        (docs/theory.md §1.6).

        Examples:
          spectralkd fit --spectrum spectrum-out
          spectralkd fit --eigenvalues run1.csv --eigenvalues run2.csv \\
            --classes 100 --samples 10000
          spectralkd fit --spectrum seed1 --spectrum seed2 --matrix hhat
          spectralkd fit --spectrum spectrum-out --method moments \\
            --bootstrap 99 --seed 1 --json
        """
    )

    @Option(help: ArgumentHelp("A spectrum output folder (q from its summary; structural zero dropped); repeat to pool.", valueName: "dir"))
    var spectrum: [String] = []

    @Option(help: "With --spectrum: h (student against labels, default) or hhat (against the teacher).")
    var matrix: FitJob.Matrix = .h

    @Flag(help: "Keep an --eigenvalues file's structural zero (default: drop it when there is one).")
    var keepZero = false

    @Option(help: "Outlier eigenvalues set apart before the bulk is fitted: auto (default; beyond the edges by more than --outlier-margin Tracy-Widom units), a count K, or none.")
    var outliers = AutoNoneOrNumber(.auto)

    @Option(parsing: .unconditional, help: "Margin beyond the fitted edges, in Tracy-Widom units, for --outliers auto.")
    var outlierMargin: Double = OutlierSeparation.defaultMargin

    @Option(help: ArgumentHelp("Eigenvalue file (.csv column `eigenvalue` or .npy); repeat to pool.", valueName: "file"))
    var eigenvalues: [String] = []

    @Option(parsing: .unconditional, help: "Classes C (with --samples: q = (C-1)/N).")
    var classes: Int?

    @Option(parsing: .unconditional, help: "Samples N.")
    var samples: Int?

    @Option(parsing: .unconditional, help: "q as a number, or `free` to fit it from the third moment.")
    var q: QArgument?

    @Option(help: "distance (default) or moments.")
    var method: FitMethod = .distance

    @Option(parsing: .unconditional, help: "Parametric-bootstrap replicates for the p-value (0: none; default 199 with --spectrum, 0 with --eigenvalues).")
    var bootstrap: Int?

    @Option(parsing: .unconditional, help: "Seed of the bootstrap's random numbers.")
    var seed: UInt64 = 0

    @Option(help: "Bootstrap replicates: bartlett (O(C^3) each, default) or direct (O(C^2 N), to check the p-value law).")
    var bootstrapSampler: GMPFitter.Sampler = .bartlett

    @Option(help: ArgumentHelp("Folder for fit.json and density.csv.", valueName: "dir"))
    var out: String = "fit-out"

    @OptionGroup var output: JSONOption

    func validate() throws {
        if spectrum.isEmpty == eigenvalues.isEmpty {
            throw ValidationError("Give exactly one of --spectrum DIR or --eigenvalues FILE (repeatable).")
        }
        if (classes == nil) != (samples == nil) { throw ValidationError("--classes and --samples go together.") }
        if classes != nil && q != nil { throw ValidationError("Give q either as --q or as --classes and --samples, not both.") }
        if let classes, let samples, classes < 2 || samples < 1 {
            throw ValidationError("--classes must be at least 2 and --samples at least 1.")
        }
        if !(outlierMargin > 0 && outlierMargin.isFinite) { throw ValidationError("--outlier-margin must be a positive number, got \(outlierMargin).") }
        if matrix == .hhat && spectrum.isEmpty { throw ValidationError("--matrix hhat goes with --spectrum.") }
        if let bootstrap, bootstrap < 0 || bootstrap > FitJob.maximumBootstrap {
            throw ValidationError("--bootstrap must lie in 0...\(FitJob.maximumBootstrap), got \(bootstrap).")
        }
    }

    func run() throws {
        var choice: FitJob.QChoice?
        if let classes, let samples { choice = .shape(classes: classes, samples: samples) }
        switch q {
        case .free?: choice = .free
        case let .value(v)?: choice = .known(v)
        case nil: break
        }
        var job = FitJob(input: spectrum.isEmpty ? .eigenvalues(eigenvalues) : .spectra(spectrum, matrix: matrix), q: choice,
                         method: method, bootstrap: bootstrap ?? (spectrum.isEmpty ? 0 : 199), seed: seed,
                         outputFolder: out)
        job.keepZero = keepZero
        job.outliers = outliers.outlierMode
        job.outlierMargin = outlierMargin
        job.sampler = bootstrapSampler
        let result = try job.run()
        if output.json { print(result.summary.json().rendered()); return }
        let r = result.report
        if let law = r.law {
            print(String(format: "q %.6g%@, s2 %.6g, c %.6g; support %@; atom %.4g", law.q, r.qWasFitted ? " (fitted)" : "",
                         law.scale, law.correlation,
                         law.supportIntervals.map { String(format: "[%.6g, %.6g]", $0.lowerBound, $0.upperBound) }.joined(separator: " U "),
                         law.atom))
        }
        if case let dropped = result.summary.droppedStructuralZeros, dropped > 0 {
            print("dropped \(dropped) structural zero(s) (an eigenvalue within 1e-6 of the largest from 0; --keep-zero keeps it)")
        }
        if let s = r.separation {
            print("outliers: \(s.outliers.count)" + (s.outliers.isEmpty ? "" : " (" + s.outliers.map { String(format: "%.4g at %.1f TW", $0.value, $0.twDistance) }.joined(separator: ", ") + ")")
                  + "; iterations \(s.sequence.map(String.init).joined(separator: " -> ")); the law and verdict below are the bulk's")
        }
        print("verdict: \(r.verdict.rawValue) (\(r.reason))")
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
