import ReconCore

/// Seeded, deterministic values of every field type, written as front matter the way sources spell them:
/// date-times with offsets and fractions, numbers finer than the field's precision, selects in any order,
/// cells left empty or left out.
struct ValueGenerator {
    /// SplitMix64: the same seed gives the same values on every machine.
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    static let choices = ["Draft", "Review", "Done", "Später"]
    static let tags = ["red", "green", "blue", "gelb"]

    /// One front-matter line per field present: a value, an empty one, or none at all.
    mutating func frontMatter(plugins: [String]) -> String {
        var lines: [String] = []
        func add(_ name: String, _ value: () -> String, empty: String) {
            switch int(0...5) {
            case 0: return
            case 1: lines.append("\(name): \(empty)")
            default: lines.append("\(name): \(value())")
            }
        }
        add("title", { quoted(text()) }, empty: "\"\"")
        add("body", { quoted(text() + "\n" + text()) }, empty: "\"\"")
        add("site", { quoted("https://example.com/\(int(0...999))") }, empty: "\"\"")
        add("mail", { quoted("user\(int(0...99))@example.com") }, empty: "\"\"")
        add("phone", { quoted("+49 30 \(int(100_000...999_999))") }, empty: "\"\"")
        add("score", { number() }, empty: "null")
        add("done", { int(0...1) == 0 ? "true" : "false" }, empty: "false")
        add("day", { quoted(day()) }, empty: "null")
        add("when", { quoted(dateTime()) }, empty: "null")
        add("stage", { quoted(pick(Self.choices)) }, empty: "null")
        add("tags", { list(subset(Self.tags)) }, empty: "[]")
        add("plugins", { list(subset(plugins)) }, empty: "[]")
        return lines.joined(separator: "\n")
    }

    private mutating func text() -> String {
        let words = ["alpha", "Beta", "gamma delta", "épée", "naïve", "x", "42", "a:b", "Ω"]
        return (0..<int(1...3)).map { _ in pick(words) }.joined(separator: " ")
    }

    private mutating func number() -> String {
        let whole = int(-5_000...5_000)
        let fraction = int(0...99_999)
        return "\(whole).\(String(fraction).leftPadded(to: 5))"
    }

    private mutating func day() -> String {
        "20\(int(10...39))-\(String(int(1...12)).leftPadded(to: 2))-\(String(int(1...28)).leftPadded(to: 2))"
    }

    /// An instant spelled with any offset (or Z) and sometimes milliseconds.
    private mutating func dateTime() -> String {
        let clock = "\(String(int(0...23)).leftPadded(to: 2)):\(String(int(0...59)).leftPadded(to: 2)):\(String(int(0...59)).leftPadded(to: 2))"
        let fraction = pick(["", "", ".5", ".123", ".000"])
        let offset = pick(["Z", "+02:00", "-05:00", "+05:30", "+00:00", "-09:30", "+14:00"])
        return "\(day())T\(clock)\(fraction)\(offset)"
    }

    /// Distinct items in a random order (the order a source happens to list them in).
    private mutating func subset(_ items: [String]) -> [String] {
        var chosen = items.filter { _ in int(0...1) == 1 }
        if chosen.isEmpty { chosen = [pick(items)] }
        for index in chosen.indices.reversed() { chosen.swapAt(index, int(0...index)) }
        return chosen
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
