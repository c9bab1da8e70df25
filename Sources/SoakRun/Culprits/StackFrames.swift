/// The symbolized frames of each sampled stack of a run, by stack id.
package enum StackFrames {
    /// Frames per stack id, innermost first; empty when the run sampled no stacks.
    package static func load(_ folder: RunFolder) -> [String: [String]] {
        [:]
    }
}
