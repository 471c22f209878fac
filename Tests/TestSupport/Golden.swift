import Foundation
import XCTest

/// Compares output with a committed golden file; `RECON_RECORD=1` rewrites the file instead.
public enum Golden {
    public static func assertMatches(_ actual: String, file goldenPath: String,
                                     file: StaticString = #filePath, line: UInt = #line) {
        if ProcessInfo.processInfo.environment["RECON_RECORD"] == "1" {
            try? FileManager.default.createDirectory(atPath: (goldenPath as NSString).deletingLastPathComponent,
                                                     withIntermediateDirectories: true)
            try! Data(actual.utf8).write(to: URL(fileURLWithPath: goldenPath))
            return
        }
        guard let expected = FileManager.default.contents(atPath: goldenPath).map({ String(decoding: $0, as: UTF8.self) }) else {
            XCTFail("golden file \(goldenPath) is missing; run with RECON_RECORD=1 to create it", file: file, line: line)
            return
        }
        if actual != expected {
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(actualLines, expectedLines).enumerated().first { $0.element.0 != $0.element.1 }
            let where_ = first.map { "first difference at line \($0.offset + 1):\n  expected: \($0.element.1)\n  actual:   \($0.element.0)" }
                ?? "lengths differ (\(actualLines.count) vs \(expectedLines.count) lines)"
            XCTFail("output differs from \(goldenPath); \(where_)\n(RECON_RECORD=1 re-records)", file: file, line: line)
        }
    }

    /// The folder of the calling test file, for fixtures beside it.
    public static func folder(of filePath: StaticString = #filePath) -> String {
        (String(describing: filePath) as NSString).deletingLastPathComponent
    }
}
