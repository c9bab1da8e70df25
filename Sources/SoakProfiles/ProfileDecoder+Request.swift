extension ProfileDecoder {
    static let requestKeys = ["method", "path", "headers", "body", "bodyFile", "expect"]

    /// `scenario.requests`: each entry a path (a `GET`) or a request object.
    func decodeRequests(_ field: ProfileField) -> [Profile.Request]? {
        guard case .array(let items) = field.value.kind else {
            mismatch(field, expected: "a list of paths like [\"/t/t1/a1.service\"] or request objects "
                + "like {\"method\": \"POST\", \"path\": \"/orders\"}")
            return nil
        }
        var requests: [Profile.Request] = []
        var ok = true
        for (index, item) in items.enumerated() {
            let itemField = ProfileField(value: item, path: field.path + "[\(index)]")
            remember(itemField.path, item.offset)
            switch item.kind {
            case .string(let path):
                requests.append(Profile.Request(path: path))
            case .object:
                if let request = decodeRequest(itemField) { requests.append(request) } else { ok = false }
            default:
                mismatch(itemField, expected: "a path like \"/orders\" or a request object like "
                    + "{\"method\": \"POST\", \"path\": \"/orders\"}")
                ok = false
            }
        }
        return ok ? requests : nil
    }

    private func decodeRequest(_ field: ProfileField) -> Profile.Request? {
        guard let fields = object(field, allowed: Self.requestKeys) else { return nil }
        let path = required(fields, "path", expected: "a path like \"/orders\"")
            .flatMap { string($0, expected: "a path like \"/orders\"") }
        let method = fields["method"].flatMap { string($0, expected: "a method like \"POST\"") }
        let headers = fields["headers"].flatMap(decodeHeaders)
        let body = fields["body"].flatMap { string($0, expected: "the body as text, like \"{\\\"qty\\\": 1}\"") }
        let bodyFile = fields["bodyFile"].flatMap { string($0, expected: "a file path like \"payload.json\"") }
        let expect = fields["expect"].flatMap(decodeStatuses)
        if fields["body"] != nil, fields["bodyFile"] != nil {
            report(field.path, "expected one of body, bodyFile, found both", at: field.value.offset)
            return nil
        }
        guard let path else { return nil }
        var request = Profile.Request(path: path)
        if let method { request.method = method }
        if let headers { request.headers = headers }
        if let body { request.body = .text(body) }
        if let bodyFile { request.body = .file(bodyFile) }
        request.expect = expect
        return request
    }

    /// Header fields in file order (a request may carry a name twice, in different cases).
    private func decodeHeaders(_ field: ProfileField) -> [Profile.Header]? {
        let expected = "an object of strings like {\"Content-Type\": \"application/json\"}"
        guard case .object(let list) = field.value.kind else {
            mismatch(field, expected: expected)
            return nil
        }
        var headers: [Profile.Header] = []
        var ok = true
        for member in list {
            let memberField = ProfileField(value: member.value, path: field.path(member.key))
            remember(memberField.path, member.value.offset)
            if headers.contains(where: { $0.name == member.key }) {
                report(memberField.path, "field given twice; keep one", at: member.value.offset)
                ok = false
            } else if let value = string(memberField, expected: "the header's value as text") {
                headers.append(Profile.Header(name: member.key, value: value))
            } else {
                ok = false
            }
        }
        return ok ? headers : nil
    }

    private func decodeStatuses(_ field: ProfileField) -> [Int]? {
        let expected = "a list of statuses like [200, 201]"
        guard case .array(let items) = field.value.kind else {
            mismatch(field, expected: expected)
            return nil
        }
        var statuses: [Int] = []
        for (index, item) in items.enumerated() {
            let itemField = ProfileField(value: item, path: field.path + "[\(index)]")
            remember(itemField.path, item.offset)
            guard let status = integer(itemField, example: "201") else { return nil }
            statuses.append(status)
        }
        return statuses
    }
}
