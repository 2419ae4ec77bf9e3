import ArgumentParser
import Pipelines

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw a spectrum or an evaluation as a standalone SVG (800x500).",
        discussion: """
        From a spectrum (or simulate) folder: the eigenvalue histogram of H with the
        structural zero removed, an FFT KDE (ISJ bandwidth, Silverman when ISJ has no
        root), and with --fit the fitted generalised Marchenko-Pastur density and its
        support edges; the subtitle says whether the fit is adequate. --teacher draws
        Hhat instead (no law overlaid, unless --fit was fitted with --matrix hhat).
        --view cdf draws the empirical CDF against the fitted one with the KS distance
        and its 5% band; --view qq the sorted eigenvalues against the law's
        quantiles. From an evaluate folder: predicted against observed distilled
        accuracy for the formula and every baseline, with the identity line and each
        predictor's MAE in the legend. From a predict folder:
        predicted against observed (pilots marked, points labelled by T and alpha_H,
        95% intervals), or against the soft weight when nothing was observed.

        Examples:
          spectralkd plot --spectrum out/demo/spectrum --fit out/demo/fit \\
            --out spectrum.svg
          spectralkd plot --spectrum out/demo/spectrum --fit out/demo/fit \\
            --view qq --out qq.svg
          spectralkd plot --spectrum out/demo/spectrum --teacher --out teacher.svg
          spectralkd plot --evaluate out/demo/evaluate-published --out evaluate.svg
          spectralkd plot --predict out/demo/predict --out predict.svg
        """
    )

    @Option(help: ArgumentHelp("A spectrum or simulate output folder.", valueName: "dir")) var spectrum: String?
    @Option(help: ArgumentHelp("A fit output folder to overlay (fitted to the same spectrum).", valueName: "dir")) var fit: String?
    @Flag(help: "Draw the teacher spectrum Hhat instead of H.") var teacher = false
    @Option(help: "With --spectrum and --fit: histogram (default), cdf (ECDF against the fitted CDF, KS distance and 5% band) or qq.")
    var view: String = "histogram"
    @Option(help: ArgumentHelp("An evaluate output folder.", valueName: "dir")) var evaluate: String?
    @Option(help: ArgumentHelp("A predict output folder.", valueName: "dir")) var predict: String?
    @Option(help: ArgumentHelp("Output SVG file (default spectrum.svg or evaluate.svg).", valueName: "file")) var out: String?
    @Flag(help: "Combine a fit with a spectrum it was not fitted to (refused by default).") var allowMixed = false
    @OptionGroup var output: JSONOption

    func validate() throws {
        if [spectrum, evaluate, predict].compactMap({ $0 }).count != 1 { throw ValidationError("Give exactly one of --spectrum, --evaluate and --predict.") }
        if spectrum == nil && (fit != nil || teacher) { throw ValidationError("--fit and --teacher go with --spectrum.") }
        if !["histogram", "cdf", "qq"].contains(view) { throw ValidationError("--view must be histogram, cdf or qq, got '\(view)'.") }
        if view != "histogram" && fit == nil { throw ValidationError("--view \(view) compares with a fit: give --fit.") }
    }

    func run() throws {
        let diagnostic: PlotJob.Source? = spectrum.flatMap { folder in
            PlotJob.DiagnosticView(rawValue: view).map { .fitDiagnostic(folder: folder, fit: fit!, teacher: teacher, view: $0) }
        }
        let source: PlotJob.Source = diagnostic ?? spectrum.map { .spectrum(folder: $0, fit: fit, teacher: teacher) }
            ?? evaluate.map { .evaluation($0) } ?? .prediction(predict!)
        let file = out ?? (spectrum != nil ? "spectrum.svg" : evaluate != nil ? "evaluate.svg" : "predict.svg")
        let summary = try PlotJob(source: source, output: file, allowMixed: allowMixed).run()
        if output.json { print(summary.rendered()) } else { print("wrote \(file)") }
    }
}
