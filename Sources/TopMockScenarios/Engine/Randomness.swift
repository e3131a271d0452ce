#if canImport(Glibc)
import Glibc
#endif

/// A small, fast, seedable random stream (splitmix64): the same seed gives the same faults and
/// delays, call after call, in every namespace (each rule's streams start from its seed).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextDouble() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }

    /// A standard normal deviate (Box–Muller), for log-normal delays.
    mutating func nextStandardNormal() -> Double {
        let u1 = max(nextDouble(), 1e-12), u2 = nextDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
