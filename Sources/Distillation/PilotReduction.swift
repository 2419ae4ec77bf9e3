import Ensembles

/// One predictor of a held-out configuration from pilot runs: fitted on the pilots (or not at
/// all, for the naive baselines), then applied to the rest.
public struct HeldOutPredictor: Sendable {
    public let name: String
    /// Predictions for `heldOut` after fitting on `pilots`; nil when this predictor cannot be
    /// fitted on these pilots (too few of them, or collinear).
    public let predict: @Sendable (_ pilots: [ObservedConfiguration], _ heldOut: [ObservedConfiguration]) -> [Double]?

    public init(name: String, predict: @escaping @Sendable ([ObservedConfiguration], [ObservedConfiguration]) -> [Double]?) {
        self.name = name; self.predict = predict
    }

    /// A pilot model, its predictions clipped to `[0, 1]` as they are reported.
    public static func model(_ model: PilotModel, name: String) -> HeldOutPredictor {
        HeldOutPredictor(name: name) { pilots, heldOut in
            guard let fit = try? PilotFit(model, pilots: pilots) else { return nil }
            return heldOut.map { PredictionGuard.clipped(fit.predict($0).value) }
        }
    }

    /// The old per-temperature fit (one g per temperature and chi), refitted on each pilot set;
    /// nil where the pilots are fewer than its parameters.
    public static func perTemperature(form: FormulaForm, name: String) -> HeldOutPredictor {
        HeldOutPredictor(name: name) { pilots, heldOut in
            guard let c = try? Calibration(fitting: pilots, form: form) else { return nil }
            return heldOut.map { r in
                PredictionGuard.clipped(DistilledAccuracyPrediction(classes: r.classes, baselineAccuracy: r.baselineAccuracy, setting: r.setting,
                                                                   g: c.g(at: r.setting.temperature), chi: c.chi, form: form,
                                                                   gEstimator: "per-temperature", chiEstimator: "per-temperature").predictedAccuracy)
            }
        }
    }

    /// The baselines of docs/theory.md §5.5; the teacher-gap fraction `k` is fitted on the same pilots.
    public static let baselines: [HeldOutPredictor] = [
        HeldOutPredictor(name: "no_change") { _, h in h.map(Baselines.noChange) },
        HeldOutPredictor(name: "teacher") { _, h in h.map(Baselines.teacher) },
        HeldOutPredictor(name: "dual_interpolation") { _, h in h.map(Baselines.dualInterpolation) },
        HeldOutPredictor(name: "teacher_gap_fraction") { p, h in h.map { Baselines.teacherGapFraction($0, training: p) } },
    ]
}

/// The k-pilot reduction protocol (docs/theory.md §5.5): every k-subset of the configurations (or a
/// seeded random sample of them) serves once as the pilots; each predictor is fitted on the
/// pilots and scored by its MAE on the configurations held out.
public struct PilotReduction: Sendable {
    /// Scores of one predictor over all pilot sets, in accuracy points.
    public struct Summary: Sendable, Equatable {
        public let name: String
        public let meanMAE: Double
        public let medianMAE: Double
        public let worstMAE: Double
        /// Pilot sets on which this predictor could be fitted.
        public let pilotSets: Int
        /// Share of the pilot sets where the first predictor (the formula) has the lower held-out
        /// MAE (ties count half), over the sets both could be fitted on; nil for the formula.
        public let formulaBetterShare: Double?
        /// The formula's mean MAE over the same pilot sets (a fair comparison when this predictor
        /// could be fitted on only some of them); nil for the formula.
        public let formulaMeanMAEOnSameSets: Double?
    }

    /// One pilot set's result: the pilots' indices and each predictor's MAE (nil: not fitted).
    public struct PilotSet: Sendable {
        public let pilots: [Int]
        public let mae: [Double?]
    }

    public let k: Int
    public let exhaustive: Bool
    public let predictors: [String]
    public let sets: [PilotSet]
    public let summaries: [Summary]

