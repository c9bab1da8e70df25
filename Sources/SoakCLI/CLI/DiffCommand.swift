import FoundationEssentials
import SoakAnalysis
import SoakReports
import SoakRun

/// `soak diff BASE CANDIDATE`: compares two judged runs of one profile and fails on a regression.
enum DiffCommand {
    static let usage = "soak diff BASE CANDIDATE [--tolerance METRIC=AMOUNT,...] [--format text|md] [--html FILE] "
        + "[--force] [--baselines DIR]"
    static let help = """
        usage: \(usage)

        Compares a candidate run with a base run of the same profile: per metric the plateau, the
        slope per simulated hour (with 95% intervals), the peak and the verdict; cold and warm latency
        p50 and p99; integrity; the run verdict. A regression is the candidate worse than the base
        beyond tolerance.
          BASE, CANDIDATE          a run folder, a summary.json or baseline file, or a baseline name
                                   (reports/baselines/NAME.json; see soak baseline)
          --tolerance LIST         per metric, repeatable: rss=5% (of the base), heap_in_use=64KiB,
                                   fds=2 (in the metric's unit), latency=50%+5ms. Overrides the
                                   candidate's profile, which overrides the defaults:
                                   rss, rss_anon, pss 10% or 1 MiB; heap_in_use 10% or
                                   256 KiB; live_instances 5; fds 2; threads 1; harness_rss
                                   10% or 2 MiB; latency 50% + 5 ms. pss and harness_rss
                                   only warn, as in soak run's verdict
          --format text|md         an aligned table (default) or Markdown
          --html FILE              also write a self-contained HTML page with both series per metric
          --force                  compare runs of different profiles or scenarios, read a summary of
                                   another schema, re-judge a folder whose summary.json is corrupt;
                                   each with a warning
          --baselines DIR          where baseline names are looked up (default reports/baselines)
        metrics: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))
        exit codes: 0 no regression, 1 regression, 2 bad usage, unreadable input or runs not comparable
        """

    static func run(_ arguments: [String]) throws(CommandError) -> ExitCode {
        var arguments = CommandArguments(arguments, command: "diff")
        if arguments.wantsHelp {
            Output.out(help)
            return .pass
        }
        let toleranceTexts = try arguments.values("--tolerance")
        let format = try arguments.value("--format") ?? "text"
        let htmlPath = try arguments.value("--html")
        let force = arguments.flag("--force")
        let baselinesDirectory = try arguments.value("--baselines")
        let paths = try arguments.positionals(count: 2...2, usage: usage)
        guard format == "text" || format == "md" else {
            throw CommandError("diff: --format: expected text or md, found \"\(format)\"")
        }
        // Checked before any file is read, so a typo fails fast.
        var commandLineCheck = DiffTolerances.defaults
        try wrap { () throws(DiffError) in try commandLineCheck.apply(commandLine: toleranceTexts) }

        let store = BaselineStore.locate(explicit: baselinesDirectory)
        let base = try wrap { () throws(DiffError) in try DiffInput.load(paths[0], baselines: store, force: force) }
        let candidate = try wrap { () throws(DiffError) in
            try DiffInput.load(paths[1], baselines: store, force: force)
        }
        var warnings = base.warnings + candidate.warnings
        let mismatches = RunComparison.mismatches(base: base.summary, candidate: candidate.summary)
        if !mismatches.isEmpty {
            guard force else {
                throw CommandError("diff: not comparable: " + mismatches.joined(separator: "; ")
                    + "; pass --force to compare anyway")
            }
            warnings += mismatches.map { $0 + "; comparing anyway (--force)" }
        }
        for warning in warnings {
            Output.err("warning: \(warning)")
            GitHubActions.warning(warning, title: "soak diff")
        }

        var tolerances = DiffTolerances.defaults
        if let profile = candidate.profile ?? base.profile { tolerances.apply(profile: profile.tolerances) }
        try wrap { () throws(DiffError) in try tolerances.apply(commandLine: toleranceTexts) }
        let comparison = RunComparison(base: base.summary, candidate: candidate.summary, tolerances: tolerances)
        let markdown = DiffRendering.markdown(comparison, basePath: base.path, candidatePath: candidate.path)
        Output.out(format == "md" ? markdown
            : DiffRendering.text(comparison, basePath: base.path, candidatePath: candidate.path))
        if let htmlPath {
            let page = DiffHTML.render(comparison, basePath: base.path, candidatePath: candidate.path)
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: htmlPath), options: .atomic)
            } catch {
                throw CommandError("diff: --html: cannot write \(htmlPath): \(WriteProblem.describe(htmlPath, error))")
            }
            Output.err("wrote \(htmlPath)")
        }
        if GitHubActions.isActive { annotate(comparison, markdown: markdown) }
        return comparison.hasRegression ? .leak : .pass
    }

    /// One `::error` per regressed metric (its plateau, slope, peak and verdict together) and one
    /// per other regressed row: GitHub shows only the first ten error annotations of a step, and a
    /// single leak regresses four rows of each byte metric. Then the Markdown on the job page.
    static func annotate(_ comparison: RunComparison, markdown: String) {
        var groups: [(subject: String, details: [String])] = []
        for row in comparison.regressions {
            let subject = row.metric?.rawValue ?? row.label
            if let index = groups.firstIndex(where: { $0.subject == subject }) {
                groups[index].details.append(row.detail)
            } else {
                groups.append((subject, [row.detail]))
            }
        }
        let title = "soak diff \(comparison.candidate.profile)"
        for group in groups {
            GitHubActions.error(group.details.joined(separator: "; "), title: "\(title): \(group.subject)")
        }
        GitHubActions.appendStepSummary(markdown)
    }

    /// Runs `body`, turning its `DiffError` into a usage error (exit 2).
    static func wrap<T>(_ body: () throws(DiffError) -> T) throws(CommandError) -> T {
        do {
            return try body()
        } catch {
            throw CommandError("diff: \(error.description)")
        }
    }
}
