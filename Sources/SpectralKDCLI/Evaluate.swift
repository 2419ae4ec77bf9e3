import ArgumentParser
import Distillation
import Foundation
import Pipelines

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate the distilled-accuracy formula against observed runs, beside naive baselines.",
        discussion: """
        Reads runs in the layout of data/runs/sweep.csv (seeds averaged per
        configuration) or of data/runs/published_kd.csv, predicts each configuration
        with the formula and with the baselines of THEORY §5.3 (no change, teacher,
        dual-weight interpolation, teacher-gap fraction with leave-one-out k) and the
        calibrated estimator (leave-one-out), and writes DIR/predictions.csv
        (predictions and residuals per configuration) and DIR/metrics.json (MAE, RMSE,
        bias in accuracy points per predictor; share of configurations where the
        formula beats each baseline). With logged outputs g and chi come from the logs
        (trace, agreement); without, the formula uses the calibrated estimator with
        leave-one-out.

        Examples:
          spectralkd evaluate --runs data/runs/sweep.csv \\
            --student-logits data/example/student_logits.npy \\
            --teacher-logits data/example/teacher_logits.npy \\
            --labels data/example/labels.npy
          spectralkd evaluate --runs data/runs/published_kd.csv \\
            --out eval-published --json
        """
    )

    @Option(help: ArgumentHelp("Runs CSV (sweep or published layout).", valueName: "file")) var runs: String
    @Option(help: "dual (default) or printed.") var form: String = "dual"
    @Option(help: "trace, support, calibrated, or a number (default: trace with logs, else calibrated).") var gEstimator: String?
    @Option(help: "agreement, soft-only, calibrated, or a number (default: agreement with logs, else calibrated).") var chiEstimator: String?
    @Option(help: ArgumentHelp("A baseline student's logits.", valueName: "file")) var studentLogits: String?
    @Option(help: ArgumentHelp("The teacher's logits.", valueName: "file")) var teacherLogits: String?
    @Option(help: ArgumentHelp("Labels for the logits.", valueName: "file")) var labels: String?
    @Option(help: ArgumentHelp("Folder for predictions.csv and metrics.json.", valueName: "dir")) var out: String = "evaluate-out"
    @OptionGroup var output: JSONOption

    var gChoice: EvaluateJob.GChoice? {
        switch gEstimator {
        case nil: return nil
        case "trace": return .trace
        case "support": return .support
        case "calibrated": return .calibrated
        case let v?: return Double(v).map { .given($0) }
        }
    }

    var chiChoice: EvaluateJob.ChiChoice? {
        switch chiEstimator {
        case nil: return nil
        case "agreement": return .agreement
        case "soft-only": return .softOnly
        case "calibrated": return .calibrated
        case let v?: return Double(v).map { .given($0) }
        }
    }

    func validate() throws {
        if FormulaForm(rawValue: form) == nil { throw ValidationError("--form must be dual or printed.") }
        if gEstimator != nil && gChoice == nil { throw ValidationError("--g-estimator must be trace, support, calibrated or a number.") }
        if chiEstimator != nil && chiChoice == nil { throw ValidationError("--chi-estimator must be agreement, soft-only, calibrated or a number.") }
        let logs = [studentLogits, teacherLogits, labels].compactMap { $0 }.count
        if logs != 0 && logs != 3 { throw ValidationError("Give --student-logits, --teacher-logits and --labels together.") }
    }

    func run() throws {
        let logs = studentLogits.map { LogEstimates(studentLogits: $0, teacherLogits: teacherLogits, labels: labels!) }
        let result = try EvaluateJob(runs: runs, form: FormulaForm(rawValue: form)!, g: gChoice, chi: chiChoice, logs: logs,
                                     outputFolder: out).run()
        if output.json { print(result.metrics.rendered()); return }
        let m = result.metrics
        print("\(runs): \(result.configurations.count) configurations; g: \(m["g_estimator"].flatMap { if case let .string(s) = $0 { s } else { nil } } ?? "-"), chi: \(m["chi_estimator"].flatMap { if case let .string(s) = $0 { s } else { nil } } ?? "-")")
        print("predictor               MAE    RMSE    bias  (accuracy points)   formula better")
        for key in ["formula", "no_change", "teacher", "dual_interpolation", "teacher_gap_fraction", "calibrated"] {
            guard case let .object(pairs)? = m[key] else { continue }
            func v(_ k: String) -> Double { if case let .double(d)? = pairs.first(where: { $0.0 == k })?.1 { d } else { .nan } }
            var better = ""
            if key != "formula", case let .double(share)? = m["formula_beats"]?[key] { better = String(format: "%.0f%%", 100 * share) }
            print(key.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%6.2f %7.2f %7.2f", v("mae"), v("rmse"), v("bias"))
                  + String(repeating: " ", count: 23) + better)
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
