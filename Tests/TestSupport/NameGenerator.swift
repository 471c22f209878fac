/// Deterministic hostile names for the quoting property test: quotes with combining marks at
/// every position, joiners, variation selectors, SQL punctuation, and scalars from every
/// Unicode general category (surrogates cannot be scalars; NUL is refused, tested apart).
public struct NameGenerator {
    /// SplitMix64: tiny, seeded, the same sequence on every machine.
    public struct Random: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    public static let quotes = ["\"", "'", "`", "[", "]"]
    public static let marks = ["\u{301}", "\u{308}", "\u{20DD}"]
    public static let pieces = quotes + marks + [
        "\u{200D}", "\u{FE0F}", "\u{FE00}", "\u{E0100}", ";", "--", "/*", "*/", "(", ")", ",", " ", ".", "?", "$1", "@a", ":a",
        "DROP TABLE Victim", "👩\u{200D}💻", "🏳\u{FE0F}\u{200D}🌈", "e\u{301}", "é", "\u{1F1FA}\u{1F1F8}",
    ]

    public var random: Random
    /// Some scalars of each general category, spread over the code space.
    public let byCategory: [[Unicode.Scalar]]

    public init(seed: UInt64) {
        random = Random(seed: seed)
        var groups: [Unicode.GeneralCategory: [Unicode.Scalar]] = [:]
        var value: UInt32 = 1
        while value <= 0x10FFFF {
            if let scalar = Unicode.Scalar(value) {
                let category = scalar.properties.generalCategory
                if groups[category, default: []].count < 64 { groups[category, default: []].append(scalar) }
            }
            // Dense at the start, where most categories first appear; then strided.
            value += value < 0x3000 ? 1 : 97
        }
        byCategory = groups.keys.sorted { "\($0)" < "\($1)" }.map { groups[$0]! }
    }

    /// Every quote followed by every mark, at the start, middle and end of a name, and alone.
    public static var positional: [String] {
        var names: [String] = []
        for quote in quotes {
            for mark in marks {
                let pair: String = quote + mark
                names += [pair, pair + "a", "a" + pair + "b", "a" + pair, mark + quote + "x"]
            }
        }
        return names
    }

    public mutating func name() -> String {
        var name = ""
        for _ in 0..<Int.random(in: 1...6, using: &random) {
            switch Int.random(in: 0..<3, using: &random) {
            case 0: name += NameGenerator.pieces.randomElement(using: &random)!
            case 1:
                let group = byCategory.randomElement(using: &random)!
                name.unicodeScalars.append(group.randomElement(using: &random)!)
            default: name += ["a", "B", "7", "_", "Z"].randomElement(using: &random)!
            }
        }
        return name
    }
}
