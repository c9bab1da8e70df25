import FoundationEssentials
import Glibc

/// A file error as the end of a sentence (`File too large`), where printing the error itself
/// would show a `CocoaError(code: ..., userInfo: [...])` dump.
package enum FileErrorText {
    /// The C library's words for the error behind `error`, else its own description.
    package static func describe(_ error: any Error) -> String {
        if let error = error as? SystemError { return error.message }
        if let error = error as? POSIXError { return text(code: error.code.rawValue) }
        if let error = error as? CocoaError {
            if let underlying = error.userInfo["NSUnderlyingError"] as? POSIXError {
                return text(code: underlying.code.rawValue)
            }
            switch error.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return text(code: ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return text(code: EACCES)
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "not text in the expected encoding"
            default: return "file error \(error.code.rawValue)"
            }
        }
        return "\(error)"
    }

    /// The funnel's words for an error number.
    private static func text(code: Int32) -> String {
        SystemError(operation: "", errno: code).message
    }
}
