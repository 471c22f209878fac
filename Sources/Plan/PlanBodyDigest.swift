#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ReconCore

/// The plan's digest (and, for a signature, its compact body) taken from the pretty bytes as they are written:
/// dropping the writer's indentation (spaces and newlines outside strings) gives exactly the compact canonical
/// form, so the plan is encoded once instead of once per form. Fed in any chunks; string state carries over.
struct PlanBodyDigest: ~Copyable {
    private var hasher = SHA256()
    private var inString = false
    private var escaped = false
    private let keeping: Bool
    /// The compact body, only when `keeping` (a signature is made over it).
    private(set) var body: [UInt8] = []

    init(keeping: Bool) {
        self.keeping = keeping
    }

    /// Adds the next pretty bytes of the body. Inside a string the run up to the next quote or backslash is found with
    /// `memchr` and copied whole (strings are most of a plan's bytes); only the bytes between strings go one by one.
    mutating func feed(_ pretty: [UInt8]) {
        var inString = self.inString, escaped = self.escaped
        let compact = [UInt8](unsafeUninitializedCapacity: pretty.count) { out, count in
            var kept = 0
            pretty.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return }
                let end = bytes.count
                var index = 0
                while index < end {
                    if inString {
                        if escaped {
                            // The byte after a backslash, whatever it is, stays in the string.
                            out[kept] = base[index]
                            kept += 1
                            index += 1
                            escaped = false
                            continue
                        }
                        let rest = end - index
                        let quote = memchr(base + index, Int32(UInt8(ascii: "\"")), rest).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? end
                        let backslash = memchr(base + index, Int32(UInt8(ascii: "\\")), quote - index).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base }
                        // Up to and including the first quote or backslash (or the chunk's end).
                        let stop = backslash ?? quote
                        let through = min(stop + 1, end)
                        (out.baseAddress! + kept).update(from: base + index, count: through - index)
                        kept += through - index
                        index = through
                        if backslash != nil {
                            escaped = true
                        } else if quote < end {
                            inString = false
                        }
                        continue
                    }
                    let byte = base[index]
                    index += 1
                    if byte == 0x20 || byte == 0x0A { continue }
                    if byte == UInt8(ascii: "\"") { inString = true }
                    out[kept] = byte
                    kept += 1
                }
            }
            count = kept
        }
        self.inString = inString
        self.escaped = escaped
        hasher.update(compact)
        if keeping { body += compact }
    }

    /// `sha256:` and the hex digest of everything fed.
    consuming func digest() -> (digest: String, body: [UInt8]) {
        let body = self.body
        return ("sha256:" + hasher.hexDigest(), body)
    }
}
