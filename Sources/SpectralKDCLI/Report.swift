import ArgumentParser
import Pipelines

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one self-contained HTML report: pictures and the numbers behind them.",
        discussion: """
        Sections: the spectrum of H with the accuracy identity (docs/theory.md §1.2);
        the GMP fit with its KS statistic, bootstrap p-value and adequacy verdict; the
        teacher spectrum Hhat when present; a prediction from `predict`; the teacher,
        linear and wide pages when their folders are given; and for each evaluate
        folder the metrics table and the predicted-against-observed picture. A
        failed identity, an inadequate fit, or a formula beaten by a baseline is shown
        as a warning at the top. No scripts, no external assets: the file opens offline.

        Example:
          spectralkd report --spectrum out/demo/spectrum --fit out/demo/fit \\
            --evaluate out/demo/evaluate-published \\
            --prediction out/demo/predict --out report.html
        """
    )

    @Option(help: ArgumentHelp("A spectrum or simulate output folder.", valueName: "dir")) var spectrum: String?
    @Option(help: ArgumentHelp("A fit output folder for that spectrum.", valueName: "dir")) var fit: String?
    @Option(help: ArgumentHelp("An evaluate output folder (repeatable).", valueName: "dir")) var evaluate: [String] = []
    @Option(help: ArgumentHelp("A predict output folder (or its prediction.json).", valueName: "path")) var prediction: String?
    @Option(help: ArgumentHelp("A teacher output folder.", valueName: "dir")) var teacher: String?
    @Option(help: ArgumentHelp("A linear output folder.", valueName: "dir")) var linear: String?
    @Option(help: ArgumentHelp("A wide output folder.", valueName: "dir")) var wide: String?
    @Option(help: ArgumentHelp("Output HTML file.", valueName: "file")) var out: String = "report.html"
    @Flag(help: "Combine a fit with a spectrum it was not fitted to (refused by default).") var allowMixed = false
    @OptionGroup var output: JSONOption

    func validate() throws {
        if spectrum == nil && evaluate.isEmpty && prediction == nil && teacher == nil && linear == nil && wide == nil {
            throw ValidationError("Give at least one of --spectrum, --evaluate, --prediction, --teacher, --linear and --wide.")
        }
        if fit != nil && spectrum == nil { throw ValidationError("--fit needs the --spectrum folder it was fitted to.") }
    }

    func run() throws {
        let summary = try ReportJob(spectrum: spectrum, fit: fit, evaluations: evaluate, prediction: prediction, teacher: teacher, linear: linear, wide: wide, output: out, allowMixed: allowMixed).run()
        if output.json { print(summary.rendered()) } else { print("wrote \(out)") }
    }
}
