import Glibc

/// Versions recorded in every run, so two reports can be told apart.
package enum SoakVersion {
    /// This harness's version.
    package static let current = "0.1.0"

    /// `uname -sr` of the machine the run is on.
    package static var kernel: String {
        var name = utsname()
        uname(&name)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release))"
    }
}
