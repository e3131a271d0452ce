/// Bytes appended at the end of one allocation that doubles when full: what an answer's text is
/// written into, a byte or a piece at a time.
///
/// Non-copyable, so it has one owner: an append checks only the room left, where an array's
/// also checks that its storage is not shared. Invariant: `count <= capacity`, and the first
/// `count` bytes at `base` are initialised.
struct GrowingBytes: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress else { return }
        if capacity - count < bytes.count { grow(toHold: bytes.count) }
        (base + count).initialize(from: start, count: bytes.count)
        count += bytes.count
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Replaces each `old` byte written since `start` with `new`.
    mutating func replace(since start: Int, _ old: UInt8, with new: UInt8) {
        for index in start..<count where base[index] == old { base[index] = new }
    }

    /// The bytes written, in an array of their own.
    var array: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    private mutating func grow(toHold extra: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < extra { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
