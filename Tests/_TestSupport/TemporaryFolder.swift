import Foundation

/// A fresh folder under the system temporary directory, for tests that write files.
public func makeTemporaryFolder(_ label: String = "spectralkd-test") -> String {
    let path = NSTemporaryDirectory() + "/\(label)-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes bytes to `path`, creating or replacing the file.
public func writeFile(_ path: String, _ bytes: [UInt8]) {
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
}

/// Names of the files in a folder (empty when it does not exist), hidden ones included.
public func filesIn(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}
