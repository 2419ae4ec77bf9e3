import ArgumentParser
import Distillation
import Foundation
import Pipelines

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the distilled-accuracy formula on runs it was not fitted on, beside naive baselines.",
        discussion: """
        Reads runs in the layout of data/runs/sweep.csv (seeds averaged per
        configuration) or of data/runs/published_kd.csv (column names matched
        case- and -/_-insensitively; rows missing a value skipped and counted).
        Every fitted predictor is fitted on pilots and scored on the rest:
        leave-one-out always, and with --reduction K every K-subset of the
        configurations as pilots (or --subsets S random ones, --seed N), with
        mean, median and worst held-out MAE for the formula and each baseline
        (no change, teacher, dual interpolation, teacher-gap fraction fitted on
        the same pilots) and the richer pilot models. --group-by calibrates
        within groups of a published table and reports them pooled and per group.

        Writes DIR/predictions.csv (leave-one-out predictions, residuals, flag),
        DIR/metrics.json (MAE, RMSE, bias in accuracy points; noise floor when
        seeds are present), and with --reduction DIR/reduction.csv (one row per
        pilot set).

        Examples:
          spectralkd evaluate --runs data/runs/sweep.csv --reduction 1
          spectralkd evaluate --runs data/runs/sweep_deep.csv --reduction 4 \\
            --subsets 500 --seed 7 --json
          spectralkd evaluate --runs data/runs/published_kd.csv \\
            --group-by source --out eval-published
        """
    )

    @Option(help: ArgumentHelp("Runs CSV (sweep or published layout).", valueName: "file")) var runs: String
    @Option(help: "dual (default) or printed.") var form: FormulaForm = .dual
    @Option(help: "limit (default), soft-trace (diagnostic, with --gamma and logs), per-temperature (old fit), or a number.")
    var gEstimator: GEstimatorArgument = .limit
    @Option(parsing: .unconditional, help: "gamma for --g-estimator soft-trace, in (0, 1].") var gamma: Double = 0.01
    @Option(help: "pilots (default), teacher-margin, argmax-agreement, or a number.") var chiEstimator: ChiEstimatorArgument = .pilots
    @Option(help: "Pilot model of the formula: soft-weight (default), chi-log-t, hard-label-bonus, temperature-power.")
    var model: PilotModel.Kind = .softWeight
    @Option(parsing: .unconditional, help: ArgumentHelp("k-pilot reduction: K pilots per set.", valueName: "K")) var reduction: Int?
    @Option(parsing: .unconditional, help: ArgumentHelp("Random pilot sets instead of all K-subsets.", valueName: "S")) var subsets: Int?
    @Option(parsing: .unconditional, help: "Seed for --subsets.") var seed: UInt64 = 1
    @Option(help: "Calibrate within groups: source, dataset or pair.") var groupBy: EvaluateJob.GroupBy?
    @OptionGroup var logs: LogOptions
    @Option(help: ArgumentHelp("Folder for predictions.csv, metrics.json (and reduction.csv).", valueName: "dir")) var out: String = "evaluate-out"
    @OptionGroup var output: JSONOption

    func validate() throws {
        if let reduction, reduction < 1 { throw ValidationError("--reduction must be at least 1, got \(reduction).") }
        if let subsets, subsets < 1 || subsets > 1_000_000 { throw ValidationError("--subsets must lie in 1...1000000, got \(subsets).") }
        if subsets != nil && reduction == nil { throw ValidationError("--subsets samples the pilot sets of --reduction K.") }
        if !(gamma > 0 && gamma <= 1) { throw ValidationError("--gamma must lie in (0, 1], got \(gamma).") }
    }

    func run() throws {
        let result = try EvaluateJob(runs: runs, form: form, g: gEstimator.choice(gamma: gamma), chi: chiEstimator.choice, model: model,
                                     logs: logs.estimates, reduction: reduction, subsets: subsets, seed: seed, groupBy: groupBy,
                                     outputFolder: out).run()
        printWarnings(result.warnings)
        if output.json { print(result.metrics.json().rendered()); return }
        let m = result.metrics
        print("\(runs): \(result.configurations.count) configurations; g: \(m.gEstimator), chi: \(m.chiEstimator), model: \(m.model)")
        if let floor = m.noiseFloorPoints { print(String(format: "noise floor (mean standard error of the observed means): %.2f points", floor)) }
        print("leave-one-out          MAE    RMSE    bias  (accuracy points)   formula better")
        for key in ["formula", "no_change", "teacher", "dual_interpolation", "teacher_gap_fraction", "per_temperature"] {
            guard let metrics = m.metrics(key) else { continue }
            var better = ""
            if key != "formula", let share = m.formulaWins(against: key) { better = String(format: "%.0f%%", 100 * share) }
            print(key.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: "%6.2f %7.2f %7.2f", metrics.mae, metrics.rmse, metrics.bias)
                  + String(repeating: " ", count: 23) + better)
        }
        for (group, r) in result.reductions where result.reductions.count > 1 { printReduction("group \(group)", r.summaries, sets: r.sets.count) }
        if !result.reductions.isEmpty {
            let pooled = PilotReduction.pooled(result.reductions.map(\.reduction))
            printReduction(result.reductions.count > 1 ? "pooled" : "", pooled, sets: result.reductions.map(\.reduction.sets.count).reduce(0, +))
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }

    func printReduction(_ title: String, _ summaries: [PilotReduction.Summary], sets: Int) {
        print("\(reduction!)-pilot reduction \(title) (\(sets) pilot sets)    mean  median   worst  formula better (its mean on those sets)")
        for s in summaries {
            guard s.pilotSets > 0 else { print(s.name.padding(toLength: 30, withPad: " ", startingAt: 0) + "  n/a: cannot be fitted on \(reduction!) pilot(s)"); continue }
            print(s.name.padding(toLength: 30, withPad: " ", startingAt: 0)
                  + String(format: "%7.2f %7.2f %7.2f", s.meanMAE, s.medianMAE, s.worstMAE)
                  + (s.formulaBetterShare.map { String(format: "   %5.0f%%", 100 * $0) } ?? "")
                  + (s.pilotSets < sets ? String(format: " (%.2f; fitted on %d sets)", s.formulaMeanMAEOnSameSets ?? .nan, s.pilotSets) : ""))
        }
    }
}
