/// A problem with a user's input that a pipeline detected, as one actionable line.
public struct PipelineError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// `<file>: <problem>; <fix>`.
    public init(file: String, problem: String, fix: String) {
        description = "\(file): \(problem); \(fix)"
    }
}

/// Thrown on the ranks other than 0 of an `mpirun` launch when the run failed: rank 0 prints the
/// one line, the others exit non-zero without repeating it.
public struct OtherRankReports: Error, Sendable {
    public init() {}
}
