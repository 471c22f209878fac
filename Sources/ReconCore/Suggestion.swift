/// Did-you-mean: the closest candidate within a small edit distance.
public enum Suggestion {
    /// Words longer than this get no suggestion: no typo of a known word is a kilobyte long, and
    /// the edit distance costs the product of the lengths.
    static let longestWord = 1_024

    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        guard word.utf8.count <= longestWord else { return nil }
        let target = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates where candidate.utf8.count <= longestWord {
            let other = Array(candidate.lowercased())
            let limit = max(2, min(target.count, other.count) / 3)
            // The distance is at least the difference in length.
            guard abs(target.count - other.count) <= limit else { continue }
            let distance = editDistance(target, other)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.1 { best = (candidate, distance) }
        }
        return best?.0
    }

    /// "did you mean 'x'? (KNOWN)" when a candidate is close, else KNOWN alone: the hint under an unknown name.
    public static func hint(_ word: String, among candidates: [String], known: String) -> String {
        didYouMean(word, in: candidates).map { "\($0) (\(known))" } ?? known
    }

    /// "did you mean 'x'?" or nil; one wording everywhere.
    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String? {
        closest(to: word, in: candidates).map { "did you mean '\($0)'?" }
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
