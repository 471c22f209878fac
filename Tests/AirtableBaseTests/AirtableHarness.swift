import AirtableBase
import Foundation
import ReconCore
import Remote
import TestSupport
import XCTest

/// An emulator and a provider talking to it over loopback HTTP, with durations scaled down:
/// the same code paths as production, seconds instead of half-minutes.
final class AirtableHarness {
    let emulator: AirtableEmulator
    let baseID: String
    let waits = WaitLog()

    /// `penalty` is both the emulator's penalty window and the client's wait after a 429.
    init(requestsPerSecond: Int = 100, penalty: Double = 0.6, keepAlive: Bool = false) throws {
        emulator = try AirtableEmulator(requestsPerSecond: requestsPerSecond, penaltySeconds: penalty, keepAlive: keepAlive)
        baseID = emulator.addBase()
    }

    deinit { emulator.stop() }

    /// A provider with its own limiter (tests must not share pacing through the process registry).
    func provider(rate: Double = 5, token: String? = nil, penalty: Double = 0.6, maxRetries: Int = 4,
                  timeout: Double = 5, typecast: [String: Set<String>] = [:]) -> AirtableBase {
        let waits = self.waits
        let timing = AirtableTiming(requestTimeout: timeout, penaltySeconds: penalty, backoffBase: 0.1, backoffCap: 0.4,
                                    maxRetries: maxRetries, sleep: { seconds in
                                        waits.append(seconds)
                                        if seconds > 0 { Thread.sleep(forTimeInterval: seconds) }
                                    })
        let configuration = AirtableConfiguration(baseID: baseID, apiURL: emulator.url, token: AirtableToken(token ?? emulator.token),
                                                  requestsPerSecond: rate, timing: timing, typecastFields: typecast)
        return AirtableBase(configuration: configuration, limiter: AirtableRateLimiter(requestsPerSecond: rate))
    }

    /// Plugins (key text) and Skills with one field of every type, Skills linking to Plugins.
    static let plugins = TableDefinition(name: "Plugins", description: "Plugins", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText),
        FieldDefinition(name: "Name", type: .singleLineText),
    ])

    static let skills = TableDefinition(name: "Skills", description: "Agent skills", keyField: "Key", fields: [
        FieldDefinition(name: "Key", type: .singleLineText, description: "repo:path"),
        FieldDefinition(name: "Name", type: .singleLineText),
        FieldDefinition(name: "Body", type: .multilineText),
        FieldDefinition(name: "Home", type: .url),
        FieldDefinition(name: "Mail", type: .email),
        FieldDefinition(name: "Phone", type: .phoneNumber),
        FieldDefinition(name: "Score", type: .number, precision: 2),
        FieldDefinition(name: "Ready", type: .checkbox),
        FieldDefinition(name: "Day", type: .date),
        FieldDefinition(name: "At", type: .dateTime),
        FieldDefinition(name: "Status", type: .singleSelect, choices: ["Draft", "Published"]),
        FieldDefinition(name: "Tags", type: .multipleSelects, choices: ["a", "b", "c"]),
        FieldDefinition(name: "Plugin", type: .multipleRecordLinks, linkedTable: "Plugins"),
        FieldDefinition(name: "Related", type: .multipleRecordLinks, linkedTable: "Skills"),
    ])

    /// Creates both tables through the provider; returns them as the base reports them.
    func createCatalog(_ provider: AirtableBase) throws -> (plugins: RemoteTable, skills: RemoteTable) {
        _ = try provider.createTable(Self.plugins)
        _ = try provider.createTable(Self.skills)
        let schema = try provider.inspectSchema()
        return (try XCTUnwrap(schema.table(named: "Plugins")), try XCTUnwrap(schema.table(named: "Skills")))
    }
}

/// Every wait the client asked for, in order.
final class WaitLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Double] = []
    func append(_ seconds: Double) { lock.withLock { items.append(seconds) } }
    var all: [Double] { lock.withLock { items } }
}
