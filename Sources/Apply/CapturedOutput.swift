import Foundation

/// A hook's stdout and stderr as kept: the last `limit` bytes, cut to whole lines, with the values of
/// secret variables replaced, so a ledger never holds a token a hook printed.
struct CapturedOutput {
    static let limit = 64 * 1024
    /// Shorter values are not secrets worth the name, and replacing them would garble the output.
    static let shortestSecret = 4
    static let redaction = "[redacted]"

    private var bytes: [UInt8] = []
    private var dropped = 0

    mutating func append(_ chunk: ArraySlice<UInt8>) {
        bytes += chunk
        if bytes.count > 2 * Self.limit { trim() }
    }

    /// The text kept and the count of bytes left out from the start.
    func finished(redacting secrets: [String]) -> (text: String, dropped: Int) {
        var copy = self
        copy.trim()
        var kept = copy.bytes[...]
        var dropped = copy.dropped
        // A cut output starts mid-line (and maybe mid-secret): it starts at the next whole line.
        if dropped > 0, let newline = kept.firstIndex(of: 0x0A) {
            dropped += newline + 1 - kept.startIndex
            kept = kept[(newline + 1)...]
        }
        var text = String(decoding: kept, as: UTF8.self)
        for secret in secrets where secret.utf8.count >= Self.shortestSecret {
            text = text.replacingOccurrences(of: secret, with: Self.redaction)
        }
        return (text, dropped)
    }

    private mutating func trim() {
        guard bytes.count > Self.limit else { return }
        let excess = bytes.count - Self.limit
        bytes.removeFirst(excess)
        dropped += excess
    }
}
