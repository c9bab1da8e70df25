import SoakUnits

/// Readers for values with a stated limit (`ProfileLimits`): counts and whole byte sizes, converted
/// without trapping and refused with the bound in the message.
extension ProfileDecoder {
    /// Records that a field's value, readable as such, breaks its stated limit.
    func refuse(_ field: ProfileField, _ refusal: LimitRefusal) {
        report(field.path, refusal.message(found: field.value.writtenText), at: field.value.offset)
    }

    /// A whole number within `limit`. A number too long for an `Int` is refused with the limit,
    /// not as "not a whole number"; the range itself is the validator's (it checks profiles built
    /// in code too).
    func count(_ field: ProfileField, limit: StatedLimit<Int>, example: String) -> Int? {
        if case .number(let text) = field.value.kind, Int(text) == nil, Self.isWholeNumberText(text) {
            refuse(field, text.hasPrefix("-") ? limit.atLeast : limit.atMost)
            return nil
        }
        return integer(field, example: example)
    }

    /// JSON number text without fraction or exponent (`-12`, `9223372036854775808`).
    private static func isWholeNumberText(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        return !digits.isEmpty && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// A byte size that must be a whole number of bytes within `limit` (`limits.memory`), converted
    /// without trapping: `1e30` and `8388608TiB` are refused with the limit.
    func wholeBytes(_ field: ProfileField, limit: StatedLimit<Int>, example: String) -> Int? {
        guard let value = byteSize(field, example: example) else { return nil }
        switch limit.wholeNumber(value) {
        case .success(let bytes):
            return bytes
        case .failure(let refusal):
            refuse(field, refusal)
            return nil
        }
    }
}
