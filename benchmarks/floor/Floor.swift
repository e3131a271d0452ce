import ArgumentParser
import Crypto
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the libraries topmock must use cost per `/router/rest` call, each called on its own in a
/// loop: `JSONDecoder` (FoundationEssentials) reading `payment_action_request`, and MD5
/// (swift-crypto) over the string a signature covers. No topmock code runs here, so the figures
/// are a floor under topmock's own work, whatever that code does: a loop keeps everything in the
/// caches and the branch predictors warm, which a server's request path does not.
///
/// benchmarks/run prints these beside the C limit's CPU per request from the same run, which
/// gives the budget a goal such as "CPU µs per request ≤ 1.3 × the C limit" leaves for all of
/// topmock's work.
@main
struct Floor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topmock-floor",
        abstract: "CPU microseconds per call of the library work every topmock call needs (JSON decoding, MD5).")

    @Option(help: "Calls per round.")
    var iterations = 200_000

    @Option(help: "Measured rounds (after one warm-up round); the median is printed.")
    var rounds = 5

    func validate() throws {
        guard iterations > 0, rounds > 0 else { throw ValidationError("--iterations and --rounds must be positive") }
    }

    func run() throws {
        let decoding = try median { try Workloads.decodePaymentActionRequest() }
        let hashing = try median { Workloads.md5OfSignedString() }
        print("| library work per call | CPU µs per call (median of \(rounds) round\(rounds == 1 ? "" : "s") of \(iterations) calls) |")
        print("|---|---:|")
        print("| `JSONDecoder` (FoundationEssentials): `payment_action_request`, two fields | \(format(decoding)) |")
        print("| MD5 (swift-crypto) of the \(Workloads.signedString.utf8.count)-byte string an md5 signature covers | \(format(hashing)) |")
        print("| both | \(format(decoding + hashing)) |")
    }

    /// Median CPU microseconds per call of `work` over `rounds` rounds, after a warm-up round.
    private func median(_ work: () throws -> Int) throws -> Double {
        var perCall: [Double] = []
        var sink = 0
        for round in 0...rounds {
            let start = threadCPUNanoseconds()
            for _ in 0..<iterations { sink &+= try work() }
            let elapsed = threadCPUNanoseconds() - start
            if round > 0 { perCall.append(Double(elapsed) / Double(iterations) / 1000) }
        }
        guard sink != 0 else { throw ValidationError("the workload produced nothing") }  // keeps the loop from being optimised away
        perCall.sort()
        return perCall[perCall.count / 2]
    }

    private func threadCPUNanoseconds() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return time.tv_sec * 1_000_000_000 + time.tv_nsec
    }

    private func format(_ microseconds: Double) -> String {
        let hundredths = Int((microseconds * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// The calls, made as topmock makes them, on the inputs of benchmarks/run's signed JSON query.
enum Workloads {
    /// The `payment_action_request` value benchmarks/run sends.
    static let paymentActionRequest = #"{"buyer_id":123,"request_id":"cash-0001"}"#

    /// What an md5 signature covers for that call: secret, then every name and value sorted by
    /// name, then the secret again (docs/protocol.md, "Checks, in order", row 10).
    static let signedString: String = {
        let parameters = [
            ("app_key", "12345678"), ("format", "json"), ("method", "alibaba.pos.pay.action.query"),
            ("payment_action_request", paymentActionRequest), ("shop_id", "124"), ("sign_method", "md5"),
            ("timestamp", "2026-11-27 10:00:00"), ("v", "2.0"),
        ]
        return "helloworld" + parameters.sorted { $0.0 < $1.0 }.map { $0.0 + $0.1 }.joined() + "helloworld"
    }()

    private static let decoder = JSONDecoder()

    /// Decodes the two fields through a keyed container, as topmock's `PaymentActionQuery` does:
    /// one shared decoder, the text's bytes copied into `Data`.
    static func decodePaymentActionRequest() throws -> Int {
        var text = paymentActionRequest
        let data = text.withUTF8 { Data(buffer: $0) }
        let request = try decoder.decode(TwoFields.self, from: data)
        return Int(request.buyerID ?? 0) &+ (request.requestID?.utf8.count ?? 0)
    }

    static func md5OfSignedString() -> Int {
        var text = signedString
        let digest = text.withUTF8 { Insecure.MD5.hash(data: $0) }
        return digest.withUnsafeBytes { Int($0[0]) &+ 1 }
    }

    /// The decoding `PaymentActionQuery.RawRequest` does, repeated here on purpose: this program
    /// imports no topmock module, so what it times is the library's cost alone.
    private struct TwoFields: Decodable {
        var requestID: String?
        var buyerID: Int64?

        enum CodingKeys: String, CodingKey {
            case requestID = "request_id"
            case buyerID = "buyer_id"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            requestID = try container.decodeIfPresent(String.self, forKey: .requestID)
            buyerID = try container.decodeIfPresent(Int64.self, forKey: .buyerID)
        }
    }
}
