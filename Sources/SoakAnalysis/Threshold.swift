/// When a metric leaks: the slope's lower bound above `perCycle` and fitted growth above `floor`.
public struct Threshold: Sendable, Equatable, Codable {
    /// Units (bytes, instances, ...) per cycle the slope's lower bound must exceed.
    public var perCycle: Double
    /// Units the fitted growth over the steady window must exceed.
    public var floor: Double

    /// A threshold of `perCycle` growth per cycle and `floor` growth over the steady window.
    public init(perCycle: Double, floor: Double) {
        self.perCycle = perCycle
        self.floor = floor
    }
}
