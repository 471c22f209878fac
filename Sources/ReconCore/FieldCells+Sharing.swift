/// One storage for the copies of a record that are the same bytes: a no-op plan holds every record as desired, as
/// applied (state) and as read from the base, and each read alone makes its own value arrays and strings (issue 12,
/// goal 5). Sharing is invisible to readers (values are values); it matches byte for byte, never by `==`, which takes
/// an NFC and an NFD spelling (or 0.0 and -0.0) as one and would hand a writer bytes other than the ones read.
extension FieldCells {
    /// These cells, with `held`'s storage wherever it holds the same bytes: `held` itself when every name and value
    /// is the same, else each value of a same-bytes name that is the same bytes taken from `held`. Always `== self`.
    public func sharingStorage(with held: FieldCells) -> FieldCells {
        if sharesStorage(with: held) { return held }
        let mine = layout.names, theirs = held.layout.names
        if values.count == held.values.count, layout === held.layout || FieldLayout.sameBytes(mine, theirs),
           zip(values, held.values).allSatisfy({ $0.isIdentical(to: $1) }) {
            return held
        }
        var shared: [FieldValue]?
        var other = 0
        for index in values.indices where other < theirs.count {
            let name = mine[index]
            // Both sorted by `<`: the common case is the same name at both cursors.
            while other < theirs.count, !theirs[other].hasSameUTF8(as: name), theirs[other] < name { other += 1 }
            guard other < theirs.count, theirs[other].hasSameUTF8(as: name) else { continue }
            let value = held.values[other]
            other += 1
            guard value.sharesStorage, value.isIdentical(to: values[index]) else { continue }
            if shared == nil { shared = values }
            shared![index] = value
        }
        guard let shared else { return self }
        return FieldCells(layout: layout, values: shared)
    }

    /// Whether these are `other`'s very layout and value array (not merely equal).
    public func sharesStorage(with other: FieldCells) -> Bool {
        layout === other.layout && values.withUnsafeBufferPointer { mine in
            other.values.withUnsafeBufferPointer { $0.baseAddress == mine.baseAddress }
        }
    }
}

extension FieldValue {
    /// The same case and bytes (a number by its bit pattern): what a writer emits cannot tell them apart.
    public func isIdentical(to other: FieldValue) -> Bool {
        switch (self, other) {
        case (.text(let a), .text(let b)): a.hasSameUTF8(as: b)
        case (.number(let a), .number(let b)): a.bitPattern == b.bitPattern
        case (.bool(let a), .bool(let b)): a == b
        case (.list(let a), .list(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.hasSameUTF8(as: $1) }
        default: false
        }
    }

    /// Whether the value lives on the heap (a long text, a list), so taking another's saves memory.
    var sharesStorage: Bool {
        switch self {
        case .text(let text): text.utf8.count > 15
        case .list(let items): !items.isEmpty
        case .number, .bool: false
        }
    }
}
