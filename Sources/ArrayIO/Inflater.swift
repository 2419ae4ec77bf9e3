import CZlib

/// Raw deflate (zip method 8) decompressed into memory with zlib, bounded on both sides.
///
/// Written against zlib directly because ZIPFoundation 0.9.20's Linux inflate loop never ends
/// on a stream that stops before its final block (found by `make fuzz`; upstream
/// weichsel/ZIPFoundation#389) and hands zlib a longer input than its buffer on short reads.
enum Inflater {
    /// Inflates `input` into exactly `expectedSize` bytes whose CRC-32 is `expectedCRC`.
    /// - Throws: `ArrayIOError.malformed` naming `name` for a damaged stream, one that ends early,
    ///   a size other than promised, or a CRC mismatch.
    static func inflate(_ input: UnsafeRawBufferPointer, expectedSize: Int, expectedCRC: UInt32, name: String) throws -> [UInt8] {
        func fail(_ detail: String) -> ArrayIOError { .malformed(file: name, detail: detail + "; re-save it with numpy.savez_compressed") }
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw fail("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        // One spare byte: output beyond the promised size shows up as a full buffer, not silently.
        var output = [UInt8](repeating: 0, count: expectedSize + 1)
        var status: Int32 = Z_OK
        var consumed = 0, produced = 0
        output.withUnsafeMutableBytes { out in
            let base = input.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
            // zlib counts in UInt32: feed and drain at most 1 GiB per call.
            repeat {
                let inChunk = min(input.count - consumed, 1 << 30), outChunk = min(out.count - produced, 1 << 30)
                stream.next_in = base.map { $0 + consumed }
                stream.avail_in = uInt(inChunk)
                stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                stream.avail_out = uInt(outChunk)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                consumed += inChunk - Int(stream.avail_in)
                produced += outChunk - Int(stream.avail_out)
            } while status == Z_OK && (consumed < input.count && produced < out.count)
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
