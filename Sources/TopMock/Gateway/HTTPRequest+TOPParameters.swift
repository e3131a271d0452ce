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
        func tooMany() -> TOPRejection {
            TOPRejection(
                .parameterError.with(subCode: "isv.invalid-parameter", subMsg: "more than \(limit) parameters"),
                format: parameters.requestedFormat,
                diagnostic: "the call has more than \(limit) parameters (--max-parameters)")
        }
        guard let queryFields = URLEncodedForm.parse(query, limit: limit) else { throw tooMany() }
        parameters.append(queryFields)
        guard !body.isEmpty, let contentType = headers["Content-Type"], let mediaType = MediaType(contentType) else {
            return parameters
        }
        if mediaType.isFormURLEncoded {
            guard let bodyFields = URLEncodedForm.parse(body, limit: limit - queryFields.count) else { throw tooMany() }
            parameters.append(bodyFields)
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
            guard fields.count <= limit - queryFields.count else { throw tooMany() }
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
    mutating func append(_ fields: [FormField]) {
        reserveCapacity(count + fields.count)
        for field in fields {
            append(field)
        }
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
