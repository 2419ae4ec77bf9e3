import ArrayIO
import DensityEstimation
import Distillation
import Fitting
import Foundation

/// `spectralkd demo`: the main job on the committed data. From `data/example` (a baseline
/// student's and the teacher's test-set logits, labels) and `data/runs` (the sweep and the
/// published table) it runs spectrum, fit, kde, predict, evaluate, export, plot and report,
/// all under one output folder, and returns a summary a person can read in ten lines.
public struct DemoJob: Sendable {
    public var data: String
    public var outputFolder: String
    /// Parametric bootstrap replicates for the fit's p-value.
    public var bootstrap: Int
    /// The single pilot `predict` calibrates on (a soft-heavy configuration of the sweep, as the
    /// recommended workflow says); the other 15 configurations are predicted and compared.
    public var temperature: Double
    public var alphaHinton: Double

    public init(data: String = "data", outputFolder: String = "out/demo", bootstrap: Int = 199, temperature: Double = 4,
                alphaHinton: Double = 0.1) {
        self.data = data; self.outputFolder = outputFolder; self.bootstrap = bootstrap
        self.temperature = temperature; self.alphaHinton = alphaHinton
    }

    public struct Result: Sendable {
        public let summary: JSONValue
        public let lines: [String]
        public let report: String
    }

    static func matches(_ c: ObservedConfiguration, _ temperature: Double, _ alphaHinton: Double) -> Bool {
        c.setting.temperature == temperature && c.alphaH.map { abs($0 - alphaHinton) < 1e-12 } == true
    }

    func path(_ parts: String...) -> String { ([outputFolder] + parts).joined(separator: "/") }

