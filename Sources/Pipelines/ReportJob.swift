import ArrayIO
import Fitting
import Foundation
import Reporting

/// `spectralkd report`: one self-contained HTML page with the pictures and the numbers that
/// decide whether to trust them: the accuracy identity (docs/theory.md §1.2), the fit and its adequacy
/// (docs/theory.md §2.5), a prediction (docs/theory.md §5.3) and prediction metrics against observed runs.
public struct ReportJob: Sendable {
    public var spectrum: String?
    public var fit: String?
    public var evaluations: [String]
    /// A `prediction.json` written by `predict`.
    public var prediction: String?
    /// A `teacher` folder.
    public var teacher: String?
    /// `linear` and `wide` output folders (docs/companions.md).
    public var linear: String?
    public var wide: String?
    public var output: String

    /// Report a fit beside a spectrum it was not fitted to.
    public var allowMixed = false

    public init(spectrum: String? = nil, fit: String? = nil, evaluations: [String] = [], prediction: String? = nil,
                teacher: String? = nil, linear: String? = nil, wide: String? = nil, output: String = "report.html", allowMixed: Bool = false) {
        self.spectrum = spectrum; self.fit = fit; self.evaluations = evaluations; self.prediction = prediction; self.output = output
        self.teacher = teacher; self.linear = linear; self.wide = wide; self.allowMixed = allowMixed
    }

