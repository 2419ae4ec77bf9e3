import ArrayIO
import Distillation
import Foundation

/// Observed distillation runs read from CSV, in either layout SpectralKD ships:
/// * a sweep (`data/runs/sweep.csv`): one row per trained model with `role` (teacher, baseline,
///   distilled), `seed`, `temperature`, `alpha_h`, `ce_weight`, `kl_weight`, `kl_times_t2`,
///   `test_accuracy`, `classes`; seeds of a configuration are averaged (mean, standard error);
/// * a table of published results (`data/runs/published_kd.csv`): one row per teacher/student pair
///   with `teacher_acc`, `student_acc`, `kd_acc`, `temperature`, `ce_weight`, `kl_weight`,
///   `kl_times_t2`, `classes` (and optionally `source`, `dataset`, `teacher`, `student`).
///
/// Tables as users write them: column names match case-, `-`/`_`/space-insensitively and by a
/// few aliases (`Columns`); a row missing a required value is skipped and counted, not fatal;
/// accuracy columns written in percent (every value in (1, 100]) are read as percent with a
/// warning; columns nothing reads are listed with the closest known name.
public struct RunsFile: Sendable {
    public enum Layout: String, Sendable { case sweep, published }
    public let path: String
    public let layout: Layout
    public let configurations: [ObservedConfiguration]
    /// File lines of rows skipped for a missing required value.
    public let skippedLines: [Int]
    /// Things a user should know about how the file was read (percent columns, unused columns).
    public let warnings: [String]

    /// Accepted spellings of each column (the first is the canonical name).
    enum Columns {
        static let role = ["role"]
        static let seed = ["seed"]
        static let temperature = ["temperature", "t", "tau", "temp", "kd_t", "kd_temperature"]
        static let alphaH = ["alpha_h", "alpha_hinton"]
        static let alpha = ["alpha"]
        static let ceWeight = ["ce_weight", "ce", "hard_weight_loss"]
        static let klWeight = ["kl_weight", "kd_weight", "kl"]
        static let klTimesT2 = ["kl_times_t2", "kl_x_t2", "t2_scaling"]
        static let testAccuracy = ["test_accuracy", "test_acc", "accuracy", "acc"]
        static let classes = ["classes", "num_classes", "n_classes"]
        static let teacherAcc = ["teacher_acc", "teacher_accuracy"]
        static let studentAcc = ["student_acc", "student_accuracy", "baseline_acc", "baseline_accuracy"]
        static let kdAcc = ["kd_acc", "kd_accuracy", "distilled_acc", "distilled_accuracy"]
        static let source = ["source", "paper"]
        static let dataset = ["dataset"]
        static let teacher = ["teacher", "teacher_model"]
        static let student = ["student", "student_model"]
        static let testSize = ["test_size", "n_test"]
        static let all = [role, seed, temperature, alphaH, alpha, ceWeight, klWeight, klTimesT2, testAccuracy, classes,
                          teacherAcc, studentAcc, kdAcc, source, dataset, teacher, student, testSize]
    }

    /// - Throws: `ArrayIOError` / `PipelineError` naming the file, the line and column, and the fix.
    public init(path: String) throws {
        let table = try TextTable.read(path: path)
        self.path = path
        var warnings = table.unknownColumns(known: Columns.all).map {
            "\(path): column '\($0.column)' is not used (the closest known column is '\($0.closest)')"
        }
        var skipped: [Int] = []
        if table.has(Columns.role[0]) {
            layout = .sweep
            configurations = try Self.sweep(table, skipped: &skipped, warnings: &warnings)
        } else if table.has(Columns.kdAcc[0], aliases: Columns.kdAcc) {
            layout = .published
            configurations = try Self.published(table, skipped: &skipped, warnings: &warnings)
        } else {
            throw PipelineError(file: path, problem: "is neither a sweep (column role) nor a published table (column kd_acc)",
                                fix: "use the layout of data/runs/sweep.csv or data/runs/published_kd.csv")
        }
        if !skipped.isEmpty {
            warnings.insert("\(path): skipped \(skipped.count) row(s) missing a required value (lines \(skipped.prefix(5).map(String.init).joined(separator: ", "))\(skipped.count > 5 ? ", ..." : ""))", at: 0)
        }
        skippedLines = skipped
        self.warnings = warnings
    }

    /// Whether row `r` lacks any of the columns' values (each column given with its aliases).
    static func missing(_ t: TextTable, _ r: Int, _ columns: [[String]]) -> Bool {
        columns.contains { t.isMissing(r, $0[0], aliases: $0) }
    }

