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
/// memory without the cross-memory-attach copy, which containers often forbid. Each launch here
/// takes seconds: one still running after 3 minutes has hung, and fails its test with the stacks.
func mpiRun(_ ranks: Int, _ arguments: [String]) throws -> Run {
    try runProcess(mpirun!, ["--allow-run-as-root", "--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none",
                             "-n", String(ranks), executable] + arguments, timeout: 180)
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

    /// A corrupt shard read by rank 1 (of 2 and of 3): the job ends by rank 0's abort with exit
    /// status 1 and exactly one line on stderr, the error naming the shard; no output folder.
    @Test(.slow, .enabled(if: mpirun != nil)) func aBadShardOnAnotherRankIsReportedOnce() throws {
        let p = Problem()
        let (z, y) = randomClassifierOutputs(rows: 60, classes: p.c, signal: 1, seed: 4)
        let good = p.write("z_0.npy", Writers.npy(float64: z, shape: [60, p.c]))
        _ = p.write("y_0.npy", Writers.npy(int64: y, shape: [60]))
        _ = p.write("y_1.npy", Writers.npy(int64: y, shape: [60]))
        let bad = p.write("z_1.npy", Array(contents(good).prefix(100)))
        for ranks in [2, 3] {
            let run = try mpiRun(ranks, ["spectrum", "--labels", p.folder + "/y_*.npy", "--logits", p.folder + "/z_*.npy", "--out", p.out])
            #expect(run.status == 1, "\(run.stderr)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasPrefix("Error: ") == true && lines.first?.contains(bad) == true, "\(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: p.out))
        }
    }

    /// A failure that only rank 0 meets, after the other ranks sent their sums and finished well
    /// (here the output folder cannot be made): rank 0's abort still ends the job, status 1.
    @Test(.slow, .enabled(if: mpirun != nil)) func aFailureOnRankZeroAloneEndsTheJob() throws {
        let p = Problem()
        for i in 0..<2 {
            let (z, y) = randomClassifierOutputs(rows: 60, classes: p.c, signal: 1, seed: UInt64(10 + i))
            _ = p.write("z_\(i).npy", Writers.npy(float64: z, shape: [60, p.c]))
            _ = p.write("y_\(i).npy", Writers.npy(int64: y, shape: [60]))
        }
        let blocker = p.write("a-file", Array("not a folder".utf8))
        let run = try mpiRun(2, ["spectrum", "--labels", p.folder + "/y_*.npy", "--logits", p.folder + "/z_*.npy", "--out", blocker + "/out"])
        #expect(run.status == 1, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.hasPrefix("Error: ") == true && lines.first?.contains("cannot write") == true, "\(run.stderr)")
    }

    /// Other commands, and misspelt options, are refused under several ranks (a command other
    /// than `spectrum` would write one folder K times): one line, the usage status 64.
    @Test(.slow, .enabled(if: mpirun != nil)) func otherCommandsAreRefusedUnderRanks() throws {
        let run = try mpiRun(2, ["kde", "--input", "x.npy"])
        #expect(run.status == 64, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("Error: only 'spectrum' runs across MPI ranks") }.count == 1, "\(run.stderr)")
        let misspelt = try mpiRun(2, ["spectrum", "--labls", "y.npy"])
        #expect(misspelt.status == 64 && misspelt.stderr.split(separator: "\n").count == 1 && misspelt.stderr.contains("did you mean '--labels'"),
                "\(misspelt.stderr)")
        let help = try mpiRun(2, ["spectrum", "--help"])
        #expect(help.status == 0 && help.stdout.contains("--teacher-logits"), "\(help.stderr)")
    }
}

/// The test helper itself: a program past its time limit is killed with its children, and the
/// error says what they were doing.
@Suite struct ProcessTimeoutTests {
    @Test func aHungProgramIsKilledWithItsChildren() throws {
        let folder = makeTemporaryFolder("spectralkd-timeout")
        let started = Date()
        do {
            _ = try runProcess("/bin/sh", ["-c", "sleep 120 & echo $! > \(folder)/child; wait"], timeout: 1)
            Issue.record("a 120 s program returned within its 1 s limit")
        } catch let error as ProcessTimedOut {
            #expect(error.description.contains("ran past 1 s") && error.description.contains("sleep 120"), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 60)
        let child = pid_t(String(decoding: contents(folder + "/child"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(child != nil)
        if let child {
            usleep(200_000)
            let state = (try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8)) ?? ""
            #expect(state.isEmpty || state.contains(") Z "), "the background child \(child) still runs: \(state)")
        }
    }
}
