import ArrayIO
import FuzzSupport

/// CSV: the numeric reader (eigenvalues, vectors) and the text reader (runs tables).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    expectCleanOutcome(file: "fuzz.csv") {
        let table = try CSVTable.parse(bytes, name: "fuzz.csv")
        if let first = table.columnNames.first { _ = try table.column(named: first, file: "fuzz.csv") }
        try drain(table.asRowSource(name: "fuzz.csv"))
    }
    expectCleanOutcome(file: "fuzz.csv") {
        let table = try TextTable.parse(Array(bytes), path: "fuzz.csv")
        if let name = table.header.first { for r in table.rows.indices.prefix(4) { _ = try? table.number(r, name) } }
    }
    return 0
}
