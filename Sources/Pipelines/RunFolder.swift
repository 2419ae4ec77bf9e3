import ArrayIO
import Foundation

/// An output folder owned by one command's run. The run holds a lock file for its whole life
/// (a second run into the same folder is refused while it lives), writes its files all or
/// nothing, and then removes every file an earlier run of the same command left there that this
/// run did not write. So a folder never mixes the outputs of two runs. Each summary carries a
/// `manifest`: `run_id`, `command`, and the files of this run. Readers read only listed files.
///
/// Concurrency: two runs into one folder at once are refused with a one-line error naming the
/// other run's pid. A lock left by a run that died is taken over.
public struct RunFolder: Sendable {
    public let path: String
    public let command: String
    /// The file that holds the summary and its manifest (`summary.json`, `fit.json`, ...).
    public let summaryName: String
    /// Every file this command can write: those not written by this run are stale.
    public let knownOutputs: [String]
    public let runID: String

    static let lockName = ".spectralkd.lock"

    /// Runs `body` with the folder locked; `body` returns the files to write (names inside the
    /// folder) and a result. Those files are committed, stale ones removed, and the lock released
    /// on every path; a folder this run created is removed again when the run fails.
    public static func write<T>(_ path: String, command: String, summaryName: String, knownOutputs: [String],
                                _ body: (RunFolder) throws -> (files: [(name: String, bytes: [UInt8])], result: T)) throws -> T {
        let folder = RunFolder(path: path, command: command, summaryName: summaryName, knownOutputs: knownOutputs,
                               runID: UUID().uuidString.lowercased())
        var isDirectory: ObjCBool = false
        let existed = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if existed && !isDirectory.boolValue {
            throw PipelineError(file: path, problem: "is a file, not a folder", fix: "give --out a folder path")
        }
        if !existed {
            do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw ArrayIOError.writeFailed(file: path, reason: "cannot create the folder")
            }
        }
        try folder.lock()
        var committed = false
        defer {
            unlink(folder.file(lockName))
            if !existed && !committed { rmdir(path) }  // only if still empty
        }
        let previous = folder.previousFiles()
        let (files, result) = try body(folder)
        var transaction = OutputTransaction()
        for f in files { transaction.add(folder.file(f.name), f.bytes) }
        try transaction.commit()
        committed = true
        let written = Set(files.map(\.name))
        for name in Set(previous + knownOutputs).subtracting(written).sorted() { unlink(folder.file(name)) }
        return result
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    /// This run's manifest, for its summary.
    public func manifest(files: [String]) -> RunManifest { RunManifest(runID: runID, command: command, files: files) }

    /// Files the previous run of this command listed in its manifest.
    func previousFiles() -> [String] {
        // A missing or unreadable summary (a first run, another tool's file) leaves nothing to clean.
        guard FileManager.default.fileExists(atPath: file(summaryName)), let summary = try? JSONValue.read(path: file(summaryName)),
              let manifest = summary["manifest"].flatMap({ try? JSONValueDecoder().decode(RunManifest.self, from: $0) }),
              manifest.command == command else { return [] }
        return manifest.files.filter { !$0.contains("/") && !$0.hasPrefix(".") }
    }

    func lock() throws {
        let lockPath = file(Self.lockName)
        for attempt in 0..<2 {
            let fd = open(lockPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let text = "\(getpid())\n"
                _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
                close(fd)
                return
            }
            guard errno == EEXIST else { throw ArrayIOError.writeFailed(file: lockPath, reason: String(cString: strerror(errno))) }
            let owner = (try? String(contentsOfFile: lockPath, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if let owner, owner != getpid(), kill(owner, 0) == 0 || errno == EPERM {
                throw PipelineError(file: path, problem: "is being written by another spectralkd run (pid \(owner))",
                                    fix: "wait for it to finish, or give another --out")
            }
            if attempt == 0 { unlink(lockPath) }  // left by a run that died
        }
        throw PipelineError(file: path, problem: "its lock file \(Self.lockName) cannot be taken", fix: "remove it if no spectralkd run is writing there")
    }
}
