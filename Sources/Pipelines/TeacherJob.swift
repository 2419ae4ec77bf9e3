import ArrayIO
import Foundation
import Reporting
import Spectra
import TeacherQuality

/// `spectralkd teacher`: a teacher's quality as a source of soft labels (docs/teacher.md):
/// accuracy, log loss, Brier score, entropy, ECE with a reliability diagram, and with a student's
/// logits the variance reduction of the distilled risk (Menon et al. 2021).
public struct TeacherJob: Sendable {
    public var labels: String
    public var teacher: LoggedOutputs
    public var student: LoggedOutputs?
    public var bins: Int
    /// The known Bayes posterior `p*` (synthetic tasks), `N x C` probabilities.
    public var bayes: String?
    /// More draws of the teacher (other seeds), read like `teacher`, for the bias/variance split.
    public var draws: [String] = []
    public var outputFolder: String

    public init(labels: String, teacher: LoggedOutputs, student: LoggedOutputs? = nil, bins: Int = 15, bayes: String? = nil,
                outputFolder: String = "teacher-out") {
        self.labels = labels; self.teacher = teacher; self.student = student; self.bins = bins; self.bayes = bayes
        self.outputFolder = outputFolder
    }

    public struct Result: Sendable {
        public let report: TeacherQualityReport
        public let risk: DistillationRisk?
        public let gap: BayesGap?
        public let summary: JSONValue
        public let files: [String]
    }

    public func run() throws -> Result {
        try RunFolder.write(outputFolder, command: "teacher", summaryName: "teacher.json",
                            knownOutputs: ["teacher.json", "reliability.csv", "reliability.svg"]) { folder in
            let (report, risk, n, c) = try Self.assess(labels: labels, teacher: teacher, student: student, bins: bins)
            func binsJSON(_ b: [TeacherQualityReport.Bin]) -> JSONValue {
                .array(b.map { .object([("lower", .double($0.lower)), ("upper", .double($0.upper)), ("count", .int($0.count)),
                                        ("confidence", .double($0.confidence)), ("accuracy", .double($0.accuracy))]) })
            }
            var gap: BayesGap?
            if let bayes {
                let (t, _) = try Self.probabilities(teacher)
                let (b, bc) = try Self.probabilities(LoggedOutputs(path: bayes, kind: .probabilities))
                guard bc == c, b.count == t.count else {
                    throw PipelineError(file: bayes, problem: "is \(b.count / bc) x \(bc) but the teacher's outputs are \(n) x \(c)",
                                        fix: "save the Bayes posterior of the same samples and classes")
                }
                var teachers = [t]
                for draw in draws {
                    let (d, dc) = try Self.probabilities(LoggedOutputs(path: draw, kind: teacher.kind, temperature: teacher.temperature))
                    guard dc == c, d.count == t.count else {
                        throw PipelineError(file: draw, problem: "is \(d.count / dc) x \(dc) but the teacher's outputs are \(n) x \(c)",
                                            fix: "log every teacher draw on the same samples and classes")
                    }
                    teachers.append(d)
                }
                gap = BayesGap(teachers: teachers, bayes: b, student: try student.map { try Self.probabilities($0).values }, classes: c)
            }
            let provenance = try Provenance(inputs: [labels, teacher.path] + (student.map { [$0.path] } ?? []) + (bayes.map { [$0] } ?? []) + draws)
            var pairs: [(String, JSONValue)] = [
                ("samples", .int(n)), ("classes", .int(c)), ("temperature", .double(teacher.temperature)),
                ("accuracy", .double(report.accuracy)), ("log_loss", .double(report.logLoss)), ("brier", .double(report.brier)),
                ("entropy", .double(report.entropy)), ("ece", .double(report.ece)), ("ece_equal_mass", .double(report.eceEqualMass)),
                ("bins", .int(bins)), ("zero_probability_labels", .int(report.zeroProbabilityLabels)),
                ("reliability", binsJSON(report.bins)), ("reliability_equal_mass", binsJSON(report.equalMassBins)),
            ]
            if let risk {
                pairs += [("student", .object([("file", .string(student!.path)), ("hard_risk_mean", .double(risk.hardMean)),
                                               ("hard_risk_variance", .double(risk.hardVariance)), ("soft_risk_mean", .double(risk.softMean)),
                                               ("soft_risk_variance", .double(risk.softVariance)),
                                               ("variance_reduction", .double(risk.varianceReduction))]))]
            }
            if let gap {
                func optional(_ v: Double?) -> JSONValue { v.map(JSONValue.double) ?? .null }
                pairs += [("bayes_gap", .object([("file", .string(bayes!)), ("draws", .int(gap.draws)),
                                                 ("squared_gap", .double(gap.squaredGap)), ("bias_squared", .double(gap.biasSquared)),
                                                 ("teacher_variance", .double(gap.teacherVariance)),
                                                 ("mean_gap", .double(gap.meanGap)), ("mean_gap_se", .double(gap.meanGapStandardError)),
                                                 ("teacher_target_variance", optional(gap.teacherTargetVariance)),
                                                 ("bayes_target_variance", optional(gap.bayesTargetVariance)), ("label_noise", optional(gap.labelNoise))]))]
            }
            let names = ["reliability.csv", "reliability.svg", "teacher.json"]
            pairs += [("manifest", folder.manifest(files: names).json), ("provenance", provenance.json)]
            let summary = JSONValue.object(pairs)
            let all = report.bins.map { ("equal-width", $0) } + report.equalMassBins.map { ("equal-mass", $0) }
            let csv = Writers.csv(header: ["scheme", "lower", "upper", "count", "confidence", "accuracy"], text: all.map(\.0),
                                  columns: [all.map(\.1.lower), all.map(\.1.upper), all.map { Double($0.1.count) }, all.map(\.1.confidence), all.map(\.1.accuracy)])
            var figure = Self.reliabilityFigure(report, temperature: teacher.temperature)
            figure.metadata = provenance.lines
            let files: [(name: String, bytes: [UInt8])] = [("reliability.csv", csv), ("reliability.svg", Array(figure.svg().utf8)),
                                                          ("teacher.json", Writers.json(summary))]
            return (files, Result(report: report, risk: risk, gap: gap, summary: summary, files: files.map { folder.file($0.name) }))
        }
    }

