import Plan
import ReconCore

/// A line of `outcomes.jsonl` written (and fsynced) before a batch that puts records under management is sent
/// (creates, and adoptions that write): the keys the batch may leave written in the base if the run dies before
/// their outcomes. The values sent are in the run folder's plan.
public struct BatchIntent: Sendable, Equatable {
    /// `create` (a recreate is written as one) or `adopt`.
    public var action: RecordAction
    public var table: String
    public var keys: [String]
    /// The run's intent number, from 1.
    public var batch: Int

    public init(action: RecordAction, table: String, keys: [String], batch: Int) {
        self.action = action
        self.table = table
        self.keys = keys
        self.batch = batch
    }

    /// One canonical JSON line with its newline; `intent` tells it from an outcome line.
    public func line() -> [UInt8] {
        var bytes = JSONValue.object(["intent": .string(action.rawValue), "table": .string(table),
                                      "keys": .array(keys.map { .string($0) }), "batch": .number(Double(batch))]).canonicalBytes()
        bytes.append(0x0A)
        return bytes
    }

    /// Decodes one line; nil for a line that is not a complete intent.
    public init?(line: ArraySlice<UInt8>) {
        guard let value = try? JSONParser.parse(Array(line)), let action = value["intent"]?.stringValue.flatMap(RecordAction.init),
              let table = value["table"]?.stringValue, case .array(let items)? = value["keys"],
              case .number(let batch)? = value["batch"] else { return nil }
        let keys = items.compactMap(\.stringValue)
        guard keys.count == items.count else { return nil }
        self.init(action: action, table: table, keys: keys, batch: Int(batch))
    }
}
