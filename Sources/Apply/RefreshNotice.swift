import Foundation
import ReconCore
import Remote
import State

/// Says before a refresh that it will take a while: a paced provider (Airtable) reads 100 records
/// per request, so 10,000 records at 5 requests/s are ~20 s in which nothing else is printed.
enum RefreshNotice {
    /// Records per read request of a paced provider (Airtable's page).
    static let recordsPerRead = 100

    /// Reported when the estimate (from the records the state holds) reaches the notice threshold.
    static func report(state: StateModel?, tables: Int, limits: ProviderLimits) {
        guard let rate = limits.requestsPerSecond, rate > 0 else { return }
        let counts = (state?.records.values.map(\.count) ?? []).filter { $0 > 0 }
        let records = counts.reduce(0, +)
        // The schema, then each table's pages; a table without records still costs one read.
        let reads = 1 + counts.reduce(0) { $0 + ($1 + recordsPerRead - 1) / recordsPerRead } + max(0, tables - counts.count)
        WaitNotice.report(WaitNotice(seconds: Double(reads) / rate,
                                     reason: "reading about \(records) records of \(tables) tables from the base (\(reads) requests at \(JSONWriter.format(rate))/s)"))
    }
}
