import ArrayIO
import Foundation
@testable import Pipelines
import Spectra
import Testing
import _TestSupport

/// A problem written whole and as shards cut at `cuts` (row indices), with a teacher.
private struct ShardedProblem {
    let folder = makeTemporaryFolder("spectralkd-shards")
    let n: Int, c: Int
    let z: [Double], t: [Double], y: [Int]

    init(rows: Int, classes: Int, seed: UInt64) {
        n = rows; c = classes
        (z, y) = randomClassifierOutputs(rows: rows, classes: classes, signal: 1, seed: seed)
        t = randomClassifierOutputs(rows: rows, classes: classes, signal: 2, seed: seed + 1).logits
        writeFile(folder + "/y.npy", Writers.npy(int64: y, shape: [n]))
        writeFile(folder + "/z.npy", Writers.npy(float64: z, shape: [n, c]))
        writeFile(folder + "/t.npy", Writers.npy(float64: t, shape: [n, c]))
    }

    /// Writes shards `y_i`, `z_i`, `t_i` cut at `cuts`; returns their count.
    @discardableResult
    func writeShards(cuts: [Int], prefix: String = "") -> Int {
        let bounds = [0] + cuts + [n]
        for i in 0..<(bounds.count - 1) {
            let r = bounds[i] ..< bounds[i + 1]
            writeFile(folder + "/\(prefix)y_\(i).npy", Writers.npy(int64: Array(y[r]), shape: [r.count]))
            writeFile(folder + "/\(prefix)z_\(i).npy", Writers.npy(float64: Array(z[r.lowerBound * c ..< r.upperBound * c]), shape: [r.count, c]))
            writeFile(folder + "/\(prefix)t_\(i).npy", Writers.npy(float64: Array(t[r.lowerBound * c ..< r.upperBound * c]), shape: [r.count, c]))
        }
        return bounds.count - 1
    }

    func job(labels: String, student: String, teacher: String?, out: String, shardRows: Int? = nil) -> SpectrumJob {
        var job = SpectrumJob(labels: folder + "/" + labels, student: LoggedOutputs(path: folder + "/" + student, kind: .logits),
                              teacher: teacher.map { LoggedOutputs(path: folder + "/" + $0, kind: .logits, temperature: 2) },
                              outputFolder: folder + "/" + out)
        job.shardRows = shardRows
        job.gammas = [1, 0.5, 0]
        return job
    }
}

private func bytes(_ path: String) -> [UInt8] { Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()) }

@Suite struct ShardedSpectrumTests {
    /// Equal shards of R rows give the bits of the whole file summed in R-row segments:
    /// eigenvalues of H and Hhat, traces, accuracies and the gamma table, for several R.
    @Test(arguments: [100, 128, 250])
    func shardsGiveTheBitsOfSegmentedWholeFile(rows: Int) throws {
        let p = ShardedProblem(rows: 700, classes: 6, seed: 3)
        p.writeShards(cuts: Array(stride(from: rows, to: p.n, by: rows)))
        let sharded = try p.job(labels: "y_*.npy", student: "z_*.npy", teacher: "t_*.npy", out: "sharded").run(progress: false)
        let whole = try p.job(labels: "y.npy", student: "z.npy", teacher: "t.npy", out: "whole", shardRows: rows).run(progress: false)
        #expect(sharded.spectrum.eigenvalues == whole.spectrum.eigenvalues)
        #expect(sharded.teacherSpectrum!.eigenvalues == whole.teacherSpectrum!.eigenvalues)
        #expect(bytes(p.folder + "/sharded/eigenvalues.csv") == bytes(p.folder + "/whole/eigenvalues.csv"))
        #expect(sharded.covariance.traceH == whole.covariance.traceH && sharded.covariance.softAccuracy == whole.covariance.softAccuracy)
        #expect(sharded.covariance.traceHhat == whole.covariance.traceHhat && sharded.covariance.agreement == whole.covariance.agreement)
        #expect(sharded.gammaTraces.map(\.trace) == whole.gammaTraces.map(\.trace))
        #expect(sharded.summary.shards == (p.n + rows - 1) / rows && whole.summary.shards == 1)
        #expect(sharded.summary.segments == whole.summary.segments)
        // Provenance lists every shard's files, in shard order.
        let inputs = sharded.summary.provenance.inputs
        #expect(inputs.count == 3 * ((p.n + rows - 1) / rows))
        #expect(inputs.first?.path == p.folder + "/y_0.npy")
    }

