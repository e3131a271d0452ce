import Synchronization

/// Makes TOP-style `request_id`s: 12 or 13 lower-case base-36 characters (`zt9tg1f4lhkg`),
/// unique within a run. A counter mixed by splitmix64, so it costs no system call per request.
public final class RequestIDGenerator: Sendable {
    private let counter: Atomic<UInt64>
    private let seed: UInt64

    public init(seed: UInt64 = UInt64.random(in: 0...UInt64.max)) {
        self.seed = seed
        self.counter = Atomic(0)
    }

    private static let digits = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
    /// 36^11: the smallest 12-digit base-36 number.
    private static let floor: UInt64 = 131_621_703_842_267_136

    public func next() -> String {
        let n = counter.wrappingAdd(1, ordering: .relaxed).newValue
        var z = seed &+ n &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        // Map into [36^11, 2^64): 12 or 13 base-36 digits.
        var value = Self.floor + z % (UInt64.max - Self.floor)
        // At most 13 digits, written from the last: a small string, with no buffer on the heap.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 13) { bytes in
            var index = 13
            repeat {
                index -= 1
                bytes[index] = Self.digits[Int(value % 36)]
                value /= 36
            } while value > 0
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[index...]), as: UTF8.self)
        }
    }
}
