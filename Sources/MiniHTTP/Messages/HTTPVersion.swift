/// An HTTP protocol version such as HTTP/1.1.
package struct HTTPVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The major version (1 for HTTP/1.x).
    package var major: Int
    /// The minor version (0 or 1 for the versions this library speaks).
    package var minor: Int

    /// Creates a version from its two numbers.
    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0: connections close after each response unless the client asks for keep-alive.
    package static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1: connections stay open unless either side says `Connection: close`.
    package static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// "HTTP/1.1".
    package var description: String { "HTTP/\(major).\(minor)" }

    /// Orders by major, then minor version.
    package static func < (lhs: HTTPVersion, rhs: HTTPVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}
