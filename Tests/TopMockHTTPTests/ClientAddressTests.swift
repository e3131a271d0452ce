import CMicroHTTPD
import CMicroHTTPDShim
import Glibc
import Testing

/// The shim's IPv4 formatting (the client address of every request, in the journal) against
/// inet_ntop, which it replaces on the request path.
@Suite struct ClientAddressTests {
    @Test func formatsIPv4AddressesAsInetNtopDoes() {
        let octets: [UInt8] = [0, 1, 9, 10, 11, 99, 100, 101, 109, 110, 199, 200, 250, 255]
        var mismatches: [String] = []
        for a in octets {
            for b in octets {
                for c in octets {
                    for d in octets {
                        let address = [a, b, c, d]
                        let ours = format { topmock_mhd_format_ipv4(address, $0) }
                        let libc = format { _ = inet_ntop(AF_INET, address, $0, socklen_t(INET_ADDRSTRLEN)) }
                        if ours != libc { mismatches.append("\(address): \(ours) ≠ \(libc)") }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) addresses differ, e.g. \(mismatches.prefix(3))")
        #expect(format { topmock_mhd_format_ipv4([255, 255, 255, 255], $0) } == "255.255.255.255")
    }

    /// Text written by `body` into a 16-byte buffer filled with 0x7F first, so a missing NUL shows.
    private func format(_ body: (UnsafeMutablePointer<CChar>) -> Void) -> String {
        var buffer = [CChar](repeating: 0x7F, count: Int(INET_ADDRSTRLEN) + 1)
        buffer[Int(INET_ADDRSTRLEN)] = 0
        return buffer.withUnsafeMutableBufferPointer { pointer in
            body(pointer.baseAddress!)
            return String(cString: pointer.baseAddress!)
        }
    }
}
