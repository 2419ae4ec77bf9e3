import Foundation
import Testing
import _TestSupport

/// Every command's `--help` is a committed file (Tests/CLITests/Golden/help), so a change to what
/// users read is a reviewed diff. `SPECTRALKD_UPDATE_GOLDEN=1 swift test --filter GoldenHelp`
/// rewrites them after a deliberate change.
@Suite struct GoldenHelpTests {
    static let commands: [[String]] = [[], ["demo"], ["spectrum"], ["fit"], ["density"], ["kde"], ["predict"], ["evaluate"], ["teacher"],
                                       ["linear"], ["wide"], ["plot"], ["report"], ["export"], ["simulate"], ["sample", "pd"],
                                       ["sample", "wishart"]]

    @Test(arguments: commands)
    func helpIsTheCommittedText(command: [String]) throws {
        let run = try spectralkd(command + ["--help"], environment: ["COLUMNS": "100"])
        #expect(run.status == 0)
        let name = (command.isEmpty ? ["spectralkd"] : command).joined(separator: "-") + ".txt"
        let path = repositoryRoot + "/Tests/CLITests/Golden/help/" + name
        if ProcessInfo.processInfo.environment["SPECTRALKD_UPDATE_GOLDEN"] == "1" {
            try run.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        if committed != run.stdout {
            let a = committed.split(separator: "\n", omittingEmptySubsequences: false), b = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            Issue.record("\(name) differs from the committed help at line \(line + 1): '\(line < b.count ? b[line] : "")' (run SPECTRALKD_UPDATE_GOLDEN=1 to accept)")
        }
    }
}
