/// The local backend: `StateStore` keeps its name and behaviour (files under `state/`).
extension StateStore: StateBackend {
    public var location: String { path }

    public func versions() throws -> [StateVersion] {
        history.entries().map { StateVersion(serial: $0.serial, timestamp: $0.timestamp, location: $0.path) }
    }

    public func loadVersion(serial: Int) throws -> StateModel? {
        guard let entry = history.entries().last(where: { $0.serial == serial }) else { return nil }
        return try StateStore(path: entry.path).load(expectedTarget: nil)
    }

    @discardableResult
    public func pruneHistory(keepLast: Int) throws -> [StateVersion] {
        try history.prune(keepLast: keepLast).map { StateVersion(serial: $0.serial, timestamp: $0.timestamp, location: $0.path) }
    }
}

extension StateJournal: StateBatchLog {}
