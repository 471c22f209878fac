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

    /// Adds the next pretty bytes of the body.
    mutating func feed(_ pretty: [UInt8]) {
        var inString = self.inString, escaped = self.escaped
        let compact = [UInt8](unsafeUninitializedCapacity: pretty.count) { out, count in
            var kept = 0
            pretty.withUnsafeBufferPointer { bytes in
                for byte in bytes {
                    if inString {
                        if escaped {
                            escaped = false
                        } else if byte == UInt8(ascii: "\\") {
                            escaped = true
                        } else if byte == UInt8(ascii: "\"") {
                            inString = false
                        }
                    } else if byte == 0x20 || byte == 0x0A {
                        continue
                    } else if byte == UInt8(ascii: "\"") {
                        inString = true
                    }
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
