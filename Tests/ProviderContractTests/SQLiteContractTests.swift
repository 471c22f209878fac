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
