import Foundation
import Postgres
import PostgresBase
import Remote
import TestSupport

/// The provider contract against the throwaway PostgreSQL cluster, a fresh schema per test, in small batches.
final class PostgresContractTests: ProviderContract {
    private var schema: String?

    override func makeProvider() throws -> any BaseProvider {
        let schema = "contract_\(UUID().uuidString.prefix(8).lowercased())"
        self.schema = schema
        return PostgresBase(connectionString: try PostgresServer.shared().uri(), schema: schema, maxRecordsPerBatch: 7)
    }

    override func tearDownWithError() throws {
        if let schema {
            let connection = try PGConnection(try PostgresServer.shared().uri())
            try connection.exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(schema)) CASCADE")
            try connection.exec("DROP SCHEMA IF EXISTS \(PGIdentifier.quote(schema + "_recon")) CASCADE")
        }
        try super.tearDownWithError()
    }

    /// Choices are CHECK constraints, replaced when choices are added.
    override var traits: ProviderTraits { ProviderTraits(canUpdateChoices: true, enforcesChoices: true) }

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
