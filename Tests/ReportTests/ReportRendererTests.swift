import Apply
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Report
import TestSupport
import XCTest

/// The report's HTML against a known ledger (`ReportSample`): parsed as XML, its structure and numbers checked,
/// hostile strings shown as text and never as markup, the bytes fixed by a golden file.
final class ReportRendererTests: XCTestCase {
    private let golden = Golden.folder() + "/Golden"

    private func parsed(_ page: ReportRenderer.Page) throws -> XMLDocument {
        do {
            return try XMLDocument(xmlString: page.html, options: [])
        } catch {
            XCTFail("\(page.name) is not well-formed: \(error)")
            throw error
        }
    }

    private func texts(_ document: XMLDocument, _ xpath: String) throws -> [String] {
        try document.nodes(forXPath: xpath).map { $0.stringValue ?? "" }
    }

    func testTheIndexPageMatchesItsGolden() throws {
        let pages = ReportRenderer().pages(ReportSample.model())
        XCTAssertEqual(pages.map(\.name), ["index.html"])
        Golden.assertMatches(pages[0].html, file: golden + "/index.html")
        XCTAssertEqual(ReportRenderer().pages(ReportSample.model()), pages, "the same model gives the same bytes")
    }

    func testRunsAreListedNewestFirstWithTheirNumbers() throws {
        let document = try parsed(ReportRenderer().pages(ReportSample.model())[0])
        let rows = try document.nodes(forXPath: "//table[@id='runs-table']/tbody/tr")
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(try texts(document, "//table[@id='runs-table']/tbody/tr/td[1]"), ReportSample.runs.map(\.id))
        let apply = try texts(document, "//tr[@id='run-20261203T092000Z-000004']/td")
        XCTAssertEqual(Array(apply[1...7]), ["2026-12-03T09:20:00.000Z", "12.2 s", "apply", "succeeded", "1", "5", "2"])
        XCTAssertEqual(apply[8], "backup kept")
        XCTAssertEqual(apply[9], ReportSample.hostileOwner)
        let drift = try texts(document, "//tr[@id='run-20261203T100000Z-000007']/td")
        XCTAssertEqual(drift[3], "drift")
        XCTAssertEqual(drift[8], "drift: 2 changed, 1 missing, 4 unexpected, 0 schema (exit 2)")
        let rollback = try texts(document, "//tr[@id='run-20261203T094000Z-000006']/td")
        XCTAssertEqual(rollback[4], "failed")
        XCTAssertEqual(rollback[8], "1 failed; error: the base said <no> & stopped")
        XCTAssertEqual(try document.nodes(forXPath: "//tr[@id='run-20261203T094000Z-000006']/td[@class='status-failed']").count, 1)
    }

    func testTablesRetentionAndLockAreShown() throws {
        let document = try parsed(ReportRenderer().pages(ReportSample.model())[0])
        XCTAssertEqual(try texts(document, "//section[@id='tables']//tbody/tr/td[1]"), [ReportSample.hostileTable, "Plugins"])
        XCTAssertEqual(try texts(document, "//section[@id='tables']//tbody/tr[1]/td"), [ReportSample.hostileTable, "12", "4", "Notes & <b>, Status"])
        XCTAssertEqual(try texts(document, "//section[@id='retention']//tbody/tr/td[3]"), ["4", "2", "3", "9"],
                       "kept now: 4 apply and rollback runs, 2 backups, 3 drift checks, 9 state versions")
        XCTAssertEqual(try texts(document, "//section[@id='retention']//tbody/tr[3]/td[2]"), ["drift_checks.keep_last 30"])
        let lock = try texts(document, "//section[@id='lock']//p").joined(separator: "\n")
        XCTAssertTrue(lock.contains("Stale lock (state/.lock) by \(ReportSample.hostileOwner), pid 999999 on evil<host>\\u{1B}[31m (on another host)"), lock)
        XCTAssertTrue(lock.contains("to remove it now: recon force-unlock 6f1c2d9e-<lease>"), lock)
    }

