import Foundation

/// Random-access bytes: a file read with `pread` (never loaded whole) or an in-memory buffer
/// (an `.npz` member after decompression).
public protocol ByteSource: AnyObject {
    /// A name for error messages (the path, or `archive.npz:member`).
    var name: String { get }
    /// Total size in bytes.
    var size: Int { get }
    /// Fills `buffer` with the bytes at `offset ..< offset + buffer.count`.
    /// - Throws: `ArrayIOError.truncated` when the range runs past the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws
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
}
