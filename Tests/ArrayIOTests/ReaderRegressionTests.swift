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
        var errors: [ArrayIOError] = []
        func attempt(_ body: () throws -> Void) {
            do { try body() } catch let error as ArrayIOError { errors.append(error) } catch { Issue.record("not an ArrayIOError: \(error)") }
        }
        switch (name as NSString).pathExtension {
        case "npy": attempt { _ = try ArrayFile.open(path).readAll() }
        case "npz":
            // Every member, not just the archive: a damaged member only shows when it is read.
            attempt {
                let archive = try NPZArchive(path: path)
                for key in archive.keys { attempt { _ = try archive.array(named: key).readAll() } }
            }
            attempt { _ = try ArrayFile.open(path).readAll() }
        case "csv":
            attempt { _ = try CSVTable.read(path: path) }
            attempt { _ = try TextTable.read(path: path) }
        case "json": attempt { _ = try JSONValue.read(path: path) }
        default: Issue.record("no reader for \(name)")
        }
        #expect(!errors.isEmpty, "\(name) was read without an error")
        for error in errors {
            // The fuzzers' contract: one line, starting with the file, short enough to read.
            #expect(error.description.hasPrefix(path) && !error.description.contains("\n") && error.description.count <= 2000,
                    "\(error.description.prefix(300))")
        }
    }
}