    /// The loss weights of row `r`: `ce_weight`/`kl_weight`/`kl_times_t2` when the row has them,
    /// else Hinton's `alpha_h`, else `alpha`. Nil when none is complete (the row is skipped).
    static func setting(_ t: TextTable, _ r: Int) throws -> DistillationSetting? {
        guard !missing(t, r, [Columns.temperature]) else { return nil }
        let temperature = try t.number(r, "temperature", aliases: Columns.temperature)
        guard temperature > 0 else {
            throw ArrayIOError.badField(file: t.path, line: t.line(r), column: t.header[try t.column("temperature", aliases: Columns.temperature)],
                                        detail: "temperature \(temperature) must be positive")
        }
        if !missing(t, r, [Columns.ceWeight, Columns.klWeight, Columns.klTimesT2]) {
            let ce = try t.number(r, "ce_weight", aliases: Columns.ceWeight), kl = try t.number(r, "kl_weight", aliases: Columns.klWeight)
            guard ce >= 0, kl >= 0, ce + kl > 0 else {
                throw PipelineError(file: t.path, problem: "line \(t.line(r)), columns ce_weight and kl_weight: \(ce) and \(kl)",
                                    fix: "weights must be non-negative and not both 0")
            }
            return DistillationSetting(temperature: temperature, ceWeight: ce, klWeight: kl,
                                       klTimesTSquared: try t.boolean(r, "kl_times_t2", aliases: Columns.klTimesT2))
        }
        if !missing(t, r, [Columns.alphaH]) {
            let ah = try t.number(r, "alpha_h", aliases: Columns.alphaH)
            guard ah >= 0 && ah <= 1 else {
                throw PipelineError(file: t.path, problem: "line \(t.line(r)), column alpha_h: \(ah) is outside [0, 1]", fix: "alpha_H weighs the hard-label loss, from 0 to 1")
            }
            return DistillationSetting(temperature: temperature, hintonAlpha: ah)
        }
        if !missing(t, r, [Columns.alpha]) {
            let a = try t.number(r, "alpha", aliases: Columns.alpha)
            guard a >= 0 else { throw PipelineError(file: t.path, problem: "line \(t.line(r)), column alpha: \(a) is negative", fix: "alpha >= 0") }
            return DistillationSetting(temperature: temperature, alpha: a)
        }
        return nil
    }

    /// How an accuracy column is scaled: 1 for fractions, 0.01 when every present value lies in
    /// (1, 100] (percent, with a warning). Values on both sides of 1 are refused.
    static func accuracyScale(_ t: TextTable, _ column: [String], warnings: inout [String]) throws -> Double {
        guard let i = t.index(of: column) else { return 1 }
        let values = t.rows.compactMap { Double($0[i]) }.filter(\.isFinite)
        if values.isEmpty || values.allSatisfy({ $0 >= 0 && $0 <= 1 }) { return 1 }
        if values.allSatisfy({ $0 > 1 && $0 <= 100 }) {
            warnings.append("\(t.path): column '\(t.header[i])' holds percentages (all values in (1, 100]); read as percent")
            return 0.01
        }
        throw PipelineError(file: t.path, problem: "column '\(t.header[i])' mixes fractions and percentages",
                            fix: "give accuracies as fractions in [0, 1] (0.7326) or all as percent (73.26)")
    }

    static func accuracy(_ t: TextTable, _ r: Int, _ column: [String], scale: Double) throws -> Double {
        let v = try t.number(r, column[0], aliases: column) * scale
        guard v >= 0 && v <= 1 else {
            throw ArrayIOError.badField(file: t.path, line: t.line(r), column: t.header[try t.column(column[0], aliases: column)],
                                        detail: "\(v) is not an accuracy (a fraction in [0, 1], or percent in the whole column)")
        }
        return v
    }

    static func classes(_ t: TextTable, _ r: Int) throws -> Int {
        let v = try t.number(r, "classes", aliases: Columns.classes)
        guard v >= 2, v == v.rounded(), v < 1e9 else {
            throw ArrayIOError.badField(file: t.path, line: t.line(r), column: t.header[try t.column("classes", aliases: Columns.classes)],
                                        detail: "\(v) is not a class count (a whole number >= 2)")
        }
        return Int(v)
    }