    public func run() throws -> JSONValue {
        guard spectrum != nil || !evaluations.isEmpty || prediction != nil || teacher != nil || linear != nil || wide != nil else {
            throw PipelineError("report needs something to show: give --spectrum, --evaluate, --prediction, --teacher, --linear or --wide")
        }
        if fit != nil && spectrum == nil { throw PipelineError("--fit needs the --spectrum folder it was fitted to") }
        var sections: [HTMLReport.Section] = []
        var warnings: [String] = []
        var figures = 0
        if let spectrum {
            let folder = try SpectrumFolder(path: spectrum)
            let fitFolder = try fit.map { try FitFolder(path: $0) }
            try fitFolder?.requireFitted(to: folder, allowMixed: allowMixed)
            sections.append(try spectrumSection(folder, fitFolder, warnings: &warnings))
            figures += 1
            if let fitFolder {
                var section = fitSection(fitFolder, warnings: &warnings)
                if fitFolder.law != nil {
                    let diagnostics = try FitDiagnostics(eigenvalues: folder.bulk, fit: fitFolder)
                    section.blocks.append(.figure(diagnostics.cdfFigure(title: "Empirical against fitted CDF"),
                                                  caption: "The verdict is a distance between these two curves: the black segment is the KS distance; the dashed band is the 5% critical value for i.i.d. points (lenient for eigenvalues; the bootstrap p-value is the calibrated test)."))
                    section.blocks.append(.figure(diagnostics.quantileFigure(title: "Q-Q plot against the fitted law"),
                                                  caption: "Sorted eigenvalues against the fitted law's quantiles (i - 1/2)/n: outlying eigenvalues leave the diagonal at the ends, however few they are."))
                    figures += 2
                }
                sections.append(section)
            }
            if let teacher = folder.teacherBulk {
                let data = try SpectrumFigureData(eigenvalues: teacher, fit: nil, which: "Hhat")
                var pairs: [(String, String)] = []
                let s = folder.summary as? SpectrumSummary
                for (name, v) in [("teacher accuracy", s?.teacherAccuracy), ("student-teacher agreement", s?.agreement),
                                  ("Tr Hhat", s?.traceHhat), ("smallest eigenvalue", s?.teacherBulkMin), ("largest eigenvalue", s?.teacherBulkMax)] {
                    if let v { pairs.append((name, shortNumber(v))) }
                }
                sections.append(.init(heading: "Spectrum of Hhat (student against teacher)", blocks: [
                    .keyValues(pairs),
                    .figure(data.figure(title: PlotJob.spectrumTitle(folder, teacher: true)),
                            caption: "Eigenvalues of Hhat = (dPhat^T dP + dP^T dPhat)/2N with an FFT KDE; no law is fitted to Hhat here."),
                ]))
                figures += 1
            }
        }
        if let teacher {
            let summary = try JSONValue.read(path: (teacher as NSString).appendingPathComponent("teacher.json"))
            func n(_ v: JSONValue?) -> String { v?.number.map(shortNumber) ?? "n/a" }
            var pairs = [("accuracy", n(summary["accuracy"])), ("log loss", n(summary["log_loss"])), ("Brier score", n(summary["brier"])),
                         ("entropy", n(summary["entropy"])), ("ECE (\(n(summary["bins"])) equal-width bins)", n(summary["ece"])),
                         ("ECE (equal-mass bins)", n(summary["ece_equal_mass"])), ("temperature", n(summary["temperature"]))]
            if let student = summary["student"] {
                pairs += [("student risk variance, one-hot targets", n(student["hard_risk_variance"])),
                          ("student risk variance, teacher targets", n(student["soft_risk_variance"])),
                          ("variance reduction", n(student["variance_reduction"]))]
            }
            let svg = try Self.figure(teacher, "reliability.svg", command: "teacher")
            var blocks: [HTMLReport.Block] = [
                .paragraph("How close the teacher's probabilities are to the Bayes posterior decides how much its soft labels can help (docs/teacher.md): calibration, and the variance of a student's risk with one-hot against teacher targets."),
                .keyValues(pairs),
            ]
            if !svg.isEmpty { blocks.append(.rawFigure(svg, caption: "Reliability diagram: accuracy against confidence per bin; the dashed diagonal is perfect calibration.")); figures += 1 }
            sections.append(.init(heading: "The teacher as a source of soft labels", blocks: blocks))
        }
        if let linear {
            let summary = try Self.summary(linear, "linear.json", command: "linear")
            func n(_ key: String) -> String { summary[key]?.number.map(shortNumber) ?? "n/a" }
            let violations = summary["monotonicity_violations"]?.number ?? 0
            var pairs = [("inputs", summary["distribution"]?.string ?? "n/a"), ("dimension d", n("dimension")), ("transfer-set size n", n("samples")),
                         ("transfer risk (Monte Carlo)", "\(n("transfer_risk")) ± \(n("transfer_risk_se"))"), ("angle to w* (radians)", n("angle")),
                         ("Theorem 3 bound", n("bound")), ("strong-monotonicity violations", n("monotonicity_violations"))]
            if summary["closed_form_risk"]?.number != nil { pairs.insert(("angle / π (exact)", n("closed_form_risk")), at: 4) }
            var blocks: [HTMLReport.Block] = [
                .paragraph("A linear student distilled from a linear teacher by gradient flow recovers the projection of the teacher onto the span of the transfer inputs: exactly the teacher once n ≥ d, and a risk bounded by Theorem 3 of Phuong & Lampert below that (docs/companions.md §1)."),
                .keyValues(pairs),
                .rawFigure(try Self.figure(linear, "linear.svg", command: "linear"),
                           caption: "Transfer risk against transfer-set size: Monte Carlo points with a ±2 SE band, the bound (dashed) and, for isotropic inputs, the exact angle/π."),
            ]
            if violations > 0 { blocks.insert(.warning("Adding points widened the angle to w* \(Int(violations)) time(s): strong monotonicity failed."), at: 0) }
            figures += 1
            sections.append(.init(heading: "Linear distillation (Phuong & Lampert)", blocks: blocks))
        }
        if let wide {
            let summary = try Self.summary(wide, "wide.json", command: "wide")
            func n(_ key: String) -> String { summary[key]?.number.map(shortNumber) ?? "n/a" }
            var pairs = [("soft ratio ρ", n("rho")), ("temperature T", n("temperature")), ("threshold z_eff(0+, 1)", n("threshold")),
                         ("targets", summary["targets"]?.string ?? "n/a"), ("kernel", summary["kernel"]?.string ?? "n/a"),
                         ("data inefficiency I(n) at n = \(n("max_samples"))", "\(n("data_inefficiency")) ± \(n("data_inefficiency_se"))"),
                         ("largest Cholesky jitter (relative)", n("relative_jitter"))]
            if case let .object(references)? = summary["references"] {
                pairs += references.map { ("I(n), \($0.0) targets (reference)", $0.1.number.map(shortNumber) ?? "n/a") }
            }
            sections.append(.init(heading: "Wide networks (Ji & Zhu)", blocks: [
                .paragraph("In the kernel (wide-network) regime the student fits the effective logits the mixed loss asks for; how fast the weight change it needs grows with n (the data inefficiency) measures how hard those targets are to learn (docs/companions.md §3)."),
                .keyValues(pairs),
                .rawFigure(try Self.figure(wide, "effective_logits.svg", command: "wide"),
                           caption: "Effective student logit against the teacher's, for a correct (solid) and a wrong (dashed) teacher; the hard labels split the curve at 0."),
                .rawFigure(try Self.figure(wide, "inefficiency.svg", command: "wide"),
                           caption: "Data inefficiency with ±2 jackknife standard errors: random targets are the hard reference, the teacher's smooth logits the easy one."),
            ]))
            figures += 2
        }
        if let prediction {
            let (section, count) = try predictionSection(prediction, warnings: &warnings)
            sections.append(section)
            figures += count
        }
        for path in evaluations {
            let evaluation = try EvaluationFolder(path: path)
            var blocks: [HTMLReport.Block] = [
                .paragraph("Runs: \(evaluation.metrics.runs); \(evaluation.observed.count) configurations. \(evaluation.metrics.note)"),
                .table(header: ["predictor", "MAE", "RMSE", "bias", "formula better"], rows: evaluation.metricRows()),
            ]
            if let f = evaluation.metric("formula", \.mae), let best = ["no_change", "teacher", "dual_interpolation", "teacher_gap_fraction"]
                .compactMap({ k in evaluation.metric(k, \.mae).map { (k, $0) } }).min(by: { $0.1 < $1.1 }), best.1 < f {
                let text = "The formula (MAE \(fixed(f))) is beaten by the \(best.0) baseline (MAE \(fixed(best.1))) on these runs."
                blocks.append(.warning(text))
                warnings.append("\(path): \(text)")
            }
            blocks.append(.figure(evaluation.figure(title: "Predicted against observed: \((evaluation.metrics.runs as String))"),
                                  caption: "Each point is one configuration (seeds averaged; the formula's horizontal bars are one standard error of the observed mean). Points on the dashed line are predicted exactly."))
            figures += 1
            sections.append(.init(heading: "Prediction against observed runs: \((path as NSString).lastPathComponent)", blocks: blocks))
        }
        if !warnings.isEmpty {
            sections.insert(.init(heading: "Warnings", blocks: warnings.map { .warning($0) }), at: 0)
        }
        let inputs = ([spectrum, fit, prediction].compactMap { $0 } + evaluations).joined(separator: ", ")
        let report = HTMLReport(title: "SpectralKD report",
                                introduction: "Generated by spectralkd \(Toolkit.version) from \(inputs). Mathematics: docs/theory.md and docs/distillation.md in the SpectralKD repository (section numbers cited below).",
                                sections: sections)
        let provenance = try Provenance(inputs: [spectrum, fit, prediction, teacher, linear, wide].compactMap { $0 } + evaluations)
        var withProvenance = report
        withProvenance.provenance = provenance.lines
        var transaction = OutputTransaction()
        transaction.add(output, Array(withProvenance.html().utf8))
        try transaction.commit()
        return .object([("output", .string(output)), ("sections", .array(sections.map { .string($0.heading) })), ("figures", .int(figures)),
                        ("warnings", .array(warnings.map { .string($0) })), ("provenance", provenance.json)])
    }

