import Foundation
import TestSupport
import XCTest

/// The real `recon` after real applies and a drift check, its report opened in headless Chromium: the
/// screenshot shows the charts (not a blank page) and the DOM holds every run, newest first (issue 11).
final class ReportPageTests: XCTestCase {
    private let width = 1200
    private let height = 1600

    private func project() throws -> (TemporaryDirectory, GitFixture) {
        let directory = TemporaryDirectory("report-page")
        let repo = GitFixture("skills")
        directory.write("manifests/schema.yaml", """
            target: {provider: sqlite, database: state/catalog.sqlite}
            tables:
              - name: Skills
                key: Key
                fields:
                  - {name: Key, type: singleLineText}
                  - {name: Name, type: singleLineText}
                  - {name: Notes, type: multilineText}
            repos:
              - name: core
                path: \(repo.path)
                extract:
                  - {table: Skills, files: ["skills/*/SKILL.md"], as: frontmatter, root: ., fields: {Name: name}}
            protected: {Skills: [Notes]}
            """)
        return (directory, repo)
    }

    private func recon(_ arguments: String..., in directory: TemporaryDirectory) throws -> ReconProcess.Result {
        try ReconProcess.run(arguments, in: directory.path)
    }

    func testTheReportRendersInChromiumWithItsChartsAndRuns() throws {
        let chromium = try HeadlessChromium.find()
        let (directory, repo) = try project()
        for index in 0..<12 { repo.write("skills/s\(index)/SKILL.md", "---\nname: Skill \(index)\n---\n") }
        repo.commit("twelve skills")
        XCTAssertEqual(try recon("apply", "--auto-approve", in: directory).status, 0)
        for index in 0..<4 { repo.write("skills/s\(index)/SKILL.md", "---\nname: Skill \(index) v2\n---\n") }
        repo.commit("four renamed")
        XCTAssertEqual(try recon("apply", "--auto-approve", in: directory).status, 0)
        let sql = Process()
        sql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sql.arguments = ["sqlite3", directory.path + "/state/catalog.sqlite", "UPDATE Skills SET Name = 'by hand' WHERE Key LIKE '%s5'"]
        try sql.run()
        sql.waitUntilExit()
        XCTAssertEqual(try recon("drift", in: directory).status, 2)

        let report = try recon("report", in: directory)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertEqual(report.stdout, "Wrote state/report/index.html: 3 runs and drift checks.\n")
        let page = directory.path + "/state/report/index.html"
        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: page)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)

        let listed = try recon("runs", "--format", "json", in: directory)
        let runs = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])
        let ids = runs.compactMap { $0["id"] as? String }
        XCTAssertEqual(ids.count, 3)

        // The DOM Chromium built: every run's row, newest first, with its operation.
        let dom = try chromium.dumpDOM(page)
        var position = dom.startIndex
        for (id, operation) in zip(ids, ["drift", "apply", "apply"]) {
            let row = try XCTUnwrap(dom.range(of: "<tr id=\"run-\(id)\">", range: position..<dom.endIndex), "row of \(id) in order:\n\(dom)")
            XCTAssertTrue(dom[row.upperBound...].prefix(400).contains("<td>\(operation)</td>"), String(dom[row.upperBound...].prefix(400)))
            position = row.upperBound
        }
        XCTAssertFalse(dom.contains("<script"))

        // The screenshot: the size asked for, and the charts' colours painted, which a blank page cannot have.
        let png = directory.path + "/report.png"
        try chromium.screenshot(page, to: png, width: width, height: height)
        let image = try PNGImage(Array(try Data(contentsOf: URL(fileURLWithPath: png))))
        XCTAssertEqual(image.width, width)
        XCTAssertEqual(image.height, height)
        let histogram = image.histogram
        let white = histogram[0xFFFFFF] ?? 0
        XCTAssertLessThan(Double(white), Double(width * height) * 0.97, "more than white: \(histogram.count) colours")
        XCTAssertGreaterThan(histogram.count, 20, "text, tables and charts paint many colours")
        for (name, colour) in [("created bars", 0x2E7D32), ("updated bars", 0x1565C0), ("duration bars", 0x6A1B9A), ("drift changed bars", 0xEF6C00)] {
            let painted = histogram.filter { Self.near($0.key, colour) }.values.reduce(0, +)
            XCTAssertGreaterThan(painted, 200, "\(name) (#\(String(colour, radix: 16))) painted in the screenshot")
        }
    }

    /// Within a few steps per channel: colour management may move a solid fill slightly.
    private static func near(_ a: Int, _ b: Int) -> Bool {
        [16, 8, 0].allSatisfy { abs((a >> $0) & 0xFF - (b >> $0) & 0xFF) <= 4 }
    }
}
