import ArrayIO
import Foundation

/// A JSON file a command writes, as one typed value: the writer encodes it and every reader
/// decodes the same type, so a key cannot be spelt two ways (`JSONValueEncoder`).
///
/// Every document carries `schema_version`. A reader refuses a file without one (written before
/// typed outputs, 0.x) or with a newer one, naming the command to re-run, rather than reading a
/// field whose meaning may have changed.
public protocol OutputDocument: Codable, Sendable {
    /// The version of this document's layout; raised when a key changes meaning or goes away.
    static var currentSchema: Int { get }
    /// The command that writes it, for the fix in an error line.
    static var command: String { get }
    var schemaVersion: Int { get }
}

extension OutputDocument {
    public func json() -> JSONValue { plainJSON(self) }

    public func bytes() -> [UInt8] { Writers.json(json()) }

    /// Decodes a parsed file, naming `file` and the key path on any mismatch.
    public static func decode(_ value: JSONValue, file: String) throws -> Self {
        let fix = "re-run spectralkd \(command) with this version"
        guard let version = value["schema_version"] else {
            throw PipelineError(file: file, problem: "has no schema_version (written by a spectralkd older than 0.2, before typed outputs)", fix: fix)
        }
        guard case let .int(v) = version else {
            throw PipelineError(file: file, problem: "its schema_version is not an integer", fix: fix)
        }
        guard v <= currentSchema else {
            throw PipelineError(file: file, problem: "has schema_version \(v), newer than the \(currentSchema) this spectralkd \(Toolkit.version) reads",
                                fix: "update spectralkd")
        }
        do { return try JSONValueDecoder().decode(Self.self, from: value) } catch {
            throw PipelineError(file: file, problem: JSONValueDecoder.describe(error), fix: fix)
        }
    }

    public static func read(path: String) throws -> Self { try decode(JSONValue.read(path: path), file: path) }
}

/// A typed value as JSON. Encoding SpectralKD's output structs cannot fail: the encoder throws
/// only for unsigned integers beyond Int64, which none of them holds.
func plainJSON<T: Encodable>(_ value: T) -> JSONValue {
    do { return try JSONValueEncoder().encode(value) } catch { preconditionFailure("encoding \(T.self): \(error)") }
}
