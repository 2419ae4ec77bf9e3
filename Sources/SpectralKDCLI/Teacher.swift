import ArgumentParser
import Foundation
import Pipelines

struct Teacher: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "How good a teacher's probabilities are as soft labels (calibration, risk variance).",
        discussion: """
        From a teacher's logits (softmax at --temperature) or probabilities and the
        labels: accuracy (argmax, ties split), log loss (natural log, mean), Brier
        score (mean over samples of the squared distance summed over classes),
        entropy, and the top-label expected calibration error with equal-width and
        equal-mass bins (--bins, default 15), the data of a reliability diagram.
        With --student-logits: the student's per-sample risk with one-hot targets and
        with the teacher's probabilities, their variances and the variance reduction
        (Menon et al. 2021: a Bayes teacher always lowers it; docs/teacher.md).
        With --bayes-probs (a known Bayes posterior p*, e.g. of a synthetic task): the
        terms of Menon et al.'s bias-variance bound, E||p_t - p*||^2 split into
        ||E p_t - p*||^2 and V[p_t] over the teacher draws (--teacher-draw, repeatable:
        the same teacher trained on other seeds) and, with a student, the variance of
        its risk under teacher and Bayes targets and the label noise.
        Writes DIR/teacher.json, DIR/reliability.csv and DIR/reliability.svg.

        Examples:
          spectralkd teacher --labels data/example/labels.npy \\
            --logits data/example/teacher_logits.npy --out teacher-out
          spectralkd teacher --labels y.npy --probs p.npy --temperature 2 \\
            --student-logits student.npy --bins 20 --json
        """
    )

    @Option(help: ArgumentHelp("Integer class labels, one per row.", valueName: "file")) var labels: String
    @Option(help: ArgumentHelp("Teacher logits, N x C.", valueName: "file")) var logits: String?
    @Option(help: ArgumentHelp("Teacher probabilities, N x C.", valueName: "file")) var probs: String?
    @Option(parsing: .unconditional, help: "Teacher temperature.") var temperature: Double = 1
    @Option(help: ArgumentHelp("A student's logits on the same samples (softmax at 1).", valueName: "file")) var studentLogits: String?
    @Option(parsing: .unconditional, help: "Bins of the expected calibration error.") var bins: Int = 15
    @Option(help: ArgumentHelp("The Bayes posterior p*, N x C probabilities (known tasks).", valueName: "file")) var bayesProbs: String?
    @Option(help: ArgumentHelp("Another draw of the teacher, read like it (repeatable; with --bayes-probs).", valueName: "file"))
    var teacherDraw: [String] = []
    @Option(help: ArgumentHelp("Output folder.", valueName: "dir")) var out: String = "teacher-out"
    @OptionGroup var output: JSONOption

    func validate() throws {
        if (logits == nil) == (probs == nil) { throw ValidationError("Give the teacher's outputs with exactly one of --logits or --probs.") }
        try validatePositive(temperature, "--temperature")
        if !teacherDraw.isEmpty && bayesProbs == nil { throw ValidationError("--teacher-draw needs --bayes-probs.") }
        if !(1...1000).contains(bins) { throw ValidationError("--bins must lie in 1...1000, got \(bins).") }
    }

    func run() throws {
        let teacher = LoggedOutputs(path: logits ?? probs!, kind: logits != nil ? .logits : .probabilities, temperature: temperature)
        var job = TeacherJob(labels: labels, teacher: teacher, student: studentLogits.map { LoggedOutputs(path: $0, kind: .logits) },
                                    bins: bins, bayes: bayesProbs, outputFolder: out)
        job.draws = teacherDraw
        let result = try job.run()
        if output.json { print(result.summary.rendered()); return }
        let r = result.report
        print(String(format: "teacher: accuracy %.4f, log loss %.4f, Brier %.4f, entropy %.4f (N = %d, C = %d, T = %g)", r.accuracy, r.logLoss, r.brier,
                     r.entropy, r.samples, r.classes, temperature))
        print(String(format: "ECE %.4f (%d equal-width bins), %.4f (equal-mass)", r.ece, bins, r.eceEqualMass))
        if let k = result.risk {
            print(String(format: "student risk: one-hot targets mean %.4f, variance %.4f; teacher targets mean %.4f, variance %.4f; variance reduction %.1f%%",
                         k.hardMean, k.hardVariance, k.softMean, k.softVariance, 100 * k.varianceReduction))
        }
        if let g = result.gap {
            print(String(format: "Bayes gap over %d draw(s): E||p_t - p*||^2 = %.4g = bias^2 %.4g + variance %.4g", g.draws, g.squaredGap,
                         g.biasSquared, g.teacherVariance))
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
