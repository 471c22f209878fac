/// Splits a Markdown file into its YAML front matter (between `---` lines at the very top)
/// and its body.
struct FrontMatter {
    /// The YAML text, padded with blank lines so YAML line numbers are the file's line numbers.
    var yaml: [UInt8]?
    var body: [UInt8]

    enum Failure: Error {
        /// The opening `---` has no closing line.
        case unterminated
    }

    init(_ bytes: [UInt8]) throws(Failure) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard let firstEnd = FrontMatter.lineEnd(bytes, from: start),
              FrontMatter.isFence(bytes[start..<firstEnd], allowDots: false)
        else {
            yaml = nil
            body = Array(bytes[start...])
            return
        }
        var lineStart = min(firstEnd + 1, bytes.count)
        while lineStart < bytes.count {
            let end = FrontMatter.lineEnd(bytes, from: lineStart) ?? bytes.count
            if FrontMatter.isFence(bytes[lineStart..<end], allowDots: true) {
                yaml = [0x0A] + Array(bytes[(firstEnd + 1)..<lineStart])
                body = end < bytes.count ? Array(bytes[(end + 1)...]) : []
                return
            }
            lineStart = end + 1
        }
        throw .unterminated
    }

    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count else { return nil }
        return bytes[start...].firstIndex(of: 0x0A) ?? (start < bytes.count ? bytes.count : nil)
    }

    /// `---` (or `...` when closing), ignoring trailing spaces and a CR.
    private static func isFence(_ line: ArraySlice<UInt8>, allowDots: Bool) -> Bool {
        var trimmed = line
        while let last = trimmed.last, last == 0x20 || last == 0x09 || last == 0x0D { trimmed.removeLast() }
        return trimmed.elementsEqual("---".utf8) || (allowDots && trimmed.elementsEqual("...".utf8))
    }
}
