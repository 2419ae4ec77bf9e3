import ArrayIO
import FuzzSupport

/// `.npz` container: the zip directory, every member (stored or deflated) and its `.npy` body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    expectCleanOutcome(file: "fuzz.npz") {
        let archive = try NPZArchive(name: "fuzz.npz", bytes: bytes)
        for key in archive.keys.prefix(8) {
            expectCleanOutcome(file: "fuzz.npz") { try drain(archive.array(named: key)) }
        }
        _ = try archive.array(named: nil)
    }
    return 0
}