    func testTheChartsHoldOneBarSegmentPerNonZeroCount() throws {
        let document = try parsed(ReportRenderer().pages(ReportSample.model())[0])
        XCTAssertEqual(try document.nodes(forXPath: "//svg").count, 3)
        // Runs oldest first: 10 created; 3 created; 1 created, 5 updated, 2 deleted; 1 updated (the rollback).
        XCTAssertEqual(try texts(document, "//figure[@id='chart-records']//rect[title]/title"), [
            "20261203T090000Z-000001 (apply, succeeded): 10 created", "20261203T090500Z-000002 (apply, succeeded): 3 created",
            "20261203T092000Z-000004 (apply, succeeded): 1 created", "20261203T092000Z-000004 (apply, succeeded): 5 updated",
            "20261203T092000Z-000004 (apply, succeeded): 2 deleted", "20261203T094000Z-000006 (rollback, failed): 1 updated",
        ])
        XCTAssertEqual(try texts(document, "//figure[@id='chart-duration']//rect[title]/title").count, 4)
        XCTAssertEqual(try texts(document, "//figure[@id='chart-drift']//rect[title]/title"),
                       ["20261203T100000Z-000007 (drift, succeeded): 2 changed", "20261203T100000Z-000007 (drift, succeeded): 1 missing",
                        "20261203T100000Z-000007 (drift, succeeded): 4 unexpected"])
        // The tallest bar (10 created) fills the plot; heights scale from there.
        let tallest = try XCTUnwrap(try document.nodes(forXPath: "//figure[@id='chart-records']//rect[title]").first as? XMLElement)
        XCTAssertEqual(tallest.attribute(forName: "height")?.stringValue, "152.0")
    }

    /// Runs shorter than a second scale to the longest of them, not to a floor of 1 s that left them a sliver.
    func testShortRunsStillFillTheDurationChart() throws {
        let runs = [ReportSample.run("20261203T090100Z-000002", .apply, at: 1, seconds: 0.4),
                    ReportSample.run("20261203T090000Z-000001", .apply, at: 0, seconds: 0.2)]
        let document = try parsed(ReportRenderer().pages(ReportSample.model(runs: runs))[0])
        let bars = try document.nodes(forXPath: "//figure[@id='chart-duration']//rect[title]").compactMap { ($0 as? XMLElement)?.attribute(forName: "height")?.stringValue }
        XCTAssertEqual(bars, ["76.0", "152.0"])
        XCTAssertEqual(try texts(document, "//figure[@id='chart-duration']//svg/text[1]"), ["0.4 s"])
    }

    func testHostileStringsAreTextNeverMarkup() throws {
        let page = ReportRenderer().pages(ReportSample.model())[0]
        let document = try parsed(page)
        XCTAssertEqual(try document.nodes(forXPath: "//script").count, 0)
        XCTAssertEqual(try document.nodes(forXPath: "//img").count, 0)
        XCTAssertEqual(try document.nodes(forXPath: "//b").count, 0)
        XCTAssertEqual(try document.nodes(forXPath: "//*[@onerror]").count, 0)
        XCTAssertFalse(page.html.contains("\u{1B}"), "control characters are shown escaped")
        XCTAssertTrue(page.html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; &quot;Skills&quot;"))
        XCTAssertFalse(page.html.contains("http://") && page.html.contains("src=\"http"), "no external asset")
        XCTAssertEqual(try document.nodes(forXPath: "//*[@src]").count, 0)
        XCTAssertEqual(try document.nodes(forXPath: "//link").count, 0)
    }

    func testALongHistoryIsPagedNewestFirst() throws {
        let runs = (0..<5).reversed().map { ReportSample.run("20261203T09000\($0)Z-00000\($0)", .apply, at: Double($0), seconds: 1) }
        let pages = ReportRenderer(pageSize: 2).pages(ReportSample.model(runs: runs))
        XCTAssertEqual(pages.map(\.name), ["index.html", "runs-2.html", "runs-3.html"])
        var listed: [String] = []
        for page in pages {
            let document = try parsed(page)
            listed += try texts(document, "//table[@id='runs-table']/tbody/tr/td[1]")
            XCTAssertEqual(try texts(document, "(//nav[@class='pages'])[1]/a/@href"), pages.map(\.name).filter { $0 != page.name })
            XCTAssertEqual(try document.nodes(forXPath: "//section[@id='charts']").count, page.name == "index.html" ? 1 : 0)
        }
        XCTAssertEqual(listed, runs.map(\.id), "every run once, newest first, across the pages")
    }

    func testNoRunsYetStillMakesAPage() throws {
        var model = ReportSample.model(runs: [])
        model.lock = LockStatus(location: "state/.lock", backend: "local")
        let document = try parsed(ReportRenderer().pages(model)[0])
        XCTAssertEqual(try document.nodes(forXPath: "//table[@id='runs-table']/tbody/tr").count, 0)
        XCTAssertEqual(try texts(document, "//section[@id='lock']/p"), ["The state is not locked (state/.lock)."])
        XCTAssertEqual(try texts(document, "//figure//svg/text").filter { $0 == "No data yet" }.count, 3)
    }
}
