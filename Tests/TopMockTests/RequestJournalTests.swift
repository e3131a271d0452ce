import Dispatch
import Foundation
import Logging
import Testing
import TopMockHTTP
import TopMockLock
import TopMockProtocol
import TopMockScenarios
import TopMockTesting

@testable import TopMock

/// The journal's ring under every mix of count and byte eviction, against a plain model.
@Suite struct RequestJournalTests {
    static func entry(_ index: Int, size: Int) -> JournalEntry {
        JournalEntry(
            id: 0, receivedAtMillis: Int64(index), namespace: index % 3 == 0 ? "a" : "b", remoteAddress: "", httpMethod: "POST",
            parameters: [.init(name: "p", value: String(repeating: "x", count: size))], outcome: .found,
            answerRequestID: "r\(index)", latencyMicros: 1)
    }

    @Test(arguments: [(5, 1 << 20), (1000, 4096), (7, 3000), (50, 20_000)])
    func keepsTheNewestWithinBothBounds(maxEntries: Int, maxBytes: Int) {
        let journal = RequestJournal(limits: RequestJournal.Limits(maxEntries: maxEntries, maxBytes: maxBytes))
        var model: [(Int64, Int)] = []  // (received, bytes) of what should be held
        var forgottenB: Int64 = -1  // namespace b's entries up to here are forgotten
        for index in 0..<400 {
            let entry = Self.entry(index, size: (index * 37) % 900)
            journal.record(entry)
            model.append((entry.receivedAtMillis, entry.estimatedBytes))
            while model.count > maxEntries || model.reduce(0, { $0 + $1.1 }) > maxBytes { model.removeFirst() }
            if index % 50 == 49 {
                journal.remove(matching: JournalFilter(namespace: "a"))
                model.removeAll { $0.0 % 3 == 0 }
            }
            if index % 70 == 69 {
                journal.forget(namespace: "b")
                forgottenB = entry.receivedAtMillis
            }
            let visible = model.filter { $0.0 % 3 == 0 || $0.0 > forgottenB }.map(\.0)
            #expect(journal.entries().map(\.receivedAtMillis) == visible, "after \(index)")
        }
        let statistics = journal.statistics
        #expect(statistics.entries == model.filter { $0.0 % 3 == 0 || $0.0 > forgottenB }.count && statistics.bytes <= maxBytes)
    }

    /// A long-lived topmock resets many namespaces (a suite that uses a fresh one per test): the
    /// journal keeps a cutoff only for namespaces that still have entries in the ring.
    @Test func resetsOfManyNamespacesKeepTheCutoffsBounded() {
        let journal = RequestJournal(limits: RequestJournal.Limits(maxEntries: 100, maxBytes: 1 << 20))
        for test in 0..<5_000 {
            let namespace = "test-\(test)"
            journal.record(
                JournalEntry(
                    id: 0, receivedAtMillis: Int64(test), namespace: namespace, remoteAddress: "", httpMethod: "POST", parameters: [],
                    outcome: .found, answerRequestID: "r\(test)", latencyMicros: 1))
            journal.forget(namespace: namespace)
            journal.forget(namespace: "never-called-\(test)")  // a reset of a namespace with no entries adds nothing
            #expect(journal.entries(matching: JournalFilter(namespace: namespace)).isEmpty)
        }
        #expect(journal.cutoffCount <= 100, "\(journal.cutoffCount) cutoffs for a ring of 100 entries")
        #expect(journal.statistics.entries == 0)
    }
}
