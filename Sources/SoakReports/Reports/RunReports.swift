import FoundationEssentials
import PosixSupport
import SoakRun

/// Writes everything a judged run leaves in its folder: `summary.json`, then `report.html`,
/// `junit.xml` and `summary.md` made from it.
package enum RunReports {
    /// Writes the outputs of `judgement` into `folder` and returns the paths written. A report
    /// that cannot be written is named in the error; the ones before it stay written.
    @discardableResult
    package static func write(
        _ judgement: RunJudge.Judgement, to folder: RunFolder
    ) throws(RunReportsError) -> [String] {
        var written: [String] = []
        do {
            try judgement.summary.write(to: folder.summaryJSON)
            written.append(folder.summaryJSON)
        } catch {
            throw RunReportsError(path: folder.summaryJSON, reason: FileErrorText.describe(error))
        }
        let reports: [(path: String, render: () -> String)] = [
            (folder.reportHTML, { HTMLReport.render(judgement) }),
            (folder.junitXML, { JUnitReport.render(judgement.summary) }),
            (folder.summaryMarkdown, { MarkdownSummary.render(judgement.summary) }),
        ]
        for report in reports {
            do {
                // Atomic: a CI step reading the file never sees half of it.
                try Data(report.render().utf8).write(to: URL(fileURLWithPath: report.path), options: .atomic)
            } catch {
                throw RunReportsError(path: report.path, reason: FileErrorText.describe(error))
            }
            written.append(report.path)
        }
        return written
    }
}

/// A report that could not be written.
package struct RunReportsError: Error, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "cannot write \(path): \(reason)" }
}
