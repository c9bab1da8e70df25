import Glibc

/// The harness's environment variables, read from `environ`.
package enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    package static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