    static func sweep(_ t: TextTable, skipped: inout [Int], warnings: inout [String]) throws -> [ObservedConfiguration] {
        _ = try t.column("test_accuracy", aliases: Columns.testAccuracy)
        _ = try t.column("classes", aliases: Columns.classes)
        let scale = try accuracyScale(t, Columns.testAccuracy, warnings: &warnings)
        var teachers: [Double] = [], baselines: [Double] = []
        var groups: [String: (setting: DistillationSetting, alphaH: Double?, values: [Double], lines: [Int])] = [:]
        var order: [String] = []
        var classes: Int?
        for r in t.rows.indices {
            if missing(t, r, [Columns.role, Columns.testAccuracy, Columns.classes]) { skipped.append(t.line(r)); continue }
            let c = try Self.classes(t, r)
            if let known = classes, known != c {
                throw PipelineError(file: t.path, problem: "line \(t.line(r)) has \(c) classes, earlier lines \(known)",
                                    fix: "keep one task per runs file")
            }
            let acc = try accuracy(t, r, Columns.testAccuracy, scale: scale)
            switch try t.text(r, "role").lowercased() {
            case "teacher": teachers.append(acc); classes = c
            case "baseline", "student": baselines.append(acc); classes = c
            case "distilled", "kd":
                guard let s = try setting(t, r) else { skipped.append(t.line(r)); continue }
                classes = c
                let alphaH = t.isMissing(r, "alpha_h", aliases: Columns.alphaH) ? nil : Double(try t.text(r, "alpha_h", aliases: Columns.alphaH))
                let key = "T=\(formatNumber(s.temperature)) alpha_H=\(alphaH.map(formatNumber) ?? "-") alpha=\(s.alpha)"
                if groups[key] == nil { order.append(key); groups[key] = (s, alphaH, [], []) }
                groups[key]!.values.append(acc)
                groups[key]!.lines.append(t.line(r))
            case let role:
                throw ArrayIOError.badField(file: t.path, line: t.line(r), column: "role",
                                            detail: "'\(role)' is not a role; roles are teacher, baseline, distilled")
            }
        }
        guard !teachers.isEmpty, !baselines.isEmpty, !groups.isEmpty, let classes else {
            throw PipelineError(file: t.path, problem: "needs at least one teacher, one baseline and one distilled row with all values",
                                fix: "see data/runs/sweep.csv")
        }
        let teacher = teachers.reduce(0, +) / Double(teachers.count)
        let baseline = baselines.reduce(0, +) / Double(baselines.count)
        return order.map { key in
            let g = groups[key]!
            let n = Double(g.values.count)
            let mean = g.values.reduce(0, +) / n
            let se = g.values.count > 1 ? (g.values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1) / n).squareRoot() : nil
            var c = ObservedConfiguration(label: key.components(separatedBy: " alpha=").first!, classes: classes, setting: g.setting,
                                          alphaH: g.alphaH, baselineAccuracy: baseline, teacherAccuracy: teacher,
                                          distilledAccuracy: mean, distilledStandardError: se, seeds: g.values.count)
            c.lines = g.lines
            return c
        }
    }

    static func published(_ t: TextTable, skipped: inout [Int], warnings: inout [String]) throws -> [ObservedConfiguration] {
        let required = [Columns.teacherAcc, Columns.studentAcc, Columns.kdAcc, Columns.classes]
        for column in required + [Columns.temperature] { _ = try t.column(column[0], aliases: column) }
        let scales = try [Columns.teacherAcc, Columns.studentAcc, Columns.kdAcc].map { try accuracyScale(t, $0, warnings: &warnings) }
        var result: [ObservedConfiguration] = []
        for r in t.rows.indices {
            guard !missing(t, r, required), let setting = try setting(t, r) else { skipped.append(t.line(r)); continue }
            func field(_ names: [String]) -> String? { t.isMissing(r, names[0], aliases: names) ? nil : try? t.text(r, names[0], aliases: names) }
            let label = [field(Columns.source), field(Columns.dataset), field(Columns.teacher).map { $0 + " ->" }, field(Columns.student)]
                .compactMap { $0 }.joined(separator: " ")
            var c = ObservedConfiguration(label: label.isEmpty ? "line \(t.line(r))" : label, classes: try classes(t, r), setting: setting,
                                          alphaH: nil, baselineAccuracy: try accuracy(t, r, Columns.studentAcc, scale: scales[1]),
                                          teacherAccuracy: try accuracy(t, r, Columns.teacherAcc, scale: scales[0]),
                                          distilledAccuracy: try accuracy(t, r, Columns.kdAcc, scale: scales[2]))
            c.source = field(Columns.source)
            c.dataset = field(Columns.dataset)
            if let teacher = field(Columns.teacher), let student = field(Columns.student) { c.pair = teacher + " -> " + student }
            c.lines = [t.line(r)]
            result.append(c)
        }
        guard !result.isEmpty else {
            throw PipelineError(file: t.path, problem: "has no row with every required value (\(required.map { $0[0] }.joined(separator: ", ")), temperature, weights)",
                                fix: "fill in the missing values")
        }
        return result
    }
}

func formatNumber(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
