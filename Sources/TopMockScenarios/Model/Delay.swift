#if canImport(Glibc)
import Glibc
#endif

/// How long to wait before answering.
public enum Delay: Sendable, Equatable {
    case fixed(Duration)
    case uniform(min: Duration, max: Duration)
    /// Log-normal by its median and 99th percentile.
    case logNormal(median: Duration, p99: Duration)

    /// A sample, drawn from `random` (a number in [0, 1)) and, for log-normal, `normal` (a standard
    /// normal deviate); always between 0 and a year: fixed and uniform durations are parsed inside
    /// it, and a log-normal's unbounded tail (or NaN, for a median of 0) is clamped into it.
    public func sample(uniform random: Double, normal: Double) -> Duration {
        switch self {
        case .fixed(let duration):
            return duration
        case .uniform(let min, let max):
            return min + (max - min) * random
        case .logNormal(let median, let p99):
            let mu = log(median.seconds)
            let sigma = max(0, (log(p99.seconds) - mu) / 2.326_347_874)
            let seconds = exp(mu + sigma * normal)
            return seconds.isFinite ? .seconds(Swift.min(seconds, ScenarioDurations.maximumSeconds)) : .zero
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
