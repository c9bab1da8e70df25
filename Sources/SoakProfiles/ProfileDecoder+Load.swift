extension ProfileDecoder {
    static let loadKeys = ["command", "environment", "connections", "perSecond", "requests"]
    /// The keys of the harness's own load, refused beside `command` (one load, one form).
    private static let generatorKeys = ["connections", "perSecond", "requests"]

    /// `scenario.load`: `{"command": [...]}` for a program of the user's, or
    /// `{"connections": N, "perSecond": R, "requests": [...]}` for the harness's own load.
    func decodeLoad(_ field: ProfileField) -> Profile.Load? {
        let expected = "an object like {\"command\": [\"wrk\", \"{baseURL}/\"]} or "
            + "{\"connections\": 4, \"perSecond\": 50, \"requests\": [\"/\"]}"
        guard let fields = object(field, allowed: Self.loadKeys, expected: expected) else { return nil }
        if let commandField = fields["command"] {
            if let stray = Self.generatorKeys.first(where: { fields.has($0) }) {
                report(field.path(stray), "expected no \(stray) beside command: a load is either a command of "
                    + "your own or the harness's requests, not both", at: field.value.offset)
                return nil
            }
            guard let argv = strings(commandField, expected: "a program and its arguments like [\"wrk\", \"-c4\", "
                + "\"{baseURL}/\"]")
            else { return nil }
            var command = Profile.LoadCommand(argv: argv)
            if let environment = fields["environment"].flatMap(stringMap) { command.environment = environment }
            return .command(command)
        }
        if fields.has("environment") {
            report(field.path("environment"), "expected no environment without command (the harness's own load "
                + "runs inside it)", at: field.value.offset)
        }
        let connections = fields["connections"].flatMap {
            count($0, limit: ProfileLimits.loadConnections, example: "4")
        }
        let perSecond = required(fields, "perSecond", expected: "requests per second like 50 (or give command)")
            .flatMap { number($0, expected: "requests per second like 50") }
        let requests = required(fields, "requests", expected: "a list of paths like [\"/\"] or request objects")
            .flatMap(decodeRequests)
        guard let perSecond, let requests else { return nil }
        return .requests(Profile.LoadRequests(connections: connections ?? 1, perSecond: perSecond, requests: requests))
    }
}
