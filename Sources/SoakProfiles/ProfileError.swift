/// A profile that cannot be used, with every problem found in it.
///
/// Each problem names the file, the field path and what was expected against what was found,
/// so a person can fix the file without reading code:
///
///     Profiles/quick.json: scenario.interval: expected a duration like 3m, found "three"
///
/// Loading reports all problems of one pass at once (structure first, then the checks that need
/// the whole profile), so a file with three typos is fixed in one round.
package struct ProfileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One problem in a profile.
    package struct Issue: Sendable, Equatable, CustomStringConvertible {
        /// The file as the user named it (or as found in the catalog), e.g. `Profiles/quick.json`.
        package var file: String
        /// The field path, e.g. `scenario.requests[2]`; empty for a problem with the whole file.
        package var path: String
        /// What is wrong: usually `expected ..., found ...`.
        package var message: String
        /// Where in the file, when known (for editors and CI annotations); not part of `description`
        /// for field problems, whose path says more.
        package var line: Int?
        package var column: Int?

        /// Creates an issue; `line` and `column` count from 1.
        package init(file: String, path: String, message: String, line: Int? = nil, column: Int? = nil) {
            self.file = file
            self.path = path
            self.message = message
            self.line = line
            self.column = column
        }

        /// `file: path: message`, or `file: line L, column C: message` for a syntax error.
        package var description: String {
            if !path.isEmpty { return "\(file): \(path): \(message)" }
            if let line, let column { return "\(file): line \(line), column \(column): \(message)" }
            return "\(file): \(message)"
        }
    }

    /// The problems, in file order; never empty.
    package var issues: [Issue]

    /// An error with the given problems.
    package init(issues: [Issue]) {
        precondition(!issues.isEmpty, "a ProfileError needs at least one issue")
        self.issues = issues
    }

    /// An error with one problem.
    package init(file: String, path: String = "", message: String, line: Int? = nil, column: Int? = nil) {
        self.init(issues: [Issue(file: file, path: path, message: message, line: line, column: column)])
    }

    /// One line per problem.
    package var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
