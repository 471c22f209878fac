/// Shares the storage of repeated cell values while a large document is read: 100,000 records repeat a few
/// commits, authors and tag lists, and each read alone is its own heap string or array. A fixed table of slots
/// (a value replaces whatever held its slot), so memory stays bounded when nothing repeats. Values are values:
/// sharing storage changes nothing a reader can see. Matches are byte for byte: Swift's `==` takes an NFC and an
/// NFD spelling as one string, and handing back the other spelling would change what apply writes.
public struct ValueInterner {
    private var texts: [String?]
    private var lists: [[String]?]

    public init(slots: Int = 4096) {
        texts = Array(repeating: nil, count: slots)
        lists = Array(repeating: nil, count: slots)
    }

    /// `text`, or an equal string read before; short strings are stored inline and returned as they are.
    public mutating func text(_ text: String) -> String {
        guard text.utf8.count > 15 else { return text }
        let slot = Int(UInt(bitPattern: text.hashValue) % UInt(texts.count))
        if let known = texts[slot], known.hasSameUTF8(as: text) { return known }
        texts[slot] = text
        return text
    }

    /// `items`, or an equal list read before.
    public mutating func list(_ items: [String]) -> [String] {
        guard !items.isEmpty else { return items }
        let slot = Int(UInt(bitPattern: items.hashValue) % UInt(lists.count))
        if let known = lists[slot], known.elementsEqual(items, by: { $0.hasSameUTF8(as: $1) }) { return known }
        lists[slot] = items
        return items
    }
}
