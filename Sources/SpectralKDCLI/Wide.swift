import ArgumentParser
import Foundation
import Pipelines
import WideNetworks

extension WideTask.Targets: ExpressibleByArgument {}

struct Wide: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wide networks (Ji & Zhu): effective student logits and data inefficiency.",
        discussion: """
        The effective student logit solves
          (rho/T)(sigma(z/T) - sigma(z_t/T)) + (1 - rho)(sigma(z) - y_g) = 0
        (unique root, bracketed and bisected) over --logit-range for a correct and a
        wrong teacher: DIR/effective_logits.csv (teacher,teacher_logit,hard_label,
        effective_logit) and .svg. The data inefficiency
          I(n) = (n/k)[ln E||dw_{n+k}|| - ln E||dw_n||], ||dw_n||^2 = dz' Theta_n^-1 dz,
        (k = 1 is Ji & Zhu's definition; k = --step-fraction x n is less noisy) under
        the two-layer ReLU NTK on a seeded task (inputs on the sphere, a Gaussian-
        mixture teacher; --targets distill|soft|hard|random, with random and soft as
        references) or your --gram G.npy with --targets-file z.npy; mean over
        --orderings seeded orderings, jackknife errors, the Cholesky jitter reported:
        DIR/inefficiency.csv and .svg, and DIR/wide.json (docs/companions.md).

        Examples:
          spectralkd wide --rho 0.05 --temperature 5 --out wide-out
          spectralkd wide --rho 1 --temperature 2 --targets hard --json
          spectralkd wide --rho 0.5 --temperature 2 --gram G.npy --targets-file z.npy
        """
    )

    @Option(parsing: .unconditional, help: "Soft ratio rho in (0, 1].") var rho: Double
    @Option(parsing: .unconditional, help: "Temperature T.") var temperature: Double
    @Option(parsing: .unconditional, help: "Teacher logits from -R to R on the curve.") var logitRange: Double = 10
    @Option(parsing: .unconditional, help: "Grid points on the curve.") var points: Int = 201
    @Option(help: ArgumentHelp("A kernel Gram matrix of a pool, P x P.", valueName: "file")) var gram: String?
    @Option(help: ArgumentHelp("The pool's target logits dz, length P (with --gram).", valueName: "file")) var targetsFile: String?
    @Option(help: "Targets on the built-in task: distill, soft, hard or random.") var targets: WideTask.Targets = .distill
    @Option(parsing: .unconditional, help: "Input dimension d of the built-in task (sphere S^(d-1)).") var inputDimension: Int = 3
    @Option(parsing: .unconditional, help: "Gaussian bumps of the built-in teacher.") var modes: Int = 3
    @Option(parsing: .unconditional, help: "Probability that a hard label is flipped.") var flip: Double = 0
    @Option(parsing: .unconditional, help: "Largest n of I(n).") var maxSamples: Int = 400
    @Option(parsing: .unconditional, help: "Difference step k as a fraction of n (0: k = 1).") var stepFraction: Double = 0.25
    @Option(parsing: .unconditional, help: "Seeded orderings averaged.") var orderings: Int = 20
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Output folder.", valueName: "dir")) var out: String = "wide-out"
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard rho.isFinite, rho > 0, rho <= 1 else {
            throw ValidationError("--rho must lie in (0, 1], got \(rho) (at 0 a hard label's effective logit is infinite).")
        }
        try validatePositive(temperature, "--temperature")
        try validatePositive(logitRange, "--logit-range")
        try validateRange(points, 3...100_001, "--points")
        try validateRange(inputDimension, 2...1000, "--input-dimension")
        try validateRange(modes, 1...1000, "--modes")
        try validateRange(flip, 0...1, "--flip")
        try validateRange(maxSamples, 2...8000, "--max-samples")
        try validateRange(stepFraction, 0...1, "--step-fraction")
        try validateRange(orderings, 1...10_000, "--orderings")
        if (gram == nil) != (targetsFile == nil) { throw ValidationError("--gram and --targets-file go together.") }
    }

    func run() throws {
        let job = WideJob(rho: rho, temperature: temperature, logitRange: logitRange, gridPoints: points, gram: gram, targetsFile: targetsFile,
                          targets: targets, inputDimension: inputDimension, modes: modes, flip: flip, maxSamples: maxSamples,
                          stepFraction: stepFraction, orderings: orderings, seed: seed, outputFolder: out)
        let result = try job.run()
        if output.json { print(result.summary.rendered()); return }
        let threshold = result.summary["threshold"]?.number ?? .nan
        print(String(format: "effective logit (rho = %g, T = %g): threshold z_eff(0+, 1) = %.4f", rho, temperature, threshold))
        for c in result.curves {
            let p = c.inefficiency.points.last!
            print(String(format: "data inefficiency, %@ targets: I(%d) = %.3f ± %.3f", c.name, p.samples, p.value, p.standardError))
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
