import ArgumentParser
import Foundation
import Pipelines

struct SpectralKDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectralkd",
        abstract: "Random matrix theory for knowledge distillation.",
        discussion: """
        Fit the spectra of logged softmax outputs, predict distilled accuracy, and
        plot the results. The mathematics is in docs/theory.md; every command
        writes its files under --out and, with --json, prints only its summary object
        to standard output.

        Example:
          spectralkd spectrum --labels labels.npy --logits student_logits.npy \\
            --out spectrum-out
        """,
        version: Toolkit.version,
        subcommands: [Demo.self, Spectrum.self, Fit.self, LawDensity.self, KDE.self, Predict.self, Evaluate.self, Teacher.self, Linear.self, Wide.self, Plot.self, Report.self,
                      Export.self, Sample.self, Simulate.self]
    )
}
