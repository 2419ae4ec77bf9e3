import ArgumentParser
import Distillation
import Foundation
import Pipelines

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict a distilled student's accuracy before training it (THEORY §5.3).",
        discussion: """
        acc_d = 1/C + R (acc_b - 1/C), where in the dual form (the default)
          R = (T + alpha g)(T + alpha chi) / (T + alpha)^2
        (R = 1 at alpha = 0 and g chi as alpha -> inf), and with --form printed
          R = T (1 + alpha g)(1 + alpha chi) / (T + alpha)^2.

        alpha: --alpha; or Hinton's --alpha-hinton alpha_H, with
          alpha = (1 - alpha_H) T^2 / alpha_H;
        or a training script's --ce-weight and --kl-weight [--kl-times-t2].
        g: --g; or from a baseline student's --student-logits and --labels
          (trace: Tr H(P_T, Y) / Tr H(P_1, Y); --g-estimator support: the ratio
          of fitted GMP means).
        chi: --chi; or from --teacher-logits
          (agreement: Tr H(P_1, Phat_T) / Tr H(P_1, Y)).
        Writes DIR/prediction.json.

        Examples:
          spectralkd predict --classes 100 --baseline-accuracy 0.29 \\
            --teacher-accuracy 0.34 --temperature 4 --alpha-hinton 0.1 \\
            --student-logits data/example/student_logits.npy \\
            --teacher-logits data/example/teacher_logits.npy \\
            --labels data/example/labels.npy
          spectralkd predict --classes 100 --baseline-accuracy 0.725 \\
            --teacher-accuracy 0.794 --temperature 4 --ce-weight 0.1 \\
            --kl-weight 0.9 --kl-times-t2 --g 0.9 --chi 1.1 --json
        """
    )

    @Option(help: "Number of classes C.") var classes: Int
    @Option(help: "Baseline (hard-label) student accuracy, a fraction.") var baselineAccuracy: Double
    @Option(help: "Teacher accuracy, a fraction.") var teacherAccuracy: Double
    @Option(help: "Distillation temperature T.") var temperature: Double
    @Option(help: "The loss weight alpha of THEORY §5.1 (`inf` for soft labels only).") var alpha: String?
    @Option(help: "Hinton's alpha_H, the weight of the hard-label cross-entropy, in [0, 1].") var alphaHinton: Double?
    @Option(help: "Cross-entropy weight of a training script.") var ceWeight: Double?
    @Option(help: "KL weight of a training script.") var klWeight: Double?
    @Flag(help: "The script multiplies the KL term by T^2.") var klTimesT2 = false
    @Option(help: "dual (default) or printed.") var form: String = "dual"
    @Option(help: "g as a number.") var g: Double?
    @Option(help: "trace (default) or support, with --student-logits.") var gEstimator: String = "trace"
    @Option(help: ArgumentHelp("A baseline student's logits (for g).", valueName: "file")) var studentLogits: String?
    @Option(help: ArgumentHelp("The teacher's logits (for chi).", valueName: "file")) var teacherLogits: String?
    @Option(help: ArgumentHelp("Labels for the logits.", valueName: "file")) var labels: String?
    @Option(help: "chi as a number.") var chi: Double?
    @Option(help: ArgumentHelp("Folder for prediction.json.", valueName: "dir")) var out: String = "predict-out"
    @OptionGroup var output: JSONOption

    var setting: DistillationSetting? {
        if let alpha { return DistillationSetting(temperature: temperature, alpha: alpha == "inf" ? .infinity : Double(alpha)!) }
        if let alphaHinton { return DistillationSetting(temperature: temperature, hintonAlpha: alphaHinton) }
        if let ceWeight, let klWeight {
            return DistillationSetting(temperature: temperature, ceWeight: ceWeight, klWeight: klWeight, klTimesTSquared: klTimesT2)
        }
        return nil
    }

    func validate() throws {
        try validatePositive(temperature, "--temperature")
        if classes < 2 { throw ValidationError("--classes must be at least 2.") }
        for (name, v) in [("--baseline-accuracy", baselineAccuracy), ("--teacher-accuracy", teacherAccuracy)] where !(v >= 0 && v <= 1) {
            throw ValidationError("\(name) must be a fraction in [0, 1], got \(v).")
        }
        let ways = [alpha != nil, alphaHinton != nil, ceWeight != nil || klWeight != nil].filter { $0 }.count
        if ways != 1 { throw ValidationError("Give alpha exactly one way: --alpha, --alpha-hinton, or --ce-weight with --kl-weight.") }
        if let alpha, alpha != "inf", !(Double(alpha).map { $0 >= 0 && $0.isFinite } ?? false) {
            throw ValidationError("--alpha must be a non-negative number or inf.")
        }
        if let alphaHinton, !(alphaHinton >= 0 && alphaHinton <= 1) { throw ValidationError("--alpha-hinton must lie in [0, 1].") }
        if (ceWeight == nil) != (klWeight == nil) { throw ValidationError("--ce-weight and --kl-weight go together.") }
        if let ceWeight, let klWeight, !(ceWeight >= 0 && klWeight >= 0 && ceWeight + klWeight > 0) {
            throw ValidationError("--ce-weight and --kl-weight must be non-negative and not both 0.")
        }
        if FormulaForm(rawValue: form) == nil { throw ValidationError("--form must be dual or printed.") }
        if LogEstimates.GMethod(rawValue: gEstimator) == nil { throw ValidationError("--g-estimator must be trace or support.") }
        if g == nil && (studentLogits == nil || labels == nil) {
            throw ValidationError("Give --g, or --student-logits and --labels to estimate it.")
        }
        if chi == nil && (teacherLogits == nil || studentLogits == nil || labels == nil) {
            throw ValidationError("Give --chi, or --teacher-logits with --student-logits and --labels to estimate it.")
        }
    }

    func run() throws {
        let logs = studentLogits.map { LogEstimates(studentLogits: $0, teacherLogits: teacherLogits, labels: labels!) }
        let job = PredictJob(classes: classes, baselineAccuracy: baselineAccuracy, teacherAccuracy: teacherAccuracy,
                             setting: setting!, form: FormulaForm(rawValue: form)!,
                             g: g.map { .given($0) } ?? .logs(logs!, LogEstimates.GMethod(rawValue: gEstimator)!),
                             chi: chi.map { .given($0) } ?? .agreement(logs!), outputFolder: out)
        let (p, summary) = try job.run()
        if output.json { print(summary.rendered()); return }
        print(String(format: "predicted distilled accuracy %.4f (baseline %.4f, teacher %.4f)", p.predictedAccuracy, baselineAccuracy, teacherAccuracy))
        print(String(format: "R = %.4f (%@ form), g = %.4f (%@), chi = %.4f (%@)", p.ratio, p.form.rawValue, p.g, p.gEstimator, p.chi, p.chiEstimator))
        print(String(format: "alpha = %@, dual weights: hard %.4f, soft %.4f", p.setting.alpha.isFinite ? String(format: "%.6g", p.setting.alpha) : "inf",
                     p.setting.hardWeight, p.setting.softWeight))
        print("wrote \(out)/prediction.json")
    }
}
