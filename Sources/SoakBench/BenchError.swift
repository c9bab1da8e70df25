/// Why a bench suite could not measure: a child that failed, a file it could not write.
package struct BenchError: Error, CustomStringConvertible, Sendable {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
