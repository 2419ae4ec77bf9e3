import ArrayIO
import Distillation
import Foundation
import Testing
import _TestSupport

@Suite struct PredictCommandTests {
    func json(_ run: Run) throws -> [String: Any] { try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any] }

    /// Given factors: acc_d = 1/C + R e_b with R = (T + a g)(T + a chi)/(T + a)^2; negative
    /// numbers are accepted as values (--g -2.5).
    @Test func givenFactors() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["predict", "--classes", "10", "--baseline-accuracy", "0.6", "--teacher-accuracy", "0.8",
                                  "--temperature", "2", "--alpha", "2", "--g", "0.8", "--chi", "1.5", "--out", folder, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        for key in ["predicted_accuracy", "lower", "upper", "g", "chi", "form", "g_estimator", "chi_estimator", "recommended", "warnings", "inputs"] {
            #expect(s[key] != nil, "missing \(key)")
        }
        // R = (2 + 1.6)(2 + 3)/16 = 1.125; acc = 0.1 + 1.125 * 0.5.
        #expect(abs((s["predicted_accuracy"] as! Double) - 0.6625) < 1e-12)
        #expect(s["g_estimator"] as? String == "given" && s["form"] as? String == "dual" && s["interval_source"] as? String == "unavailable")
        #expect(filesIn(folder) == ["prediction.json", "predictions.csv"])
        let negative = try spectralkd(["predict", "--classes", "10", "--baseline-accuracy", "0.6", "--teacher-accuracy", "0.8",
                                       "--temperature", "2", "--alpha", "2", "--g", "-2.5", "--chi", "1", "--out", folder, "--json"])
        #expect(negative.status == 0, "\(negative.stderr)")
        #expect(try json(negative)["g"] as? Double == -2.5)
    }

    /// An impossible accuracy is never printed unflagged: --g 50 --chi 50 is flagged, clipped to
    /// [0, 1], and the flag reaches stdout, JSON, CSV and stderr.
    @Test func outOfRangeIsFlagged() throws {
        let folder = makeTemporaryFolder()
        let base = ["predict", "--classes", "100", "--baseline-accuracy", "0.29", "--teacher-accuracy", "0.34", "--temperature", "4",
                    "--alpha-hinton", "0.5", "--g", "50", "--chi", "50", "--out", folder]
        let run = try spectralkd(base + ["--json"])
        #expect(run.status == 0)
        let s = try json(run)
        #expect((s["predicted_accuracy"] as! Double) <= 1)
        #expect((s["flags"] as! [String]).contains("out-of-range") && run.stderr.contains("out-of-range"))
        let table = try TextTable.read(path: folder + "/predictions.csv")
        #expect(try table.text(0, "flag").contains("out-of-range"))
        let text = try spectralkd(base)
        #expect(text.stdout.contains("out-of-range"))
    }

    /// Zero-shot: teacher-margin by default without pilots, with its measured error stated.
    @Test func zeroShotStatesItsError() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["predict", "--classes", "100", "--baseline-accuracy", "0.725", "--teacher-accuracy", "0.794",
                                  "--temperature", "4", "--ce-weight", "0.1", "--kl-weight", "0.9", "--kl-times-t2", "--out", folder, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        #expect(s["chi_estimator"] as? String == "teacher-margin")
        #expect((s["expected_error"] as? [String: Any])?["measurements"] != nil)
        #expect(run.stderr.contains("zero-shot chi (teacher-margin) was measured at MAE"))
        // With g = 1 it is the dual interpolation: w_h acc_b + w_s acc_t, alpha = 0.9 * 16 / 0.1 = 144.
        let ws = 144.0 / 148
        #expect(abs((s["predicted_accuracy"] as! Double) - ((1 - ws) * 0.725 + ws * 0.794)) < 1e-12)
    }

    /// One pilot from a runs file predicts a 16-configuration grid and names its best one.
    @Test func onePilotGrid() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["predict", "--pilots", repositoryRoot + "/data/runs/sweep.csv", "--pilot-filter", "T=4 alpha_h=0.1",
                                  "--grid", "T=1,2,4,8 alpha_h=0,0.1,0.5,0.9", "--out", folder])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("recommended: T = ") && run.stdout.contains("held-out configurations in the file: MAE"))
        let s = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/prediction.json"))) as! [String: Any]
        #expect(s["configurations"] as? Int == 16 && s["pilot_count"] as? Int == 1 && s["chi_se"] != nil)
        let held = s["held_out"] as! [String: Double]
        #expect(held["formula_mae_points"]! < held["no_change_mae_points"]! && held["formula_mae_points"]! < held["dual_interpolation_mae_points"]!)
    }

    /// --classes and --baseline-accuracy are checked against the logs (0.5 points).
    @Test func optionsAreCheckedAgainstLogs() throws {
        let p = Problem()
        let run = try spectralkd(["predict", "--classes", "5", "--baseline-accuracy", "0.99", "--teacher-accuracy", "0.7",
                                  "--temperature", "4", "--alpha", "1", "--chi-estimator", "argmax-agreement",
                                  "--student-logits", p.logits, "--teacher-logits", p.teacher, "--labels", p.labels, "--out", p.out])
        #expect(run.status == 1 && run.stderr.contains("more than 0.5 points apart"), "\(run.stderr)")
        let classes = try spectralkd(["predict", "--classes", "7", "--baseline-accuracy", "0.5", "--teacher-accuracy", "0.7",
                                      "--temperature", "4", "--alpha", "1", "--chi-estimator", "argmax-agreement",
                                      "--student-logits", p.logits, "--teacher-logits", p.teacher, "--labels", p.labels, "--out", p.out])
        #expect(classes.status == 1 && classes.stderr.contains("has 5 classes but --classes is 7"))
        #expect(filesIn(p.out).isEmpty)
    }

    @Test func badInput() throws {
        let p = Problem()
        let base = ["predict", "--classes", "5", "--baseline-accuracy", "0.5", "--teacher-accuracy", "0.7", "--temperature", "4"]
        let noAlpha = try spectralkd(base + ["--g", "1", "--chi", "1"])
        #expect(noAlpha.status == 64 && noAlpha.stderr.contains("needs the weights"))
        let pct = try spectralkd(["predict", "--classes", "5", "--baseline-accuracy", "73", "--teacher-accuracy", "0.7",
                                  "--temperature", "4", "--alpha", "1", "--chi", "1"])
        #expect(pct.status == 64 && pct.stderr.contains("fraction"))
        let estimator = try spectralkd(base + ["--alpha", "1", "--chi-estimator", "agreement"])
        #expect(estimator.status == 64)
        let missing = try spectralkd(base + ["--alpha", "1", "--chi-estimator", "argmax-agreement", "--student-logits", p.folder + "/none.npy",
                                             "--teacher-logits", p.teacher, "--labels", p.labels, "--out", p.out])
        #expect(missing.status == 1 && missing.stderr.contains("none.npy"))
        let pilots = try spectralkd(base + ["--alpha", "1", "--chi-estimator", "pilots", "--out", p.out])
        #expect(pilots.status == 1 && pilots.stderr.contains("needs --pilots"))
        #expect(filesIn(p.out).isEmpty)
    }
}

