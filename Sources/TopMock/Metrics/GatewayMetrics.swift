import CoreMetrics
import Prometheus
import TopMockLock
import TopMockScenarios

/// What topmock counts, recorded through swift-metrics with a per-application Prometheus backend
/// (no global `MetricsSystem.bootstrap`: every application, and so every in-process test, has its
/// own registry), and rendered by `GET /metrics` in the Prometheus text format.
///
/// - `topmock_requests_total{method, outcome, result, namespace}`: calls to `/router/rest`.
///   `outcome` is one of ``ServedMethods/outcomes`` (the gateway's words and each method's; docs/ci.md
///   lists them, pinned by a test); `result` is the action's `action_status` (or
///   `business_failure`), the TOP error code, or the fault's name.
/// - `topmock_request_duration_seconds{method}`: histogram of the time to answer, injected delays
///   included (what the client waits).
/// - `topmock_journal_entries`, `topmock_journal_bytes` (gauges), `topmock_journal_evictions_total`.
/// - `topmock_scenario_reloads_total{result="success"|"failure"}`.
///
/// Label values a client chooses are bounded: an API method topmock does not serve counts as
/// `other`, and namespaces past the first ``namespaceLabelLimit`` count as `_other`, so a test suite
/// that makes a namespace per test cannot grow the scrape without bound.
final class GatewayMetrics: Sendable {
    static let namespaceLabelLimit = 100

    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let handles = Locked(Handles())
    private let journalEntries: CoreMetrics.Gauge
    private let journalBytes: CoreMetrics.Gauge
    private let journalEvictions: CoreMetrics.Counter
    private let reloadSuccesses: CoreMetrics.Counter
    private let reloadFailures: CoreMetrics.Counter
    /// Evictions already added to `journalEvictions` (the journal keeps its own running total).
    private let reportedEvictions = Locked(0)

    private struct RequestKey: Hashable {
        var method: String
        var outcome: String
        var result: String
        var namespace: String

        /// Whether these are the labels given, compared in place (no key made to compare with).
        func matches(method: String, outcome: String, result: String, namespace: String) -> Bool {
            self.method == method && self.outcome == outcome && self.result == result && self.namespace == namespace
        }
    }

    private struct Handles {
        var requests: [RequestKey: CoreMetrics.Counter] = [:]
        var durations: [String: CoreMetrics.Timer] = [:]
        var namespaces: Set<String> = []
        /// The last call's labels (namespace as received) and the handles they led to: calls come
        /// in runs with the same labels, and a comparison is cheaper than hashing four strings
        /// for two dictionaries and a set. Two properties, so the labels are compared in place.
        var lastLabels: RequestKey?
        var lastHandles: (counter: CoreMetrics.Counter, timer: CoreMetrics.Timer)?
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // A mock answers in microseconds; injected delays go to seconds.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
            .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
        journalEntries = CoreMetrics.Gauge(label: "topmock_journal_entries", factory: factory)
        journalBytes = CoreMetrics.Gauge(label: "topmock_journal_bytes", factory: factory)
        journalEvictions = CoreMetrics.Counter(label: "topmock_journal_evictions_total", factory: factory)
        reloadSuccesses = CoreMetrics.Counter(
            label: "topmock_scenario_reloads_total", dimensions: [("result", "success")], factory: factory)
        reloadFailures = CoreMetrics.Counter(
            label: "topmock_scenario_reloads_total", dimensions: [("result", "failure")], factory: factory)
    }

    /// One call to `/router/rest`. `method` must already be bounded (a served API or `other`).
    func recordCall(method: String, outcome: CallOutcome, result: String, namespace: String, duration: Duration) {
        let (counter, timer) = handles.withLock { handles in
            if let last = handles.lastHandles, let labels = handles.lastLabels,
                labels.matches(method: method, outcome: outcome.rawValue, result: result, namespace: namespace)
            {
                return last
            }
            var namespaceLabel = namespace
            if !handles.namespaces.contains(namespace) {
                if handles.namespaces.count < Self.namespaceLabelLimit {
                    handles.namespaces.insert(namespace)
                } else {
                    namespaceLabel = "_other"
                }
            }
            let key = RequestKey(method: method, outcome: outcome.rawValue, result: result, namespace: namespaceLabel)
            let counter =
                handles.requests[key]
                ?? {
                    let made = CoreMetrics.Counter(
                        label: "topmock_requests_total",
                        dimensions: [("method", method), ("outcome", outcome.rawValue), ("result", result), ("namespace", namespaceLabel)],
                        factory: factory)
                    handles.requests[key] = made
                    return made
                }()
            let timer =
                handles.durations[method]
                ?? {
                    let made = CoreMetrics.Timer(
                        label: "topmock_request_duration_seconds", dimensions: [("method", method)], factory: factory)
                    handles.durations[method] = made
                    return made
                }()
            handles.lastLabels = RequestKey(method: method, outcome: outcome.rawValue, result: result, namespace: namespace)
            handles.lastHandles = (counter, timer)
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    func recordReload(succeeded: Bool) {
        (succeeded ? reloadSuccesses : reloadFailures).increment()
    }

    /// The Prometheus text exposition, with the journal's figures read now.
    func render(journal: (entries: Int, bytes: Int, evicted: Int)) -> [UInt8] {
        journalEntries.record(journal.entries)
        journalBytes.record(journal.bytes)
        let newEvictions = reportedEvictions.withLock { reported in
            defer { reported = max(reported, journal.evicted) }
            return max(0, journal.evicted - reported)
        }
        if newEvictions > 0 { journalEvictions.increment(by: newEvictions) }
        return registry.emitToBuffer()
    }
}

extension Duration {
    /// Whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
