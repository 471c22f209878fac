/// A record's cells: what `[String: FieldValue]` held, in a compact form. The names live in a shared, sorted
/// `FieldLayout`; the values in one array in layout order. It answers as the dictionary did: lookups by name
/// find a canonically equivalent name, an assignment to a present name keeps the name's first spelling,
/// `==` and hashing ignore the order names came in. It iterates in sorted name order (the dictionary had no
/// order; every writer sorted its pairs the same way, so written bytes do not change).
public struct FieldCells: Sendable {
    public private(set) var layout: FieldLayout
    /// `values[i]` is the value of `layout.names[i]`.
    public private(set) var values: [FieldValue]

    public init() {
        layout = .empty
        values = []
    }

    /// Names sorted by `<` without two equal; `values` in the same order.
    init(layout: FieldLayout, values: [FieldValue]) {
        self.layout = layout
        self.values = values
    }

    /// The cells of a dictionary (an API edge that still speaks dictionaries).
    public init(_ dictionary: [String: FieldValue]) {
        let pairs = dictionary.sorted(by: { $0.key < $1.key })
        self.init(layout: FieldLayout.interned(pairs.map(\.key)), values: pairs.map(\.value))
    }

    /// The cells as a dictionary, for the API edges that need one.
    public var dictionary: [String: FieldValue] {
        Dictionary(uniqueKeysWithValues: zip(layout.names, values))
    }

    /// The same cells with their layout shared with every other record of the same names: a record edited name
    /// by name (links added, a planner's next state) holds a layout of its own until this.
    public func compacted() -> FieldCells {
        layout.isShared ? self : FieldCells(layout: FieldLayout.interned(layout.names), values: values)
    }

    /// The positions of `names` in sorted order, equal names in their own order (so a builder fed in this order
    /// meets repeated names as a dictionary filled in the given order did).
    public static func nameOrder(_ names: [String]) -> [Int] {
        names.indices.sorted { names[$0] < names[$1] || (!(names[$1] < names[$0]) && $0 < $1) }
    }

    /// The names, sorted.
    public var keys: [String] { layout.names }

    public subscript(name: String) -> FieldValue? {
        get { layout.slot(of: name).map { values[$0] } }
        set {
            if let newValue { updateValue(newValue, forKey: name) } else { removeValue(forKey: name) }
        }
    }

    public subscript(name: String, default fallback: @autoclosure () -> FieldValue) -> FieldValue {
        self[name] ?? fallback()
    }

    /// As `Dictionary.updateValue`: the old value, or nil when `name` was new. A present name keeps its spelling.
    @discardableResult
    public mutating func updateValue(_ value: FieldValue, forKey name: String) -> FieldValue? {
        let at = layout.insertionPoint(of: name)
        if at < layout.names.count && layout.names[at] == name {
            let old = values[at]
            values[at] = value
            return old
        }
        var names = layout.names
        names.insert(name, at: at)
        layout = FieldLayout(sortedUnique: names)
        // Made at its size: an insert into a full array doubles its capacity, and the cells are kept (issue 12).
        var grown: [FieldValue] = []
        grown.reserveCapacity(values.count + 1)
        grown.append(contentsOf: values[..<at])
        grown.append(value)
        grown.append(contentsOf: values[at...])
        values = grown
        return nil
    }

    /// As `Dictionary.removeValue(forKey:)`.
    @discardableResult
    public mutating func removeValue(forKey name: String) -> FieldValue? {
        guard let at = layout.slot(of: name) else { return nil }
        var names = layout.names
        names.remove(at: at)
        layout = names.isEmpty ? .empty : FieldLayout(sortedUnique: names)
        return values.remove(at: at)
    }

    public mutating func removeAll() {
        layout = .empty
        values = []
    }

    /// Same names (the same layout), values transformed.
    public func mapValues(_ transform: (FieldValue) throws -> FieldValue) rethrows -> FieldCells {
        FieldCells(layout: layout, values: try values.map(transform))
    }

    /// As `Dictionary.compactMapValues`: cells whose transform is nil are left out.
    public func compactMapValues(_ transform: (FieldValue) throws -> FieldValue?) rethrows -> FieldCells {
        let mapped = try values.map(transform)
        if !mapped.contains(where: { $0 == nil }) { return FieldCells(layout: layout, values: mapped.map { $0! }) }
        var builder = Builder(capacity: values.count)
        for (name, value) in zip(layout.names, mapped) {
            if let value { builder.append(name, value) }
        }
        return builder.cells()
    }

