/// A `.npz` archive (`numpy.savez` / `savez_compressed`): a zip of `.npy` members.
///
/// Stored members (`savez`) are read in place from the archive, as a window of it, so a large
/// archive is never loaded whole, and their CRC-32 is checked as they are read front to back;
/// deflated members (`savez_compressed`) are inflated into memory, then checked. A member that claims to inflate to more than deflate can
/// produce from its compressed bytes is refused before anything is allocated (zip-bomb guard).
public struct NPZArchive {
    /// The archive's name in error messages (its path).
    public let path: String
    private let source: ByteSource
    private let directory: ZipDirectory

    /// Largest size `compressedSize` deflated bytes can inflate to: deflate's ratio cannot exceed
    /// 1032:1 (a 258-byte match per 2-bit code; zlib technical details, zlib.net/zlib_tech.html),
    /// plus slack for the stream's own header bits.
    static func memberLimit(compressedSize: Int) -> Int { compressedSize >= Int.max / 2048 ? Int.max : compressedSize * 1032 + 1024 }

    /// Opens the archive at `path` and reads its directory.
    /// - Throws: `ArrayIOError` when the file is missing or its zip directory is damaged.
    public init(path: String) throws {
        try self.init(source: try FileByteSource(path: path))
    }

    /// Reads the directory of an archive already open as bytes (a file, or memory: what `fuzz/` drives).
    public init(source: ByteSource) throws {
        self.source = source
        path = source.name
        directory = try ZipDirectory(source: source)
    }

    /// Member names without the `.npy` suffix, as `numpy.load(path).files` lists them.
    public var keys: [String] {
        directory.members.map { $0.name.hasSuffix(".npy") ? String($0.name.dropLast(4)) : $0.name }
    }

    /// The member `key` (or the only member when `key` is nil) as a row source.
    /// - Throws: `ArrayIOError` listing the keys when the member is missing or ambiguous, or for
    ///   a damaged member (bad deflate stream, wrong size, CRC mismatch, bad `.npy` header).
    public func array(named key: String?) throws -> NPYArray {
        let available = keys
        let chosen: String
        if let key {
            guard available.contains(key) else {
                throw ArrayIOError.unsupported(file: path, detail: "no array '\(ArrayIOError.excerpt(key))' in the archive",
                                               fix: "use one of: \(ArrayIOError.list(available))")
            }
            chosen = key
        } else {
            guard available.count == 1, let only = available.first else {
                throw ArrayIOError.unsupported(
                    file: path, detail: available.isEmpty ? "the archive holds no arrays" : "the archive holds \(available.count) arrays",
                    fix: available.isEmpty ? "save arrays with numpy.savez" : "name one as \(path):KEY (one of: \(ArrayIOError.list(available)))")
            }
            chosen = only
        }
        // As Python's zipfile: the last member of a repeated name wins; `x.npy` before a bare `x`.
        let members = directory.members
        guard let member = members.last(where: { $0.name == chosen + ".npy" }) ?? members.last(where: { $0.name == chosen }) else {
            throw ArrayIOError.malformed(file: path, detail: "member '\(ArrayIOError.excerpt(chosen))' is listed but cannot be found")
        }
        let name = "\(path):\(ArrayIOError.excerpt(chosen))"
        if member.method == 0 {
            return try NPYArray(source: WindowByteSource(name: name, base: source, offset: member.dataOffset, size: member.compressedSize,
                                                         crc32: member.crc32))
        }
        let limit = Self.memberLimit(compressedSize: member.compressedSize)
        if member.uncompressedSize > limit {
            throw ArrayIOError.malformed(file: name, detail: "member claims \(member.uncompressedSize) bytes from \(member.compressedSize) deflated ones (deflate cannot exceed 1032:1)")
        }
        let bytes = try Inflater.inflate(source, offset: member.dataOffset, count: member.compressedSize,
                                         expectedSize: member.uncompressedSize, expectedCRC: member.crc32, name: name)
        return try NPYArray(source: MemoryByteSource(name: name, bytes: bytes))
    }
}