    /// Random uneven cuts: the sums are those of one pass up to rounding (the merge is an
    /// element-wise addition), and the accuracy counts are exact.
    @Test func randomSplitsAgreeWithOnePass() throws {
        var rng = SplitMix64(seed: 11)
        for trial in 0..<4 {
            let p = ShardedProblem(rows: 400 + 50 * trial, classes: 5 + trial, seed: UInt64(20 + trial))
            let k = Int.random(in: 1...5, using: &rng)
            let cuts = Array(Set((0..<k).map { _ in Int.random(in: 1..<p.n, using: &rng) })).sorted()
            p.writeShards(cuts: cuts)
            let sharded = try p.job(labels: "y_*.npy", student: "z_*.npy", teacher: "t_*.npy", out: "sharded").run(progress: false)
            let whole = try p.job(labels: "y.npy", student: "z.npy", teacher: "t.npy", out: "whole").run(progress: false)
            let scale = whole.spectrum.eigenvalues.map(abs).max()!
            for (a, b) in zip(sharded.spectrum.eigenvalues, whole.spectrum.eigenvalues) { #expect(abs(a - b) <= 1e-12 * scale) }
            #expect(sharded.covariance.accuracy == whole.covariance.accuracy)
            #expect(sharded.covariance.samples == whole.covariance.samples)
            #expect(abs(sharded.covariance.traceH - whole.covariance.traceH) <= 1e-13)
            #expect(sharded.covariance.identityHolds)
        }
    }

    /// A comma-separated list keeps the order given; a mis-paired list is refused.
    @Test func listsPairByNameAndOrder() throws {
        let p = ShardedProblem(rows: 300, classes: 4, seed: 5)
        p.writeShards(cuts: [100, 200])
        let listed = try p.job(labels: "y_0.npy,\(p.folder)/y_1.npy,\(p.folder)/y_2.npy",
                               student: "z_0.npy,\(p.folder)/z_1.npy,\(p.folder)/z_2.npy", teacher: nil, out: "a").run(progress: false)
        let globbed = try p.job(labels: "y_*.npy", student: "z_*.npy", teacher: nil, out: "b").run(progress: false)
        #expect(listed.spectrum.eigenvalues == globbed.spectrum.eigenvalues)
        #expect(throws: PipelineError.self) {
            try p.job(labels: "y_0.npy,\(p.folder)/y_1.npy", student: "z_1.npy,\(p.folder)/z_0.npy", teacher: nil, out: "c").run(progress: false)
        }
        #expect(!FileManager.default.fileExists(atPath: p.folder + "/c"))
    }

    /// A bad row in a later shard: one line naming that shard, and no output folder.
    @Test func badShardIsNamedAndNothingIsWritten() throws {
        let p = ShardedProblem(rows: 300, classes: 4, seed: 6)
        p.writeShards(cuts: [100, 200])
        var z2 = Array(p.z[200 * p.c ..< 300 * p.c])
        z2[6] = .nan
        writeFile(p.folder + "/z_2.npy", Writers.npy(float64: z2, shape: [100, p.c]))
        do {
            _ = try p.job(labels: "y_*.npy", student: "z_*.npy", teacher: nil, out: "out").run(progress: false)
            Issue.record("a NaN in the last shard was accepted")
        } catch let error as PipelineError {
            #expect(error.description.hasPrefix(p.folder + "/z_2.npy: row 1, column 2 is nan"))
        }
        #expect(!FileManager.default.fileExists(atPath: p.folder + "/out"))
    }

    /// Shards of different class counts, or a list longer than the other, are refused.
    @Test func mismatchedShardsAreRefused() throws {
        let p = ShardedProblem(rows: 200, classes: 4, seed: 7)
        p.writeShards(cuts: [100])
        let (z5, y5) = randomClassifierOutputs(rows: 100, classes: 5, signal: 1, seed: 9)
        writeFile(p.folder + "/z_1.npy", Writers.npy(float64: z5, shape: [100, 5]))
        writeFile(p.folder + "/y_1.npy", Writers.npy(int64: y5, shape: [100]))
        #expect(throws: PipelineError(file: p.folder + "/z_1.npy", problem: "has 5 classes but the first shard has 4",
                                      fix: "every shard must be logged by the same model over the same class list")) {
            try p.job(labels: "y_*.npy", student: "z_*.npy", teacher: nil, out: "out").run(progress: false)
        }
        #expect(throws: PipelineError.self) {
            try p.job(labels: "y_*.npy", student: "z_0.npy", teacher: nil, out: "out").run(progress: false)
        }
        #expect(throws: PipelineError.self) {
            try p.job(labels: "y_*.npy", student: "nothing_*.npy", teacher: nil, out: "out").run(progress: false)
        }
    }

    /// Natural order, member keys, duplicates and the varying part of names.
    @Test func shardListRules() throws {
        let names = ["z_10.npy", "z_2.npy", "z_1.npy", "z_02.npy", "z_0.npy"]
        #expect(names.sorted(by: ShardList.naturalOrder) == ["z_0.npy", "z_1.npy", "z_2.npy", "z_02.npy", "z_10.npy"])
        #expect(ShardList.varyingParts(["a/y_3.npy", "a/y_14.npy"]) == ["3", "14"])
        #expect(ShardList.splitMember("runs/a_*.npz:logits") == ("runs/a_*.npz", "logits"))
        #expect(ShardList.splitMember("runs/a_*.npy") == ("runs/a_*.npy", nil))
        let folder = makeTemporaryFolder()
        for i in [0, 1, 10, 2] { writeFile(folder + "/s_\(i).npy", [0]) }
        #expect(try ShardList.expand(folder + "/s_*.npy", role: "x") == [0, 1, 2, 10].map { folder + "/s_\($0).npy" })
        #expect(throws: PipelineError.self) { try ShardList.expand(folder + "/s_0.npy," + folder + "/s_0.npy", role: "x") }
        #expect(ShardList.isSharded(folder + "/s_0.npy") == false)
    }
}
