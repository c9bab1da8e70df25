/// `soak baseline save DIR NAME` and `soak baseline list`: the committed baselines `soak diff`
/// compares pull requests against.
import SoakReports
import SoakRun

enum BaselineCommand {
    static let usage = "soak baseline save DIR NAME [--baselines DIR] [--force] | soak baseline list [--baselines DIR]"
    static let help = """
        usage: soak baseline save DIR NAME [--baselines DIR] [--force]
               soak baseline list [--baselines DIR]

        save  writes the judged run in DIR (a run folder or a summary.json) as NAME.json in the
              baselines folder, with each metric's chart points reduced to at most 200 so the file
              stays small enough to commit, and prints the file's path. NAME is 1 to 64 of
              A-Z a-z 0-9 . _ -. Only a run that passed is saved unless --force.
        list  lists the saved baselines with their profile, verdict and start time.
          --baselines DIR  the baselines folder (default reports/baselines)
        exit codes: 0 done, 2 bad usage, unreadable run or a run that did not pass
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "baseline")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let directory = try arguments.value("--baselines")
        let force = arguments.flag("--force")
        let positionals = try arguments.positionals(count: 1...3, usage: usage)
        let store = BaselineStore.locate(explicit: directory)
        switch positionals[0] {
        case "save":
            guard positionals.count == 3 else {
                throw CommandError("baseline save: expected a run folder and a name\nusage: \(usage)")
            }
            return try save(folder: positionals[1], name: positionals[2], store: store, force: force)
        case "list":
            guard positionals.count == 1 else {
                throw CommandError("baseline list: expected no arguments, found \(positionals.count - 1)\n"
                    + "usage: \(usage)")
            }
            list(store)
            return .pass
        default:
            throw CommandError(
                "baseline: unknown action \"\(positionals[0])\"; expected save or list\nusage: \(usage)")
        }
    }

    static func save(
        folder: String, name: String, store: BaselineStore, force: Bool
    ) throws(CommandError) -> ExitCode {
        guard BaselineStore.isValidName(name) else {
            throw CommandError("baseline save: name \"\(name)\": expected 1 to 64 of A-Z a-z 0-9 . _ -, "
                + "like service-lazy-loading")
        }
        let input: DiffInput
        do {
            input = try DiffInput.load(folder, baselines: nil, force: false)
        } catch {
            throw CommandError("baseline save: \(error.description)")
        }
        if input.summary.verdict != .pass {
            // A baseline that already leaks would let every later leak of the same size through.
            guard force else {
                throw CommandError("baseline save: \(folder): the run's verdict is \(input.summary.verdict.rawValue) "
                    + "(\(input.summary.verdictReason)); a baseline should be a run that passed; "
                    + "pass --force to save it anyway")
            }
            Output.err("warning: saving a run whose verdict is \(input.summary.verdict.rawValue) (--force)")
        }
        do {
            Output.out(try store.save(input.summary, as: name))
        } catch {
            throw CommandError("baseline save: \(error.description)")
        }
        return .pass
    }

    static func list(_ store: BaselineStore) {
        let names = store.names()
        guard !names.isEmpty else {
            Output.out("no baselines in \(store.directory); save one with soak baseline save DIR NAME")
            return
        }
        Output.out("baselines in \(store.directory):")
        let width = names.map(\.count).max() ?? 0
        for name in names {
            let padding = String(repeating: " ", count: width - name.count)
            do {
                let summary = try RunSummary.read(from: store.path(for: name))
                Output.out("  \(name)\(padding)  " + DiffRendering.describe(summary, path: summary.runFolder))
            } catch {
                Output.out("  \(name)\(padding)  unreadable: \(error.description)")
            }
        }
    }
}
