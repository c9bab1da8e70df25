/// A command that cannot run, with the exit code it ends with.
import SoakRun

package struct CommandError: Error, CustomStringConvertible, Sendable {
    package let description: String
    package let exitCode: ExitCode

    package init(_ description: String, exitCode: ExitCode = .usage) {
        self.description = description
        self.exitCode = exitCode
    }
}

extension CommandError {
    /// Runs `body`, turning a lower layer's error into a usage error with the same message.
    static func mapping<T, Failure: Error & CustomStringConvertible>(
        _ body: () throws(Failure) -> T
    ) throws(CommandError) -> T {
        do {
            return try body()
        } catch {
            throw CommandError(error.description)
        }
    }
}
