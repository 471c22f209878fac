import Foundation
import XCTest

/// One file of `Corpus/<category>/` with its `.expect` sidecar.
struct CorpusCase {
    var name: String
    var bytes: [UInt8]
    var expectation: Expectation

    static let root = (String(describing: #filePath) as NSString).deletingLastPathComponent + "/Corpus"

    /// Every case of a category, sorted by name; fails the test when the folder is empty or a sidecar is missing.
    static func all(_ category: String) throws -> [CorpusCase] {
        let folder = "\(root)/\(category)"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasSuffix(".expect") }.sorted()
        XCTAssertFalse(names.isEmpty, "no cases in \(folder)")
        return try names.map { name in
            let stem = (name as NSString).deletingPathExtension
            let sidecar = try String(contentsOfFile: "\(folder)/\(stem).expect", encoding: .utf8)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(name)")))
            return CorpusCase(name: "\(category)/\(name)", bytes: bytes,
                              expectation: try Expectation(sidecar.split(separator: "\n", omittingEmptySubsequences: false)[0]))
        }
    }
}