    /// The teacher's quality report and, with a student, the risk variances: read, checked, computed.
    static func assess(labels: String, teacher: LoggedOutputs, student: LoggedOutputs?, bins: Int)
        throws -> (report: TeacherQualityReport, risk: DistillationRisk?, rows: Int, classes: Int)
    {
        let labelSource = try ArrayFile.open(labels)
        let (p, c) = try Self.probabilities(teacher)
        let n = p.count / c
        guard labelSource.columns == 1, labelSource.rows == n else {
            throw PipelineError(file: labelSource.name, problem: "has \(labelSource.rows) x \(labelSource.columns) labels for \(n) rows of \(teacher.path)",
                                fix: "log labels and outputs for the same samples (a 1-d vector of class indices)")
        }
        let values = try labelSource.readAll()
        let y = try values.enumerated().map { try SpectrumJob.label($0.element, row: $0.offset, classes: c, file: labelSource.name) }
        let report = TeacherQualityReport(probabilities: p, labels: y, classes: c, binCount: bins)
        var risk: DistillationRisk?
        if let student {
            let (s, sc) = try Self.probabilities(student)
            guard sc == c, s.count == p.count else {
                throw PipelineError(file: student.path, problem: "student outputs are \(s.count / sc) x \(sc) but the teacher's are \(n) x \(c)",
                                    fix: "log student and teacher on the same samples and classes")
            }
            risk = DistillationRisk(student: s, teacher: p, labels: y, classes: c)
        }
        return (report, risk, n, c)
    }

    /// Probabilities from a file of logits (softmax at the temperature) or probabilities (checked, re-tempered).
    static func probabilities(_ outputs: LoggedOutputs) throws -> (values: [Double], classes: Int) {
        let source = try ArrayFile.open(outputs.path)
        let c = source.columns
        guard source.rows > 0, c >= 2 else {
            throw PipelineError(file: source.name, problem: "is \(source.rows) x \(c)", fix: "save the N x C matrix of outputs, one row per sample")
        }
        try MemoryBudget.require(Double(source.rows) * Double(c) * 16, for: "the \(source.rows) x \(c) outputs in memory", file: source.name,
                                 fix: "use a subset of the rows, or a machine with more memory")
        var values = try source.readAll()
        for r in 0..<source.rows {
            let row = values[(r * c)..<((r + 1) * c)]
            guard row.allSatisfy(\.isFinite) else {
                throw PipelineError(file: source.name, problem: "row \(r) has a non-finite value", fix: "remove or fix non-finite values before logging")
            }
            if outputs.kind == .probabilities {
                let total = row.reduce(0, +)
                guard row.allSatisfy({ $0 >= 0 }), abs(total - 1) <= SpectrumJob.rowSumTolerance else {
                    throw PipelineError(file: source.name, problem: "row \(r) is not a probability vector (sum \(total))",
                                        fix: "if these are logits pass them with --logits")
                }
            }
        }
        values.withUnsafeMutableBufferPointer { v in
            if outputs.kind == .logits {
                Softmax.logitsToProbabilities(v, rows: source.rows, columns: c, temperature: outputs.temperature)
            } else {
                Softmax.retemper(v, rows: source.rows, columns: c, temperature: outputs.temperature)
            }
        }
        return (values, c)
    }

    /// Accuracy against confidence per equal-width bin, with the diagonal of perfect calibration.
    static func reliabilityFigure(_ r: TeacherQualityReport, temperature: Double) -> Figure {
        let filled = r.bins.filter { $0.count > 0 }
        let mass = r.equalMassBins.filter { $0.count > 0 }
        var figure = Figure(title: "Reliability of the teacher (T = \(shortNumber(temperature)))",
                            subtitle: "ECE \(shortNumber(r.ece)) (\(r.bins.count) equal-width bins), \(shortNumber(r.eceEqualMass)) (equal-mass); accuracy \(shortNumber(r.accuracy)), log loss \(shortNumber(r.logLoss))",
                            xLabel: "confidence (top-label probability)", yLabel: "accuracy", series: [
                                Series(.line(x: [0, 1], y: [0, 1]), label: "perfect calibration", color: .black, dashed: true, lineWidth: 1.2),
                                Series(.points(x: filled.map(\.confidence), y: filled.map(\.accuracy), xError: nil), label: "equal-width bins", color: .blue),
                                Series(.points(x: mass.map(\.confidence), y: mass.map(\.accuracy), xError: nil), label: "equal-mass bins",
                                       color: .vermillion, marker: .diamond),
                            ])
        figure.xRange = 0...1
        figure.yRange = 0...1
        figure.squareAxes = true
        figure.legend = .topLeft
        return figure
    }
}
