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

/// Checks a whole-number option against its range.
func validateRange(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws {
    guard range.contains(value) else { throw ValidationError("\(name) must lie in \(range.lowerBound)...\(range.upperBound), got \(value).") }
}

/// Checks a real option against its closed range (NaN and infinities refused).
func validateRange(_ value: Double, _ range: ClosedRange<Double>, _ name: String) throws {
    guard value.isFinite, range.contains(value) else {
        throw ValidationError("\(name) must lie in [\(shortOption(range.lowerBound)), \(shortOption(range.upperBound))], got \(value).")
    }
}

private func shortOption(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v) }
