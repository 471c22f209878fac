import Apply
import Foundation
import TestSupport
import XCTest

/// Which paths below the state folder are Recon's own is decided on bytes, as the disk sees names.
final class StatePlacementTests: XCTestCase {
    func testAHiddenNameStartingWithACombiningMarkIsStillHidden() {
        let folder = TemporaryDirectory("placement")
        let state = folder.file("main.state.json")
        XCTAssertTrue(StatePlacement.isReconsOwn(folder.file(".\u{338}lock"), statePath: state))
        XCTAssertTrue(StatePlacement.isReconsOwn(folder.file("x/\u{338}y"), statePath: state))
        XCTAssertTrue(StatePlacement.isReconsOwn(state, statePath: state))
        XCTAssertFalse(StatePlacement.isReconsOwn(folder.file("plan.json"), statePath: state))
    }

    /// "café" spelled NFD is another folder than the NFC state folder, so nothing in it is Recon's own.
    func testASiblingThatDiffersOnlyByNormalizationIsNotTheStateFolder() throws {
        let parent = TemporaryDirectory("placement")
        let state = parent.file("caf\u{E9}/main.state.json")
        XCTAssertTrue(StatePlacement.isReconsOwn(parent.file("caf\u{E9}/runs/plan.json"), statePath: state))
        XCTAssertFalse(StatePlacement.isReconsOwn(parent.file("cafe\u{301}/runs/plan.json"), statePath: state))
        XCTAssertFalse(StatePlacement.isReconsOwn(parent.file("cafe\u{301}/main.state.json"), statePath: state))
    }
}
