/// A range a value read from a person must lie in, named in the message that refuses it:
/// `at most 1 TiB, found 8388608TiB`.
///
/// It is also the one way a decoded `Double` becomes a whole number (`wholeNumber(_:)`):
/// `Int(someDouble)` traps at or above 2^63 and on NaN, and a profile that says `1e30` must be
/// refused with a sentence, never end the harness with SIGILL.
public struct StatedLimit<Value: Comparable & Sendable>: Sendable {
    /// The values accepted, both ends included.
    public let range: ClosedRange<Value>
    /// How a bound reads in a message: `1 TiB`, `10000`, `1ms`.
    private let show: @Sendable (Value) -> String

    /// A limit whose bounds print with `show`.
    public init(_ range: ClosedRange<Value>, show: @escaping @Sendable (Value) -> String) {
        self.range = range
        self.show = show
    }

    /// `at least 1ms` or `at most 1 TiB` when `value` breaks the limit; nil when it is within.
    public func refusal(of value: Value) -> LimitRefusal? {
        if value < range.lowerBound { return atLeast }
        if value > range.upperBound { return atMost }
        return nil
    }

    /// The refusal of a value below the range.
    public var atLeast: LimitRefusal { LimitRefusal(bound: "at least \(show(range.lowerBound))") }

    /// The refusal of a value above the range.
    public var atMost: LimitRefusal { LimitRefusal(bound: "at most \(show(range.upperBound))") }

    /// The lower bound as a message shows it (`1ms`).
    public var shownMinimum: String { show(range.lowerBound) }

    /// The upper bound as a message shows it (`1 TiB`).
    public var shownMaximum: String { show(range.upperBound) }
}

/// Why a value is outside its `StatedLimit`: the bound it breaks, ready for "…, found X".
public struct LimitRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// `at most 1 TiB`.
    public let bound: String

    /// `at most 1 TiB, found 8388608TiB`: the bound and the value as the person wrote it.
    public func message(found: String) -> String { "\(bound), found \(found)" }

    public var description: String { bound }
}

extension StatedLimit where Value == Int {
    /// A limit on a number of bytes, its bounds printed as sizes (`1 TiB`).
    public static func bytes(_ range: ClosedRange<Int>) -> StatedLimit {
        StatedLimit(range) { ByteSize.format($0) }
    }

    /// A limit on a count, its bounds printed as plain whole numbers (`10000`).
    public static func count(_ range: ClosedRange<Int>) -> StatedLimit {
        StatedLimit(range) { String($0) }
    }

    /// `value` rounded to the nearest whole number when that lies within the limit, or which
    /// bound it breaks. Never traps: NaN, infinities and values past `Int`'s range are refused.
    public func wholeNumber(_ value: Double) -> Result<Int, LimitRefusal> {
        let rounded = value.rounded()
        // NaN compares false with everything; call it too small rather than let it through.
        guard !rounded.isNaN else { return .failure(atLeast) }
        guard let whole = Int(exactly: rounded) else { return .failure(rounded < 0 ? atLeast : atMost) }
        if let refusal = refusal(of: whole) { return .failure(refusal) }
        return .success(whole)
    }
}

extension StatedLimit where Value == Double {
    /// A limit on a plain number, its bounds printed with up to six significant digits.
    public static func number(_ range: ClosedRange<Double>) -> StatedLimit {
        StatedLimit(range) { DecimalText.format($0, significant: 6) }
    }

    /// A limit on an amount of bytes kept fractional (per-cycle slopes), its bounds printed as sizes.
    public static func byteAmount(_ range: ClosedRange<Double>) -> StatedLimit {
        StatedLimit(range) { ByteSize.format($0) }
    }
}

extension StatedLimit where Value == Duration {
    /// A limit on a duration, its bounds printed as durations (`1ms`, `366d`).
    public static func duration(_ range: ClosedRange<Duration>) -> StatedLimit {
        StatedLimit(range) { DurationText.format($0) }
    }
}

extension Duration {
    /// How many whole `divisor`s fit in this duration (`2d` holds 960 of `3m`): 0 when either is
    /// not positive, `Int.max` when the count does not fit. For cycle counts and epochs, where
    /// `Int(duration / interval)` would trap on a zero interval or an absurd ratio.
    public func wholeMultiples(of divisor: Duration) -> Int {
        guard divisor > .zero, self > .zero else { return 0 }
        let ratio = (self / divisor).rounded(.down)
        return Int(exactly: ratio) ?? (ratio.isNaN ? 0 : .max)
    }
}
