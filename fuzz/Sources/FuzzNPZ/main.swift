import ArrayIO
import FuzzSupport
import Foundation

/// One scratch file per fuzzing process: `.npz` is read through a file, as users' archives are
/// (ZIPFoundation's in-memory archive leaks; see Sources/ArrayIO/README.md).
let scratch = NSTemporaryDirectory() + "/spectralkd-fuzz-\(ProcessInfo.processInfo.processIdentifier).npz"

/// `.npz` container: the zip directory, every member (stored or deflated) and its `.npy` body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Plain fwrite: FileManager.createFile fsyncs, and a busy disk made that (not the reader) time out.
    guard let file = fopen(scratch, "wb"), fwrite(data, 1, size, file) == size, fclose(file) == 0 else { fatalError("cannot write \(scratch)") }
    expectCleanOutcome(file: scratch) {
        let archive = try NPZArchive(path: scratch)
        for key in archive.keys.prefix(8) {
            expectCleanOutcome(file: scratch) { try drain(archive.array(named: key)) }
        }
        _ = try archive.array(named: nil)
    }
    return 0
}