@Suite struct EvaluateCommandTests {
    /// A small hand-made sweep; the metrics of the no-change baseline are computed by hand.
    @Test func handMadeSweep() throws {
        let folder = makeTemporaryFolder()
        let csv = DistillationRuns.handMade
        writeFile(folder + "/runs.csv", Array(csv.utf8))
        let run = try spectralkd(["evaluate", "--runs", folder + "/runs.csv", "--out", folder + "/eval", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let m = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(m["configurations"] as? Int == 3)
        // Baseline mean 0.61; observed 0.67, 0.70, 0.72: errors -6, -9, -11 points.
        let noChange = m["no_change"] as! [String: Any]
        #expect(abs((noChange["mae"] as! Double) - 26.0 / 3) < 1e-9)
        #expect(abs((noChange["bias"] as! Double) + 26.0 / 3) < 1e-9)
        #expect(abs((noChange["rmse"] as! Double) - ((36.0 + 81 + 121) / 3).squareRoot()) < 1e-9)
        // Teacher 0.80: errors +13, +10, +8.
        #expect(abs(((m["teacher"] as! [String: Any])["mae"] as! Double) - 31.0 / 3) < 1e-9)
        for key in ["formula", "dual_interpolation", "teacher_gap_fraction", "per_temperature", "noise_floor_points"] { #expect(m[key] != nil) }
        #expect((m["chi_estimator"] as? String)?.contains("pilots") == true && m["model"] as? String == "soft-weight")
        let table = try TextTable.read(path: folder + "/eval/predictions.csv")
        #expect(table.rows.count == 3 && table.header.contains("residual_formula"))
        #expect(try table.number(0, "seeds") == 2 && abs(try table.number(0, "observed") - 0.67) < 1e-12)
    }

    @Test func badRunsFiles() throws {
        let folder = makeTemporaryFolder()
        writeFile(folder + "/odd.csv", Array("a,b\n1,2\n".utf8))
        let odd = try spectralkd(["evaluate", "--runs", folder + "/odd.csv", "--out", folder + "/e"])
        #expect(odd.status == 1 && odd.stderr.contains("neither a sweep"))
        writeFile(folder + "/pct.csv", Array("source,dataset,classes,test_size,teacher,student,teacher_acc,student_acc,kd_acc,temperature,ce_weight,kl_weight,kl_times_t2\nx,c,100,1,a,b,75.6,73.2,74.9,4,0.1,0.9,true\nx,c,100,1,a,b,0.75,0.73,0.74,4,0.1,0.9,true\n".utf8))
        let pct = try spectralkd(["evaluate", "--runs", folder + "/pct.csv", "--out", folder + "/e"])
        #expect(pct.status == 1 && pct.stderr.contains("mixes fractions and percentages"))
        #expect(filesIn(folder + "/e").isEmpty)
    }

    /// Done when: on both committed sweeps, `evaluate --reduction 1` gives the formula a mean
    /// held-out MAE below every baseline fitted on the same single pilot.
    @Test(arguments: ["sweep.csv", "sweep_deep.csv"])
    func onePilotReductionBeatsBaselines(name: String) throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["evaluate", "--runs", repositoryRoot + "/data/runs/" + name, "--reduction", "1", "--out", folder, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let m = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let pooled = (m["reduction"] as! [String: Any])["pooled"] as! [[String: Any]]
        let formula = pooled[0]["mean_mae"] as! Double
        #expect(pooled[0]["name"] as? String == "formula")
        for b in pooled where ["no_change", "teacher", "dual_interpolation", "teacher_gap_fraction"].contains(b["name"] as! String) {
            #expect(formula < b["mean_mae"] as! Double, "\(b["name"]!)")
        }
        let table = try TextTable.read(path: folder + "/reduction.csv")
        #expect(table.rows.count == 16 && table.header.contains("mae_formula") && table.header.contains("pilots"))
    }

    /// The zero-shot record printed by predict (ZeroShotRecord) is what evaluate measures on the
    /// committed data, and so is its one-pilot figure.
    @Test(.slow) func zeroShotRecordIsCurrent() throws {
        for (i, (name, example)) in [("sweep.csv", "example"), ("sweep_deep.csv", "example_sweep_deep")].enumerated() {
            let record = ZeroShotRecord.teacherMargin.measurements[i]
            #expect(record.sweep == "data/runs/" + name)
            let (mae, noChange) = (record.maePoints, record.noChangeMAEPoints)
            let run = try spectralkd(["evaluate", "--runs", repositoryRoot + "/data/runs/" + name, "--chi-estimator", "teacher-margin",
                                      "--out", makeTemporaryFolder(), "--json"])
            let m = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
            #expect(abs(((m["formula"] as! [String: Any])["mae"] as! Double) - mae) < 5e-5, "\(name)")
            #expect(abs(((m["no_change"] as! [String: Any])["mae"] as! Double) - noChange) < 5e-5)
            let d = repositoryRoot + "/data/" + example
            let agreement = try spectralkd(["evaluate", "--runs", repositoryRoot + "/data/runs/" + name, "--chi-estimator", "argmax-agreement",
                                            "--student-logits", d + "/student_logits.npy", "--teacher-logits", d + "/teacher_logits.npy",
                                            "--labels", d + "/labels.npy", "--out", makeTemporaryFolder(), "--json"])
            let a = try JSONSerialization.jsonObject(with: Data(agreement.stdout.utf8)) as! [String: Any]
            let expected = ZeroShotRecord.argmaxAgreement.measurements[i].maePoints
            #expect(abs(((a["formula"] as! [String: Any])["mae"] as! Double) - expected) < 5e-5, "\(name) argmax-agreement")
            let one = try spectralkd(["evaluate", "--runs", repositoryRoot + "/data/runs/" + name, "--reduction", "1", "--out", makeTemporaryFolder(), "--json"])
            let r = try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as! [String: Any]
            let pooled = (r["reduction"] as! [String: Any])["pooled"] as! [[String: Any]]
            #expect(abs((pooled[0]["mean_mae"] as! Double) - record.onePilotMAEPoints) < 5e-5)
        }
    }
}

@Suite struct TeacherContextTests {
    /// predict with teacher logits carries the teacher's statistics as context, equal to what
    /// spectralkd teacher computes on the same files; without them the field is null.
    @Test func predictCarriesTeacherQuality() throws {
        let p = Problem()
        let base = ["predict", "--classes", "5", "--teacher-accuracy", "0.7", "--temperature", "4", "--alpha", "1", "--baseline-accuracy", "0.475"]
        let run = try spectralkd(base + ["--student-logits", p.logits, "--teacher-logits", p.teacher, "--labels", p.labels,
                                         "--out", p.out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let q = try #require(s["teacher_quality"] as? [String: Any])
        #expect(q["role"] as? String == "context")
        let teacher = try spectralkd(["teacher", "--labels", p.labels, "--logits", p.teacher, "--student-logits", p.logits,
                                      "--out", makeTemporaryFolder(), "--json"])
        let t = try JSONSerialization.jsonObject(with: Data(teacher.stdout.utf8)) as! [String: Any]
        for key in ["accuracy", "log_loss", "brier", "ece"] { #expect(q[key] as? Double == t[key] as? Double, "\(key)") }
        #expect(q["student_risk_variance_reduction"] as? Double == (t["student"] as! [String: Any])["variance_reduction"] as? Double)
        let plain = try spectralkd(base + ["--out", makeTemporaryFolder(), "--json"])
        let ps = try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as! [String: Any]
        #expect(ps["teacher_quality"] is NSNull)
    }
}

@Suite struct TeacherCommandTests {
    /// The interface others script against: teacher.json keys, the files, a hand-checkable
    /// accuracy, and bad input refused with no files.
    @Test func summaryAndFiles() throws {
        let p = Problem()
        let run = try spectralkd(["teacher", "--labels", p.labels, "--logits", p.teacher, "--student-logits", p.logits, "--out", p.out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        for key in ["accuracy", "log_loss", "brier", "ece", "bins", "entropy", "ece_equal_mass", "reliability", "student", "provenance"] {
            #expect(s[key] != nil, "missing \(key)")
        }
        #expect(s["bins"] as? Int == 15 && (s["ece"] as! Double) >= 0 && (s["ece"] as! Double) <= 1)
        #expect(filesIn(p.out) == ["reliability.csv", "reliability.svg", "teacher.json"])
        // The teacher's accuracy equals spectrum's teacher accuracy on the same files.
        let spec = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--teacher-logits", p.teacher,
                                   "--out", p.folder + "/s", "--json"])
        let t = try JSONSerialization.jsonObject(with: Data(spec.stdout.utf8)) as! [String: Any]
        #expect(abs((s["accuracy"] as! Double) - (t["teacher_accuracy"] as! Double)) < 1e-15)
        let table = try TextTable.read(path: p.out + "/reliability.csv")
        #expect(table.header == ["scheme", "lower", "upper", "count", "confidence", "accuracy"] && table.rows.count == 30)
        let bad = try spectralkd(["teacher", "--labels", p.labels, "--probs", p.teacher, "--out", p.folder + "/bad"])
        #expect(bad.status == 1 && bad.stderr.contains("not a probability vector") && bad.stderr.contains("--logits"))
        #expect(!FileManager.default.fileExists(atPath: p.folder + "/bad"))
    }
}
