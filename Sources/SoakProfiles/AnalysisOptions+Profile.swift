import SoakAnalysis

extension AnalysisOptions {
    /// Options from a profile: its interval, warm-up, thresholds (shipped defaults where it lists
    /// none), alpha and memory limit.
    package init(profile: Profile) {
        self.init(profile: profile, alpha: profile.alpha)
    }

    /// Options from a profile with another significance level.
    package init(profile: Profile, alpha: Double) {
        var thresholds: [Metric: Threshold] = [:]
        for metric in profile.metrics { thresholds[metric] = profile.threshold(for: metric) }
        self.init(
            cycleIntervalSeconds: profile.scenario.interval.analysisSeconds, warmup: profile.scenario.warmup,
            thresholds: thresholds, alpha: alpha, memoryLimitBytes: profile.limits.memoryBytes.map(Double.init),
            metrics: profile.metrics)
    }
}
