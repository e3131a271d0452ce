internal import CMicroHTTPD
internal import CMicroHTTPDShim

/// Owns one `struct MHD_Response *`. libmicrohttpd reference-counts queued responses, so dropping
/// this after MHD_queue_response is correct. Non-copyable, so it is one owner with no allocation
/// of its own (a response is made for every answer).
struct MHDResponse: ~Copyable {
    let pointer: OpaquePointer

    /// Returns nil when libmicrohttpd cannot create the response or refuses a header (e.g. one
    /// with a line break in it); the caller then closes the connection.
    init?(_ response: HTTPResponse) {
        let created = response.body.withUnsafeBytes { topmock_mhd_response_copying($0.count, $0.baseAddress) }
        guard let created = Self.adding(response.headers, to: created) else { return nil }
        pointer = created
    }

    /// A response that declares the whole body but sends only its first `sentBytes`.
    init?(truncating response: HTTPResponse, sentBytes: Int) {
        let sent = max(0, min(sentBytes, response.body.count))
        let created = response.body.withUnsafeBytes {
            topmock_mhd_response_truncated(UInt64(response.body.count), sent, $0.baseAddress)
        }
        guard let created = Self.adding(response.headers, to: created) else { return nil }
        pointer = created
    }

    /// `created` with `headers` added, or nil (having destroyed it) when one is refused.
    private static func adding(_ headers: HTTPHeaders, to created: OpaquePointer?) -> OpaquePointer? {
        guard let created else { return nil }
        for field in headers {
            // withCString, not the implicit conversion: that copies a small string (such as
            // "Content-Type") into a new heap array; withCString copies it to the stack.
            let added = field.name.withCString { name in
                field.value.withCString { value in MHD_add_response_header(created, name, value) }
            }
            guard added == .YES else {
                MHD_destroy_response(created)
                return nil
            }
        }
        return created
    }

    deinit {
        MHD_destroy_response(pointer)
    }
}
