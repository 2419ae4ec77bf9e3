import CZlib

/// Raw deflate (zip method 8) decompressed into memory with zlib, bounded on both sides.
///
/// Written against zlib directly because ZIPFoundation 0.9.20's Linux inflate loop never ends
/// on a stream that stops before its final block (found by `make fuzz`; upstream
/// weichsel/ZIPFoundation#389) and hands zlib a longer input than its buffer on short reads.
enum Inflater {
    /// Inflates the `count` bytes of `source` at `offset` into exactly `expectedSize` bytes whose
    /// CRC-32 is `expectedCRC`. The input is read in 1 MiB pieces, so memory is the output alone.
    /// - Throws: `ArrayIOError.malformed` naming `name` for a damaged stream, one that ends early,
    ///   a size other than promised, or a CRC mismatch.
    static func inflate(_ source: ByteSource, offset: Int, count: Int, expectedSize: Int, expectedCRC: UInt32, name: String) throws -> [UInt8] {
        func fail(_ detail: String) -> ArrayIOError { .malformed(file: name, detail: detail + "; re-save it with numpy.savez_compressed") }
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        // One spare byte: output beyond the promised size shows up as a full buffer, not silently.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: min(max(count, 1), 1 << 20), alignment: 16)
        defer { piece.deallocate() }
        var status: Int32 = Z_OK
        var consumed = 0, produced = 0
        try output.withUnsafeMutableBytes { out in
            let outBase = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            // Feed a piece, drain until zlib wants more input or the stream ends.
            while status == Z_OK && consumed < count && produced < out.count {
                let length = min(piece.count, count - consumed)
                try source.read(at: offset + consumed, into: UnsafeMutableRawBufferPointer(rebasing: piece[0..<length]))
                stream.next_in = piece.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(length)
                repeat {
                    let room = min(out.count - produced, 1 << 30)  // zlib counts in UInt32
                    stream.next_out = outBase + produced
                    stream.avail_out = uInt(room)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                } while status == Z_OK && stream.avail_in > 0 && produced < out.count
                consumed += length - Int(stream.avail_in)
            }
        }
        switch status {
        case Z_STREAM_END: break
        case Z_OK, Z_BUF_ERROR:
            if produced > expectedSize { throw fail("member inflates to more than the \(expectedSize) bytes it claims") }
            throw fail("deflate stream ends early (the archive is cut short or damaged)")
        default:
            throw fail("damaged deflate stream (zlib: \(stream.msg.map { String(cString: $0) } ?? "error \(status)"))")
        }
        if produced != expectedSize { throw fail("member inflates to \(produced) bytes but claims \(expectedSize)") }
        output.removeLast()
        let crc = output.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, z_size_t($0.count))) }
        if crc != expectedCRC { throw fail("CRC-32 mismatch (the member is damaged)") }
        return output
    }
}
