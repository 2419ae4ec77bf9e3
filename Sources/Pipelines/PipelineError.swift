/// A problem with a user's input that a pipeline detected, as one actionable line.
public struct PipelineError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// `<file>: <problem>; <fix>`.
    public init(file: String, problem: String, fix: String) {
        description = "\(file): \(problem); \(fix)"
    }
}
