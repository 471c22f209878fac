import Foundation

/// Buffered reads from a pipe: lines, exact byte counts and NUL-separated fields, without
/// holding the whole output in memory (a `cat-file --batch` stream can be large).
struct ByteStreamReader {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false

    static let chunkSize = 1 << 16

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Bytes up to (not including) `delimiter`; nil at end of stream. A final unterminated part is returned.
    mutating func read(until delimiter: UInt8) -> [UInt8]? {
        var scanned = 0
        while true {
            if let found = buffer[(start + scanned)...].firstIndex(of: delimiter) {
                let part = Array(buffer[start..<found])
                start = found + 1
                return part
            }
            scanned = buffer.count - start
            if !fill() {
                guard start < buffer.count else { return nil }
                let part = Array(buffer[start...])
                start = buffer.count
                return part
            }
        }
    }

    /// Exactly `count` bytes, or nil if the stream ends first.
    mutating func read(count: Int) -> [UInt8]? {
        while buffer.count - start < count {
            if !fill() { return nil }
        }
        let part = Array(buffer[start..<(start + count)])
        start += count
        return part
    }

    mutating func readToEnd() -> [UInt8] {
        while fill() {}
        let rest = Array(buffer[start...])
        start = buffer.count
        return rest
    }

    /// Appends one chunk, compacting consumed bytes first; false at end of stream.
    private mutating func fill() -> Bool {
        if atEnd { return false }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let oldCount = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: ByteStreamReader.chunkSize))
        let got = buffer.withUnsafeMutableBytes { raw in
            Foundation.read(descriptor, raw.baseAddress! + oldCount, ByteStreamReader.chunkSize)
        }
        buffer.removeSubrange((oldCount + max(got, 0))...)
        if got <= 0 {
            atEnd = true
            return false
        }
        return true
    }
}
