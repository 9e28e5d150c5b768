/// Integer conversions of a `Double` that cannot trap.
///
/// `Int64(d)` traps when `d` is NaN, infinite or outside the type's range, and numbers from
/// peers (a receiver's `retry_after`, Falco's metrics, the container engine's stats) can be
/// any of those. These clamp instead: the caller decides what the clamp means.
extension FixedWidthInteger {
    /// `value` rounded toward zero, like `Self(value)`, but below the type's range it gives
    /// `Self.min`, above it `Self.max`, and NaN gives `ifNaN`.
    @inlinable
    public init(saturating value: Double, ifNaN: Self = 0) {
        if value.isNaN {
            self = ifNaN
        } else if value <= Double(Self.min) {
            self = Self.min
        } else if value >= Double(Self.max) {
            // Double(Int64.max) rounds up to 2^63, so `>=` also catches the values just
            // below it that would not fit once rounded.
            self = Self.max
        } else {
            self = Self(value)
        }
    }
}

extension Double {
    /// `self` limited to `range`; NaN gives nil (it has no place in any range).
    @inlinable
    public func clamped(to range: ClosedRange<Double>) -> Double? {
        isNaN ? nil : Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}
