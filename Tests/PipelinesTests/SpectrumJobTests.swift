import ArrayIO
import Foundation
import Pipelines
import Spectra
import Testing
import _TestSupport

func fixture(_ name: String) -> String {
    Bundle.module.path(forResource: "Fixtures/" + name, ofType: nil)!
}

/// numpy's reference values (Fixtures/make_fixtures.py: dense one-hot, centring, eigvalsh).
nonisolated(unsafe) let reference: [String: Any] = {
    let data = try! Data(contentsOf: URL(fileURLWithPath: fixture("reference.json")))
    return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
}()

func referenceCase(_ key: String) -> [String: Any] { reference[key] as! [String: Any] }
func number(_ json: JSONValue?) -> Double {
    switch json { case let .double(d)?: return d; case let .int(i)?: return Double(i); default: return .nan }
}

@Suite struct SpectrumJobTests {
    /// Eigenvalues equal numpy's to 1e-10 relative to the largest on the float64 path, for float32
    /// C-order and float64 Fortran-order logits, probabilities re-tempered, and several block
    /// sizes; on the float32 pass (float32 files only) to 1e-6, with the argmax accuracy exact.
    @Test(arguments: [
        ("logits_f32.npy", OutputKind.logits, 1.0, "logits_t1"),
        ("logits_f64_fortran.npy", .logits, 1.0, "logits_t1"),
        ("logits_f32.npy", .logits, 0.5, "logits_t0.5"),
        ("probs.npy", .probabilities, 2.0, "probs_t2"),
    ], [nil, 1, 37] as [Int?])
    func matchesNumpy(input: (String, OutputKind, Double, String), blockRows: Int?) throws {
        let (file, kind, temperature, key) = input
        for precision in SpectrumJob.SoftmaxPrecision.allCases {
            var job = SpectrumJob(labels: fixture("labels.npy"), student: LoggedOutputs(path: fixture(file), kind: kind, temperature: temperature),
                                  outputFolder: makeTemporaryFolder(), blockRows: blockRows)
            job.softmaxPrecision = precision
            let result = try job.run(progress: false)
            let expected = referenceCase(key)
            let single = result.summary.softmaxPrecision == "single"
            #expect(single == (precision == .single && file.contains("f32")))
            // float32 logits are converted exactly, so the float64 path differs by rounding only.
            let (spectral, scalar) = single ? (1e-6, 1e-6) : (1e-10, 1e-12)
            #expect(maxRelativeDifference(result.spectrum.eigenvalues, expected["eigenvalues"] as! [Double]) < spectral)
            #expect(relativeDifference(result.covariance.traceH, expected["trace_h"] as! Double) < spectral)
            #expect(relativeDifference(result.covariance.softAccuracy, expected["soft_accuracy"] as! Double) < scalar)
            #expect(relativeDifference(result.covariance.meanTerm, expected["mean_term"] as! Double) < scalar)
            #expect(result.covariance.accuracy == reference["accuracy"] as! Double)
            #expect(result.covariance.identityHolds)
        }
    }

    /// Against numpy: 1e-10 for the float64 teacher product, 1e-6 (of the largest eigenvalue)
    /// for the default float32 one.
    @Test(arguments: [CrossCovarianceAccumulator.Precision.double, .single])
    func teacherMatchesNumpy(precision: CrossCovarianceAccumulator.Precision) throws {
        let folder = makeTemporaryFolder()
        var job = SpectrumJob(labels: fixture("labels.npy"),
                              student: LoggedOutputs(path: fixture("logits_f32.npy"), kind: .logits, temperature: 1.5),
                              teacher: LoggedOutputs(path: fixture("teacher_logits.npy"), kind: .logits, temperature: 3),
                              outputFolder: folder, blockRows: 50)
        job.teacherPrecision = precision
        let result = try job.run(progress: false)
        let expected = referenceCase("teacher")
        let tolerance = precision == .double ? 1e-10 : 1e-6
        #expect(maxRelativeDifference(result.teacherSpectrum!.eigenvalues, expected["eigenvalues"] as! [Double]) < tolerance)
        #expect(relativeDifference(result.covariance.traceHhat!, expected["trace_hhat"] as! Double) < tolerance)
        #expect(result.covariance.agreement! == expected["agreement"] as! Double)
        #expect(result.covariance.teacherAccuracy! == expected["teacher_accuracy"] as! Double)
        #expect(filesIn(folder) == ["eigenvalues.csv", "summary.json", "teacher_eigenvalues.csv"])
        let written = try CSVTable.read(path: folder + "/teacher_eigenvalues.csv")
        #expect(written.columnNames == ["eigenvalue"] && written.values == result.teacherSpectrum!.eigenvalues)
    }

    @Test func summaryHasTheDocumentedKeys() throws {
        let folder = makeTemporaryFolder()
        let result = try SpectrumJob(labels: fixture("labels.npy"), student: LoggedOutputs(path: fixture("logits_f32.npy"), kind: .logits),
                                     outputFolder: folder).run(progress: false)
        let s = result.summary.json()
        for key in ["samples", "classes", "q", "temperature", "accuracy", "soft_accuracy", "trace_h", "mean_term",
                    "identity_residual", "structural_zero", "bulk_min", "bulk_max", "bulk_mean"] {
            #expect(s[key] != nil, "missing \(key)")
        }
        #expect(number(s["samples"]) == 300 && number(s["classes"]) == 7)
        #expect(abs(number(s["q"]) - 6.0 / 300) < 1e-15)
        #expect(abs(number(s["identity_residual"])) < 1e-12)
        let bulk = Array(result.spectrum.bulk)
        #expect(number(s["bulk_min"]) == bulk.first! && number(s["bulk_max"]) == bulk.last!)
        // The file on disk is the same JSON, and pandas-style CSV round-trips the eigenvalues.
        let onDisk = try String(contentsOfFile: folder + "/summary.json", encoding: .utf8)
        #expect(onDisk == s.rendered() + "\n")
        #expect(try SpectrumSummary.read(path: folder + "/summary.json") == result.summary)
        #expect(try CSVTable.read(path: folder + "/eigenvalues.csv").values == result.spectrum.eigenvalues)
    }
}
