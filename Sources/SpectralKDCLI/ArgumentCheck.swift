import ArgumentParser
import ArrayIO
import Foundation

/// Checks the command line before ArgumentParser sees it, for the mistakes its messages handle
/// badly: a misspelt subcommand or option gets the closest real name ("--logit": did you mean
/// "--logits"?), instead of an unrelated validation error, and `SPECTRALKD_THREADS` must be a
/// positive whole number.
enum ArgumentCheck {
    /// A one-line problem, or nil when the command line is fine as far as names go.
    static func problem(_ arguments: [String], root: ParsableCommand.Type, environment: [String: String]) -> String? {
        if let threads = environment["SPECTRALKD_THREADS"], !(Int(threads).map { $0 > 0 && $0 <= 4096 } ?? false) {
            return "SPECTRALKD_THREADS='\(threads)' is not a whole number of threads in 1...4096; unset it or set e.g. SPECTRALKD_THREADS=2"
        }
        var command = root
        var path: [String] = []
        var index = 0
        // Walk down the subcommands named on the command line.
        while index < arguments.count, !arguments[index].hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            if subcommands.isEmpty { break }
            let word = arguments[index]
            guard let next = subcommands.first(where: { $0._commandName == word }) else {
                if word == "help" { return nil }
                let names = subcommands.map { $0._commandName }
                return "unknown subcommand '\(word)'" + suggestion(word, names) + "; subcommands are: " + names.joined(separator: ", ")
            }
            command = next
            path.append(word)
            index += 1
        }
        let known = optionNames(of: command)
        for token in arguments[index...] {
            if token == "--" { break }
            guard token.hasPrefix("--"), token.count > 2 else { continue }
            let name = String(token.split(separator: "=", maxSplits: 1)[0])
            if known.contains(name) { continue }
            let context = (["spectralkd"] + path).joined(separator: " ")
            return "unknown option '\(name)' for \(context)" + suggestion(name, Array(known)) + "; see '\(context) --help'"
        }
        if path == ["spectrum"], let problem = expandedGlob(Array(arguments[index...])) { return problem }
        return nil
    }

    /// `spectrum --labels y_*.npy` unquoted: the shell passes every match, and ArgumentParser
    /// would only say "unexpected arguments". Say what happened and how to pass shards.
    static func expandedGlob(_ arguments: [String]) -> String? {
        let shardable: Set<String> = ["--labels", "--logits", "--probs", "--teacher-logits", "--teacher-probs"]
        for (i, token) in arguments.enumerated() where shardable.contains(token) {
            var j = i + 1
            while j < arguments.count, !arguments[j].hasPrefix("-") { j += 1 }
            let values = arguments[(i + 1)..<j]
            if values.count >= 2 {
                return "\(token) got \(values.count) files (\(values.prefix(2).joined(separator: ", ")), ...): the shell expanded a pattern; "
                    + "quote it (\(token) 'y_*.npy') so that spectralkd pairs the shards itself, or join the files with commas"
            }
        }
        return nil
    }

    /// Every `--name` the command's help mentions, with --help and --version.
    static func optionNames(of command: ParsableCommand.Type) -> Set<String> {
        let help = command.helpMessage(columns: 1000)
        var names: Set<String> = ["--help", "--version"]
        let scalars = Array(help.unicodeScalars)
        var i = 0
        while i + 2 < scalars.count {
            if scalars[i] == "-", scalars[i + 1] == "-", i == 0 || !isNameCharacter(scalars[i - 1]) {
                var j = i + 2
                while j < scalars.count, isNameCharacter(scalars[j]) { j += 1 }
                if j > i + 2 { names.insert(String(String.UnicodeScalarView(scalars[i..<j]))) }
                i = j
            } else {
                i += 1
            }
        }
        return names
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-"
    }

    /// "; did you mean 'X'?" for the closest name within a third of the word's length.
    static func suggestion(_ word: String, _ names: [String]) -> String {
        guard let best = names.min(by: { editDistance($0, word) < editDistance($1, word) }), editDistance(best, word) <= max(2, word.count / 3) else { return "" }
        return "; did you mean '\(best)'?"
    }
}