    func spectrumSection(_ folder: SpectrumFolder, _ fit: FitFolder?, warnings: inout [String]) throws -> HTMLReport.Section {
        var blocks: [HTMLReport.Block] = []
        var pairs: [(String, String)] = []
        let s = folder.summary
        let rows: [(String, Double?)] = [("samples N", Double(s.samples)), ("classes C", Double(s.classes)), ("q = (C-1)/N", s.q),
                                         ("temperature", s.temperature), ("replicas", s is SimulationSummary ? Double(s.pooledReplicas) : nil),
                                         ("accuracy (argmax)", s.accuracy), ("soft accuracy Tr(P Y^T)/N", s.softAccuracy), ("Tr H", s.traceH),
                                         ("mean term", s.meanTerm), ("identity residual", s.identityResidual), ("structural zero", s.structuralZero),
                                         ("smallest other eigenvalue", s.bulkMin), ("largest eigenvalue", s.bulkMax)]
        for (name, v) in rows { if let v { pairs.append((name, shortNumber(v))) } }
        pairs.append(("identity holds", s.identityHolds ? "yes" : "NO"))
        blocks.append(.paragraph("Accuracy identity (docs/theory.md §1.2): soft accuracy = Tr H + mean term, checked on every run."))
        blocks.append(.keyValues(pairs))
        if !s.identityHolds {
            let text = "The accuracy identity does not hold to rounding (residual \(shortNumber(s.identityResidual))): the spectrum is not trustworthy."
            blocks.append(.warning(text))
            warnings.append(text)
        }
        let data = try SpectrumFigureData(eigenvalues: folder.bulk, fit: fit)
        blocks.append(.figure(data.figure(title: PlotJob.spectrumTitle(folder, teacher: false)),
                              caption: "Histogram of the eigenvalues of H (structural zero removed), FFT KDE (\(data.bandwidthMethod) bandwidth)"
                                + (fit == nil ? "." : ", and the fitted generalised Marchenko-Pastur density with its support edges; triangles mark the outliers set apart before the bulk was fitted.")))
        if s.manifest.lists("outlier_vectors.csv") {
            let table = try TextTable.read(path: (folder.path as NSString).appendingPathComponent("outlier_vectors.csv"))
            var rows: [[String]] = []
            var current: (rank: String, value: String, kind: String, classes: [String])?
            for r in table.rows.indices {
                let rank = try table.text(r, "rank"), value = shortNumber(try table.number(r, "eigenvalue"))
                let entry = "\(Int(try table.number(r, "class"))) (\(String(format: "%+.2f", try table.number(r, "loading"))))"
                if current?.rank != rank {
                    if let c = current { rows.append([c.rank, c.value, c.kind, c.classes.prefix(6).joined(separator: ", ")]) }
                    current = (rank, value, try table.text(r, "kind"), [])
                }
                current!.classes.append(entry)
            }
            if let c = current { rows.append([c.rank, c.value, c.kind, c.classes.prefix(6).joined(separator: ", ")]) }
            let count = s.outliers?.count ?? 0
            blocks.append(.paragraph("\(count) eigenvalue(s) lie beyond the fitted bulk's edges by more than \(shortNumber(OutlierSeparation.defaultMargin)) Tracy-Widom units (docs/theory.md §2.6): directions in class space where the outputs co-vary with the labels beyond chance. Their eigenvectors load on these classes (the largest |loadings|; the last rows are the top bulk eigenvalues, for comparison):"))
            blocks.append(.table(header: ["rank", "eigenvalue", "kind", "classes (loading)"],
                                 rows: rows.map { [String(Int(Double($0[0]) ?? 0))] + Array($0.dropFirst()) }))
        }
        return .init(heading: "Spectrum of H (student against labels)", blocks: blocks)
    }

