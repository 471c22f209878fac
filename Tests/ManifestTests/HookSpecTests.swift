import ReconCore
import TestSupport
import XCTest
@testable import Manifest

final class HookSpecTests: XCTestCase {
    private let schema = "tables:\n  - name: Skills\n    key: Key\n    fields:\n      - {name: Key, type: singleLineText}\n"

    func testHooksOfSeveralFilesConcatenateInFileOrder() throws {
        let manifest = try ManifestLoader().load(sources: [
            ("a.yaml", Array((schema + """
                hooks:
                  pre_apply:
                    - {run: ["./scripts/deploy-window.sh"], timeout: 30s}
                  post_apply:
                    - {run: ["./scripts/notify.sh", "--channel", "catalog"], env: [SLACK_TOKEN]}
                """).utf8)),
            ("b.yaml", Array("hooks:\n  pre_apply:\n    - {run: [make, check], timeout: 2m}\n".utf8)),
        ])
        let pre = manifest.hooks(at: .preApply)
        XCTAssertEqual(pre.map(\.arguments), [["./scripts/deploy-window.sh"], ["make", "check"]])
        XCTAssertEqual(pre.map(\.timeout), [30, 120])
        XCTAssertEqual(pre.map(\.location.file), ["a.yaml", "b.yaml"])
        let post = try XCTUnwrap(manifest.hooks(at: .postApply).first)
        XCTAssertEqual(post.timeout, HookSpec.defaultTimeout)
        XCTAssertEqual(post.env.map(\.value), ["SLACK_TOKEN"])
        XCTAssertEqual(post.run[2].location, SourceLocation(file: "a.yaml", line: 10, column: 50))
        XCTAssertTrue(manifest.hooks(at: .onFailure).isEmpty)
    }

    func testArgumentsKeepTheirTextAsWritten() throws {
        let manifest = try ManifestLoader().load(sources: [
            ("a.yaml", Array((schema + "hooks:\n  post_plan:\n    - {run: [./x.sh, 0755, no, '', \"$(touch x)\"]}\n").utf8)),
        ])
        XCTAssertEqual(manifest.hooks.first?.arguments, ["./x.sh", "0755", "no", "", "$(touch x)"])
    }
}
