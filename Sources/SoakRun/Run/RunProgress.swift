/// Sees a run advance, cycle by cycle: the command line draws it, a test may count it. Called on
/// the driver's thread, so an implementation must return quickly.
package protocol RunProgress: AnyObject {
    /// The scenario reached `progress`.
    func show(_ progress: DriverProgress)
    /// The scenario ended; no more calls follow.
    func finish()
}