    public func run(progress: Bool = true) throws -> Result {
        let labels = "\(data)/example/labels.npy", student = "\(data)/example/student_logits.npy"
        let teacher = "\(data)/example/teacher_logits.npy"
        let sweep = "\(data)/runs/sweep.csv", published = "\(data)/runs/published_kd.csv"
        let companionFiles = ["linear_X.npy", "linear_w.npy", "wide_gram.npy", "wide_targets.npy"].map { "\(data)/example_companions/\($0)" }
        for needed in [labels, student, teacher, sweep, published] + companionFiles where !FileManager.default.fileExists(atPath: needed) {
            throw PipelineError(file: needed, problem: "is missing", fix: "run from the repository root or pass --data pointing at SpectralKD's data/ folder")
        }
        var lines: [String] = []
        // 1. Spectra of H and Hhat.
        let spectrum = try SpectrumJob(labels: labels, student: LoggedOutputs(path: student, kind: .logits),
                                       teacher: LoggedOutputs(path: teacher, kind: .logits), outputFolder: path("spectrum")).run(progress: progress)
        let cov = spectrum.covariance
        lines.append(String(format: "spectrum   N = %d, C = %d: accuracy %.4f, teacher %.4f, agreement %.3f; identity residual %.1e ",
                            cov.samples, cov.classes, cov.accuracy, cov.teacherAccuracy ?? .nan, cov.agreement ?? .nan, cov.identityResidual)
                     + (cov.identityHolds ? "(holds)" : "(FAILS)"))
        // 2. GMP fit with a bootstrap p-value.
        let fit = try FitJob(input: .spectrum(path("spectrum")), bootstrap: bootstrap, seed: 1, outputFolder: path("fit")).run()
        let r = fit.report
        let lawText = r.law.map { String(format: "s2 = %.4g, c = %.3f", $0.scale, $0.correlation) } ?? "no law"
        lines.append("fit        \(lawText); KS \(shortNumber(r.ks ?? .nan)), bootstrap p \(shortNumber(r.pValue ?? .nan)): \(r.adequate ? "adequate" : "NOT adequate")")
        // 3. KDE of the bulk.
        let kde = try KDEJob(input: path("spectrum"), bandwidth: .isj, output: path("kde.csv")).run()
        lines.append("kde        ISJ bandwidth \(shortNumber(kde.estimate.bandwidth)) on \(Int(kde.estimate.n)) eigenvalues")
        // 4. The recommended workflow: one soft-heavy pilot, then the whole (T, alpha_H) grid.
        let pilotFilter = [GridPoint(setting: DistillationSetting(temperature: temperature, hintonAlpha: alphaHinton), alphaH: alphaHinton)]
        let prediction = try PredictJob(pilots: sweep, pilotFilter: pilotFilter, points: [], outputFolder: path("predict")).run()
        let held = prediction.summary.heldOut
        let best = prediction.best
        lines.append(String(format: "predict    1 pilot (T = %g, alpha_H = %g): chi = %.3f; held-out MAE %@ points (no change %@); best predicted T = %g, alpha_H = %g: %.4f%@",
                            temperature, alphaHinton, best.chi, fixed(held?.formulaMaePoints), fixed(held?.noChangeMaePoints),
                            best.point.setting.temperature, best.point.alphaH ?? .nan, best.predicted,
                            best.observed.map { String(format: " (observed %.4f)", $0) } ?? ""))
        // 5. Evaluation against observed runs: both sweeps by 1-pilot reduction, the published table.
        let sweepDeep = "\(data)/runs/sweep_deep.csv"
        var evaluations: [(String, EvaluateJob)] = [("evaluate-sweep", EvaluateJob(runs: sweep, reduction: 1, outputFolder: path("evaluate-sweep")))]
        if FileManager.default.fileExists(atPath: sweepDeep) {
            evaluations.append(("evaluate-sweep-deep", EvaluateJob(runs: sweepDeep, reduction: 1, outputFolder: path("evaluate-sweep-deep"))))
        }
        evaluations.append(("evaluate-published", EvaluateJob(runs: published, groupBy: .source, outputFolder: path("evaluate-published"))))
        var metrics: [(String, JSONValue)] = []
        for (name, job) in evaluations {
            let result = try job.run()
            metrics.append((name, result.metrics.json()))
            let m = result.metrics
            func mae(_ k: String) -> String { fixed(m.metrics(k)?.mae) }
            var line = "\(name.padding(toLength: 20, withPad: " ", startingAt: 0)) leave-one-out MAE (points): formula \(mae("formula")), no change \(mae("no_change")), dual \(mae("dual_interpolation")), teacher-gap \(mae("teacher_gap_fraction"))"
            if let pooled = m.reduction?.pooled {
                func mean(_ n: String) -> String { fixed(pooled.first { $0.name == n }?.meanMae) }
                line += "; 1 pilot: formula \(mean("formula")), teacher-gap \(mean("teacher_gap_fraction"))"
            }
            lines.append(line)
        }
        // 5b. The teacher as a source of soft labels.
        let teacherQuality = try TeacherJob(labels: labels, teacher: LoggedOutputs(path: teacher, kind: .logits),
                                            student: LoggedOutputs(path: student, kind: .logits), outputFolder: path("teacher")).run()
        lines.append(String(format: "teacher    ECE %.4f, log loss %.3f; student risk variance %.2f -> %.2f with teacher targets (%.0f%% lower)",
                            teacherQuality.report.ece, teacherQuality.report.logLoss, teacherQuality.risk!.hardVariance,
                            teacherQuality.risk!.softVariance, 100 * teacherQuality.risk!.varianceReduction))
        // 5c. The companion theories on the committed examples (experiments/companion_examples.py).
        let companions = "\(data)/example_companions"
        let linear = try LinearJob(dimension: nil, samples: 25, data: "\(companions)/linear_X.npy", teacherWeights: "\(companions)/linear_w.npy",
                                   seed: 1, outputFolder: path("linear")).run()
        let below = linear.curve.points.last { $0.samples < linear.curve.dimension }!
        lines.append(String(format: "linear     d = %d data: exact transfer risk %.4f at n = %d (bound %.3f), %.4f at n = %d; %d monotonicity violations",
                            linear.curve.dimension, below.risk, below.samples, below.bound, linear.final.risk, linear.final.samples,
                            linear.curve.monotonicityViolations))
        let wide = try WideJob(rho: 1, temperature: 1, gram: "\(companions)/wide_gram.npy", targetsFile: "\(companions)/wide_targets.npy",
                               maxSamples: 300, seed: 1, outputFolder: path("wide")).run()
        let last = wide.curves[0].inefficiency.points.last!
        lines.append(String(format: "wide       ReLU NTK Gram (P = 500), smooth teacher logits: data inefficiency I(%d) %.3f ± %.3f",
                            last.samples, last.value, last.standardError))
        // 6. Exports, pictures, report.
        _ = try ExportJob(spectrum: path("spectrum"), fit: path("fit"), evaluations: evaluations.map { path($0.0) },
                          outputFolder: path("export")).run()
        _ = try PlotJob(source: .spectrum(folder: path("spectrum"), fit: path("fit"), teacher: false), output: path("spectrum.svg")).run()
        _ = try PlotJob(source: .spectrum(folder: path("spectrum"), fit: nil, teacher: true), output: path("teacher_spectrum.svg")).run()
        for (name, _) in evaluations { _ = try PlotJob(source: .evaluation(path(name)), output: path("\(name).svg")).run() }
        _ = try PlotJob(source: .prediction(path("predict")), output: path("predict.svg")).run()
        let report = try ReportJob(spectrum: path("spectrum"), fit: path("fit"), evaluations: evaluations.map { path($0.0) },
                                   prediction: path("predict"), teacher: path("teacher"), linear: path("linear"), wide: path("wide"),
                                   output: path("report.html")).run()
        let warnings = report["warnings"]?.array?.count ?? 0
        lines.append("report     \(path("report.html")) (\(report["figures"]?.number.map { Int($0) } ?? 0) figures, \(warnings) warning\(warnings == 1 ? "" : "s"))")
        let summary = JSONValue.object([
            ("output", .string(outputFolder)), ("report", .string(path("report.html"))),
            ("spectrum", spectrum.summary.json()), ("fit", fit.summary.json()),
            ("predict", prediction.summary.json()),
            ("evaluations", .object(metrics)),
            ("warnings", report["warnings"] ?? .array([])),
            ("provenance", try Provenance(inputs: [labels, student, teacher, sweep, published] + companionFiles).json),
        ])
        return Result(summary: summary, lines: lines, report: path("report.html"))
    }
}
