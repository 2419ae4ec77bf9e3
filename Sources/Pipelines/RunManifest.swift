import ArrayIO

/// What one run wrote into its `--out` folder, inside every summary: readers read only the
/// files listed here, and the next run of the same command removes the ones it does not write.
public struct RunManifest: Codable, Sendable, Equatable {
    public let runID: String
    public let command: String
    public let files: [String]

    enum CodingKeys: String, CodingKey { case runID = "run_id", command, files }

    public func lists(_ name: String) -> Bool { files.contains(name) }
}

/// The written form of `Provenance`: the tool, its version, the command line, the time, the
/// thread count, the seed, and each input's path, size and SHA-256.
public struct ProvenanceRecord: Codable, Sendable, Equatable {
    public var tool = "spectralkd"
    public let version: String
    public let argv: [String]
    public let timeUtc: String
    public let threads: Int
    public let seed: Int?
    public let inputs: [Provenance.Input]
}

extension RunManifest {
    /// For the summaries still built as `JSONValue` (kde, law, teacher, linear, wide, samples).
    public var json: JSONValue { plainJSON(self) }
}
