import SoakAnalysis

/// What one culprit source read at one sample: a value per name (a type's live count, a stack's
/// live bytes, a class's instance bytes). Written to `culprits.jsonl`, one line per reading.
package struct CulpritReading: Sendable, Equatable {
    package var source: CulpritSource
    package var unit: MetricUnit
    /// Value per type, stack id or class name.
    package var values: [String: Double]
    /// A second figure per name where the source has one (a stack's live allocations, a class's
    /// instances), for the report; not judged.
    package var counts: [String: Double]

    package init(source: CulpritSource, unit: MetricUnit, values: [String: Double], counts: [String: Double] = [:]) {
        self.source = source
        self.unit = unit
        self.values = values
        self.counts = counts
    }

    /// The reading as one `culprits.jsonl` line, with the sample's kind, cycle and time.
    package func jsonLine(kind: SampleKind, cycle: Double?, simSeconds: Double?) -> String {
        var line = JSONLine()
        line.add("kind", kind.rawValue)
        line.add("cycle", cycle)
        line.add("sim_seconds", simSeconds)
        line.add("source", source.rawValue)
        line.add("unit", unit.rawValue)
        var text = line.line
        text.removeLast(2) // "}\n": the maps follow
        text += ",\"values\":" + Self.object(values)
        if !counts.isEmpty { text += ",\"counts\":" + Self.object(counts) }
        return text + "}\n"
    }

    private static func object(_ values: [String: Double]) -> String {
        var text = "{"
        for (index, name) in values.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            JSONLine.appendQuoted(name, to: &text)
            text += ":" + SampleRow.format(values[name]!)
        }
        return text + "}"
    }
}

/// When culprit sources read: at troughs when the run has them (the leak signal without the
/// sawtooth), else at periodic samples.
package struct CulpritSchedule: Sendable, Equatable {
    package var kind: SampleKind

    package init(troughs: Bool) { kind = troughs ? .trough : .periodic }

    package func reads(at sample: SampleKind) -> Bool { sample == kind }
}
