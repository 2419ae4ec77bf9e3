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
}
