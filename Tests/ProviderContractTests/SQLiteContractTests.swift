import Remote
import SQLiteBase
import TestSupport

/// The provider contract against a real SQLite file, in small batches so every batch rule is crossed.
final class SQLiteContractTests: ProviderContract {
    private var directory: TemporaryDirectory?

    override func makeProvider() throws -> any BaseProvider {
        let directory = TemporaryDirectory("contract-sqlite")
        self.directory = directory
        return SQLiteBase(path: directory.file("base.sqlite"), maxRecordsPerBatch: 7)
    }

    /// SQLite keeps choices in Recon's metadata only: any text goes in a select's column.
    override var traits: ProviderTraits { ProviderTraits(canUpdateChoices: true, enforcesChoices: false) }

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
