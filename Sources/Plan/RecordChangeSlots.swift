import ReconCore

/// A range of a record-change array's uninitialized storage that one reader fills in order, from one thread (issue 12,
/// goal 5): the two halves of a vouched plan body are decoded at once straight into the one array of the whole list,
/// instead of into two arrays joined by a copy (the three alive together were +22 MiB at 100,000 creates).
/// `RecordChangeSplit`'s counts size it from the layout; a reader meeting more changes, or fewer, than its range
/// holds is refused like a wrong cut, and the caller decodes the body again in one go.
struct RecordChangeSlots: @unchecked Sendable {
    private let base: UnsafeMutablePointer<RecordChange>
    private let capacity: Int
    /// How many of the range are initialized: always its first ones.
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<RecordChange>, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count)
        base = buffer.baseAddress! + range.lowerBound
        capacity = range.count
    }

    var isFull: Bool { count == capacity }

    mutating func append(_ change: RecordChange) throws(ReconError) {
        guard count < capacity else { throw PlanDecoder.cutMissed }
        (base + count).initialize(to: change)
        count += 1
    }

    func forEach(_ body: (borrowing RecordChange) throws(ReconError) -> Void) throws(ReconError) {
        for index in 0..<count { try body(base[index]) }
    }

    /// Drops what was filled: the range is uninitialized again (a refused half).
    mutating func clear() {
        base.deinitialize(count: count)
        count = 0
    }
}
