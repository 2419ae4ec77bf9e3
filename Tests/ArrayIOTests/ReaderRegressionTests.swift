import ArrayIO
import Foundation
import Testing

/// Files that once broke (or were built to break) a reader: each must now give a clean one-line
/// error naming the file. New fuzzer findings are dropped into `Fixtures/reader-regressions/`.
@Suite struct ReaderRegressionTests {
    static let folder = Bundle.module.path(forResource: "Fixtures/reader-regressions", ofType: nil)!
    static let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasSuffix(".md") }.sorted()

    @Test func thereAreRegressionFiles() { #expect(Self.files.count >= 9) }

    @Test(arguments: files)
    func failsCleanly(name: String) {
        let path = Self.folder + "/" + name
        let error = #expect(throws: ArrayIOError.self) {
            switch (name as NSString).pathExtension {
            case "npy", "npz": _ = try ArrayFile.open(path).readAll()
            case "csv":
                do { _ = try CSVTable.read(path: path) } catch let e as ArrayIOError { _ = try TextTable.read(path: path); throw e }
            case "json": _ = try JSONValue.read(path: path)
            default: Issue.record("no reader for \(name)")
            }
        }
        guard let text = error?.description else { return }
        #expect(text.hasPrefix(path) && !text.contains("\n"), "\(text)")
    }
}
