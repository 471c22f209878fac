import Apply
import Foundation
import TestSupport
import XCTest

/// A pace folder under the state folder that is a symlink (committed to git) is not used: the run paces itself
/// alone and writes nothing through the link.
final class SymlinkedPaceFolderTests: XCTestCase {
    func testASymlinkedPaceFolderIsNotWrittenThrough() throws {
        let p = try AirtableProject()
        p.addSkill("plugin0", "skill0")
        _ = p.repo.commit("skills")
        let victim = TemporaryDirectory("symlink-victim")
        let folder = p.project.path + "/state/" + BaseConnector.paceSubdirectory
        try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: victim.path)
        let applied = try p.apply()
        XCTAssertEqual(applied.status, 0, applied.output)
        XCTAssertEqual(p.keys("Skills").count, 1)
        XCTAssertEqual(victim.list(), [], "the pace file was written through the link")
    }
}
