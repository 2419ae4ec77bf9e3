import Distillation
import Foundation
import Testing
import _TestSupport

@Suite struct FormulaTests {
    /// The dual form: R = 1 at alpha = 0 for every T, g, chi; R -> g chi as alpha -> infinity.
    @Test(arguments: [0.5, 1.0, 4.0, 20.0], [(0.3, 1.7), (1.0, 1.0), (2.0, 0.5)])
    func dualLimits(t: Double, gc: (Double, Double)) {
        let (g, chi) = gc
        #expect(FormulaForm.dual.ratio(DistillationSetting(temperature: t, alpha: 0), g: g, chi: chi) == 1)
        #expect(FormulaForm.dual.ratio(DistillationSetting(temperature: t, alpha: .infinity), g: g, chi: chi) == g * chi)
        let large = FormulaForm.dual.ratio(DistillationSetting(temperature: t, alpha: 1e9), g: g, chi: chi)
        #expect(abs(large - g * chi) < 1e-7)
        // Printed: R(0) = 1/T (the defect docs/theory.md §5.3 points out), R -> T g chi.
        #expect(abs(FormulaForm.printed.ratio(DistillationSetting(temperature: t, alpha: 0), g: g, chi: chi) - 1 / t) < 1e-15)
        let printedLarge = FormulaForm.printed.ratio(DistillationSetting(temperature: t, alpha: 1e9), g: g, chi: chi)
        #expect(abs(printedLarge / (t * g * chi) - 1) < 1e-7)
    }

    /// With g = chi = 1 distillation changes nothing, in the dual form, at every alpha.
    @Test func neutralFactors() {
        for a in [0.0, 0.3, 5, 1e3] {
            #expect(abs(FormulaForm.dual.ratio(DistillationSetting(temperature: 3, alpha: a), g: 1, chi: 1) - 1) < 1e-15)
        }
    }

    @Test func alphaConversions() {
        // Hinton: alpha = (1 - alpha_H) T^2 / alpha_H.
        #expect(DistillationSetting(temperature: 4, hintonAlpha: 0.1).alpha == 0.9 * 16 / 0.1)
        #expect(DistillationSetting(temperature: 4, hintonAlpha: 0).alpha.isInfinite)
        #expect(DistillationSetting(temperature: 4, hintonAlpha: 1).alpha == 0)
        // Script weights with and without the T^2 factor.
        #expect(DistillationSetting(temperature: 4, ceWeight: 0.1, klWeight: 0.9, klTimesTSquared: true).alpha == 0.9 * 16 / 0.1)
        #expect(DistillationSetting(temperature: 4, ceWeight: 0.5, klWeight: 0.5, klTimesTSquared: false).alpha == 1)
        #expect(DistillationSetting(temperature: 2, ceWeight: 0, klWeight: 1, klTimesTSquared: true).alpha.isInfinite)
        // Hinton's alpha_H and the equivalent script weights agree.
        for t in [1.0, 2, 8] {
            for ah in [0.1, 0.5, 0.9] {
                let a = DistillationSetting(temperature: t, hintonAlpha: ah).alpha
                let b = DistillationSetting(temperature: t, ceWeight: ah, klWeight: 1 - ah, klTimesTSquared: true).alpha
                #expect(relativeDifference(a, b) < 1e-14)
            }
        }
        let s = DistillationSetting(temperature: 2, alpha: 6)
        #expect(s.hardWeight == 0.25 && s.softWeight == 0.75)
        let soft = DistillationSetting(temperature: 2, alpha: .infinity)
        #expect(soft.hardWeight == 0 && soft.softWeight == 1)
    }

    @Test func predictionRecordsItsEstimators() {
        let p = DistilledAccuracyPrediction(classes: 10, baselineAccuracy: 0.6, setting: DistillationSetting(temperature: 2, alpha: 2),
                                            g: 0.8, chi: 1.5, gEstimator: "trace", chiEstimator: "agreement")
        // R = (2 + 1.6)(2 + 3)/16 = 1.125; acc = 0.1 + 1.125 * 0.5.
        #expect(abs(p.ratio - 1.125) < 1e-15 && abs(p.predictedAccuracy - 0.6625) < 1e-15)
        #expect(p.gEstimator == "trace" && p.chiEstimator == "agreement" && p.form == .dual)
    }
}

