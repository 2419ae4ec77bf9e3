import ArgumentParser
import ArrayIO
import Foundation
import MessagePassing
import Pipelines

struct Spectrum: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Eigenvalues of H (and Hhat against a teacher) from logged outputs and labels.",
        discussion: """
        Builds H = (dY^T dP + dP^T dY)/2N from the student's outputs P at
        --temperature and the labels Y (docs/theory.md §1.1), checks the accuracy
        identity soft_accuracy = Tr H + mean term (§1.2), separates the structural zero
        eigenvalue (§1.3), and writes:
          DIR/eigenvalues.csv          all C eigenvalues, ascending
          DIR/summary.json             samples, classes, q, accuracies, traces,
                                       the identity check, the argmax traces and
                                       gamma_limit: Tr H(P_{gamma T}, Y) per gamma
          DIR/teacher_eigenvalues.csv  Hhat = H(P, Phat), with a teacher
        Inputs: .npy (streamed; every numpy dtype, either byte order), .npz
        (FILE.npz or FILE.npz:KEY), .safetensors (FILE or FILE:NAME) or numeric .csv
        (pandas' header and index column recognised). Rows are read in blocks, so
        memory does not grow with the number of samples. Warnings (probabilities
        passed as logits, boolean labels, empty classes) go to stderr and the summary.

        The distillation formula takes every trace at gamma -> 0, where softmax
        becomes the one-hot argmax (docs/distillation.md). --gamma 1,0.1,0.01,0
        tabulates Tr H(P_{gamma T}, Y) so the convergence can be seen; gamma = 1
        and 0 are free, each other value costs one more softmax per row.

        --matrix-free estimates the spectral density of H without the C x C matrix
        (chosen automatically, with a warning, when the dense matrices would not fit
        in memory; docs/theory.md §1.6):
        stochastic Lanczos quadrature over the O(NC) product H v, with steps and
        probes set so that the Wasserstein-1 error is at most --slq-tolerance x
        (lambda_max - lambda_min) with probability 1 - --slq-failure. It writes
        DIR/density.csv (x,density,lower,upper), DIR/slq_nodes.csv and DIR/summary.json
        (moments, extreme Ritz values, the exact and estimated Tr H, a moment fit).

        Sharded logs: --labels, --logits, --probs and the teacher's take a quoted glob
        ('y_*.npy', natural order) or a comma-separated list; shard i of each pairs
        with shard i of the others (their names must differ alike). Each shard is
        summed alone and the sums are added in shard order, so 'mpirun -n K' (rank
        i % K reads segment i, rank 0 writes) gives the bits of one process, and a
        whole file with --shard-rows R gives the bits of its R-row shards (§1.7).
        Under mpirun an error is printed once, by rank 0, which then aborts the job
        with the error's exit status.

        Examples:
          spectralkd spectrum --labels y.npy --logits z.npy
          mpirun -n 4 spectralkd spectrum --labels 'y_*.npy' --logits 'z_*.npy'
          spectralkd spectrum --labels y.npy --logits z.npy --matrix-free \\
            --slq-tolerance 0.05 --seed 1
          spectralkd spectrum --labels y.npy --logits z.npy --temperature 8 \\
            --gamma 1,0.1,0.01,0
          spectralkd spectrum --labels y.npy --probs p.npy --temperature 4 \\
            --out runs/t4 --json
          spectralkd spectrum --labels y.npy --logits student.npy \\
            --teacher-logits teacher.npy
        """
    )

    @Option(help: ArgumentHelp("Integer class labels, one per row (.npy, .npz or .csv).", valueName: "file"))
    var labels: String

    @Option(help: ArgumentHelp("Student probabilities, N x C; rows must sum to 1 within 1e-3.", valueName: "file"))
    var probs: String?

    @Option(help: ArgumentHelp("Student logits, N x C; softmax is taken at --temperature.", valueName: "file"))
    var logits: String?

    @Option(parsing: .unconditional, help: "Student temperature tau: P = softmax(logits / tau), or p^(1/tau) renormalised for --probs.")
    var temperature: Double = 1

    @Option(help: ArgumentHelp("Teacher probabilities, same shape as the student's.", valueName: "file"))
    var teacherProbs: String?

    @Option(help: ArgumentHelp("Teacher logits, same shape as the student's.", valueName: "file"))
    var teacherLogits: String?

    @Option(parsing: .unconditional, help: "Teacher temperature (default: the student's --temperature).")
    var teacherTemperature: Double?

    @Option(help: ArgumentHelp("Folder for the output files.", valueName: "dir"))
    var out: String = "spectrum-out"

    @Option(parsing: .unconditional, help: ArgumentHelp("Rows per block (default: about 32 MiB of float64 per block).", valueName: "rows"))
    var blockRows: Int?

    @Option(help: "Teacher product precision: single (float32 ssyr2k on shifted blocks, default) or double.")
    var teacherPrecision: SpectrumJob.TeacherPrecision = .single

    @Option(help: "Softmax precision: single (fused float32 kernel on float32 inputs, default) or double.")
    var softmaxPrecision: SpectrumJob.SoftmaxPrecision = .single

    @Flag(help: "CSV inputs have no header line (default: detected; a first line 0,1,...,C-1 is taken for pandas' header).")
    var noHeader = false

    @Option(help: ArgumentHelp("CSV inputs' index column to drop: a number, none, or auto (pandas' index column is detected).", valueName: "col"))
    var indexCol = AutoNoneOrNumber(.auto)

    @Option(parsing: .unconditional, help: ArgumentHelp("gamma values for the gamma -> 0 table, in [0, 1] (default 1,0).", valueName: "list"))
    var gamma: String = "1,0"

    var gammas: [Double]? {
        let values = gamma.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { $0 >= 0 && $0 <= 1 } ?? false }) else { return nil }
        return Array(Set(values.map { $0! })).sorted(by: >)
    }

    @Option(parsing: .unconditional, help: ArgumentHelp("Sum every N rows of each shard as a segment of their own (for equal bits with a run on N-row shards, and to spread one file over MPI ranks).", valueName: "N"))
    var shardRows: Int?

    @Flag(help: "Estimate the spectral density matrix-free (stochastic Lanczos quadrature).") var matrixFree = false
    @Option(parsing: .unconditional, help: "SLQ Wasserstein-1 tolerance t, relative to the spectral range.") var slqTolerance: Double = 0.05
    @Option(parsing: .unconditional, help: "SLQ failure probability.") var slqFailure: Double = 0.01
    @Option(parsing: .unconditional, help: "Seed of the SLQ probes.") var seed: UInt64 = 0
    @OptionGroup var output: JSONOption

    func validate() throws {
        guard slqTolerance > 0, slqTolerance < 0.5 else { throw ValidationError("--slq-tolerance must lie in (0, 0.5), got \(slqTolerance).") }
        guard slqFailure > 0, slqFailure < 1 else { throw ValidationError("--slq-failure must lie in (0, 1), got \(slqFailure).") }
        if matrixFree && (teacherProbs != nil || teacherLogits != nil) {
            throw ValidationError("--matrix-free computes H only: run the teacher's spectrum without it (Hhat matrix-free is not built yet).")
        }
        if let shardRows, shardRows < 1 { throw ValidationError("--shard-rows must be at least 1, got \(shardRows).") }
        if matrixFree && ([labels, probs ?? logits ?? ""].contains(where: ShardList.isSharded) || shardRows != nil) {
            throw ValidationError("--matrix-free reads one labels file and one outputs file: give single files, or drop --matrix-free for shards.")
        }
        if (probs == nil) == (logits == nil) {
            throw ValidationError("Give the student's outputs with exactly one of --probs or --logits.")
        }
        if teacherProbs != nil && teacherLogits != nil {
            throw ValidationError("Give the teacher's outputs with at most one of --teacher-probs or --teacher-logits.")
        }
        try validatePositive(temperature, "--temperature")
        if let teacherTemperature { try validatePositive(teacherTemperature, "--teacher-temperature") }
        if teacherTemperature != nil && teacherProbs == nil && teacherLogits == nil {
            throw ValidationError("--teacher-temperature needs --teacher-probs or --teacher-logits.")
        }
        if let blockRows, blockRows < 1 { throw ValidationError("--block-rows must be at least 1.") }
        if gammas == nil { throw ValidationError("--gamma must be a comma-separated list of numbers in [0, 1], got '\(gamma)'.") }
    }

    var csvOptions: CSVOptions {
        CSVOptions(header: noHeader ? .absent : .auto, index: indexCol.indexColumn)
    }

    func run() throws {
        let student = LoggedOutputs(path: probs ?? logits!, kind: probs != nil ? .probabilities : .logits, temperature: temperature)
        // Too many classes for the dense matrices: the density matrix-free, said on stderr and in the summary.
        var reason: String?
        if !matrixFree, teacherProbs == nil, teacherLogits == nil, shardRows == nil, Communicator.world == nil,
           ![labels, student.path].contains(where: ShardList.isSharded) {
            // An unreadable file is left to the job, which reports the inputs in their usual order
            // (labels first). One row is a transposed file, not a large problem: the dense path says so.
            if let source = try? ArrayFile.open(student.path, csv: csvOptions), source.rows >= 2 {
                reason = SpectrumJob.denseDoesNotFit(classes: source.columns, teacher: false)
            }
            if let reason { printWarnings([reason + "; estimating the spectral density matrix-free instead (--matrix-free; docs/theory.md §1.6)"]) }
        }
        if matrixFree || reason != nil {
            var job = MatrixFreeJob(labels: labels, student: student, tolerance: slqTolerance, failure: slqFailure, seed: seed, outputFolder: out)
            job.reason = reason
            let result = try job.run()
            if output.json { print(result.summary.json().rendered()); return }
            let s = result.summary
            func n(_ v: Double) -> String { String(format: "%.6g", v) }
            print("matrix-free spectrum of H (N = \(s.samples), C = \(s.classes)): \(s.lanczosSteps) Lanczos steps x \(s.probes) probes")
            print("bulk [\(n(s.bulkMin)), \(n(s.bulkMax))], mean \(n(s.mean)), variance \(n(s.variance)); Tr H \(n(s.traceH)) (SLQ \(n(s.traceHSlq))); W1 error <= \(n(s.wasserstein1Bound)) with probability \(1 - slqFailure)")
            print("wrote \(result.files.joined(separator: ", "))")
            return
        }
        let teacher = (teacherProbs ?? teacherLogits).map {
            LoggedOutputs(path: $0, kind: teacherProbs != nil ? .probabilities : .logits, temperature: teacherTemperature ?? temperature)
        }
        var job = SpectrumJob(labels: labels, student: student, teacher: teacher, outputFolder: out, blockRows: blockRows)
        job.gammas = gammas!
        job.teacherPrecision = teacherPrecision
        job.softmaxPrecision = softmaxPrecision
        job.csv = csvOptions
        job.shardRows = shardRows
        job.communicator = Communicator.world
        let outcome: SpectrumJob.Result?
        do { outcome = try job.runOnRank() } catch is OtherRankReports { throw ExitCode(1) }
        // Ranks other than 0 have sent their sums; rank 0 reports.
        guard let result = outcome else { return }
        printWarnings(result.warnings)
        if output.json {
            print(result.summary.json().rendered())
            return
        }
        let s = result.summary
        func number(_ v: Double?) -> String { v.map { String(format: "%.6g", $0) } ?? "-" }
        print("samples \(s.samples), classes \(s.classes), q = (C-1)/N = \(number(s.q))")
        print("accuracy \(number(s.accuracy)), soft accuracy \(number(s.softAccuracy))")
        print("identity: soft accuracy = Tr H + mean term = \(number(s.traceH)) + \(number(s.meanTerm)) (residual \(number(s.identityResidual)))")
        print("bulk eigenvalues: min \(number(s.bulkMin)), mean \(number(s.bulkMean)), max \(number(s.bulkMax)); structural zero \(number(s.structuralZero))")
        print("gamma -> 0: " + result.gammaTraces.map { String(format: "Tr H at gamma %g = %.6g", $0.gamma, $0.trace) }.joined(separator: ", ")
              + " (gamma 0: the argmax trace, accuracy - sum abar ybar)")
        if teacher != nil {
            print("teacher accuracy \(number(s.teacherAccuracy)), agreement \(number(s.agreement)), Tr Hhat \(number(s.traceHhat))")
        }
        if !s.identityHolds {
            FileHandle.standardError.write(Data("warning: the accuracy identity does not hold to rounding; please report this with your inputs\n".utf8))
        }
        print("wrote \(result.files.joined(separator: ", "))")
    }
}
