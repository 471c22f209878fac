/// Well-formed UTF-8 (Unicode table 3-7): no overlong forms, no encoded surrogates, nothing past
/// U+10FFFF. Parsers check bytes with it instead of letting `String(decoding:)` swap bad bytes
/// for U+FFFD, which would silently change a key or a value.
public enum UTF8Validation {
    /// The length of the well-formed sequence starting at `index`, or nil when it is not one.
    @inline(__always)
    public static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return nil
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Whether all of `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        firstInvalidIndex(bytes) == nil
    }

    /// Where the first sequence that is not well-formed starts, or nil when all of `bytes` is UTF-8.
    public static func firstInvalidIndex(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            guard let length = sequenceLength(bytes, at: index) else { return index }
            index += length
        }
        return nil
    }
}
