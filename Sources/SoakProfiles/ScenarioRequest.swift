extension Profile {
    /// One request a scenario sends each cycle: a path as in `"/t/t1/a1.service"`, or an object
    /// with a method, headers, a body and the statuses that count as success.
    ///
    /// A string literal is a `GET` of that path, so `["/t/t1/a1.service"]` reads as it always did.
    package struct Request: Sendable, Equatable, ExpressibleByStringLiteral {
        /// The method as sent (`GET`, `POST`); methods are case-sensitive.
        package var method = "GET"
        /// The path (and query) below the base URL, starting with `/`.
        package var path: String
        /// Header fields in file order. `Host` may be given; the harness sets `Content-Length`.
        package var headers: [Header] = []
        package var body: Body?
        /// Statuses that count as success; nil: any 2xx or 3xx.
        package var expect: [Int]?

        package init(path: String) {
            self.path = path
        }

        package init(stringLiteral path: String) {
            self.init(path: path)
        }

        /// `POST /orders`, as messages name the request.
        package var label: String { "\(method) \(path)" }

        /// Whether `status` is one this request expects.
        package func expects(_ status: Int) -> Bool {
            if let expect { return expect.contains(status) }
            return (200..<400).contains(status)
        }

        /// What the request expects, as messages say it: `2xx or 3xx`, `201`, `200 or 201`.
        package var expectation: String {
            guard let expect, !expect.isEmpty else { return "2xx or 3xx" }
            let codes = expect.map(String.init)
            return codes.count == 1 ? codes[0] : codes.dropLast().joined(separator: ", ") + " or " + codes.last!
        }
    }

    /// One header field of a request.
    package struct Header: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// What a request sends as its body.
    package enum Body: Sendable, Equatable {
        /// This text, as UTF-8.
        case text(String)
        /// The bytes of this file, as written in the profile: relative to the profile's folder.
        case file(String)
    }
}