    /// - Parameters:
    ///   - configurations: the observed configurations of one group.
    ///   - k: pilots per set, `1 <= k < configurations.count`.
    ///   - predictors: the formula first, then what it is compared with.
    ///   - subsets: nil for all k-subsets; else that many random k-subsets drawn with `seed`.
    public init(configurations: [ObservedConfiguration], k: Int, predictors: [HeldOutPredictor], subsets: Int? = nil, seed: UInt64 = 0) {
        precondition(k >= 1 && k < configurations.count, "need 1 <= k < number of configurations")
        self.k = k
        let n = configurations.count
        let pilotSets: [[Int]]
        if let subsets {
            var rng = Xoshiro256StarStar(seed: seed)
            pilotSets = (0..<subsets).map { _ in
                var pool = Array(0..<n)
                for i in 0..<k { pool.swapAt(i, i + Int(rng.next() % UInt64(n - i))) }
                return Array(pool.prefix(k)).sorted()
            }
            exhaustive = false
        } else {
            pilotSets = Self.combinations(n, k)
            exhaustive = true
        }
        self.predictors = predictors.map(\.name)
        sets = pilotSets.map { chosen in
            let isPilot = Set(chosen)
            let pilots = chosen.map { configurations[$0] }
            let heldOut = configurations.indices.filter { !isPilot.contains($0) }.map { configurations[$0] }
            let observed = heldOut.map(\.distilledAccuracy)
            return PilotSet(pilots: chosen, mae: predictors.map { p in
                p.predict(pilots, heldOut).map { ErrorMetrics(predicted: $0, observed: observed).mae }
            })
        }
        summaries = Self.summarise(sets, names: predictors.map(\.name))
    }

    /// Summaries over several groups' pilot sets pooled (each set counts once).
    public static func pooled(_ reductions: [PilotReduction]) -> [Summary] {
        guard let first = reductions.first else { return [] }
        return summarise(reductions.flatMap(\.sets), names: first.predictors)
    }

    static func summarise(_ sets: [PilotSet], names: [String]) -> [Summary] {
        names.indices.map { j in
            let values = sets.compactMap { $0.mae[j] }.sorted()
            var share: Double?, formulaMean: Double?
            if j > 0 {
                let pairs = sets.compactMap { s -> (Double, Double)? in
                    guard let f = s.mae[0], let b = s.mae[j] else { return nil }
                    return (f, b)
                }
                if !pairs.isEmpty {
                    share = pairs.map { $0.0 < $0.1 ? 1.0 : ($0.0 == $0.1 ? 0.5 : 0) }.reduce(0, +) / Double(pairs.count)
                    formulaMean = pairs.map(\.0).reduce(0, +) / Double(pairs.count)
                }
            }
            guard !values.isEmpty else {
                return Summary(name: names[j], meanMAE: .nan, medianMAE: .nan, worstMAE: .nan, pilotSets: 0, formulaBetterShare: share,
                               formulaMeanMAEOnSameSets: formulaMean)
            }
            let m = values.count
            let median = m % 2 == 1 ? values[m / 2] : (values[m / 2 - 1] + values[m / 2]) / 2
            return Summary(name: names[j], meanMAE: values.reduce(0, +) / Double(m), medianMAE: median,
                           worstMAE: values.last!, pilotSets: m, formulaBetterShare: share, formulaMeanMAEOnSameSets: formulaMean)
        }
    }

    /// All k-subsets of `0..<n` in lexicographic order.
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        var result: [[Int]] = [], current = Array(0..<k)
        while true {
            result.append(current)
            var i = k - 1
            while i >= 0 && current[i] == n - k + i { i -= 1 }
            if i < 0 { return result }
            current[i] += 1
            for j in (i + 1)..<k { current[j] = current[j - 1] + 1 }
        }
    }

    /// `C(n, k)`, saturating at `Int.max`.
    public static func count(_ n: Int, _ k: Int) -> Int {
        var result = 1.0
        for i in 0..<k { result = result * Double(n - i) / Double(i + 1) }
        return result > 9e18 ? Int.max : Int(result.rounded())
    }
}
