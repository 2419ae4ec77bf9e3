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
/// block, not by the claimed shape).
public func drain(_ source: RowSource) throws {
    let rowsPerBlock = max(1, 4096 / max(source.columns, 1))
    var buffer = [Double](repeating: 0, count: rowsPerBlock * max(source.columns, 1))
    var start = 0
    while start < source.rows {
        let end = min(source.rows, start + rowsPerBlock)
        try buffer.withUnsafeMutableBufferPointer { try source.readRows(start..<end, into: $0) }
        start = end
    }
}
