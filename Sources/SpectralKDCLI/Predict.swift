import ArgumentParser
import Distillation
import Foundation
import Pipelines

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict a distilled student's accuracy before training it.",
        discussion: """
        acc_d = acc_b + w_s (chi - 1)(acc_b - 1/C), the dual formula at the
        paper's gamma -> 0 limit (g = 1; docs/distillation.md), with soft weight
        w_s = alpha/(T + alpha). chi is fitted in closed form on pilot runs
        (--pilots, the default when given), or zero-shot: teacher-margin
        (e_t/e_b, equal to dual interpolation; its measured error is printed),
        argmax-agreement (diagnostic, from logs), or a number.

        Recommended: run one soft-heavy pilot (alpha_H <= 0.1), then predict the
        grid from it. Writes DIR/predictions.csv (one row per configuration:
        prediction, 95% interval, soft weight, baselines, flag) and
        DIR/prediction.json (chi and its standard error, pilots, the recommended
        configuration). An interval needs 2+ pilots or seed-level pilot rows;
        with one pilot and no seeds it is stated as unavailable.

        Configurations: --grid "T=1,2,4,8 alpha_h=0,0.1,0.5,0.9" (also alpha=
        or ce_weight=/kl_weight=), or one by --temperature with --alpha,
        --alpha-hinton or --ce-weight/--kl-weight; default with --pilots: every
        configuration in the file.

        Examples:
          spectralkd predict --pilots data/runs/sweep.csv \\
            --pilot-filter "T=4 alpha_h=0.1" \\
            --grid "T=1,2,4,8 alpha_h=0,0.1,0.5,0.9" --out predict-grid
          spectralkd predict --classes 100 --baseline-accuracy 0.725 \\
            --teacher-accuracy 0.794 --temperature 4 --ce-weight 0.1 \\
            --kl-weight 0.9 --kl-times-t2 --json
        """
    )

    @Option(help: ArgumentHelp("Runs CSV whose distilled rows are the pilots (sweep or published layout).", valueName: "file")) var pilots: String?
    @Option(help: ArgumentHelp("Only these configurations of --pilots are pilots (grid syntax).", valueName: "grid")) var pilotFilter: String?
    @Option(help: ArgumentHelp("Configurations to predict, e.g. \"T=1,2,4,8 alpha_h=0,0.1,0.5,0.9\".", valueName: "grid")) var grid: String?
    @Option(parsing: .unconditional, help: "Number of classes C (read from --pilots when given).") var classes: Int?
    @Option(parsing: .unconditional, help: "Baseline (hard-label) student accuracy, a fraction.") var baselineAccuracy: Double?
    @Option(parsing: .unconditional, help: "Teacher accuracy, a fraction.") var teacherAccuracy: Double?
    @Option(parsing: .unconditional, help: "Distillation temperature T (one configuration).") var temperature: Double?
    @Option(parsing: .unconditional, help: "The loss weight alpha (`inf` for soft labels only).") var alpha: AlphaArgument?
    @Option(parsing: .unconditional, help: "Hinton's alpha_H, the weight of the hard-label cross-entropy, in [0, 1].") var alphaHinton: Double?
    @Option(parsing: .unconditional, help: "Cross-entropy weight of a training script.") var ceWeight: Double?
    @Option(parsing: .unconditional, help: "KL weight of a training script.") var klWeight: Double?
    @Flag(help: "The script multiplies the KL term by T^2.") var klTimesT2 = false
    @Option(help: "dual (default) or printed.") var form: FormulaForm = .dual
    @Option(parsing: .unconditional, help: "g as a number (default 1, the limit).") var g: Double?
    @Option(help: "limit (default), soft-trace (diagnostic, with --gamma and logs), per-temperature (old fit), or a number.")
    var gEstimator: GEstimatorArgument = .limit
    @Option(parsing: .unconditional, help: "gamma for --g-estimator soft-trace, in (0, 1].") var gamma: Double = 0.01
    @Option(parsing: .unconditional, help: "chi as a number.") var chi: Double?
    @Option(help: "pilots (default with --pilots), teacher-margin (default without), argmax-agreement, or a number.")
    var chiEstimator: ChiEstimatorArgument?
    @Option(help: "Pilot model: soft-weight (default), chi-log-t, hard-label-bonus, temperature-power.") var model: PilotModel.Kind = .softWeight
    @OptionGroup var logs: LogOptions
    @Option(help: ArgumentHelp("Folder for predictions.csv and prediction.json.", valueName: "dir")) var out: String = "predict-out"
    @OptionGroup var output: JSONOption

    func validate() throws {
        if let temperature { try validatePositive(temperature, "--temperature") }
        if let classes, classes < 2 { throw ValidationError("--classes must be at least 2, got \(classes).") }
        for (name, v) in [("--baseline-accuracy", baselineAccuracy), ("--teacher-accuracy", teacherAccuracy)] {
            if let v, !(v >= 0 && v <= 1) { throw ValidationError("\(name) must be a fraction in [0, 1], got \(v).") }
        }
        let ways = [alpha != nil, alphaHinton != nil, ceWeight != nil || klWeight != nil].filter { $0 }.count
        if ways > 1 { throw ValidationError("Give alpha at most one way: --alpha, --alpha-hinton, or --ce-weight with --kl-weight.") }
        if ways == 1 && temperature == nil { throw ValidationError("--alpha, --alpha-hinton and --ce-weight/--kl-weight need --temperature.") }
        if temperature != nil && ways == 0 { throw ValidationError("--temperature needs the weights: --alpha, --alpha-hinton, or --ce-weight with --kl-weight.") }
        if temperature != nil && grid != nil { throw ValidationError("Give one configuration (--temperature ...) or --grid, not both.") }
        if temperature == nil && grid == nil && pilots == nil { throw ValidationError("Give a configuration: --temperature with its weights, --grid, or --pilots.") }
        if let alphaHinton, !(alphaHinton >= 0 && alphaHinton <= 1) { throw ValidationError("--alpha-hinton must lie in [0, 1], got \(alphaHinton).") }
        if (ceWeight == nil) != (klWeight == nil) { throw ValidationError("--ce-weight and --kl-weight go together.") }
        if let ceWeight, let klWeight, !(ceWeight >= 0 && klWeight >= 0 && ceWeight + klWeight > 0) {
            throw ValidationError("--ce-weight and --kl-weight must be non-negative and not both 0.")
        }
        if !(gamma > 0 && gamma <= 1) { throw ValidationError("--gamma must lie in (0, 1], got \(gamma).") }
        if g != nil && gEstimator != .limit { throw ValidationError("Give --g or --g-estimator, not both.") }
        if chi != nil && chiEstimator != nil { throw ValidationError("Give --chi or --chi-estimator, not both.") }
        if pilots == nil && (classes == nil || baselineAccuracy == nil || teacherAccuracy == nil) {
            throw ValidationError("Without --pilots give --classes, --baseline-accuracy and --teacher-accuracy.")
        }
        if pilotFilter != nil && pilots == nil { throw ValidationError("--pilot-filter selects among --pilots.") }
    }

    var points: [GridPoint] {
        get throws {
            if let grid { return try ConfigurationGrid.parse(grid) }
            guard let temperature else { return [] }
            if let alpha { return [GridPoint(setting: DistillationSetting(temperature: temperature, alpha: alpha.value))] }
            if let alphaHinton { return [GridPoint(setting: DistillationSetting(temperature: temperature, hintonAlpha: alphaHinton), alphaH: alphaHinton)] }
            if let ceWeight, let klWeight {
                return [GridPoint(setting: DistillationSetting(temperature: temperature, ceWeight: ceWeight, klWeight: klWeight, klTimesTSquared: klTimesT2))]
            }
            return []
        }
    }

    func run() throws {
        let gChoice: PredictJob.GChoice = g.map { $0 == 1 ? .limit : .given($0) } ?? gEstimator.choice(gamma: gamma)
        let chiChoice: PredictJob.ChiChoice? = chi.map { .given($0) } ?? chiEstimator?.choice
        let job = PredictJob(classes: classes, baselineAccuracy: baselineAccuracy, teacherAccuracy: teacherAccuracy, pilots: pilots,
                             pilotFilter: try pilotFilter.map { try ConfigurationGrid.parse($0) }, points: try points, form: form,
                             g: gChoice, chi: chiChoice, model: model, logs: logs.estimates, outputFolder: out)
        let result = try job.run()
        printWarnings(result.warnings)
        if output.json { print(result.summary.json().rendered()); return }
        let s = result.summary
        let chiText = String(format: "chi = %.4f", s.chi) + (s.chiSe.map { String(format: " (SE %.4f)", $0) } ?? "")
        print("\(chiText) by \(s.chiEstimator); g: \(s.gEstimator); \(s.pilotCount) pilot(s); interval: \(s.intervalSource)")
        print("   T  alpha_H     alpha  w_s   predicted  95% interval      observed  flag")
        for r in result.rows.prefix(60) {
            let interval = r.lower.map { String(format: "[%.4f, %.4f]", $0, r.upper!) } ?? "unavailable     "
            let observed = r.observed.map { String(format: "%.4f%@", $0, r.isPilot ? "*" : " ") } ?? "   -   "
            let alpha = r.point.setting.alpha.isFinite ? String(format: "%9.4g", r.point.setting.alpha) : "      inf"
            print(String(format: "%4g  %7@ %@  %.3f   %.4f  %@  %@  %@", r.point.setting.temperature, r.point.alphaH.map { String(format: "%.3g", $0) } ?? "-",
                         alpha, r.point.setting.softWeight, r.predicted, interval, observed, PredictionGuard.cell(r.flags)))
        }
        if result.rows.count > 60 { print("... \(result.rows.count - 60) more rows in \(out)/predictions.csv") }
        if result.rows.contains(where: \.isPilot) { print("(* pilot: fitted on)") }
        let best = result.best
        print(String(format: "recommended: T = %g, alpha_H = %@ (soft weight %.3f), predicted %.4f", best.point.setting.temperature,
                     best.point.alphaH.map { String(format: "%g", $0) } ?? "-", best.point.setting.softWeight, best.predicted)
              + beatsText(s.recommended.beatsNoChange)
              + (s.recommended.tiedWith > 0 ? "; tied with \(s.recommended.tiedWith) other configuration(s)" : ""))
        if let held = s.heldOut {
            print(String(format: "held-out configurations in the file: MAE %.2f points (no change %.2f, dual interpolation %.2f)",
                         held.formulaMaePoints, held.noChangeMaePoints, held.dualInterpolationMaePoints))
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }

    func beatsText(_ beats: Bool?) -> String {
        switch beats {
        case true?: "; beats no change beyond its interval"
        case false?: "; NOT distinguishable from no change within its interval"
        case nil: "; no interval to compare with no change"
        }
    }
}
