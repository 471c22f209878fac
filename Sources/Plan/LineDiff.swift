/// The lines two texts share and the ones that differ, in order: a longest common subsequence over the lines
/// between the shared first and last ones. Pure.
enum LineDiff {
    enum Op: Equatable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// Above this many line pairs between the shared ends, the middle is shown as removed then added:
    /// the table would cost more memory than the plan is worth.
    static let maximumPairs = 250_000

    static func ops(_ before: [String], _ after: [String]) -> [Op] {
        var start = 0
        while start < before.count, start < after.count, before[start] == after[start] { start += 1 }
        var end = 0
        while end < before.count - start, end < after.count - start,
              before[before.count - 1 - end] == after[after.count - 1 - end] { end += 1 }
        let old = Array(before[start..<(before.count - end)]), new = Array(after[start..<(after.count - end)])
        var ops = before[..<start].map(Op.same)
        ops += middle(old, new)
        ops += before[(before.count - end)...].map(Op.same)
        return ops
    }

    private static func middle(_ old: [String], _ new: [String]) -> [Op] {
        guard !old.isEmpty, !new.isEmpty, old.count * new.count <= maximumPairs else {
            return old.map(Op.removed) + new.map(Op.added)
        }
        // lengths[i][j]: the longest common subsequence of old[i...] and new[j...].
        let width = new.count + 1
        var lengths = [Int](repeating: 0, count: (old.count + 1) * width)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i * width + j] = old[i] == new[j] ? lengths[(i + 1) * width + j + 1] + 1
                    : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
            }
        }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < old.count, j < new.count {
            if old[i] == new[j] {
                ops.append(.same(old[i])); i += 1; j += 1
            } else if lengths[(i + 1) * width + j] >= lengths[i * width + j + 1] {
                ops.append(.removed(old[i])); i += 1
            } else {
                ops.append(.added(new[j])); j += 1
            }
        }
        return ops + old[i...].map(Op.removed) + new[j...].map(Op.added)
    }
}
