import Foundation

/// How long each stage of a run took, for `--timings` and the benchmarks.
public struct StageTimings: Sendable {
    public private(set) var stages: [(name: String, seconds: Double)] = []

    public init() {}

    /// Runs `body` and records its wall time under `name`.
    public mutating func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { stages.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)) }
        return try body()
    }

    public mutating func record(_ name: String, seconds: Double) {
        stages.append((name, seconds))
    }

    public mutating func append(_ other: StageTimings) {
        stages += other.stages
    }

    public var line: String {
        stages.map { "\($0.name) \(String(format: "%.3f", $0.seconds))s" }.joined(separator: ", ")
    }
}
