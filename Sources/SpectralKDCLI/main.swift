import ArgumentParser
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

// Names first (a misspelt subcommand or option gets the closest real one), then ArgumentParser.
let arguments = Array(CommandLine.arguments.dropFirst())
if let world = Communicator.world, world.size > 1 { MPILaunch.run(arguments, on: world) }  // nil unless mpirun launched us
if let problem = ArgumentCheck.problem(arguments, root: SpectralKDCommand.self, environment: ProcessInfo.processInfo.environment) {
    FileHandle.standardError.write(Data(("Error: " + problem + "\n").utf8))
    exit(64)
}
SpectralKDCommand.main(arguments)
