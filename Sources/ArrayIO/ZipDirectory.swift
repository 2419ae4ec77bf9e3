/// The members of a zip archive as its central directory lists them: what `numpy.savez` and
/// `savez_compressed` write (Python's `zipfile`, ZIP64 extra fields on every member).
///
/// Every offset and size is checked against the archive's length before anything is read or
/// allocated, so a damaged or hostile archive costs at most its own size in memory. Only what an
/// `.npz` needs is supported: one disk, stored (0) or deflated (8) members, no encryption.
struct ZipDirectory {
    /// One file in the archive; `dataOffset ..< dataOffset + compressedSize` lies inside it.
    struct Member: Equatable {
        let name: String
        /// 0 = stored, 8 = deflated.
        let method: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let dataOffset: Int
    }

    let members: [Member]

    private static let endSignature: UInt32 = 0x0605_4B50
    private static let zip64LocatorSignature: UInt32 = 0x0706_4B50
    private static let zip64EndSignature: UInt32 = 0x0606_4B50
    private static let centralSignature: UInt32 = 0x0201_4B50
    private static let localSignature: UInt32 = 0x0403_4B50

    /// Reads the directory of `source`, then each member's local header (for its data offset).
    /// - Throws: `ArrayIOError.malformed` naming the first defect found.
    init(source: ByteSource) throws {
        func fail(_ detail: String) -> ArrayIOError { .malformed(file: source.name, detail: detail) }
        let size = source.size
        guard size >= 22 else { throw fail("\(size) bytes is too short for a .npz (zip) archive") }

        // End of central directory: 22 bytes plus a comment of at most 65535, at the very end.
        let tailStart = max(0, size - 22 - 0xFFFF)
        let tail = try Self.bytes(source, at: tailStart, count: size - tailStart)
        var endAt: Int?
        var position = tail.count - 22
        while position >= 0 {
            if tail.u32(position) == Self.endSignature && position + 22 + Int(tail.u16(position + 20)) <= tail.count {
                endAt = position
                break
            }
            position -= 1
        }
        guard let end = endAt else { throw fail("no zip directory at the end of the file (not a zip archive, or cut short); write it with numpy.savez") }
        if tail.u16(end + 4) != 0 || tail.u16(end + 6) != 0 { throw fail("multi-disk zip archives are not supported") }
        var entryCount = Int(tail.u16(end + 10))
        var directorySize = Int(tail.u32(end + 12))
        var directoryOffset = Int(tail.u32(end + 16))
        let endOffset = tailStart + end

        // ZIP64: a locator just before the end record points at the 64-bit end record.
        let locator = endOffset >= 20 ? try Self.bytes(source, at: endOffset - 20, count: 20) : []
        if locator.count == 20 && locator.u32(0) == Self.zip64LocatorSignature {
            guard let recordOffset = Int(exactly: locator.u64(8)), recordOffset <= endOffset - 20 - 56 else {
                throw fail("ZIP64 locator points outside the archive")
            }
            let record = try Self.bytes(source, at: recordOffset, count: 56)
            guard record.u32(0) == Self.zip64EndSignature else { throw fail("ZIP64 end record is missing") }
            guard let count = Int(exactly: record.u64(32)), let length = Int(exactly: record.u64(40)),
                  let offset = Int(exactly: record.u64(48)) else { throw fail("ZIP64 end record sizes are out of range") }
            (entryCount, directorySize, directoryOffset) = (count, length, offset)
        }
        guard directoryOffset <= endOffset, directorySize <= endOffset - directoryOffset else {
            throw fail("central directory (\(directorySize) bytes at \(directoryOffset)) runs past the end record at \(endOffset)")
        }
        guard entryCount <= directorySize / 46 else {
            throw fail("directory claims \(entryCount) members but has room for \(directorySize / 46)")
        }

        // Central directory: 46 fixed bytes, then name, extra field and comment per member.
        let directory = try Self.bytes(source, at: directoryOffset, count: directorySize)
        var members: [Member] = []
        members.reserveCapacity(entryCount)
        var at = 0
        for index in 0..<entryCount {
            guard at + 46 <= directory.count, directory.u32(at) == Self.centralSignature else {
                throw fail("directory entry \(index) is damaged")
            }
            let flags = directory.u16(at + 8)
            let method = directory.u16(at + 10)
            let crc = directory.u32(at + 16)
            let nameLength = Int(directory.u16(at + 28)), extraLength = Int(directory.u16(at + 30))
            let commentLength = Int(directory.u16(at + 32))
            let next = at + 46 + nameLength + extraLength + commentLength
            guard next <= directory.count else { throw fail("directory entry \(index) runs past the directory") }
            let nameBytes = directory[(at + 46)..<(at + 46 + nameLength)]
            let name = String(decoding: nameBytes, as: UTF8.self)
            var uncompressed = UInt64(directory.u32(at + 24)), compressed = UInt64(directory.u32(at + 20))
            var localOffset = UInt64(directory.u32(at + 42))
            try Self.applyZip64(directory, extra: (at + 46 + nameLength)..<(at + 46 + nameLength + extraLength),
                                uncompressed: &uncompressed, compressed: &compressed, offset: &localOffset, fail: fail)
            at = next
            if name.hasSuffix("/") { continue }  // a folder entry
            let label = "member '\(ArrayIOError.excerpt(name))'"
            if flags & 1 != 0 { throw fail("\(label) is encrypted; save it with numpy.savez") }
            guard method == 0 || method == 8 else {
                throw fail("\(label) uses compression method \(method); numpy.savez writes only stored (0) or deflated (8)")
            }
            guard let localAt = Int(exactly: localOffset), localAt <= size - 30,
                  let packed = Int(exactly: compressed), let unpacked = Int(exactly: uncompressed) else {
                throw fail("\(label) has a local header offset or size outside the archive")
            }
            let local = try Self.bytes(source, at: localAt, count: 30)
            guard local.u32(0) == Self.localSignature else { throw fail("\(label) has no local header at offset \(localAt)") }
            let dataOffset = localAt + 30 + Int(local.u16(26)) + Int(local.u16(28))
            guard dataOffset <= size, packed <= size - dataOffset else {
                throw fail("\(label) claims \(packed) bytes at offset \(dataOffset) in a \(size)-byte archive (cut short?)")
            }
            if method == 0 && packed != unpacked {
                throw fail("\(label) is stored but its sizes differ (\(packed) vs \(unpacked))")
            }
            members.append(Member(name: name, method: method, crc32: crc,
                                  compressedSize: packed, uncompressedSize: unpacked, dataOffset: dataOffset))
        }
        self.members = members
    }

