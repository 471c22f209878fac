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

    // Every rule of the contract, run against this provider.
    func testTablesAndFieldsReadBackAsTheyWereWritten() throws { try ruleTablesAndFieldsReadBackAsTheyWereWritten() }
    func testFieldsAddedLaterAndDescriptionsChangedReadBack() throws { try ruleFieldsAddedLaterAndDescriptionsChangedReadBack() }
    func testTablesAndFieldsAreRenamedByID() throws { try ruleTablesAndFieldsAreRenamedByID() }
    func testChoicesAreAddedOrTheProviderSaysItCannot() throws { try ruleChoicesAreAddedOrTheProviderSaysItCannot() }
    func testEveryFieldTypeRoundTrips() throws { try ruleEveryFieldTypeRoundTrips() }
    func testEmptyValuesReadBackAsNoValue() throws { try ruleEmptyValuesReadBackAsNoValue() }
    func testNumbersPastTheirPrecisionReadBackEqualAtIt() throws { try ruleNumbersPastTheirPrecisionReadBackEqualAtIt() }
    func testDateTimesPastTheBasesGrainReadBackEqual() throws { try ruleDateTimesPastTheBasesGrainReadBackEqual() }
    func testBatchesKeepIdsStableAndUpsertsNeverDuplicate() throws { try ruleBatchesKeepIdsStableAndUpsertsNeverDuplicate() }
    func testLinksHoldIdsOfExistingRecords() throws { try ruleLinksHoldIdsOfExistingRecords() }
    func testHostileNamesAreNamesLikeAnyOther() throws { try ruleHostileNamesAreNamesLikeAnyOther() }
}