    func fitSection(_ fit: FitFolder, warnings: inout [String]) -> HTMLReport.Section {
        let s = fit.summary
        func n(_ v: Double?) -> String { v.map(shortNumber) ?? "n/a" }
        let support = (s.support ?? []).map { "[" + $0.map(shortNumber).joined(separator: ", ") + "]" }.joined(separator: " ∪ ")
        var blocks: [HTMLReport.Block] = [
            .keyValues([("method", s.method), ("eigenvalues n", String(s.n)), ("q", n(s.q)), ("scale s2", n(s.scale)),
                        ("correlation c", n(s.correlation)), ("support", support.isEmpty ? "n/a" : support), ("atom at 0", n(s.atom)),
                        ("KS statistic", n(s.ks)), ("KS 5% critical value", n(s.ksCritical5)),
                        ("bootstrap p-value", n(s.pValue)), ("bootstrap replicates", String(s.bootstrap)),
                        ("adequate", fit.adequate ? "yes" : "NO")]),
            .paragraph("Verdict: \(fit.reason)"),
        ]
        if !fit.adequate {
            let text = "The generalised Marchenko-Pastur law does not fit this spectrum adequately: \(fit.reason)"
            blocks.append(.warning(text))
            warnings.append(text)
        }
        return .init(heading: "Generalised Marchenko-Pastur fit (docs/theory.md §2)", blocks: blocks)
    }

