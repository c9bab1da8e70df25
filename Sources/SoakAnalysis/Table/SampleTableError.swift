/// Why a CSV could not be read, or a column could not be used, in words a person can act on:
/// `samples.csv: line 812, column rss_bytes: expected a number, found "12a4"`.
public struct SampleTableError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The whole message, starting with the file name.
    public var message: String
    /// The 1-based line the problem is on (the header is line 1); nil when it is not about a line.
    public var line: Int?
    /// The column the problem is in; nil when it is not about one column.
    public var column: String?

    /// Creates an error; `message` should name the file.
    public init(message: String, line: Int? = nil, column: String? = nil) {
        self.message = message
        self.line = line
        self.column = column
    }

    /// The message.
    public var description: String { message }
}
