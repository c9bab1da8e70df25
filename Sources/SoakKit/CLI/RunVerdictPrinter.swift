/// Ends `soak run`: says how the run went and picks the exit code.
enum RunVerdictPrinter {
    static func conclude(manifest: RunManifest, folder: RunFolder) -> ExitCode {
        let integrity = manifest.integrity
        Output.err("run folder: \(folder.path)")
        Output.err("integrity: \(integrity.validCycles)/\(integrity.cycles) cycles as designed")
        switch manifest.status {
        case .notReady, .crashed:
            Output.err("\(manifest.status.rawValue): \(manifest.statusReason ?? "")")
            return .failed
        case .interrupted:
            Output.err("interrupted: \(manifest.statusReason ?? ""); the run folder holds everything recorded so far")
            return .failed
        case .running, .completed:
            break
        }
        guard integrity.isComplete || integrity.cycles == 0 else {
            Output.err("invalid: \(integrity.firstViolation ?? "integrity under 100%"). Lower --accelerate (now \(SampleRow.format(manifest.accelerate))) so every idle period really happens.")
            return .failed
        }
        return .pass
    }
}
