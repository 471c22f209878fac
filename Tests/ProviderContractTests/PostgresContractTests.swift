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
