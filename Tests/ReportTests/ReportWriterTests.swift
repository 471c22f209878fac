import Foundation
import Report
import TestSupport
import XCTest

/// Writing the pages: 0600 files in a 0700 folder, pages of a longer history removed, others' files left alone.
final class ReportWriterTests: XCTestCase {
    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    func testPagesArePrivateAndPagesNoLongerNeededGo() throws {
        let temp = TemporaryDirectory()
        let folder = temp.path + "/report"
        let runs = (0..<5).reversed().map { ReportSample.run("20261203T09000\($0)Z-00000\($0)", .apply, at: Double($0), seconds: 1) }
        try ReportWriter.write(ReportRenderer(pageSize: 2).pages(ReportSample.model(runs: runs)), to: folder)
        XCTAssertEqual(temp.list("report").sorted(), ["index.html", "runs-2.html", "runs-3.html"])
        XCTAssertEqual(try mode(folder), 0o700)
        XCTAssertEqual(try mode(folder + "/index.html"), 0o600)
        XCTAssertEqual(try mode(folder + "/runs-3.html"), 0o600)
        temp.write("report/notes.txt", "mine")

        try ReportWriter.write(ReportRenderer(pageSize: 2).pages(ReportSample.model(runs: Array(runs.prefix(3)))), to: folder)
        XCTAssertEqual(temp.list("report").sorted(), ["index.html", "notes.txt", "runs-2.html"], "runs-3.html went, other files stay")
    }

    func testAForeignPageIsRefusedBeforeAnythingIsWritten() throws {
        let temp = TemporaryDirectory()
        temp.write("report/runs-2.html", "<html>someone else's</html>")
        XCTAssertThrowsError(try ReportWriter.write(ReportRenderer().pages(ReportSample.model()), to: temp.path + "/report")) { error in
            XCTAssertTrue("\(error)".contains("runs-2.html' is not a page of a Recon report"), "\(error)")
        }
        XCTAssertEqual(temp.list("report"), ["runs-2.html"])
    }
}
