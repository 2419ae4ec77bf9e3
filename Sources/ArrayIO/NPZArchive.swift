import Foundation
import ZIPFoundation

/// A `.npz` archive (`numpy.savez` / `savez_compressed`): a zip of `.npy` members, stored or
/// deflated. Members are decompressed into memory on demand.
public struct NPZArchive {
    public let path: String
    private let archive: Archive
    /// The archive's size in bytes (bounds what a member may decompress to).
    private let size: Int

    /// Largest member this reader will decompress (a guard against zip bombs): 16 GiB, and
    /// never more than 2000 times the archive's own size.
    static func memberLimit(archiveSize: Int) -> Int { min(1 << 34, max(archiveSize, 1) * 2000) }

    /// Opens the archive at `path`.
    /// - Throws: `ArrayIOError` when the file is missing or is not a zip archive.
    public init(path: String) throws {
        self.path = path
        let source = try FileByteSource(path: path)  // a clear error for missing files and folders
        if source.size < 22 {
            throw ArrayIOError.malformed(file: path, detail: "\(source.size) bytes is too short for a .npz (zip) archive")
        }
        size = source.size
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ArrayIOError.malformed(file: path, detail: "not a readable zip archive; write it with numpy.savez")
        }
    }

    /// Member names without the `.npy` suffix, as `numpy.load(path).files` lists them.
    public var keys: [String] {
        archive.compactMap { entry in
            entry.type == .file ? (entry.path.hasSuffix(".npy") ? String(entry.path.dropLast(4)) : entry.path) : nil
        }
    }

    /// The member `key` (or the only member when `key` is nil) as a row source.
    /// - Throws: `ArrayIOError` listing the keys when the member is missing or ambiguous, or for
    ///   a damaged member (CRC mismatch, bad deflate stream, bad `.npy` header).
    public func array(named key: String?) throws -> NPYArray {
        let available = keys
        let chosen: String
        if let key {
            guard available.contains(key) else {
                throw ArrayIOError.unsupported(file: path, detail: "no array '\(key)' in the archive",
                                               fix: "use one of: \(available.joined(separator: ", "))")
            }
            chosen = key
        } else {
            guard available.count == 1, let only = available.first else {
                throw ArrayIOError.unsupported(
                    file: path, detail: available.isEmpty ? "the archive holds no arrays" : "the archive holds \(available.count) arrays",
                    fix: available.isEmpty ? "save arrays with numpy.savez" : "name one as \(path):KEY (one of: \(available.joined(separator: ", ")))")
            }
            chosen = only
        }
        let name = "\(path):\(chosen)"
        guard let entry = archive[chosen + ".npy"] ?? archive[chosen] else {
            throw ArrayIOError.malformed(file: name, detail: "member is listed but cannot be found")
        }
        // A member cannot hold more compressed bytes than the archive has: ZIPFoundation would
        // otherwise keep reading past the end for as long as the claim says (found by `make fuzz`:
        // a 433-byte archive hung in decompression).
        if Int(exactly: entry.compressedSize).map({ $0 > size }) ?? true {
            throw ArrayIOError.malformed(file: name, detail: "member claims \(entry.compressedSize) compressed bytes in a \(size)-byte archive")
        }
        let limit = Self.memberLimit(archiveSize: size)
        if Int(exactly: entry.uncompressedSize) == nil || Int(entry.uncompressedSize) > limit {
            throw ArrayIOError.malformed(file: name, detail: "member claims \(entry.uncompressedSize) bytes uncompressed (limit \(limit))")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                if bytes.count + chunk.count > limit { throw ArrayIOError.malformed(file: name, detail: "member is larger than it claims") }
                bytes.append(contentsOf: chunk)
            }
        } catch let error as ArrayIOError {
            throw error
        } catch {
            throw ArrayIOError.malformed(file: name, detail: "damaged member (\(error)); re-save with numpy.savez")
        }
        return try NPYArray(source: MemoryByteSource(name: name, bytes: bytes))
    }
}
