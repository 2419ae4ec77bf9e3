import ArrayIO

/// The contract every reader keeps on any input (DEVELOPERS.md): it returns a value or throws an
/// `ArrayIOError` whose text is one line starting with the file's name. Anything else (another
/// error type, a multi-line or anonymous message) is a finding: the fuzzer stops on the trap.
public func expectCleanOutcome(file: String, _ body: () throws -> Void) {
    do {
        try body()
    } catch let error as ArrayIOError {
        let message = error.description
        if !message.hasPrefix(file) ||  // `file: ...` or, for an archive member, `file:key: ...`
            message.contains("\n") || message.count > 2000 {
            fatalError("error message breaks the one-line contract: \(message.prefix(300))")
        }
    } catch {
        fatalError("reader threw a non-ArrayIOError: \(error)")
    }
}

/// Reads every value of a row source in blocks, as the pipelines do (allocation bounded by the
/// block, not by the claimed shape), both as `Double` and as `Float` (the float32 pass's
/// reader), which must agree: the float read is the double one rounded. An empty array is not read at all, as the pipelines refuse
/// it before sizing anything (found by `make fuzz`: a (0, 13693952) header made this harness,
/// not a reader, allocate 110 MB).
public func drain(_ source: RowSource) throws {
    if source.rows == 0 || source.columns == 0 { return }
    let rowsPerBlock = min(source.rows, max(1, 4096 / source.columns))
    var buffer = [Double](repeating: 0, count: rowsPerBlock * source.columns)
    var single = [Float](repeating: 0, count: rowsPerBlock * source.columns)
    var start = 0
    while start < source.rows {
        let end = min(source.rows, start + rowsPerBlock)
        try buffer.withUnsafeMutableBufferPointer { try source.readRows(start..<end, into: $0) }
        try single.withUnsafeMutableBufferPointer { try source.readRows(start..<end, into: $0) }
        for i in 0..<((end - start) * source.columns) where Float(buffer[i]) != single[i] && !(buffer[i].isNaN && single[i].isNaN) {
            fatalError("float and double reads differ at element \(i): \(buffer[i]) against \(single[i])")
        }
        start = end
    }
}
