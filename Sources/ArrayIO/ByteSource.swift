import CZlib
import Foundation

/// Random-access bytes: a file read with `pread` (never loaded whole), an in-memory buffer (a
/// deflated `.npz` member after decompression) or a window of either (a stored member).
public protocol ByteSource: AnyObject {
    /// A name for error messages (the path, or `archive.npz:member`).
    var name: String { get }
    /// Total size in bytes.
    var size: Int { get }
    /// Fills `buffer` with the bytes at `offset ..< offset + buffer.count`.
    /// - Throws: `ArrayIOError.truncated` when the range runs past the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws
    /// Calls `body` with the bytes at `offset ..< offset + count` without copying them where the
    /// source allows (a memory map of just that window for files), and releases them after.
    /// `prefault` maps the whole window up front (one call, cheapest when one thread reads it);
    /// without it pages are mapped as they are touched, by whichever threads touch them.
    func withBytes<T>(at offset: Int, count: Int, prefault: Bool, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T
    /// Whether `read` may be called from several threads at once (a plain file's `pread`).
    var allowsConcurrentReads: Bool { get }
}

extension ByteSource {
    public var allowsConcurrentReads: Bool { false }

    /// `withBytes` with the window prefaulted.
    public func withBytes<T>(at offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        try withBytes(at: offset, count: count, prefault: true, body)
    }
}

/// A file read by `pread`: memory use is whatever the caller's buffers are.
public final class FileByteSource: ByteSource {
    public let name: String
    public let size: Int
    private let descriptor: Int32

    /// Opens `path` for reading.
    /// - Throws: `ArrayIOError.cannotOpen` for a missing file, a directory or no permission.
    public init(path: String) throws {
        name = path
        var info = stat()
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw ArrayIOError.cannotOpen(file: path, reason: String(cString: strerror(errno))) }
        if fstat(fd, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            throw ArrayIOError.cannotOpen(file: path, reason: "not a regular file")
        }
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// `pread` keeps no file position: any number of threads may read at once.
    public var allowsConcurrentReads: Bool { true }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        if offset < 0 || offset > size || buffer.count > size - offset {
            throw ArrayIOError.truncated(file: name, expectedBytes: offset + buffer.count, actualBytes: size)
        }
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ArrayIOError.cannotOpen(file: name, reason: String(cString: strerror(errno)))
            }
            if n == 0 { throw ArrayIOError.truncated(file: name, expectedBytes: offset + buffer.count, actualBytes: offset + done) }
            done += n
        }
    }

    /// Maps the page-aligned window around the range read-only (pre-faulted by `MAP_POPULATE`
    /// when `prefault`), and unmaps it afterwards, so resident memory stays bounded by the window
    /// whatever the file size. Avoids the kernel-to-user copy of `pread`. Falls back to `read` if
    /// mapping fails.
    public func withBytes<T>(at offset: Int, count: Int, prefault: Bool, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if offset < 0 || offset > size || count > size - offset {
            throw ArrayIOError.truncated(file: name, expectedBytes: offset + count, actualBytes: size)
        }
        if count == 0 { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = offset / page * page
        let length = offset + count - start
        guard let base = mmap(nil, length, PROT_READ, MAP_PRIVATE | (prefault ? MAP_POPULATE : 0), descriptor, off_t(start)),
              base != MAP_FAILED else {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
            defer { buffer.deallocate() }
            try read(at: offset, into: buffer)
            return try body(UnsafeRawBufferPointer(buffer))
        }
        defer { munmap(base, length) }
        return try body(UnsafeRawBufferPointer(start: base + (offset - start), count: count))
    }
}

/// Bytes already in memory.
public final class MemoryByteSource: ByteSource {
    public let name: String
    public let bytes: [UInt8]
    public var size: Int { bytes.count }

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        if offset < 0 || offset > size || buffer.count > size - offset {
            throw ArrayIOError.truncated(file: name, expectedBytes: offset + buffer.count, actualBytes: size)
        }
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset ..< offset + buffer.count]))
        }
    }

    public func withBytes<T>(at offset: Int, count: Int, prefault: Bool, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if offset < 0 || offset > size || count > size - offset {
            throw ArrayIOError.truncated(file: name, expectedBytes: offset + count, actualBytes: size)
        }
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[offset ..< offset + count])) }
    }
}

/// A window of another source under its own name: an `.npz` member stored without compression,
/// read in place from the archive file.
///
/// With an expected CRC-32 (the zip directory's), bytes are checked as they are read: reads
/// that run front to back (how `NPYArray` reads its header and then its rows) fold into a running
/// CRC, and the read that reaches the end throws if it does not match, as `numpy.load` does.
/// A read that skips ahead leaves the window unchecked.
public final class WindowByteSource: ByteSource {
    public let name: String
    public let size: Int
    private let base: ByteSource
    private let offset: Int
    private let expectedCRC: UInt32?
    private var crc: UInt32 = 0
    /// Bytes `0 ..< checked` are folded into `crc`; -1 once a read skipped ahead.
    private var checked = 0

    /// The bytes `offset ..< offset + size` of `base`, which the caller has checked exist.
    public init(name: String, base: ByteSource, offset: Int, size: Int, crc32: UInt32? = nil) {
        precondition(offset >= 0 && size >= 0 && offset <= base.size && size <= base.size - offset, "window outside its source")
        self.name = name
        self.base = base
        self.offset = offset
        self.size = size
        expectedCRC = crc32
    }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws {
        if offset < 0 || offset > size || buffer.count > size - offset {
            throw ArrayIOError.truncated(file: name, expectedBytes: offset + buffer.count, actualBytes: size)
        }
        try base.read(at: self.offset + offset, into: buffer)
        try verify(UnsafeRawBufferPointer(buffer), at: offset)
    }

    public func withBytes<T>(at offset: Int, count: Int, prefault: Bool, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if offset < 0 || offset > size || count > size - offset {
            throw ArrayIOError.truncated(file: name, expectedBytes: offset + count, actualBytes: size)
        }
        return try base.withBytes(at: self.offset + offset, count: count, prefault: prefault) { bytes in
            try verify(bytes, at: offset)
            return try body(bytes)
        }
    }

    /// Folds what `bytes` (window bytes `offset ..< offset + bytes.count`) add to the checked
    /// prefix; throws once the whole window is folded and its CRC differs from the expected one.
    private func verify(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        guard let expected = expectedCRC, checked >= 0 else { return }
        if offset > checked { checked = -1; return }
        let end = offset + bytes.count
        guard end > checked else { return }
        let fresh = UnsafeRawBufferPointer(rebasing: bytes[(checked - offset)...])
        crc = UInt32(crc32_z(uLong(crc), fresh.baseAddress?.assumingMemoryBound(to: Bytef.self), z_size_t(fresh.count)))
        checked = end
        if checked == size && crc != expected {
            throw ArrayIOError.malformed(file: name, detail: "CRC-32 mismatch (the member is damaged); re-save it with numpy.savez")
        }
    }
}
