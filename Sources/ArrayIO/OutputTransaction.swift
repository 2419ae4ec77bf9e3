import Foundation

/// Writes a set of files all or nothing: each file goes to a hidden temporary file in its
/// destination folder first, and only when every one is written are they renamed into place
/// (`rename(2)` is atomic within a file system). On any failure the temporaries are removed,
/// so a folder never holds a half-written or partial set of new outputs.
public struct OutputTransaction {
    private var pending: [(path: String, bytes: [UInt8])] = []

    public init() {}

    /// Queues `bytes` for `path`.
    public mutating func add(_ path: String, _ bytes: [UInt8]) { pending.append((path, bytes)) }

    /// The queued destinations, in order.
    public var paths: [String] { pending.map(\.path) }

    /// Creates missing folders, writes every temporary file, then renames them all.
    /// - Throws: `ArrayIOError.writeFailed` naming the file; nothing new is left behind.
    public func commit() throws {
        var temporaries: [(temporary: String, final: String)] = []
        do {
            for (path, bytes) in pending {
                let url = URL(fileURLWithPath: path)
                let folder = url.deletingLastPathComponent().path
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw ArrayIOError.writeFailed(file: path, reason: "cannot create folder \(folder)")
                }
                let temporary = folder + "/." + url.lastPathComponent + ".tmp-\(getpid())"
                let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                if fd < 0 { throw ArrayIOError.writeFailed(file: path, reason: String(cString: strerror(errno))) }
                temporaries.append((temporary, path))
                var written = 0
                let ok = bytes.withUnsafeBytes { raw -> Bool in
                    while written < raw.count {
                        let n = write(fd, raw.baseAddress! + written, raw.count - written)
                        if n < 0 { if errno == EINTR { continue }; return false }
                        written += n
                    }
                    return true
                }
                let closed = close(fd) == 0
                if !ok || !closed { throw ArrayIOError.writeFailed(file: path, reason: String(cString: strerror(errno))) }
            }
            for (temporary, final) in temporaries {
                if rename(temporary, final) != 0 {
                    throw ArrayIOError.writeFailed(file: final, reason: String(cString: strerror(errno)))
                }
            }
        } catch {
            for (temporary, _) in temporaries { unlink(temporary) }
            throw error
        }
    }
}
