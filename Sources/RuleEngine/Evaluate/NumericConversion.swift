/// JSON numbers turned into the engine's 64-bit field values, defined for every input.
///
/// Event fields are attacker-controlled: `1e300`, `1e999` (infinity once parsed) or
/// `99999999999999999999` (too big for any integer, so parsed as a double) in a numeric
/// field must not trap (`Int64(someDouble)` does when the value does not fit). A number
/// with a fraction or an exponent is truncated toward zero when the result fits the field's
/// 64-bit storage; otherwise the field has no value (docs/falco-compat.md).
enum NumericConversion {
    /// `d` truncated toward zero if it lies in -2^63 ..< 2^63.
    static func signed(_ d: Double) -> Int64? {
        guard d.isFinite, d >= -0x1p63, d < 0x1p63 else { return nil }
        return Int64(d)
    }

    /// `d` truncated toward zero if it lies in 0 ..< 2^64 once truncated (-0.5 gives 0).
    static func unsigned(_ d: Double) -> UInt64? {
        guard d.isFinite, d > -1, d < 0x1p64 else { return nil }
        return UInt64(d)
    }

    /// Infinities and NaN are not values a field can have.
    static func finite(_ d: Double) -> Double? { d.isFinite ? d : nil }

    /// A JSON number (already parsed) as a value of a numeric field type.
    static func value(_ d: Double, signedType: Bool) -> FieldValue? {
        signedType ? signed(d).map(FieldValue.int) : unsigned(d).map(FieldValue.uint)
    }
}