    /// `prediction` is a `predict` folder (or its `prediction.json`).
    func predictionSection(_ path: String, warnings: inout [String]) throws -> (HTMLReport.Section, Int) {
        let folderPath = path.hasSuffix(".json") ? (path as NSString).deletingLastPathComponent : path
        let folder = try PredictionFolder(path: folderPath.isEmpty ? "." : folderPath)
        let p = folder.summary
        func n(_ v: Double?) -> String { v.map(shortNumber) ?? "n/a" }
        let r = p.recommended
        var blocks: [HTMLReport.Block] = [
            .keyValues([("chi (\(p.chiEstimator))", shortNumber(p.chi) + (p.chiSe.map { " (SE \(shortNumber($0)))" } ?? "")),
                        ("g", p.gEstimator), ("pilots", String(p.pilotCount)), ("interval", p.intervalSource),
                        ("baseline (hard-label) accuracy", n(p.baselineAccuracy)), ("teacher accuracy", n(p.teacherAccuracy)),
                        ("configurations predicted", String(p.configurations)),
                        ("recommended", "T = \(n(r.configuration.temperature)), alpha_H = \(n(r.configuration.alphaH)), predicted \(n(r.predictedAccuracy))"),
                        ("held-out MAE (points)", n(p.heldOut?.formulaMaePoints)),
                        ("no change on the same (points)", n(p.heldOut?.noChangeMaePoints))]),
        ]
        for w in p.warnings {
            blocks.append(.warning(w))
            warnings.append("\(path): \(w)")
        }
        blocks.append(.figure(folder.figure(title: "Predicted distilled accuracy from \(p.pilotCount) pilot(s)"),
                              caption: "Each point is one configuration, labelled by T and alpha_H; pilots (the runs the fit saw) are squares; vertical bars are 95% intervals where the pilots allow one. Points on the dashed line are predicted exactly."))
        return (.init(heading: "Predicted distilled accuracy (docs/distillation.md)", blocks: blocks), 1)
    }
}

/// The toolkit's name and version, for reports and `--version`.
public enum Toolkit {
    public static let version = "0.2.0"
}

extension ReportJob {
    /// A command's summary JSON in its folder, or an error naming the folder and the command.
    static func summary(_ folder: String, _ name: String, command: String) throws -> JSONValue {
        let path = (folder as NSString).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: path) else {
            throw PipelineError(file: folder, problem: "has no \(name)", fix: "pass the --out folder of spectralkd \(command)")
        }
        return try JSONValue.read(path: path)
    }

    /// A figure a command wrote, read as text (a missing one is an error, not a blank).
    static func figure(_ folder: String, _ name: String, command: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent(name)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw PipelineError(file: folder, problem: "has no readable \(name)", fix: "rerun spectralkd \(command) with --out \(folder)")
        }
        return text
    }
}
