import Foundation
import YAML

// Times YAMLLoader on generated documents of about N nodes, in three shapes, to show that loading
// is linear in the input (nodes/s stays flat as N grows ×10):
//   swift build -c release --product recon-yaml-bench && .build/release/recon-yaml-bench [N ...]
let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }

/// A document of about `nodes` nodes (Node.weight counts them: every scalar, list and mapping).
enum Shape: String, CaseIterable {
    /// One long list of scalars: `items: [- x, ...]`.
    case sequence
    /// One wide mapping: `k0: v0`, `k1: v1`, ...
    case mapping
    /// A list of manifest-like mappings, each with a nested list and a nested flow mapping.
    case nested

    func text(nodes: Int) -> String {
        var text = ""
        switch self {
        case .sequence:
            text.reserveCapacity(nodes * 6)
            text += "items:\n"
            for index in 0..<nodes { text += "  - x\(index)\n" }
        case .mapping:
            text.reserveCapacity(nodes * 12)
            for index in 0..<(nodes / 2) { text += "k\(index): v\(index)\n" }
        case .nested:
            // The mapping (1), name (2), tags and its list of 3 (5), meta and its flow mapping of 2 pairs (6): 14 nodes.
            text += "tables:\n"
            for index in 0..<(nodes / 14) {
                text += "  - name: T\(index)\n    tags: [a, b, c]\n    meta: {key: K\(index), on_delete: keep}\n"
            }
        }
        return text
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

print("shape       nodes (target)   nodes (loaded)        MB      seconds       nodes/s")
for shape in Shape.allCases {
    for size in sizes.isEmpty ? [10_000, 100_000, 1_000_000] : sizes {
        let bytes = Array(shape.text(nodes: size).utf8)
        var loaded = 0
        let time = try seconds {
            loaded = try YAMLLoader().load(bytes, file: "\(shape).yaml").reduce(0) { $0 + $1.weight }
        }
        print(shape.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
              + String(format: "%16d %16d %9.1f %12.3f %13.0f", size, loaded, Double(bytes.count) / 1e6, time, Double(loaded) / time))
    }
}
