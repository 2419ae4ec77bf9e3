import ArgumentParser
import Foundation
import Pipelines

extension LinearJob.Distribution: ExpressibleByArgument {}

struct Linear: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Linear distillation (Phuong & Lampert): transfer risk, its bound, monotonicity.",
        discussion: """
        A linear student distilled from a linear teacher w* by gradient flow from 0
        converges to the projection of w* onto the span of the transfer inputs
        (exactly w* once n >= d). For transfer sets of sizes 1...--samples (about 24
        on a geometric grid, d - 1 and d included) over --transfer-sets seeded sets:
        the risk P[sign(w*.x) != sign(w.x)] by Monte Carlo with its standard error,
        angle/pi (exact for isotropic inputs), the Theorem 3 bound
        min_b p(b) + p(pi/2 - b)^n, and the strong-monotonicity check (adding points
        never widens the angle to w*). Families: isotropic Gaussian, margin (no mass
        within --margin radians of the boundary) and polynomial (p(b) = (1 - 2b/pi)^K,
        --degree K), or your data (--data X.npy with --teacher-weights w.npy, the rows
        taken as the population). --train-depth L also runs gradient descent on an
        L-layer linear student and reports its distance to the projection.
        Writes DIR/linear.json, DIR/linear.csv and DIR/linear.svg (docs/companions.md).

        Examples:
          spectralkd linear --dimension 50 --samples 60 --seed 1 --out linear-out
          spectralkd linear --dimension 30 --samples 29 --distribution polynomial \\
            --degree 3 --train-depth 3 --json
          spectralkd linear --data X.npy --teacher-weights w.npy --samples 40
        """
    )

    @Option(parsing: .unconditional, help: "Input dimension d (synthetic families).") var dimension: Int?
    @Option(parsing: .unconditional, help: "Largest transfer-set size n.") var samples: Int
    @Option(help: "Input family: isotropic, margin or polynomial.") var distribution: LinearJob.Distribution = .isotropic
    @Option(parsing: .unconditional, help: "Degree K of the polynomial family.") var degree: Double = 1
    @Option(parsing: .unconditional, help: "Half-angle (radians) of the empty wedge of the margin family.") var margin: Double = 0.2
    @Option(help: ArgumentHelp("Data matrix, rows x d: the population.", valueName: "file")) var data: String?
    @Option(help: ArgumentHelp("The teacher's weights w*, length d (with --data).", valueName: "file")) var teacherWeights: String?
    @Option(parsing: .unconditional, help: "Seeded transfer sets per size.") var transferSets: Int = 50
    @Option(parsing: .unconditional, help: "Monte Carlo test points (synthetic families).") var testPoints: Int = 20_000
    @Option(parsing: .unconditional, help: "Depth of a student trained by gradient descent (0: none).") var trainDepth: Int = 0
    @Option(parsing: .unconditional, help: "Gradient-descent steps.") var trainSteps: Int = 20_000
    @Option(parsing: .unconditional, help: "Step, as a multiple of the largest stable step / depth.") var learningRate: Double = 1
    @Option(parsing: .unconditional, help: "Initial entry scale of a deep student (depth >= 2).") var initScale: Double = 0.05
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 0
    @Option(help: ArgumentHelp("Output folder.", valueName: "dir")) var out: String = "linear-out"
    @OptionGroup var output: JSONOption

    func validate() throws {
        if let dimension { try validateRange(dimension, 1...5000, "--dimension") }
        try validateRange(samples, 1...20_000, "--samples")
        guard degree.isFinite, degree > 0, degree <= 1000 else { throw ValidationError("--degree must lie in (0, 1000], got \(degree).") }
        guard margin.isFinite, margin > 0, margin < Double.pi / 2 else { throw ValidationError("--margin must lie in (0, pi/2) radians, got \(margin).") }
        try validateRange(transferSets, 1...10_000, "--transfer-sets")
        try validateRange(testPoints, 100...2_000_000, "--test-points")
        try validateRange(trainDepth, 0...10, "--train-depth")
        try validateRange(trainSteps, 1...1_000_000, "--train-steps")
        try validatePositive(learningRate, "--learning-rate")
        try validatePositive(initScale, "--init-scale")
        if data == nil, let d = dimension, Double(d) * Double(testPoints) > 2e8 {
            throw ValidationError("--dimension x --test-points is \(d * testPoints); keep it at most 2e8 (1.6 GB), e.g. fewer --test-points.")
        }
        if data == nil && dimension == nil { throw ValidationError("Give --dimension D (or --data X.npy with --teacher-weights w.npy).") }
    }

    func run() throws {
        let job = LinearJob(dimension: dimension, samples: samples, distribution: distribution, degree: degree, margin: margin, data: data,
                            teacherWeights: teacherWeights, transferSets: transferSets, testPoints: testPoints, seed: seed,
                            trainDepth: trainDepth, trainSteps: trainSteps, learningRate: learningRate, outputFolder: out)
        var configured = job
        configured.initScale = initScale
        let result = try configured.run()
        if output.json { print(result.summary.rendered()); return }
        let f = result.final
        print(String(format: "linear distillation, d = %d, %@ inputs, n = %d: transfer risk %.4f ± %.4f (SE), angle %.4f rad, bound %.4f",
                     result.curve.dimension, result.curve.distribution.name, f.samples, f.risk, f.riskSE, f.angle, f.bound))
        if let exact = f.closedFormRisk { print(String(format: "closed form angle/pi %.4f", exact)) }
        print("strong monotonicity: \(result.curve.monotonicityViolations) violation(s) over \(result.curve.transferSets) nested sets")
        if let t = result.trained {
            print(String(format: "gradient descent, depth %d: distance to the projection %.3g (relative %.3g)", t.depth, t.distanceToProjection, t.relativeDistance))
            if t.relativeDistance >= 1e-3 {
                printWarnings(["gradient descent stopped \(String(format: "%.3g", t.relativeDistance)) (relative) from its limit after \(trainSteps) steps: raise --train-steps (saturated soft labels make the loss flat)"])
            }
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
