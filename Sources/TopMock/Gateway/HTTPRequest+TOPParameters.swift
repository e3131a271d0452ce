import TopMockHTTP
import TopMockProtocol

extension HTTPRequest {
    /// The TOP parameters of this request: the query string first, then the body when it is
    /// `application/x-www-form-urlencoded` or `multipart/form-data` (any parameter order in the
    /// Content-Type, part headers with or without spaces). Other bodies are ignored, as TOP does
    /// for normal calls. `+` decodes as a space everywhere. More than `limit` parameters (query,
    /// body and file parts together) is refused with code 43.
    func topParameters(limit: Int = .max) throws(TOPRejection) -> TOPParameters {
        let mediaType = body.isEmpty ? nil : headers["Content-Type"].flatMap(MediaType.init)
        let isFormURLEncoded = mediaType?.isFormURLEncoded == true
        // A multipart body's fields, read before the parameters are made (their bytes are part of
        // the buffer), or why they could not be read (refused once the query tells the format).
        var multipart: Result<[FormField], TOPRejection>?
        if let mediaType, mediaType.isMultipartFormData { multipart = Self.multipartFields(body, mediaType) }
        let fields = (try? multipart?.get()) ?? []
        // Decoded, a form's bytes are no more than its own; a multipart body's files are not kept.
        let capacity =
            query.utf8.count + (isFormURLEncoded ? body.count : 0)
            + fields.reduce(0) { $0 + ($1.isFile ? 0 : $1.name.utf8.count + $1.value.utf8.count) }
        var exceeded = false
        var query = query
        var parameters = query.withUTF8 { query in
            TOPParameters(capacity: capacity) { writer in
                guard let queryFields = writer.appendForm(query, limit: limit) else {
                    exceeded = true
                    return
                }
                if isFormURLEncoded {
                    exceeded = body.withUnsafeBufferPointer { writer.appendForm($0, limit: limit - queryFields) } == nil
                } else if fields.count > limit - queryFields {
                    exceeded = true
                } else {
                    for field in fields where !field.isFile { writer.append(name: field.name, value: field.value) }
                }
            }
        }
        if exceeded {
            throw TOPRejection(
                .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "more than \(limit) parameters"),
                format: parameters.requestedFormat,
                diagnostic: "the call has more than \(limit) parameters (--max-parameters)")
        }
        if case .failure(var rejection) = multipart {
            rejection.format = parameters.requestedFormat
            throw rejection
        }
        for field in fields {
            if field.isFile {
                parameters.appendFile(name: field.name)
            } else if !field.isValidUTF8 {
                parameters.markInvalidEncoding(name: field.name)
            }
        }
        return parameters
    }

    /// The fields of a `multipart/form-data` body, or the refusal of a body that cannot be read
    /// (its format set once the query is read).
    private static func multipartFields(_ body: [UInt8], _ mediaType: MediaType) -> Result<[FormField], TOPRejection> {
        guard let boundary = mediaType.parameters["boundary"] else {
            return .failure(
                TOPRejection(
                    .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "multipart/form-data without a boundary"),
                    format: .xml, diagnostic: "the Content-Type multipart/form-data has no boundary parameter"))
        }
        do {
            return .success(try MultipartForm.parse(body, boundary: boundary))
        } catch {
            return .failure(
                TOPRejection(
                    .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "malformed multipart body"), format: .xml,
                    diagnostic: error.description))
        }
    }
}

extension TOPParameters.Writer {
    /// Appends the fields of `name=value&…` bytes, percent-decoded, and returns how many there
    /// were (a repeated name counts); with more than `limit`, appends none and returns nil.
    mutating func appendForm(_ form: UnsafeBufferPointer<UInt8>, limit: Int) -> Int? {
        // Every field takes a byte and all but the last a `&`: a form of n bytes has at most
        // (n + 1) / 2 fields, so only a form long enough to pass the limit is counted first.
        if (form.count + 1) / 2 > limit {
            var counting = URLEncodedForm.RawFields(form)
            var fieldCount = 0
            while counting.next() != nil {
                fieldCount += 1
                if fieldCount > limit { return nil }
            }
        }
        var fields = URLEncodedForm.RawFields(form)
        var count = 0
        while let field = fields.next() {
            count += 1
            append(name: UnsafeBufferPointer(rebasing: form[field.name]), value: UnsafeBufferPointer(rebasing: form[field.value])) {
                PercentDecoding.decode($0, to: $1)
            }
        }
        return count
    }
}

extension TOPParameters {
    /// The format to answer in before the request is validated: json when asked for, else XML.
    var requestedFormat: ResponseFormat {
        self["format"] == "json" ? .json : .xml
    }
}
