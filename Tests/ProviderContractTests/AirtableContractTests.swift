import AirtableBase
import Foundation
import Remote
import TestSupport

/// The provider contract against the Airtable emulator over loopback HTTP, paced fast.
final class AirtableContractTests: ProviderContract {
    private var emulator: AirtableEmulator?

    override func makeProvider() throws -> any BaseProvider {
        let emulator = try AirtableEmulator(requestsPerSecond: 100, penaltySeconds: 0.6)
        self.emulator = emulator
        let timing = AirtableTiming(requestTimeout: 10, penaltySeconds: 0.6, backoffBase: 0.1, backoffCap: 0.4, maxRetries: 4)
        let configuration = AirtableConfiguration(baseID: emulator.addBase(), apiURL: emulator.url, token: AirtableToken(emulator.token),
                                                  requestsPerSecond: 50, timing: timing)
        return AirtableBase(configuration: configuration, limiter: AirtableRateLimiter(requestsPerSecond: 50))
    }

    override func tearDown() {
        emulator?.stop()
        super.tearDown()
    }

    /// Airtable's metadata API cannot add choices, and refuses a value outside them (no typecast).
    override var traits: ProviderTraits { ProviderTraits(canUpdateChoices: false, enforcesChoices: true) }

    // Linux's test discovery lists only methods a class declares itself, so each rule is named here too.
    override func testTablesAndFieldsReadBackAsTheyWereWritten() throws { try super.testTablesAndFieldsReadBackAsTheyWereWritten() }
    override func testFieldsAddedLaterAndDescriptionsChangedReadBack() throws { try super.testFieldsAddedLaterAndDescriptionsChangedReadBack() }
    override func testTablesAndFieldsAreRenamedByID() throws { try super.testTablesAndFieldsAreRenamedByID() }
    override func testChoicesAreAddedOrTheProviderSaysItCannot() throws { try super.testChoicesAreAddedOrTheProviderSaysItCannot() }
    override func testEveryFieldTypeRoundTrips() throws { try super.testEveryFieldTypeRoundTrips() }
    override func testEmptyValuesReadBackAsNoValue() throws { try super.testEmptyValuesReadBackAsNoValue() }
    override func testNumbersPastTheirPrecisionReadBackEqualAtIt() throws { try super.testNumbersPastTheirPrecisionReadBackEqualAtIt() }
    override func testBatchesKeepIdsStableAndUpsertsNeverDuplicate() throws { try super.testBatchesKeepIdsStableAndUpsertsNeverDuplicate() }
    override func testLinksHoldIdsOfExistingRecords() throws { try super.testLinksHoldIdsOfExistingRecords() }
    override func testHostileNamesAreNamesLikeAnyOther() throws { try super.testHostileNamesAreNamesLikeAnyOther() }
}
