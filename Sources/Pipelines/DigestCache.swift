import Foundation

/// SHA-256 digests of large inputs remembered by file identity, so a second run on the same
/// 800 MB logits does not spend 0.7 s re-hashing them (SHA-256 runs at about 1.1 GB/s per core
/// here, and a digest is sequential within a file).
///
/// An entry is keyed by device, inode, size and the modification and status-change times in
/// nanoseconds; a write to the file changes its status-change time, which no user program can
/// set back, so a changed file never matches an old entry. As in git's index, an entry is stored
/// only when the file's times are at least two seconds older than the hashing and the file's
/// status is the same after hashing as before (a file written during the hash is not cached).
///
/// Where: `$SPECTRALKD_CACHE_DIR`, else `$XDG_CACHE_HOME/spectralkd`, else `~/.cache/spectralkd`,
/// one small file per digest under `sha256/`. `SPECTRALKD_CACHE_DIR=off` turns it off. A cache
/// that cannot be written is skipped silently: it only saves time.
enum DigestCache {
    /// Files below this size are hashed every time (64 MiB takes about 0.06 s).
    static let minimumBytes = 64 << 20

    /// The folder of entries, or nil when caching is off or no home is known.
    static var folder: String? {
        let environment = ProcessInfo.processInfo.environment
        if let dir = environment["SPECTRALKD_CACHE_DIR"] {
            return dir == "off" || dir.isEmpty ? nil : (dir as NSString).appendingPathComponent("sha256")
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return (xdg as NSString).appendingPathComponent("spectralkd/sha256") }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".cache/spectralkd/sha256")
    }

    /// The identity of an open file, as an entry name; nil for files too small to cache.
    static func key(_ info: stat) -> String? {
        guard Int(info.st_size) >= minimumBytes else { return nil }
        let parts: [UInt64] = [UInt64(info.st_dev), UInt64(info.st_ino), UInt64(info.st_size),
                               UInt64(info.st_mtim.tv_sec), UInt64(info.st_mtim.tv_nsec),
                               UInt64(info.st_ctim.tv_sec), UInt64(info.st_ctim.tv_nsec)]
        return parts.map(String.init).joined(separator: "-")
    }

    /// The remembered digest of the file with status `info`.
    static func lookup(_ info: stat, in folder: String? = DigestCache.folder) -> String? {
        guard let folder, let key = key(info),
              let text = try? String(contentsOfFile: (folder as NSString).appendingPathComponent(key), encoding: .utf8) else { return nil }
        let digest = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return digest.count == 64 && digest.allSatisfy(\.isHexDigit) ? digest : nil
    }

    /// Remembers `digest` for a file whose status was `before` when hashing began at `started`
    /// and `after` when it ended.
    static func store(_ digest: String, before: stat, after: stat, started: time_t, in folder: String? = DigestCache.folder) {
        guard let folder, let key = key(before), key == self.key(after),
              before.st_mtim.tv_sec + 2 <= started, before.st_ctim.tv_sec + 2 <= started else { return }
        let path = (folder as NSString).appendingPathComponent(key)
        let temporary = path + ".\(getpid()).tmp"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data((digest + "\n").utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, path) != 0 { unlink(temporary) }
        } catch {
            unlink(temporary)
        }
    }
}
