import ReconCore

/// File names as git lists them, made into the strings keys are built from. Two kinds of name cannot
/// be keys: bytes that are not UTF-8 (all would become U+FFFD), and names that differ only in Unicode
/// normalization (NFC and NFD `café`), which Swift strings treat as equal. Each such file gets a
/// distinct, visible name and is refused one by one like any bad file.
enum PathName {
    enum Problem: Sendable, Hashable {
        case notUTF8
        case twin

        /// The diagnostic's message for a file refused for its name.
        var message: String {
            switch self {
            case .notUTF8: return #"the file name is not valid UTF-8 (bad bytes shown as \x{..})"#
            case .twin: return #"the file name differs from another only in Unicode normalization (shown as \u{..})"#
            }
        }
    }

    /// Whether `diagnostic` is a file's refusal for its name (as an error, or a warning under on_error: skip).
    static func refuses(_ diagnostic: Diagnostic) -> Bool {
        [Problem.notUTF8, .twin].contains { diagnostic.message.hasPrefix($0.message) }
    }

    /// The name, with bytes that are not UTF-8 shown as `\x{FF}`; `valid` false when there were any.
    static func decode(_ bytes: ArraySlice<UInt8>) -> (name: String, valid: Bool) {
        let array = Array(bytes)
        guard UTF8Validation.firstInvalidIndex(array) != nil else { return (String(decoding: array, as: UTF8.self), true) }
        var name = ""
        var index = 0
        while index < array.count {
            if let length = UTF8Validation.sequenceLength(array, at: index) {
                name += String(decoding: array[index..<(index + length)], as: UTF8.self)
                index += length
            } else {
                let digits = String(array[index], radix: 16, uppercase: true)
                name += "\\x{" + (digits.count < 2 ? "0" : "") + digits + "}"
                index += 1
            }
        }
        return (name, false)
    }

    /// The indices of names equal to another as strings but not as scalars, each with its name shown
    /// scalar by scalar past ASCII (`caf\u{E9}`, `cafe\u{301}`), so the two stay two files.
    static func twins(_ names: [String]) -> [(index: Int, shown: String)] {
        var groups: [String: [Int]] = [:]
        for (index, name) in names.enumerated() { groups[name, default: []].append(index) }
        return groups.values.filter { $0.count > 1 }.flatMap { $0 }.sorted().map { index in
            (index, names[index].unicodeScalars.map { $0.isASCII && !ControlEscape.isControl($0) ? String($0) : ControlEscape.escape($0) }.joined())
        }
    }
}
