import ArgumentParser
import Foundation

/// One run of the command line, to its exit status. Not `ParsableCommand.main`, which exits by
/// itself: under `mpirun` a failed rank must end by `Communicator.end(status:)` instead.
enum CommandLineRun {
    /// The exit status of `arguments`, their messages printed as `ParsableCommand.main` prints
    /// them (help on stdout; errors on stderr). Names are checked first, so a misspelt
    /// subcommand or option gets the closest real one (`ArgumentCheck`), and under several
    /// ranks only `spectrum` runs (`MPILaunch.problem`).
    static func status(of arguments: [String], ranks: Int) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        if let problem = MPILaunch.problem(arguments, ranks: ranks)
            ?? ArgumentCheck.problem(arguments, root: SpectralKDCommand.self, environment: environment) {
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
