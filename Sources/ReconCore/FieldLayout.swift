import Foundation

/// The field names of one record shape, sorted as Swift sorts Strings (canonical equivalence), immutable and
/// shared by reference among every record with the same names: 100,000 records of one table hold their names
/// once instead of a heap string and a hash-table slot per cell.
public final class FieldLayout: Sendable {
    /// Sorted by `<`, no two `==` (canonically equivalent) names.
    public let names: [String]
    /// Whether this layout came from the shared table (so re-sharing it finds nothing better).
    let isShared: Bool

    /// The layout of no field.
    public static let empty = FieldLayout(sortedUnique: [], shared: true)

    /// `names` must be sorted by `<` without two equal names (callers inside this module guarantee it).
    init(sortedUnique names: [String], shared: Bool = false) {
        self.names = names
        self.isShared = shared
    }

    /// The slot of `name` (a name equal to it as Swift Strings compare, as a dictionary lookup finds it).
    @inline(__always)
    public func slot(of name: String) -> Int? {
        let at = insertionPoint(of: name)
        return at < names.count && names[at] == name ? at : nil
    }

    /// The first slot whose name is not below `name`.
    func insertionPoint(of name: String) -> Int {
        var low = 0, high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < name { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// `names` as one shared layout: an earlier layout with byte-for-byte the same names when the table holds one.
    /// Byte for byte, not `==`: an NFD spelling must keep its bytes, since writers emit the names a record holds.
    static func interned(_ names: [String]) -> FieldLayout {
        if names.isEmpty { return empty }
        return FieldLayoutTable.shared.layout(names)
    }

    /// Whether two name lists are the same bytes (not merely canonically equivalent).
    static func sameBytes(_ a: [String], _ b: [String]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.hasSameUTF8(as: $1) }
    }
}

extension String {
    /// The same UTF-8 bytes, compared with `memcmp` (`==` takes NFC and NFD spellings as one; a generic
    /// `utf8.elementsEqual` costs ~10 instructions a byte, a tenth of a no-op plan's run at 10k).
    public func hasSameUTF8(as other: String) -> Bool {
        // The same two words are the same bytes: one small string held inline, or one storage object shared (a name
        // interned by the reader). Only a difference is worth reading the bytes for.
        if unsafeBitCast(self, to: (UInt64, UInt64).self) == unsafeBitCast(other, to: (UInt64, UInt64).self) { return true }
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in x.count == y.count && (x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0) }
        }
    }
}

/// A fixed table of layouts (a new shape replaces whatever held its slot), so memory stays bounded however many
/// shapes a hostile input makes; shared by every reader of the process.
final class FieldLayoutTable: @unchecked Sendable {
    static let shared = FieldLayoutTable(slots: 1024)

    private let lock = NSLock()
    private var layouts: [FieldLayout?]

    init(slots: Int) {
        layouts = Array(repeating: nil, count: slots)
    }

    func layout(_ names: [String]) -> FieldLayout {
        var hasher = Hasher()
        for name in names { hasher.combine(name) }
        let slot = Int(UInt(bitPattern: hasher.finalize()) % UInt(layouts.count))
        lock.lock()
        defer { lock.unlock() }
        if let known = layouts[slot], FieldLayout.sameBytes(known.names, names) { return known }
        let made = FieldLayout(sortedUnique: names, shared: true)
        layouts[slot] = made
        return made
    }
}
