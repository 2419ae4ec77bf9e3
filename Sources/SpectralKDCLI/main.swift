import Foundation
import MessagePassing
import Pipelines

ProcessStart.prepare()

// Inputs are read through memory maps (ArrayIO's FileByteSource); a file that shrinks while it
// is mapped, or whose pages fail to read, raises SIGBUS. Say so in one line rather than die
// unexplained: outputs are written only once every input is read, so nothing partial is left.
// The line is built before the handler can run (a handler may only write bytes that exist).
let mappedFileFault = Array(("Error: an input file shrank or could not be read while it was mapped (SIGBUS); "
    + "nothing was written; run again once the file is complete and readable\n").utf8)
signal(SIGBUS) { _ in
    mappedFileFault.withUnsafeBufferPointer { _ = write(2, $0.baseAddress, $0.count) }
    _exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
// Several ranks only when mpirun launched us with -n 2 or more; they end by rank 0's abort on a failure.
let world = Communicator.world.flatMap { $0.size > 1 ? $0 : nil }
if let world { MPILaunch.quietOtherRanks(world) }
let status = CommandLineRun.status(of: arguments, ranks: world?.size ?? 1)
if let world { world.end(status: status) }
exit(status)
