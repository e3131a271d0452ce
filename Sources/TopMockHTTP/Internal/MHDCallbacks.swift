internal import CMicroHTTPD
internal import CMicroHTTPDShim
import Synchronization
import TopMockLock

#if canImport(Glibc)
import Glibc
#endif

// The C callbacks. They are top-level functions without captures so that Swift can pass them as
// `@convention(c)` pointers; the daemon's context arrives as `cls`, the request's state as
// `*req_cls`. Nothing here may trap: a Swift trap inside a callback kills the whole server.

/// MHD_OPTION_URI_LOG_CALLBACK: called once per request, before the headers are parsed. Its
/// return value becomes `*req_cls`, so this is where the per-request state is born.
func topmockURILogger(
    cls: UnsafeMutableRawPointer?, uri: UnsafePointer<CChar>?, connection: OpaquePointer?
) -> UnsafeMutableRawPointer? {
    guard let cls else { return nil }
    let context = Unmanaged<MHDDaemonContext>.fromOpaque(cls).takeUnretainedValue()
    let (path, query) = uri.map(splitTarget) ?? ("", "")
    let state = MHDRequestState(path: path, query: query, remoteAddress: clientAddress(of: connection))
    context.inFlight.wrappingAdd(1, ordering: .relaxed)
    return Unmanaged.passRetained(state).toOpaque()
}

/// MHD_OPTION_NOTIFY_COMPLETED: the request is over (answered, closed, or timed out).
func topmockRequestCompleted(
    cls: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?,
    reason: MHD_RequestTerminationCode
) {
    guard let requestContext, let raw = requestContext.pointee else { return }
    requestContext.pointee = nil
    Unmanaged<MHDRequestState>.fromOpaque(raw).release()
    if let cls {
        Unmanaged<MHDDaemonContext>.fromOpaque(cls).takeUnretainedValue()
            .inFlight.wrappingSubtract(1, ordering: .releasing)
    }
}

/// The access handler. libmicrohttpd calls it once with the headers, once per body chunk, and
/// once more with no data: the answer is given then (or after a resume, for deferred responses).
func topmockAccessHandler(
    cls: UnsafeMutableRawPointer?,
    connection: OpaquePointer?,
    url: UnsafePointer<CChar>?,
    method: UnsafePointer<CChar>?,
    version: UnsafePointer<CChar>?,
    uploadData: UnsafePointer<CChar>?,
    uploadDataSize: UnsafeMutablePointer<Int>?,
    requestContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> MHD_Result {
    guard let cls, let connection, let uploadDataSize, let raw = requestContext?.pointee else { return .NO }
    let context = Unmanaged<MHDDaemonContext>.fromOpaque(cls).takeUnretainedValue()
    let state = Unmanaged<MHDRequestState>.fromOpaque(raw).takeUnretainedValue()

    switch state.phase {
    case .awaitingHeaders:
        state.method = method.map { String(cString: $0) } ?? ""
        state.headers = requestHeaders(of: connection)
        if let length = declaredContentLength(of: connection) {
            guard length <= context.maxBodyBytes else {
                // Refuse before reading a byte of it.
                state.phase = .responded
                return queue(payloadTooLarge(limit: context.maxBodyBytes), on: connection)
            }
            state.body.reserveCapacity(length)
        }
        state.phase = .receivingBody
        return .YES

    case .receivingBody, .discardingBody:
        let size = uploadDataSize.pointee
        if size > 0 {
            if state.phase == .receivingBody, let uploadData {
                if state.body.count + size > context.maxBodyBytes {
                    state.phase = .discardingBody
                    state.body = []
                } else {
                    uploadData.withMemoryRebound(to: UInt8.self, capacity: size) { bytes in
                        state.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: size))
                    }
                }
            }
            uploadDataSize.pointee = 0
            return .YES
        }
        if state.phase == .discardingBody {
            state.phase = .responded
            return queue(payloadTooLarge(limit: context.maxBodyBytes), on: connection)
        }
        let outcome = context.responder.respond(to: state.makeRequest())
        state.body = []
        return deliver(outcome, for: state, on: connection, context: context)

    case .suspended:
        // Called again after MHD_resume_connection.
        return deliver(state.takeResumedReply() ?? .closeConnection, for: state, on: connection, context: context)

    case .responded:
        return .NO
    }
}

