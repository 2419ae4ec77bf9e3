import ArgumentParser
import Ensembles
import Foundation
import Pipelines

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Monte Carlo of H (and Hhat) for planted classifiers, in the layout of `spectrum` output.",
        discussion: """
        Each replica draws N uniform labels and planted student outputs (top class
        right with probability --accuracy, softmax of Gaussian logits at
        --temperature), with a teacher when --teacher-accuracy and --agreement are
        given, and computes H and Hhat as `spectrum` does. Writes DIR/eigenvalues.csv
        (the pooled bulk: structural zeros removed), DIR/teacher_eigenvalues.csv,
        DIR/replicas.csv (per-replica accuracy, traces, identity residual) and
        DIR/summary.json, so `spectralkd fit --spectrum DIR` fits the pooled spectrum.
        Replicas run on all cores; a given --seed gives the same bits for any thread
        count.

        Example:
          spectralkd simulate --classes 100 --samples 10000 --accuracy 0.4 \\
            --temperature 1 --replicas 20 --seed 1 \\
            --teacher-accuracy 0.5 --agreement 0.6 --out sim
          spectralkd simulate --classes 100 --samples 10000 --accuracy 0.4 \\
            --seed 1 --spikes 3 --spike-strength 1.5 --out spiked
        """
    )
    @Option(parsing: .unconditional, help: "Classes C.") var classes: Int
    @Option(parsing: .unconditional, help: "Samples N per replica.") var samples: Int
    @Option(parsing: .unconditional, help: "Planted student accuracy.") var accuracy: Double
    @Option(parsing: .unconditional, help: "Student temperature tau.") var temperature: Double = 1
    @Option(parsing: .unconditional, help: "Replicas.") var replicas: Int = 1
    @Option(parsing: .unconditional, help: "Seed.") var seed: UInt64
    @Option(parsing: .unconditional, help: "Planted teacher accuracy (with --agreement).") var teacherAccuracy: Double?
    @Option(parsing: .unconditional, help: "Share of rows where student and teacher top classes agree.") var agreement: Double?
    @Option(parsing: .unconditional, help: "Teacher temperature (default: --temperature).") var teacherTemperature: Double?
    @Option(parsing: .unconditional, help: "Planted class structure: this many groups of --spike-size classes (docs/theory.md §2.6).") var spikes: Int = 0
    @Option(parsing: .unconditional, help: "Classes per planted group.") var spikeSize: Int = 5
    @Option(parsing: .unconditional, help: "Logit shift of a group's classes when the label is in the group.") var spikeStrength: Double = 1
    @Option(help: ArgumentHelp("Output folder.", valueName: "dir")) var out: String = "simulate-out"
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard classes >= 3, samples >= 1, replicas >= 1 else { throw ValidationError("--classes >= 3, --samples and --replicas >= 1.") }
        try validatePositive(temperature, "--temperature")
        if let teacherTemperature { try validatePositive(teacherTemperature, "--teacher-temperature") }
        if (teacherAccuracy == nil) != (agreement == nil) { throw ValidationError("--teacher-accuracy and --agreement go together.") }
        if spikes < 0 || spikeSize < 2 || spikes * spikeSize > classes {
            throw ValidationError("--spikes x --spike-size must fit in --classes, with --spike-size >= 2 and --spikes >= 0.")
        }
        if !spikeStrength.isFinite { throw ValidationError("--spike-strength must be a finite number.") }
    }

    func run() throws {
        var planted: PlantedClassifier
        do {
            planted = try PlantedClassifier(classes: classes, accuracy: accuracy, temperature: temperature, teacherAccuracy: teacherAccuracy,
                                            agreement: agreement, teacherTemperature: teacherTemperature)
        } catch {
            throw ValidationError("\(error)")
        }
        if spikes > 0 { planted.spikes = (spikes, spikeSize, spikeStrength) }
        let result = try SimulateJob(classes: classes, samples: samples, planted: planted, replicas: replicas, seed: seed,
                                     outputFolder: out).run()
        if output.json { print(result.summary.json().rendered()); return }
        print("\(replicas) replicas of N = \(samples), C = \(classes): mean accuracy \(result.summary.accuracy), \(result.pooledBulk.count) pooled bulk eigenvalues")
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
