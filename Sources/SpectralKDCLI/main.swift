import ArgumentParser
import Foundation

// Names first (a misspelt subcommand or option gets the closest real one), then ArgumentParser.
let arguments = Array(CommandLine.arguments.dropFirst())
MPILaunch.prepare(arguments)
if let problem = ArgumentCheck.problem(arguments, root: SpectralKDCommand.self, environment: ProcessInfo.processInfo.environment) {
    FileHandle.standardError.write(Data(("Error: " + problem + "\n").utf8))
    exit(64)
}
SpectralKDCommand.main(arguments)
