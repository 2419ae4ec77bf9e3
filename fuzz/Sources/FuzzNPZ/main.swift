import ArrayIO
import FuzzSupport

/// `.npz` container: the zip directory (ZIP64 included), every member (stored or deflated) and
/// its `.npy` header and body, all from memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let name = "fuzz.npz"
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    expectCleanOutcome(file: name) {
        let archive = try NPZArchive(source: MemoryByteSource(name: name, bytes: bytes))
        for key in archive.keys.prefix(8) {
            expectCleanOutcome(file: name) { try drain(archive.array(named: key)) }
        }
        _ = try archive.array(named: nil)
    }
    return 0
}
