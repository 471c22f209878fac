/// The last few shapes a decoder worked out (a sort, a layout), kept for the records that follow: records of one
/// table alternate between a handful. Bounded whatever the input: past `capacity` a new shape replaces the oldest.
public struct RecentShapes<Shape> {
    private let capacity: Int
    private var shapes: [Shape] = []
    private var next = 0

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The kept shape `matches` picks, else `make()`'s, kept for next time.
    public mutating func shape(matching matches: (Shape) -> Bool, else make: () -> Shape) -> Shape {
        for shape in shapes where matches(shape) { return shape }
        let made = make()
        if shapes.count < capacity {
            shapes.append(made)
        } else {
            shapes[next] = made
            next = (next + 1) % capacity
        }
        return made
    }
}
