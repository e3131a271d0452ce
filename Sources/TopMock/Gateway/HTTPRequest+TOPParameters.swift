import TopMockHTTP
import TopMockProtocol

extension HTTPRequest {
    /// The TOP parameters of this request: the query string first, then the body when it is
    /// `application/x-www-form-urlencoded` or `multipart/form-data` (any parameter order in the
    /// Content-Type, part headers with or without spaces). Other bodies are ignored, as TOP does
    /// for normal calls. `+` decodes as a space everywhere. More than `limit` parameters (query,
    /// body and file parts together) is refused with code 43.
    func topParameters(limit: Int = .max) throws(TOPRejection) -> TOPParameters {
        var parameters = TOPParameters()
        let mediaType = body.isEmpty ? nil : headers["Content-Type"].flatMap(MediaType.init)
        // Room for what the forms hold (decoded, a form's bytes are no more than its own); none for
        // a multipart body, whose files are not kept.
        parameters.reserveCapacity(16, bytes: query.utf8.count + (mediaType?.isFormURLEncoded == true ? body.count : 0))
        func tooMany() -> TOPRejection {
            TOPRejection(
                .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "more than \(limit) parameters"),
                format: parameters.requestedFormat,
                diagnostic: "the call has more than \(limit) parameters (--max-parameters)")
        }
        var query = query
        guard let queryFields = query.withUTF8({ parameters.appendForm($0, limit: limit) }) else { throw tooMany() }
        guard let mediaType else { return parameters }
        if mediaType.isFormURLEncoded {
            guard body.withUnsafeBufferPointer({ parameters.appendForm($0, limit: limit - queryFields) }) != nil else { throw tooMany() }
        } else if mediaType.isMultipartFormData {
            guard let boundary = mediaType.parameters["boundary"] else {
                throw TOPRejection(
                    .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "multipart/form-data without a boundary"),
                    format: parameters.requestedFormat,
                    diagnostic: "the Content-Type multipart/form-data has no boundary parameter")
            }
            let fields: [FormField]
            do {
                fields = try MultipartForm.parse(body, boundary: boundary)
            } catch {
                throw TOPRejection(
                    .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "malformed multipart body"),
                    format: parameters.requestedFormat, diagnostic: error.description)
            }
            guard fields.count <= limit - queryFields else { throw tooMany() }
            for field in fields {
                if field.isFile {
                    parameters.appendFile(name: field.name)
                } else {
                    parameters.append(field)
                }
            }
        }
        return parameters
    }
}

extension TOPParameters {
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
            append {
                PercentDecoding.decode(UnsafeBufferPointer(rebasing: form[field.name]), into: &$0)
            } value: {
                PercentDecoding.decode(UnsafeBufferPointer(rebasing: form[field.value]), into: &$0)
            }
        }
        return count
    }

    mutating func append(_ field: FormField) {
        if !field.isValidUTF8 { markInvalidEncoding(name: field.name) }
        append(name: field.name, value: field.value)
    }

    /// The format to answer in before the request is validated: json when asked for, else XML.
    var requestedFormat: ResponseFormat {
        self["format"] == "json" ? .json : .xml
    }
}
