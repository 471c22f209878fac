@testable import AirtableBase
import Foundation
import TestSupport
import XCTest

/// Issue 14: a token must never survive into an error, whether the server echoes it whole, cut at
/// the 500-character limit of a message, or percent- or form-encoded.
final class TokenRedactionTests: XCTestCase {
    func testATokenStraddlingTheMessageCutNeverLeaksItsFirstPart() throws {
        let harness = try AirtableHarness()
        harness.emulator.setEchoesAuthorization(true)
        // The echo starts ~50 characters in, so the 500-character cut falls inside this token.
        let wrong = "patSTRADDLE." + String(repeating: "0123456789abcdef", count: 40)
        XCTAssertThrowsError(try harness.provider(rate: 50, token: wrong).inspectSchema()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("AUTHENTICATION_REQUIRED"), text)
            XCTAssertTrue(text.contains("[redacted]"), text)
            XCTAssertFalse(text.contains("patSTRADDLE"), text)
            XCTAssertFalse(text.contains("0123456789abcdef"), text)
        }
    }

    func testPercentAndFormEncodedEchoesAreRedacted() {
        let token = AirtableToken("pat/Se cret+x=1.AbC")
        let echoes = [
            "pat/Se cret+x=1.AbC",
            "pat%2FSe%20cret%2Bx%3D1.AbC",
            "pat%2fSe+cret%2bx%3d1.AbC",
            "pat%2FSe%20cret%2Bx%3D1%2EAbC",
            "%70%61%74/Se cret+x=1.AbC",
        ]
        for echo in echoes {
            let redacted = token.redact("before \(echo) after")
            XCTAssertEqual(redacted, "before [redacted] after", echo)
        }
        XCTAssertEqual(token.redact("pat/Se cret+x=1.ABC"), "pat/Se cret+x=1.ABC", "another token is not this one")
        XCTAssertEqual(AirtableToken("patA.b1").redact("x patA.b1patA.b1 y"), "x [redacted][redacted] y")
    }
}
