import ArrayIO
import Distillation
import Foundation

/// Observed distillation runs read from CSV, in either layout SpectralKD ships:
/// * a sweep (`data/runs/sweep.csv`): one row per trained model with `role` (teacher, baseline,
///   distilled), `seed`, `temperature`, `alpha_h`, `ce_weight`, `kl_weight`, `kl_times_t2`,
///   `test_accuracy`, `classes`; seeds of a configuration are averaged (mean, standard error);
/// * a table of published results (`data/runs/published_kd.csv`): one row per teacher/student pair
///   with `teacher_acc`, `student_acc`, `kd_acc`, `temperature`, `ce_weight`, `kl_weight`,
///   `kl_times_t2`, `classes`.
public struct RunsFile: Sendable {
    public enum Layout: String, Sendable { case sweep, published }
    public let path: String
    public let layout: Layout
    public let configurations: [ObservedConfiguration]

    /// - Throws: `ArrayIOError` / `PipelineError` naming the file, the row and the fix.
    public init(path: String) throws {
        let table = try TextTable.read(path: path)
        self.path = path
        if table.header.contains("role") {
            layout = .sweep
            configurations = try Self.sweep(table)
        } else if table.header.contains("kd_acc") {
            layout = .published
            configurations = try Self.published(table)
        } else {
            throw PipelineError(file: path, problem: "is neither a sweep (column role) nor a published table (column kd_acc)",
                                fix: "use the layout of data/runs/sweep.csv or data/runs/published_kd.csv")
        }
    }

    static func setting(_ t: TextTable, _ r: Int) throws -> DistillationSetting {
        let temperature = try t.number(r, "temperature")
        let ce = try t.number(r, "ce_weight"), kl = try t.number(r, "kl_weight")
        guard temperature > 0, ce >= 0, kl >= 0, ce + kl > 0 else {
            throw PipelineError(file: t.path, problem: "line \(r + 2) has temperature \(temperature), ce_weight \(ce), kl_weight \(kl)",
                                fix: "temperature must be positive, weights non-negative and not both 0")
        }
        return DistillationSetting(temperature: temperature, ceWeight: ce, klWeight: kl, klTimesTSquared: try t.boolean(r, "kl_times_t2"))
    }

    static func accuracy(_ t: TextTable, _ r: Int, _ column: String) throws -> Double {
        let v = try t.number(r, column)
        guard v >= 0 && v <= 1 else {
            throw PipelineError(file: t.path, problem: "line \(r + 2): \(column) = \(v) is not a fraction",
                                fix: "give accuracies as fractions in [0, 1] (0.7326, not 73.26)")
        }
        return v
    }

    static func sweep(_ t: TextTable) throws -> [ObservedConfiguration] {
        var teachers: [Double] = [], baselines: [Double] = []
        var groups: [String: (setting: DistillationSetting, alphaH: Double?, values: [Double])] = [:]
        var order: [String] = []
        var classes: Int?
        for r in t.rows.indices {
            let c = Int(try t.number(r, "classes"))
            if let known = classes, known != c {
                throw PipelineError(file: t.path, problem: "line \(r + 2) has \(c) classes, earlier lines \(known)",
                                    fix: "keep one task per runs file")
            }
            classes = c
            let acc = try accuracy(t, r, "test_accuracy")
            switch try t.text(r, "role") {
            case "teacher": teachers.append(acc)
            case "baseline": baselines.append(acc)
            case "distilled":
                let s = try setting(t, r)
                let alphaH = t.header.contains("alpha_h") ? Double(try t.text(r, "alpha_h")) : nil
                let key = "T=\(formatNumber(s.temperature)) alpha_H=\(alphaH.map(formatNumber) ?? "-") alpha=\(s.alpha)"
                if groups[key] == nil { order.append(key); groups[key] = (s, alphaH, []) }
                groups[key]!.values.append(acc)
            case let role:
                throw PipelineError(file: t.path, problem: "line \(r + 2) has role '\(role)'", fix: "roles are teacher, baseline, distilled")
            }
        }
        guard !teachers.isEmpty, !baselines.isEmpty, !groups.isEmpty, let classes else {
            throw PipelineError(file: t.path, problem: "needs at least one teacher, one baseline and one distilled row",
                                fix: "see data/runs/sweep.csv")
        }
        let teacher = teachers.reduce(0, +) / Double(teachers.count)
        let baseline = baselines.reduce(0, +) / Double(baselines.count)
        return order.map { key in
            let g = groups[key]!
            let n = Double(g.values.count)
            let mean = g.values.reduce(0, +) / n
            let se = g.values.count > 1 ? (g.values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1) / n).squareRoot() : nil
            return ObservedConfiguration(label: key.components(separatedBy: " alpha=").first!, classes: classes, setting: g.setting,
                                         alphaH: g.alphaH, baselineAccuracy: baseline, teacherAccuracy: teacher,
                                         distilledAccuracy: mean, distilledStandardError: se, seeds: g.values.count)
        }
    }

    static func published(_ t: TextTable) throws -> [ObservedConfiguration] {
        try t.rows.indices.map { r in
            let label = ["source", "teacher", "student"].compactMap { t.header.contains($0) ? try? t.text(r, $0) : nil }
                .joined(separator: " ")
            return ObservedConfiguration(label: label.isEmpty ? "row \(r + 2)" : label, classes: Int(try t.number(r, "classes")),
                                         setting: try setting(t, r), baselineAccuracy: try accuracy(t, r, "student_acc"),
                                         teacherAccuracy: try accuracy(t, r, "teacher_acc"), distilledAccuracy: try accuracy(t, r, "kd_acc"))
        }
    }
}

func formatNumber(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