    /// Replaces the 32-bit fields that say 0xFFFFFFFF with their values from the ZIP64 extra
    /// field (id 1), which lists only those, in the order uncompressed, compressed, offset.
    private static func applyZip64(_ bytes: [UInt8], extra: Range<Int>, uncompressed: inout UInt64, compressed: inout UInt64,
                                   offset: inout UInt64, fail: (String) -> ArrayIOError) throws {
        var at = extra.lowerBound
        while at + 4 <= extra.upperBound {
            let id = bytes.u16(at), length = Int(bytes.u16(at + 2))
            let body = (at + 4)..<(at + 4 + length)
            guard body.upperBound <= extra.upperBound else { throw fail("a directory entry's extra field is damaged") }
            if id == 1 {
                var field = body.lowerBound
                func take(_ value: inout UInt64) throws {
                    guard value == 0xFFFF_FFFF else { return }
                    guard field + 8 <= body.upperBound else { throw fail("a ZIP64 extra field is too short") }
                    value = bytes.u64(field)
                    field += 8
                }
                try take(&uncompressed)
                try take(&compressed)
                try take(&offset)
            }
            at = body.upperBound
        }
    }

    /// `count` bytes of `source` at `offset`, or a truncation error naming the archive.
    private static func bytes(_ source: ByteSource, at offset: Int, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        try bytes.withUnsafeMutableBytes { try source.read(at: offset, into: $0) }
        return bytes
    }
}

/// Little-endian fields of zip records.
private extension Array where Element == UInt8 {
    func u16(_ at: Int) -> UInt16 { UInt16(self[at]) | UInt16(self[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func u64(_ at: Int) -> UInt64 { UInt64(u32(at)) | UInt64(u32(at + 4)) << 32 }
}
