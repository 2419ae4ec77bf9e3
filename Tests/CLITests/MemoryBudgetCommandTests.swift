import ArrayIO
import Foundation
import Testing
import _TestSupport

/// Work whose dense matrices cannot fit is refused before allocating: one line, exit 1, no files
/// (it used to die in the allocator). `SPECTRALKD_MEMORY_LIMIT` stands in for a small machine.
@Suite struct MemoryBudgetCommandTests {
    func expectRefused(_ run: Run, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, "status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        for word in words + ["needs about", "of memory but this machine has"] {
            #expect(run.stderr.contains(word), "'\(word)' missing from: \(run.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func spectrumOfAFileWhoseRowsAreClasses() throws {
        // One sample of 100000 "classes" (a transposed file): five 10^5 x 10^5 matrices, 400 GB.
        let p = Problem()
        let wide = p.write("wide.npy", Writers.npy(float64: [Double](repeating: 0, count: 100_000), shape: [1, 100_000]))
        let label = p.write("one.npy", Writers.npy(int64: [3], shape: [1]))
        let out = p.folder + "/wide-out"
        let run = try spectralkd(["spectrum", "--labels", label, "--logits", wide, "--out", out], environment: ["SPECTRALKD_MEMORY_LIMIT": "16e9"])
        expectRefused(run, mentioning: [wide, "C = 100000 classes", "400.0 GB", "save the transpose"])
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// When the dense matrices would not fit but the outputs do, `spectrum` estimates the density
    /// matrix-free instead of refusing: a warning, the matrix-free files, and the reason in the summary.
    @Test(.slow) func spectrumSwitchesToMatrixFreeWhenDenseDoesNotFit() throws {
        let p = Problem()
        let (n, c) = (60, 40)  // dense: 5 x 8 x 40^2 = 64 kB; the outputs: 19 kB
        let (z, y) = randomClassifierOutputs(rows: n, classes: c, signal: 1, seed: 3)
        let logits = p.write("wide40.npy", Writers.npy(float64: z, shape: [n, c]))
        let labels = p.write("y40.npy", Writers.npy(int64: y, shape: [n]))
        let limit = ["SPECTRALKD_MEMORY_LIMIT": "40000"]
        let run = try spectralkd(["spectrum", "--labels", labels, "--logits", logits, "--slq-tolerance", "0.2", "--out", p.out, "--json"],
                                 environment: limit)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("warning: the dense C x C matrices for C = 40 need about") && run.stderr.contains("matrix-free instead"))
        let summary = try JSONValue.parse(Array(run.stdout.utf8), file: "stdout")
        #expect(summary["matrix_free"] == .bool(true) && summary["matrix_free_reason"]?.string?.contains("C = 40") == true)
        #expect(filesIn(p.out) == ["density.csv", "slq_nodes.csv", "summary.json"])
        // With enough memory the same command takes the dense path.
        let dense = try spectralkd(["spectrum", "--labels", labels, "--logits", logits, "--out", p.folder + "/dense", "--json"])
        #expect(dense.status == 0 && !dense.stderr.contains("matrix-free") && filesIn(p.folder + "/dense").contains("eigenvalues.csv"))
    }

    @Test func limitsScaleWithTheWork() throws {
        let p = Problem()  // C = 5: 5 matrices of 5 x 5 are 1000 bytes, 10 with a teacher 2000
        let small = ["SPECTRALKD_MEMORY_LIMIT": "1500"]
        #expect(try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--out", p.out], environment: small).status == 0)
        let teacher = try spectralkd(["spectrum", "--labels", p.labels, "--logits", p.logits, "--teacher-logits", p.teacher,
                                      "--out", p.folder + "/t"], environment: small)
        expectRefused(teacher, mentioning: [p.logits, "C = 5 classes"])
    }

    @Test func simulateSampleAndBootstrap() throws {
        let folder = makeTemporaryFolder()
        let tiny = ["SPECTRALKD_MEMORY_LIMIT": "100000"]
        expectRefused(try spectralkd(["simulate", "--classes", "200", "--samples", "100", "--accuracy", "0.5", "--replicas", "2", "--seed", "1",
                                      "--out", folder + "/sim"], environment: tiny), mentioning: ["--classes 200"])
        expectRefused(try spectralkd(["sample", "wishart", "--kind", "white", "--dimension", "200", "--samples", "400", "--seed", "1",
                                      "--out", folder + "/w.csv"], environment: tiny), mentioning: ["--dimension 200"])
        // 300 pooled eigenvalues in one file: a bootstrap at dimension 300.
        let values = (0..<300).map { Double($0) / 300 + 0.5 }
        let eigen = folder + "/e.csv"
        writeFile(eigen, Writers.csv(header: ["eigenvalue"], columns: [values]))
        expectRefused(try spectralkd(["fit", "--eigenvalues", eigen, "--q", "0.5", "--bootstrap", "9", "--out", folder + "/fit"], environment: tiny),
                      mentioning: [eigen, "dimension 300", "--bootstrap 0"])
        #expect(filesIn(folder) == ["e.csv"])
    }

    @Test func gridsAndDrawsSizedByOptions() throws {
        let folder = makeTemporaryFolder()
        let tiny = ["SPECTRALKD_MEMORY_LIMIT": "100000"]
        expectRefused(try spectralkd(["density", "--q", "0.5", "--scale", "1", "--correlation", "0.2", "--points", "100000",
                                      "--out", folder + "/d.csv"], environment: tiny), mentioning: ["--points 100000"])
        writeFile(folder + "/x.csv", Writers.csv(header: ["x"], columns: [(0..<50).map { Double($0 % 7) }]))
        expectRefused(try spectralkd(["kde", "--input", folder + "/x.csv", "--grid", "100000", "--bandwidth", "scott",
                                      "--out", folder + "/k.csv"], environment: tiny), mentioning: ["--grid 100000"])
        // count x atoms overflows Int64: refused by size, not trapped on the multiplication.
        expectRefused(try spectralkd(["sample", "pd", "--alpha", "0.5", "--theta", "1", "--count", "4000000000", "--atoms", "4000000000",
                                      "--seed", "1", "--out", folder + "/w.npy"]), mentioning: ["--count 4000000000 --atoms 4000000000"])
        #expect(filesIn(folder) == ["x.csv"])
    }
}
