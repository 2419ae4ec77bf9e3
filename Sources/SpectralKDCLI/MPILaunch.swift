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

    /// Keeps ranks other than 0 quiet on stderr: rank 0 reports every error, including those
    /// other ranks met. `SPECTRALKD_RANK_STDERR=1` lets them speak.
    static func quietOtherRanks(_ world: Communicator) {
        if world.rank != 0, ProcessInfo.processInfo.environment["SPECTRALKD_RANK_STDERR"] != "1" {
            let null = open("/dev/null", O_WRONLY)
            if null >= 0 { dup2(null, 2); close(null) }
        }
    }
}
