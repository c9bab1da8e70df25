/// `target.command.heap`: the allocator whose counters are published, and whether stacks are sampled.
extension ProfileDecoder {
    /// `"glibc"`, or `{"kind": "glibc", "stacks": true, "sampleEvery": "512KiB"}`.
    func decodeHeap(_ field: ProfileField, into command: inout Profile.CommandTarget) {
        let expected = "\"glibc\", or {\"kind\": \"glibc\", \"stacks\": true}"
        var kindField = field
        var settings: ProfileObject?
        if case .object = field.value.kind {
            settings = object(field, allowed: ["kind", "stacks", "sampleEvery"], expected: expected)
            guard let settings else { return }
            guard let kind = settings["kind"] else {
                report(field.path + ".kind", "missing field; expected \"glibc\"", at: field.value.offset)
                return
            }
            kindField = kind
        }
        guard let text = string(kindField, expected: settings == nil ? expected : "\"glibc\"") else { return }
        guard let heap = Profile.HeapCounters(rawValue: text) else {
            mismatch(kindField, expected: "\"glibc\" (the only allocator whose counters soak can publish)")
            return
        }
        command.heap = heap
        guard let settings, settings["stacks"].flatMap(bool) == true else {
            if let every = settings?["sampleEvery"] {
                report(every.path, "sampleEvery needs \"stacks\": true", at: every.value.offset)
            }
            return
        }
        var sampling = Profile.StackSampling()
        if let every = settings["sampleEvery"],
           let bytes = wholeBytes(every, limit: ProfileLimits.stackSampleBytes, example: "512KiB") {
            sampling.meanBytes = bytes
        }
        command.heapStacks = sampling
    }
}
