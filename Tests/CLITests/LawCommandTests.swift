import ArrayIO
import Foundation
import Testing
import _TestSupport

func json(_ run: Run) throws -> [String: Any] {
    try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
}

@Suite struct DensityCommandTests {
    @Test func referenceLawFromTheCLI() throws {
        let folder = makeTemporaryFolder()
        let run = try spectralkd(["density", "--q", "3", "--scale", "1", "--correlation", "0.3", "--out", folder + "/d.csv", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        let support = s["support"] as! [[Double]]
        #expect(support.count == 2 && abs(support[1][1] - 4.590607143) < 1e-8)
        #expect(abs((s["atom"] as! Double) - 1.0 / 3) < 1e-15)
        let table = try CSVTable.read(path: folder + "/d.csv")
        #expect(table.columnNames == ["x", "density"] && table.rows == 1000)
        // Default grid: support padded by 10% of its width.
        let x = try table.column(named: "x", file: "d.csv")
        #expect(abs(x.first! - (support[0][0] - 0.1 * (support[1][1] - support[0][0]))) < 1e-9)
    }

    @Test func invalidParameters() throws {
        let folder = makeTemporaryFolder()
        let bad = try spectralkd(["density", "--q", "1", "--scale", "1", "--correlation", "2", "--out", folder + "/d.csv"])
        #expect(bad.status == 1 && bad.stderr.contains("correlation = 2.0 is invalid"))
        let range = try spectralkd(["density", "--q", "1", "--scale", "1", "--correlation", "0", "--from", "2", "--to", "1",
                                    "--out", folder + "/d.csv"])
        #expect(range.status == 1 && range.stderr.contains("--to"))
        #expect(filesIn(folder).isEmpty)
    }
}

@Suite struct FitCommandTests {
    @Test func fitsASpectrumFolder() throws {
        let p = Problem()
        #expect(try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out]).status == 0)
        // 4 bulk eigenvalues: too few to fit; a clear error, no files.
        let few = try spectralkd(["fit", "--spectrum", p.out, "--out", p.folder + "/fit"])
        #expect(few.status == 1 && few.stderr.contains("a fit needs at least 10") && few.stderr.contains("--spectrum D1 --spectrum D2"), "\(few.stderr)")
        #expect(filesIn(p.folder + "/fit").isEmpty)
    }

    @Test(.slow) func fitsPooledEigenvalueFiles() throws {
        let folder = makeTemporaryFolder()
        // Two samples of the law's quantiles at q = 0.25, s2 = 1, c = 0.5, written as a spectrum would be.
        let density = try spectralkd(["density", "--q", "0.25", "--scale", "1", "--correlation", "0.5", "--points", "4000",
                                      "--out", folder + "/d.csv"])
        #expect(density.status == 0)
        let table = try CSVTable.read(path: folder + "/d.csv")
        let x = try table.column(named: "x", file: "d"), f = try table.column(named: "density", file: "d")
        var cumulative = [0.0]
        for i in 1..<x.count { cumulative.append(cumulative[i - 1] + (f[i] + f[i - 1]) / 2 * (x[i] - x[i - 1])) }
        func quantile(_ u: Double) -> Double { x[cumulative.firstIndex { $0 >= u * cumulative.last! } ?? x.count - 1] }
        let a = (0..<300).map { quantile((Double($0) + 0.5) / 300) }
        let b = (0..<300).map { quantile((Double($0) + 0.25) / 300) }
        writeFile(folder + "/a.csv", Writers.csv(header: ["eigenvalue"], columns: [a]))
        writeFile(folder + "/b.npy", Writers.npy(float64: b, shape: [300]))
        let run = try spectralkd(["fit", "--eigenvalues", folder + "/a.csv", "--eigenvalues", folder + "/b.npy", "--q", "0.25",
                                  "--out", folder + "/fit", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let s = try json(run)
        #expect(s["n"] as? Int == 600)
        #expect(abs((s["scale"] as! Double) - 1) < 0.02 && abs((s["correlation"] as! Double) - 0.5) < 0.02)
        #expect(s["adequate"] as? Bool == true)
        #expect(filesIn(folder + "/fit") == ["density.csv", "fit.json"])
    }

    /// Bootstrap replicates run in parallel, each on its own random stream: the p-value is the
    /// same for one thread or several, and the fit itself does not change.
    @Test(.slow) func bootstrapIsTheSameForAnyThreadCount() throws {
        let folder = makeTemporaryFolder()
        let sample = try spectralkd(["sample", "wishart", "--kind", "generalized", "--dimension", "40", "--samples", "160",
                                     "--correlation", "0.4", "--seed", "3", "--out", folder + "/e.csv"])
        #expect(sample.status == 0, "\(sample.stderr)")
        var summaries: [[String: Any]] = []
        for threads in ["1", "2", "3"] {
            let run = try spectralkd(["fit", "--eigenvalues", folder + "/e.csv", "--q", "0.25", "--bootstrap", "9", "--seed", "5",
                                      "--out", folder + "/fit" + threads, "--json"], environment: ["SPECTRALKD_THREADS": threads])
            #expect(run.status == 0, "\(run.stderr)")
            summaries.append(try json(run))
        }
        let p = summaries.map { $0["p_value"] as? Double }
        #expect(p[0] != nil && p[0]! >= 1.0 / 10 && p[0]! <= 1)
        for key in ["p_value", "ks", "scale", "correlation"] {
            let values = summaries.map { $0[key] as? Double }
            #expect(values[0] == values[1] && values[1] == values[2], "\(key): \(values)")
        }
    }

    @Test func notGMPLikeIsReportedAndBadInputFails() throws {
        let folder = makeTemporaryFolder()
        let values = (0..<100).map { 5 + 0.001 * Double($0) }
        writeFile(folder + "/e.csv", Writers.csv(header: ["eigenvalue"], columns: [values]))
        let run = try spectralkd(["fit", "--eigenvalues", folder + "/e.csv", "--q", "0.1", "--out", folder + "/fit", "--json"])
        #expect(run.status == 0)
        let s = try json(run)
        #expect(s["adequate"] as? Bool == false && (s["reason"] as? String)?.contains("not GMP-like") == true)
        #expect(s["scale"] is NSNull && s["ks"] is NSNull)
        #expect(filesIn(folder + "/fit") == ["fit.json"])
        let noQ = try spectralkd(["fit", "--eigenvalues", folder + "/e.csv", "--out", folder + "/fit2"])
        #expect(noQ.status == 1 && noQ.stderr.contains("--q free"))
        let both = try spectralkd(["fit", "--eigenvalues", folder + "/e.csv", "--q", "0.1", "--classes", "3", "--samples", "10"])
        #expect(both.status == 64)
        writeFile(folder + "/nan.csv", Array("eigenvalue\n1\nnan\n".utf8) + Array(String(repeating: "2\n", count: 20).utf8))
        let nan = try spectralkd(["fit", "--eigenvalues", folder + "/nan.csv", "--q", "0.1", "--out", folder + "/fit3"])
        #expect(nan.status == 1 && nan.stderr.contains("not finite"), "\(nan.stderr)")
        #expect(filesIn(folder + "/fit3").isEmpty)
    }
}