@Suite struct MetricsTests {
    /// Metrics on a hand-made set, computed by hand.
    @Test func handComputedMetrics() {
        let m = ErrorMetrics(predicted: [0.50, 0.62, 0.71], observed: [0.52, 0.60, 0.70])
        // Errors in points: -2, +2, +1 -> MAE 5/3, RMSE sqrt(9/3), bias 1/3.
        #expect(abs(m.mae - 5.0 / 3) < 1e-12 && abs(m.rmse - 3.0.squareRoot()) < 1e-12 && abs(m.bias - 1.0 / 3) < 1e-12)
        #expect(shareBetter([0.51, 0.60, 0.75], than: [0.50, 0.62, 0.70], observed: [0.52, 0.60, 0.70]) == 2.0 / 3)
        #expect(shareBetter([0.51], than: [0.53], observed: [0.52]) == 0.5)
        let r = ObservedConfiguration(label: "x", classes: 10, setting: DistillationSetting(temperature: 2, alpha: 2),
                                      baselineAccuracy: 0.6, teacherAccuracy: 0.8, distilledAccuracy: 0.7)
        #expect(abs(Baselines.dualInterpolation(r) - 0.7) < 1e-15)
        let training = [ObservedConfiguration(label: "a", classes: 10, setting: r.setting, baselineAccuracy: 0.5, teacherAccuracy: 0.9,
                                              distilledAccuracy: 0.6)]
        // k = (0.1 * 0.4) / 0.4^2 = 0.25 -> 0.6 + 0.25 * 0.2.
        #expect(abs(Baselines.teacherGapFraction(r, training: training) - 0.65) < 1e-15)
    }
}

@Suite struct LeaveOneOutTests {
    func config(_ label: String, distilled: Double) -> ObservedConfiguration {
        ObservedConfiguration(label: label, classes: 10, setting: DistillationSetting(temperature: 4, alpha: 1), baselineAccuracy: 0.5,
                              teacherAccuracy: 0.8, distilledAccuracy: distilled)
    }

    /// A predictor that returns the mean of what it was fitted on: each held-out prediction is the
    /// mean of the others of its group only, and the metrics and wins follow by hand.
    @Test func fitsNeverSeeTheHeldOutRunOrAnotherGroup() {
        let configs = [config("a1", distilled: 0.60), config("a2", distilled: 0.62), config("a3", distilled: 0.64),
                       config("b1", distilled: 0.90), config("b2", distilled: 0.94)]
        let groups = ["a", "a", "a", "b", "b"]
        let mean = HeldOutPredictor(name: "mean") { pilots, heldOut in
            pilots.isEmpty ? nil : heldOut.map { _ in pilots.map(\.distilledAccuracy).reduce(0, +) / Double(pilots.count) }
        }
        let constant = HeldOutPredictor(name: "half") { _, heldOut in heldOut.map { _ in 0.5 } }
        let loo = LeaveOneOut(configs, groups: groups, predictors: [mean, constant])
        let expected = [0.63, 0.62, 0.61, 0.94, 0.90]
        #expect(zip(loo.predictions[0], expected).allSatisfy { abs($0 - $1) < 1e-15 }, "\(loo.predictions[0])")
        #expect(loo.evaluated == [0, 1, 2, 3, 4] && loo.predictions[1] == [0.5, 0.5, 0.5, 0.5, 0.5])
        let mae = zip(expected, configs.map(\.distilledAccuracy)).map { abs($0 - $1) }.reduce(0, +) / 5 * 100
        #expect(abs((loo.metrics(0)?.mae ?? .nan) - mae) < 1e-9)
        #expect(loo.firstWins(against: 1) == 1 && loo.firstWins(against: 0) == nil)
        // A group of one cannot be predicted: it is left out of every metric.
        let single = LeaveOneOut(configs + [config("c1", distilled: 0.7)], groups: groups + ["c"], predictors: [mean, constant])
        #expect(single.evaluated == [0, 1, 2, 3, 4] && single.predictions[0][5].isNaN)
        #expect(single.metrics(1)?.count == 5)
    }
}
