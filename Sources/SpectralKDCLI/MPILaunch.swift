import ArgumentParser
import Foundation
import MessagePassing

/// What `mpirun -n K spectralkd ...` may run, and how each rank ends: only `spectrum` on logs
/// (every rank reads its segments, rank 0 writes). Any other command would run K times into one
/// output folder.
enum MPILaunch {
    /// The problem with this launch, or nil when it is fine (or not under `mpirun`).
    static func problem(_ arguments: [String], ranks: Int) -> String? {
        guard ranks > 1 else { return nil }
        guard arguments.first == "spectrum" else {
            return "only 'spectrum' runs across MPI ranks (got '\(arguments.first ?? "")' under mpirun with \(ranks) ranks); run it without mpirun"
        }
        if arguments.contains("--matrix-free") {
            return "--matrix-free runs in one process; run it without mpirun (or use 'spectrum' on the shards without --matrix-free)"
        }
        return nil
    }

    /// Runs the command line on this rank of a launch with two or more ranks and ends the process
    /// by `Communicator.end(status:)`, so that a failed run ends the job through rank 0's
    /// `MPI_Abort` rather than through several ranks exiting non-zero. Ranks other than 0 are
    /// quiet on stderr (rank 0 reports every error, including those other ranks met) unless
    /// `SPECTRALKD_RANK_STDERR=1`.
    static func run(_ arguments: [String], on world: Communicator) -> Never {
        if world.rank != 0, ProcessInfo.processInfo.environment["SPECTRALKD_RANK_STDERR"] != "1" {
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, 2); close(null) }
        }
        world.end(status: status(of: arguments, ranks: world.size))
    }

    /// The exit status of the command line, its messages printed as `ParsableCommand.main` prints
    /// them (help on stdout; errors, one line each, on stderr).
    static func status(of arguments: [String], ranks: Int) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        if let problem = problem(arguments, ranks: ranks) ?? ArgumentCheck.problem(arguments, root: SpectralKDCommand.self, environment: environment) {
            FileHandle.standardError.write(Data(("Error: " + problem + "\n").utf8))
            return 64
        }
        do {
            var command = try SpectralKDCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            let code = SpectralKDCommand.exitCode(for: error)
            let text = SpectralKDCommand.fullMessage(for: error)
            if !text.isEmpty {
                if code.isSuccess { print(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
            }
            return code.rawValue
        }
    }
}
