import Distillation

/// A distillation configuration to predict: its loss weights and, when given that way, Hinton's
/// alpha_H (kept for the output's `alpha_h` column).
public struct GridPoint: Sendable, Equatable {
    public let setting: DistillationSetting
    public let alphaH: Double?

    public init(setting: DistillationSetting, alphaH: Double? = nil) { self.setting = setting; self.alphaH = alphaH }
}

/// `--grid "T=1,2,4,8 alpha_h=0,0.1,0.5,0.9"`: the Cartesian product of the listed values.
/// Keys: `T` (or `temperature`), and one way of giving the weights: `alpha_h`, `alpha` (`inf` for
/// soft labels only), or `ce_weight` with `kl_weight` (and `kl_times_t2=true|false`, default true).
public enum ConfigurationGrid {
    public static func parse(_ text: String) throws -> [GridPoint] {
        var lists: [String: [String]] = [:]
        for part in text.split(whereSeparator: { $0 == " " || $0 == ";" }) where !part.isEmpty {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, !pieces[1].isEmpty else {
                throw PipelineError("--grid: '\(part)' is not KEY=v1,v2,...; e.g. --grid \"T=1,2,4,8 alpha_h=0,0.1,0.5,0.9\"")
            }
            var key = pieces[0].lowercased().replacingOccurrences(of: "-", with: "_")
            if key == "t" { key = "temperature" }
            guard ["temperature", "alpha_h", "alpha", "ce_weight", "kl_weight", "kl_times_t2"].contains(key) else {
                throw PipelineError("--grid: unknown key '\(pieces[0])'; keys are T, alpha_h, alpha, ce_weight, kl_weight, kl_times_t2")
            }
            guard lists[key] == nil else { throw PipelineError("--grid: key '\(pieces[0])' is given twice") }
            lists[key] = pieces[1].split(separator: ",").map { String($0) }
        }
        func numbers(_ key: String, _ valid: (Double) -> Bool, _ range: String) throws -> [Double]? {
            guard let items = lists[key] else { return nil }
            return try items.map { item in
                let v = item.lowercased() == "inf" ? Double.infinity : Double(item)
                guard let v, valid(v) else { throw PipelineError("--grid: \(key) = '\(item)' must be \(range)") }
                return v
            }
        }
        guard let temperatures = try numbers("temperature", { $0 > 0 && $0.isFinite }, "a positive number") else {
            throw PipelineError("--grid needs T=..., e.g. --grid \"T=1,2,4,8 alpha_h=0,0.1,0.5,0.9\"")
        }
        let ways = [lists["alpha_h"] != nil, lists["alpha"] != nil, lists["ce_weight"] != nil || lists["kl_weight"] != nil].filter { $0 }.count
        guard ways == 1 else { throw PipelineError("--grid: give the weights exactly one way: alpha_h=..., alpha=..., or ce_weight=... with kl_weight=...") }
        var points: [GridPoint] = []
        if let hs = try numbers("alpha_h", { $0 >= 0 && $0 <= 1 }, "in [0, 1]") {
            for t in temperatures { for h in hs { points.append(GridPoint(setting: DistillationSetting(temperature: t, hintonAlpha: h), alphaH: h)) } }
        } else if let alphas = try numbers("alpha", { $0 >= 0 }, "a non-negative number or inf") {
            for t in temperatures { for a in alphas { points.append(GridPoint(setting: DistillationSetting(temperature: t, alpha: a))) } }
        } else {
            guard let ce = try numbers("ce_weight", { $0 >= 0 && $0.isFinite }, "a non-negative number"),
                  let kl = try numbers("kl_weight", { $0 >= 0 && $0.isFinite }, "a non-negative number") else {
                throw PipelineError("--grid: ce_weight and kl_weight go together")
            }
            let t2 = try (lists["kl_times_t2"] ?? ["true"]).map { v -> Bool in
                switch v.lowercased() { case "true", "1", "yes": return true; case "false", "0", "no": return false
                default: throw PipelineError("--grid: kl_times_t2 = '\(v)' must be true or false") }
            }
            for t in temperatures { for c in ce { for k in kl { for s in t2 where c + k > 0 {
                points.append(GridPoint(setting: DistillationSetting(temperature: t, ceWeight: c, klWeight: k, klTimesTSquared: s)))
            } } } }
        }
        guard !points.isEmpty else { throw PipelineError("--grid describes no configuration") }
        return points
    }
}
