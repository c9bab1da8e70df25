/// Writes everything a judged run leaves in its folder: `summary.json` and the reports made
/// from it.
public enum RunReports {
    /// Writes the outputs of `judgement` into `folder` and returns the paths written. A report
    /// that cannot be written is named in the error; the ones before it stay written.
    @discardableResult
    public static func write(_ judgement: RunJudge.Judgement, to folder: RunFolder) throws(RunReportsError) -> [String] {
        var written: [String] = []
        do {
            try judgement.summary.write(to: folder.summaryJSON)
            written.append(folder.summaryJSON)
        } catch {
            throw RunReportsError(path: folder.summaryJSON, reason: "\(error)")
        }
        return written
    }
}

/// A report that could not be written.
public struct RunReportsError: Error, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "cannot write \(path): \(reason)" }
}
