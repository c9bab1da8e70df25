import TenantRuntime

extension ScaleRule {
    /// Reads `flag` when it is one of the rule's own (`--min-nodes`, `--max-nodes`,
    /// `--scale-window`, `--scale-on`), which the fleet's front and its decision service both
    /// take; false when it is not, for the caller's own flags. The thresholds are left to the
    /// callers: the front fills in the measure's defaults for the ones not given.
    package mutating func read(_ flag: String, from reader: inout ArgumentReader) throws(UsageError) -> Bool {
        switch flag {
        case "--min-nodes": minNodes = try reader.count(for: flag)
        case "--max-nodes": maxNodes = try reader.count(for: flag)
        case "--scale-window": window = try reader.duration(for: flag)
        case "--scale-on":
            let text = try reader.value(for: flag)
            guard let measure = Measure(rawValue: text) else {
                throw UsageError("--scale-on: expected in-flight or tenants, found \"\(text.prefix(40))\"")
            }
            self.measure = measure
        default: return false
        }
        return true
    }
}
