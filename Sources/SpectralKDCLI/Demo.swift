import ArgumentParser
import Pipelines

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the main job on the committed data: spectrum, fit, kde, predict, evaluate, export, plot, report.",
        discussion: """
        Reads data/example (a baseline student's and the teacher's test-set logits and
        the labels) and data/runs (two sweeps and the published table), writes
        everything under --out, prints a short summary and the path of the HTML
        report. predict calibrates chi on one pilot (T = 4, alpha_H = 0.1) and
        predicts the other 15 configurations of the sweep; evaluate scores the
        formula by 1-pilot reduction on both sweeps. This is what `make demo` runs;
        it takes a few seconds after the build (the fit's 199 bootstrap replicates
        most of them).

        Example:
          spectralkd demo --out out/demo
        """
    )

    @Option(help: ArgumentHelp("SpectralKD's data folder (example/ and runs/).", valueName: "dir")) var data: String = "data"
    @Option(help: ArgumentHelp("Output folder.", valueName: "dir")) var out: String = "out/demo"
    @Option(parsing: .unconditional, help: "Bootstrap replicates for the fit's p-value.") var bootstrap: Int = 199
    @OptionGroup var output: JSONOption

    func validate() throws {
        if bootstrap < 0 { throw ValidationError("--bootstrap must be 0 or more.") }
    }

    func run() throws {
        let result = try DemoJob(data: data, outputFolder: out, bootstrap: bootstrap).run(progress: !output.json)
        if output.json {
            print(result.summary.rendered())
        } else {
            result.lines.forEach { print($0) }
            print("open \(result.report)")
        }
    }
}
