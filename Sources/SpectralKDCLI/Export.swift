import ArgumentParser
import Pipelines

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export tidy CSVs and a JSON manifest for notebooks.",
        discussion: """
        Writes into the --out folder: histogram.csv (left,right,count,density),
        kde.csv (x,density), theory.csv (x,density; with --fit), eigenvalues.csv, the
        same with a teacher_ prefix for Hhat when the spectrum has a teacher,
        predictions CSVs copied from evaluate folders, and manifest.json naming every
        file, its columns and what it holds, with the spectrum summary and the fit
        verdict. pandas reads every CSV as is.

        Example:
          spectralkd export --spectrum out/demo/spectrum --fit out/demo/fit \\
            --evaluate out/demo/evaluate-published --out export
        """
    )

    @Option(help: ArgumentHelp("A spectrum or simulate output folder.", valueName: "dir")) var spectrum: String
    @Option(help: ArgumentHelp("A fit output folder for that spectrum.", valueName: "dir")) var fit: String?
    @Option(help: ArgumentHelp("An evaluate output folder (repeatable).", valueName: "dir")) var evaluate: [String] = []
    @Option(help: ArgumentHelp("Output folder.", valueName: "dir")) var out: String = "export-out"
    @Flag(help: "Combine a fit with a spectrum it was not fitted to (refused by default).") var allowMixed = false
    @OptionGroup var output: JSONOption

    func run() throws {
        let summary = try ExportJob(spectrum: spectrum, fit: fit, evaluations: evaluate, outputFolder: out, allowMixed: allowMixed).run()
        if output.json { print(summary.rendered()) } else { print("wrote \(out)/manifest.json and the files it names") }
    }
}
