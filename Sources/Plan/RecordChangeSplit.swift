#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `record_changes` of a plan file exactly as `PlanFile` writes it (pretty, keys sorted) can be cut in two, so
/// that both halves are decoded at once (issue 12: the decode was the read's critical path once a receipt vouched for
/// the body's digest). Found from the indentation alone: `JSONWriter` escapes every control character in a string,
/// so a raw newline followed by spaces is always layout, and its width says the depth. Used only on bytes a receipt
/// vouched for; whatever it finds is checked again by the two readers meeting exactly (`PlanDecoder`).
struct RecordChangeSplit {
    /// The comma after the last element of the first half.
    let comma: Int
    /// The list's closing bracket.
    let close: Int
    /// How many elements the layout shows before `comma` and after it: the two halves are decoded straight into one
    /// array of exactly their sum (`RecordChangeSlots`), so no half is copied to join them (issue 12, goal 5). A count
    /// the readers do not meet exactly is refused like a wrong cut.
    let firstCount: Int
    let restCount: Int

    var count: Int { firstCount + restCount }

    private static let open = Array("\n    \"record_changes\": ".utf8)
    /// An element of a list that is a member of the body: after its comma, a newline and six spaces.
    private static let element = Array(",\n      ".utf8)
    private static let end = Array("\n    ".utf8)

    /// The cut nearest the middle of the list in the body starting at `start`; nil when the bytes do not have the
    /// written layout or the list spans fewer than `minimum` bytes (then a thread costs more than it saves).
    static func find(_ bytes: [UInt8], body start: Int, minimum: Int) -> RecordChangeSplit? {
        bytes.withUnsafeBufferPointer { buffer -> RecordChangeSplit? in
            guard let first = next(UInt8(ascii: "["), after: open, in: buffer, from: start), first + 1 < buffer.count,
                  buffer[first + 1] != UInt8(ascii: "]"),
                  // The first body-level close after the list opens is its own; then the first element past the middle.
                  let close = next(UInt8(ascii: "]"), after: end, in: buffer, from: first), close - first >= minimum,
                  let element = next(UInt8(ascii: "{"), after: element, in: buffer, from: first + (close - first) / 2),
                  element < close, buffer[element - Self.element.count - 1] == UInt8(ascii: "}") else { return nil }
            let comma = element - Self.element.count
            return RecordChangeSplit(comma: comma, close: close, firstCount: 1 + elements(in: buffer, first + 1..<comma),
                                     restCount: elements(in: buffer, comma..<close))
        }
    }

    /// The elements of the list that start in `range` after a comma: each `{` the layout puts right after one.
    private static func elements(in buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0, from = range.lowerBound
        while let at = next(UInt8(ascii: "{"), after: element, in: buffer, from: from), at < range.upperBound {
            count += 1
            from = at + 1
        }
        return count
    }

    /// The index of the first `byte` at or after `from` that `prefix` comes right before.
    private static func next(_ byte: UInt8, after prefix: [UInt8], in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        var index = max(from, prefix.count)
        while index < buffer.count {
            guard let found = memchr(base + index, Int32(byte), buffer.count - index) else { return nil }
            let at = UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
            if at >= prefix.count, memcmp(base + at - prefix.count, prefix, prefix.count) == 0 { return at }
            index = at + 1
        }
        return nil
    }
}
