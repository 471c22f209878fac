/// Deterministic byte mutations for the seeded fuzz loop: a fixed seed gives the same inputs on
/// every run, so a crash found in CI is reproduced by running the test again.
struct ByteMutator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// Bytes that sit on parser boundaries: quotes, escapes, brackets, UTF-8 lead and continuation
    /// bytes, surrogate and overlong leads, control bytes, YAML indicators.
    static let boundaryBytes: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x20, 0x22, 0x23, 0x26, 0x2A, 0x2C, 0x2D, 0x2E,
                                         0x30, 0x3A, 0x5B, 0x5C, 0x5D, 0x65, 0x75, 0x7B, 0x7D, 0x7F, 0x80, 0xBF, 0xC0,
                                         0xC2, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xFF]

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(next() % UInt64(bound)) }

    /// One to four mutations of `input`, sometimes splicing in a piece of `other`.
    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(8) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = ByteMutator.boundaryBytes[below(ByteMutator.boundaryBytes.count)]
            case 2: bytes.insert(ByteMutator.boundaryBytes[below(ByteMutator.boundaryBytes.count)], at: at)
            case 3: bytes.insert(UInt8(truncatingIfNeeded: next()), at: at)
            case 4: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
            case 5:
                let end = min(bytes.count, at + 1 + below(64))
                bytes.insert(contentsOf: Array(bytes[at..<end]), at: at)
            case 6 where !other.isEmpty:
                let from = below(other.count)
                bytes.insert(contentsOf: other[from..<min(other.count, from + 1 + below(128))], at: at)
            default: bytes.removeSubrange(at...)
            }
        }
        return bytes
    }
}