private func deliver(
    _ outcome: HTTPReply, for state: MHDRequestState, on connection: OpaquePointer, context: MHDDaemonContext
) -> MHD_Result {
    switch outcome {
    case .response(let response):
        state.phase = .responded
        return queue(response, on: connection)
    case .closeConnection:
        state.phase = .responded
        return .NO
    case .resetConnection:
        state.phase = .responded
        _ = topmock_mhd_reset_connection(connection)
        return .NO
    case .truncated(let response, let sentBytes):
        state.phase = .responded
        guard let mhdResponse = MHDResponse(truncating: response, sentBytes: sentBytes) else { return .NO }
        return MHD_queue_response(connection, UInt32(clamping: response.status), mhdResponse.pointer)
    case .deferred(let deferred):
        state.phase = .suspended
        // Suspend first, then observe: the completion may already be there, and resuming must
        // come after suspending.
        let resumed = state.makeResumedReply()
        MHD_suspend_connection(connection)
        context.registerPending(deferred)
        let suspended = SendablePointer(raw: connection)
        deferred.whenComplete { outcome in
            resumed.withLock { $0 = outcome }
            context.unregisterPending(deferred)
            MHD_resume_connection(suspended.raw)
        }
        return .YES
    }
}

/// Creates, fills and queues one MHD response. Any failure closes the connection (.NO).
private func queue(_ response: HTTPResponse, on connection: OpaquePointer) -> MHD_Result {
    guard let mhdResponse = MHDResponse(response) else { return .NO }
    return MHD_queue_response(connection, UInt32(clamping: response.status), mhdResponse.pointer)
}

private func payloadTooLarge(limit: Int) -> HTTPResponse {
    var response = HTTPResponse(
        status: 413, contentType: "text/plain; charset=utf-8",
        body: "request body exceeds the limit of \(limit) bytes (see --max-body-bytes)\n")
    response.headers.add(name: "Connection", value: "close")
    return response
}

/// The request target split at its first `?` into the path and the query (without the `?`).
private func splitTarget(_ uri: UnsafePointer<CChar>) -> (path: String, query: String) {
    guard let mark = strchr(uri, Int32(UInt8(ascii: "?"))) else { return (String(cString: uri), "") }
    let path = uri.withMemoryRebound(to: UInt8.self, capacity: uri.distance(to: mark)) {
        String(decoding: UnsafeBufferPointer(start: $0, count: uri.distance(to: mark)), as: UTF8.self)
    }
    return (path, String(cString: mark + 1))
}

/// The request's `Content-Length` as a number, when it has one that reads as one (libmicrohttpd
/// refuses a request whose body does not match it).
private func declaredContentLength(of connection: OpaquePointer) -> Int? {
    guard let text = MHD_lookup_connection_value(connection, .HEADER_KIND, "Content-Length") else { return nil }
    var end: UnsafeMutablePointer<CChar>?
    let length = strtoll(text, &end, 10)
    guard let end, end != UnsafeMutablePointer(mutating: text), end.pointee == 0, length >= 0 else { return nil }
    return Int(length)
}

private func requestHeaders(of connection: OpaquePointer) -> HTTPHeaders {
    // Counted first (no iterator: MHD returns the count), collected into a value on this stack:
    // no collector object, no regrowing list.
    var headers = HTTPHeaders()
    headers.reserveCapacity(max(0, Int(MHD_get_connection_values(connection, .HEADER_KIND, nil, nil))))
    withUnsafeMutablePointer(to: &headers) { headers in
        _ = MHD_get_connection_values(connection, .HEADER_KIND, topmockCollectHeader, UnsafeMutableRawPointer(headers))
    }
    return headers
}

/// MHD_KeyValueIterator for MHD_get_connection_values; `cls` is the `HTTPHeaders` being filled.
private func topmockCollectHeader(
    cls: UnsafeMutableRawPointer?, kind: MHD_ValueKind, key: UnsafePointer<CChar>?, value: UnsafePointer<CChar>?
) -> MHD_Result {
    guard let cls, let key else { return .YES }
    cls.assumingMemoryBound(to: HTTPHeaders.self).pointee.add(
        name: String(cString: key), value: value.map { String(cString: $0) } ?? "")
    return .YES
}

private func clientAddress(of connection: OpaquePointer?) -> String {
    guard let connection else { return "" }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
        guard topmock_mhd_client_address(connection, buffer.baseAddress, buffer.count) != 0, let text = buffer.baseAddress else {
            return ""
        }
        return String(cString: text)
    }
}