    /// As `Dictionary.filter`: the cells `isIncluded` keeps.
    public func filter(_ isIncluded: ((key: String, value: FieldValue)) throws -> Bool) rethrows -> FieldCells {
        var builder = Builder(capacity: values.count)
        for (name, value) in zip(layout.names, values) where try isIncluded((name, value)) {
            builder.append(name, value)
        }
        return builder.count == values.count ? self : builder.cells()
    }

    /// As `Dictionary.merge(_:uniquingKeysWith:)`.
    public mutating func merge(_ other: FieldCells, uniquingKeysWith combine: (FieldValue, FieldValue) throws -> FieldValue) rethrows {
        for (name, value) in other {
            if let mine = self[name] { self[name] = try combine(mine, value) } else { self[name] = value }
        }
    }

    /// As `Dictionary.merging(_:uniquingKeysWith:)`.
    public func merging(_ other: FieldCells, uniquingKeysWith combine: (FieldValue, FieldValue) throws -> FieldValue) rethrows -> FieldCells {
        var merged = self
        try merged.merge(other, uniquingKeysWith: combine)
        return merged
    }

    /// Reads build cells here, pair by pair, without a dictionary between when the pairs come in sorted order
    /// (the order Recon writes them, and readers of rows ask for). Any other order (a hostile or hand-edited file, a
    /// repeated name) is assigned into a dictionary from there on, exactly as the readers did before, so the result
    /// and the cost (linear) are the dictionary's: the last value wins and keeps the name's first spelling.
    public struct Builder {
        private var names: [String] = []
        private var values: [FieldValue] = []
        /// Set once a pair came out of order; then every pair goes here.
        private var unordered: [String: FieldValue]?

        public init(capacity: Int = 0) {
            reserveCapacity(capacity)
        }

        public var count: Int { unordered?.count ?? names.count }

        public mutating func reserveCapacity(_ capacity: Int) {
            names.reserveCapacity(capacity)
            values.reserveCapacity(capacity)
        }

        public mutating func append(_ name: String, _ value: FieldValue) {
            assign(name, value)
        }

        /// As `dictionary[name] = value`: nil takes out a name read before.
        public mutating func assign(_ name: String, _ value: FieldValue?) {
            if unordered == nil {
                guard let last = names.last, !(last < name) else {
                    if let value {
                        names.append(name)
                        values.append(value)
                    }
                    return
                }
                unordered = Dictionary(uniqueKeysWithValues: zip(names, values))
                names = []
                values = []
            }
            unordered![name] = value
        }

        /// The cells, their layout shared with earlier records of the same names.
        public func cells() -> FieldCells {
            if let unordered { return FieldCells(unordered) }
            return FieldCells(layout: FieldLayout.interned(names), values: values)
        }
    }
}

extension FieldCells: RandomAccessCollection {
    public typealias Element = (key: String, value: FieldValue)
    public var startIndex: Int { 0 }
    public var endIndex: Int { values.count }
    public subscript(position: Int) -> Element { (layout.names[position], values[position]) }
    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
}

extension FieldCells: Hashable {
    public static func == (lhs: FieldCells, rhs: FieldCells) -> Bool {
        guard lhs.values == rhs.values else { return false }
        return lhs.layout === rhs.layout || lhs.layout.names == rhs.layout.names
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(values.count)
        for (name, value) in zip(layout.names, values) {
            hasher.combine(name)
            hasher.combine(value)
        }
    }
}

extension FieldCells: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, FieldValue)...) {
        var builder = Builder(capacity: elements.count)
        for (name, value) in elements { builder.append(name, value) }
        self = builder.cells()
    }
}

extension FieldCells: CustomStringConvertible, CustomDebugStringConvertible {
    /// As a dictionary prints, in sorted name order.
    public var description: String {
        isEmpty ? "[:]" : "[" + map { "\(String(reflecting: $0.key)): \(String(reflecting: $0.value))" }.joined(separator: ", ") + "]"
    }
    public var debugDescription: String { description }
}
