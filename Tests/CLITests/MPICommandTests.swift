import ArrayIO
import Foundation
import Testing
import _TestSupport

/// `mpirun` on PATH, or nil. `make test` installs Open MPI and sets SPECTRALKD_REQUIRE_MPI=1, so
/// there a missing `mpirun` fails instead of skipping.
let mpirun: String? = {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
        let candidate = "\(dir)/mpirun"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}()

/// `mpirun -n ranks spectralkd arguments`, root-safe and allowed more ranks than cores; shared
/// memory without the cross-memory-attach copy, which containers often forbid.
func mpiRun(_ ranks: Int, _ arguments: [String]) throws -> Run {
    try runProcess(mpirun!, ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
                             "-n", String(ranks), executable] + arguments)
}

private func contents(_ path: String) -> Data { (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data() }

/// The summary without what legitimately differs between runs: where it came from and how it ran.
private func comparable(_ json: String) throws -> JSONValue {
    guard case let .object(pairs) = try JSONValue.parse(Array(json.utf8), file: "stdout") else { return .null }
    let dropped: Set<String> = ["provenance", "manifest", "ranks", "labels_file", "student_file", "teacher_file", "shards", "segments", "shard_rows", "warnings"]
    return .object(pairs.filter { !dropped.contains($0.0) })
}

@Suite(.serialized) struct MPICommandTests {
    @Test func mpirunIsPresentWhenRequired() {
        if ProcessInfo.processInfo.environment["SPECTRALKD_REQUIRE_MPI"] == "1" {
            #expect(mpirun != nil, "make test installs openmpi-bin; mpirun is not on PATH")
        }
    }

    /// The committed example cut into 4 shards of 2500 rows: `mpirun -n 2` and `-n 3` write the
    /// bits of one process on the shard list and of the whole file with `--shard-rows 2500`.
    @Test(.slow, .enabled(if: mpirun != nil)) func ranksGiveTheOneProcessBits() throws {
        let folder = makeTemporaryFolder("spectralkd-mpi")
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data/example").standardized.path
        let y = try ArrayFile.open(data + "/labels.npy").readAll()
        let z = try ArrayFile.open(data + "/student_logits.npy"), t = try ArrayFile.open(data + "/teacher_logits.npy")
        let (zv, tv, c) = (try z.readAll(), try t.readAll(), z.columns)
        let rows = 2500
        for (i, start) in stride(from: 0, to: y.count, by: rows).enumerated() {
            let r = start ..< min(y.count, start + rows)
            writeFile(folder + "/y_\(i).npy", Writers.npy(int64: y[r].map { Int($0) }, shape: [r.count]))
            writeFile(folder + "/z_\(i).npy", Writers.npy(float64: Array(zv[r.lowerBound * c ..< r.upperBound * c]), shape: [r.count, c]))
            writeFile(folder + "/t_\(i).npy", Writers.npy(float64: Array(tv[r.lowerBound * c ..< r.upperBound * c]), shape: [r.count, c]))
        }
        let shardArguments = ["spectrum", "--labels", folder + "/y_*.npy", "--logits", folder + "/z_*.npy",
                              "--teacher-logits", folder + "/t_*.npy", "--teacher-temperature", "4", "--gamma", "1,0.1,0", "--json"]
        let whole = try spectralkd(["spectrum", "--labels", data + "/labels.npy", "--logits", data + "/student_logits.npy",
                                    "--teacher-logits", data + "/teacher_logits.npy", "--teacher-temperature", "4", "--gamma", "1,0.1,0",
                                    "--shard-rows", String(rows), "--json", "--out", folder + "/whole"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let one = try spectralkd(shardArguments + ["--out", folder + "/one"])
        #expect(one.status == 0, "\(one.stderr)")
        for ranks in [2, 3] {
            let run = try mpiRun(ranks, shardArguments + ["--out", folder + "/ranks\(ranks)"])
            #expect(run.status == 0, "\(run.stderr)")
            for file in ["eigenvalues.csv", "teacher_eigenvalues.csv"] {
                let bytes = contents(folder + "/ranks\(ranks)/" + file)
                #expect(!bytes.isEmpty && bytes == contents(folder + "/one/" + file) && bytes == contents(folder + "/whole/" + file), "\(file) at \(ranks) ranks")
            }
            #expect(try comparable(run.stdout) == comparable(one.stdout))
            #expect(try comparable(run.stdout) == comparable(whole.stdout))
            #expect(try JSONValue.parse(Array(run.stdout.utf8), file: "stdout")["ranks"]?.number == Double(ranks))
            #expect(try JSONValue.parse(Array(run.stdout.utf8), file: "stdout")["provenance"]?["inputs"]?.array?.count == 12)
        }
    }

    /// A corrupt shard read by rank 1: one error line (from rank 0) naming it, a non-zero exit,
    /// no output folder.
    @Test(.slow, .enabled(if: mpirun != nil)) func aBadShardOnAnotherRankIsReportedOnce() throws {
        let p = Problem()
        let (z, y) = randomClassifierOutputs(rows: 60, classes: p.c, signal: 1, seed: 4)
        let good = p.write("z_0.npy", Writers.npy(float64: z, shape: [60, p.c]))
        _ = p.write("y_0.npy", Writers.npy(int64: y, shape: [60]))
        _ = p.write("y_1.npy", Writers.npy(int64: y, shape: [60]))
        let bad = p.write("z_1.npy", Array(contents(good).prefix(100)))
        let run = try mpiRun(2, ["spectrum", "--labels", p.folder + "/y_*.npy", "--logits", p.folder + "/z_*.npy", "--out", p.out])
        #expect(run.status != 0)
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(lines.count == 1 && lines.first?.contains(bad) == true, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: p.out))
    }

    /// Other commands are refused under several ranks (they would write one folder K times).
    @Test(.slow, .enabled(if: mpirun != nil)) func otherCommandsAreRefusedUnderRanks() throws {
        let run = try mpiRun(2, ["kde", "--input", "x.npy"])
        #expect(run.status != 0)
        #expect(run.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: only 'spectrum' runs across MPI ranks") }.count == 1, "\(run.stderr)")
    }
}
