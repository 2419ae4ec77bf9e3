import CMPI
import Foundation

/// The processes of one `mpirun` launch, as far as SpectralKD needs them: ranks, ordered
/// point-to-point byte messages and a broadcast of one status word.
///
/// MPI is started only when the process was launched by Open MPI's `mpirun` (its
/// `OMPI_COMM_WORLD_SIZE` or PMIx's `PMIX_RANK` is set); a plain `spectralkd` run never touches
/// the library. `MPI_Finalize` runs at process exit, whatever path the command exits by, so
/// `mpirun` never reports a rank that "exited without finalizing".
///
/// Calls come from one thread at a time (`MPI_THREAD_SERIALIZED`); the numerical work between
/// them may use every core.
public final class Communicator: Sendable {
    /// This process's rank, `0 ..< size`.
    public let rank: Int
    /// The number of ranks.
    public let size: Int

    /// The world communicator when launched by `mpirun`, else nil.
    public static let world: Communicator? = launch()

    /// Whether the environment says this process was started by `mpirun`.
    public static var launchedByMPIRun: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil
    }

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    private static func launch() -> Communicator? {
        guard launchedByMPIRun else { return nil }
        var provided: Int32 = 0
        MPI_Init_thread(nil, nil, Int32(MPI_THREAD_SERIALIZED), &provided)
        atexit {
            var finalized: Int32 = 0
            MPI_Finalized(&finalized)
            if finalized == 0 { MPI_Finalize() }
        }
        var rank: Int32 = 0, size: Int32 = 1
        MPI_Comm_rank(skd_mpi_comm_world(), &rank)
        MPI_Comm_size(skd_mpi_comm_world(), &size)
        return Communicator(rank: Int(rank), size: Int(size))
    }

    /// MPI counts are 32-bit: payloads go in pieces of at most 1 GiB.
    static let pieceBytes = 1 << 30

    /// Sends `bytes` to `destination` (its length first, then the payload in pieces). Blocks until
    /// the buffer may be reused; messages between two ranks with one tag arrive in send order.
    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) {
        var length = Int64(bytes.count)
        MPI_Send(&length, 1, skd_mpi_int64(), Int32(destination), Int32(tag), skd_mpi_comm_world())
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < bytes.count {
                let count = min(Self.pieceBytes, bytes.count - offset)
                MPI_Send(raw.baseAddress! + offset, Int32(count), skd_mpi_byte(), Int32(destination), Int32(tag), skd_mpi_comm_world())
                offset += count
            }
        }
    }

    /// Receives one message that `source` sent with `send(_:to:tag:)` under `tag`.
    public func receive(from source: Int, tag: Int) -> [UInt8] {
        var length: Int64 = 0
        MPI_Recv(&length, 1, skd_mpi_int64(), Int32(source), Int32(tag), skd_mpi_comm_world(), skd_mpi_status_ignore())
        var bytes = [UInt8](repeating: 0, count: Int(length))
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < Int(length) {
                let count = min(Self.pieceBytes, Int(length) - offset)
                MPI_Recv(raw.baseAddress! + offset, Int32(count), skd_mpi_byte(), Int32(source), Int32(tag), skd_mpi_comm_world(),
                         skd_mpi_status_ignore())
                offset += count
            }
        }
        return bytes
    }

    /// `root`'s `value` on every rank (`MPI_Bcast`).
    public func broadcast(_ value: Int64, root: Int = 0) -> Int64 {
        var word = value
        MPI_Bcast(&word, 1, skd_mpi_int64(), Int32(root), skd_mpi_comm_world())
        return word
    }

    /// How long a rank that failed waits for rank 0's `MPI_Abort` before it ends itself by
    /// `SIGALRM` (which `mpirun` also turns into the end of the job). Only a bug can make it wait
    /// that long: rank 0 aborts as soon as it has printed the error line.
    public static let abortWaitSeconds: UInt32 = 300

    /// Ends this rank with the command's exit `status`.
    ///
    /// A success exits normally (`MPI_Finalize` at exit). A failure is known to every rank before
    /// it ends (the ranks agree on it by `broadcast`, or the arguments were refused, which every
    /// rank sees alike), so exactly one process reports it: rank 0, which has printed the error
    /// line, calls `MPI_Abort(status)`, and the job ends with that status; the other ranks wait
    /// to be killed by it. Letting every rank exit non-zero after `MPI_Finalize` instead is the
    /// path on which Open MPI's `mpirun` can wait forever (open-mpi/ompi#3380; a CI run of this
    /// project hung for 90 minutes in the test of that path).
    ///
    /// Rank 0 aborts through Open MPI's `ompi_mpi_abort`, the call behind `MPI_Abort` without
    /// its banner: `MPI_Abort` first sends a multi-line help text to `mpirun` and then exits at
    /// once, and in 17 of 60 failed runs here `mpirun` read that text cut short and printed an
    /// `ORTE_ERROR_LOG: Data unpack ...` line under the error. With another MPI (no such
    /// symbol) it is `MPI_Abort` itself.
    public func end(status: Int32) -> Never {
        fflush(nil)  // every stdio stream: `MPI_Abort` and `_exit` do not flush them
        if status == 0 { exit(0) }
        if rank == 0 {
            Self.abort(status)
        } else {
            alarm(Self.abortWaitSeconds)
            MPI_Barrier(skd_mpi_comm_world())  // rank 0 never joins: its abort ends this rank
        }
        _exit(status)
    }

    /// Open MPI's `ompi_mpi_abort(comm, status)` when the loaded MPI has it, else `MPI_Abort`.
    private static func abort(_ status: Int32) {
        typealias Abort = @convention(c) (MPI_Comm?, Int32) -> Int32
        if let symbol = dlsym(dlopen(nil, RTLD_NOW), "ompi_mpi_abort") {
            _ = unsafeBitCast(symbol, to: Abort.self)(skd_mpi_comm_world(), status)
        }
        MPI_Abort(skd_mpi_comm_world(), status)
    }
}
