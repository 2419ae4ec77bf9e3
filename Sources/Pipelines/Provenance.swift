import ArrayIO
import CCrypto
import Foundation
import LinearAlgebra
import NumericSupport

/// Where a result came from, recorded in every JSON output and as metadata in every SVG and
/// HTML file: the tool and its version, the exact command line, the UTC time, the thread count,
/// the seed, and for each input its path, byte size and SHA-256.
public struct Provenance: Sendable {
    public struct Input: Sendable, Equatable, Codable {
        public let path: String
        public let bytes: Int
        public let sha256: String
    }

    public let arguments: [String]
    public let time: String
    public let threads: Int
    public let seed: UInt64?
    public let inputs: [Input]

    /// Hashes every input file (streamed in 4 MiB reads). `path` may name an `.npz` member
    /// (`file.npz:key`) or a folder, which records each file its manifest lists.
    /// - Throws: `ArrayIOError.cannotOpen` for an unreadable input.
    public init(inputs: [String], seed: UInt64? = nil) throws {
        self.init(arguments: CommandLine.arguments, seed: seed, inputs: try Self.records(for: inputs))
    }

    /// Provenance with inputs already hashed (by the ranks that read them, for sharded runs);
    /// a path recorded twice is kept once.
    public init(records: [Input], seed: UInt64? = nil) {
        var unique: [Input] = []
        for r in records where !unique.contains(where: { $0.path == r.path }) { unique.append(r) }
        self.init(arguments: CommandLine.arguments, seed: seed, inputs: unique)
    }

    private init(arguments: [String], seed: UInt64?, inputs: [Input]) {
        self.arguments = arguments
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        time = formatter.string(from: Date())
        threads = ParallelRows.workerCount
        self.seed = seed
        self.inputs = inputs
    }

    /// Byte size and SHA-256 of each file behind `paths`, each file once, in order. The files are
    /// hashed in parallel, one per worker (a digest is sequential within a file): a spectrum with
    /// a teacher hashes its two 800 MB inputs at once. The first error in file order is thrown.
    public static func records(for paths: [String]) throws -> [Input] {
        var files: [String] = []
        for path in paths {
            for file in try self.files(for: path) where !files.contains(file) { files.append(file) }
        }
        return try ParallelRows.map(files.count) { try digest(files[$0]) }
    }

    /// Input records computed on another thread while the caller reads the same files (the
    /// first run on a file hashes it at the same time as the spectrum pass, not before it).
    public final class Pending: @unchecked Sendable {
        private let done = DispatchGroup()
        private var outcome: Result<[Input], Error> = .success([])

        public init(paths: [String]) {
            done.enter()
            DispatchQueue.global().async {
                self.outcome = Result { try Provenance.records(for: paths) }
                self.done.leave()
            }
        }

        /// The records, or the first error in file order. Every `Pending` must be waited for
        /// (on the error paths too) before the process exits.
        public func wait() throws -> [Input] {
            done.wait()
            return try outcome.get()
        }
    }

    /// The files behind an input argument.
    static func files(for path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return [path] }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }.sorted()
            } catch {
                throw ArrayIOError.cannotOpen(file: path, reason: "the folder cannot be listed (\(error.localizedDescription))")
            }
            return names.map { (path as NSString).appendingPathComponent($0) }
        }
        // `file.npz:key`: the archive.
        if let colon = path.lastIndex(of: ":"), FileManager.default.fileExists(atPath: String(path[..<colon])) {
            return [String(path[..<colon])]
        }
        return [path]
    }

    /// Byte size and SHA-256 of a file, read in 4 MiB pieces (OpenSSL's EVP digest); for a file
    /// of 64 MiB or more, remembered by file identity (`DigestCache`).
    public static func digest(_ path: String) throws -> Input {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ArrayIOError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var before = stat(), after = stat()
        let identified = fstat(fd, &before) == 0
        if identified, let cached = DigestCache.lookup(before) {
            return Input(path: path, bytes: Int(before.st_size), sha256: cached)
        }
        let started = Glibc.time(nil)
        guard let context = EVP_MD_CTX_new() else { throw ArrayIOError.cannotOpen(file: path, reason: "no digest context") }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        let chunk = 1 << 22
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer, chunk)
            if n < 0 { if errno == EINTR { continue }; throw ArrayIOError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            EVP_DigestUpdate(context, buffer, n)
            total += n
        }
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        let hex = digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
        if identified, fstat(fd, &after) == 0, Int(after.st_size) == total {
            DigestCache.store(hex, before: before, after: after, started: started)
        }
        return Input(path: path, bytes: total, sha256: hex)
    }

    /// The record every JSON output embeds.
    public var record: ProvenanceRecord {
        ProvenanceRecord(version: Toolkit.version, argv: arguments, timeUtc: time, threads: threads,
                         seed: seed.map { Int(truncatingIfNeeded: $0) }, inputs: inputs)
    }

    public var json: JSONValue { plainJSON(record) }

    /// One line per fact, for an SVG `<metadata>` block or an HTML section.
    public var lines: [String] {
        ["spectralkd \(Toolkit.version)", "command: " + arguments.joined(separator: " "), "time (UTC): \(time)", "threads: \(threads)"]
            + (seed.map { ["seed: \($0)"] } ?? [])
            + inputs.map { "input: \($0.path) (\($0.bytes) bytes, sha256 \($0.sha256))" }
    }
}
