import ArgumentParser

/// `--json`, shared by every subcommand: print the summary object, and only it, to stdout.
struct JSONOption: ParsableArguments {
    @Flag(help: "Print the summary as JSON to standard output (and nothing else).")
    var json = false
}

/// Checks a temperature-like option.
func validatePositive(_ value: Double, _ name: String) throws {
    guard value.isFinite, value > 0 else {
        throw ValidationError("\(name) must be a positive number, got \(value).")
    }
}
