import FoundationEssentials
import MiniHTTP
import SoakProfiles

/// What `soak run` checks on this machine before it starts anything: that every host a profile
/// names resolves, and that every `bodyFile` can be read.
///
/// The validator checks a profile's text wherever it is read; these checks need the machine, so
/// they belong to a run. `soak report` re-reads the profile copied into a run folder, where a
/// body file does not follow, and must still judge it.
package enum RunPreflight {
    /// Checks `profile`, read from `profileFile` and named `file` in messages; every problem is
    /// reported at once, naming the file and the field.
    package static func check(_ profile: Profile, profileFile: String, shownAs file: String) throws(ProfileError) {
        var issues = unresolvedHosts(profile, file: file)
        if case .command(let command) = profile.scenario.load, let program = command.argv.first,
            !program.contains("{"), TargetProcess.resolve(program) == nil
        {
            issues.append(ProfileError.Issue(file: file, path: "scenario.load.command[0]",
                message: "expected a program on PATH or a file, found \"\(program)\": no such program"))
        }
        issues += unparsableSelectors(profile, file: file)
        do {
            _ = try bodyFiles(profile, profileFile: profileFile, shownAs: file)
        } catch {
            issues += error.issues
        }
        if !issues.isEmpty { throw ProfileError(issues: issues) }
    }

    /// Every `target.command.metrics` series that is not a selector the scraper can read. Checked
    /// here, before anything starts, so a typo is bad input (exit 2) and not a run that starts a
    /// target only to stop it; the grammar lives with the scraper, a layer above the validator.
    static func unparsableSelectors(_ profile: Profile, file: String) -> [ProfileError.Issue] {
        guard case .command(let command) = profile.target else { return [] }
        return command.metrics.compactMap { entry in
            do {
                _ = try PrometheusSeriesSelector(parsing: entry.series)
                return nil
            } catch {
                return ProfileError.Issue(file: file, path: "target.command.metrics.\(entry.column)",
                                          message: "expected a series selector like name{label=\"value\"}: \(error)")
            }
        }
    }

    /// The bytes of every `bodyFile` of the scenario, by the name the profile gives. A relative
    /// name is relative to the profile's folder, so a profile and its payloads move together.
    package static func bodyFiles(
        _ profile: Profile, profileFile: String, shownAs file: String
    ) throws(ProfileError) -> [String: [UInt8]] {
        let folder = profileFile.split(separator: "/", omittingEmptySubsequences: false).dropLast()
            .joined(separator: "/")
        var bodies: [String: [UInt8]] = [:]
        var issues: [ProfileError.Issue] = []
        var requests = profile.scenario.requests.enumerated().map { ("scenario.requests[\($0)]", $1) }
        if case .requests(let load) = profile.scenario.load {
            requests += load.requests.enumerated().map { ("scenario.load.requests[\($0)]", $1) }
        }
        for (field, request) in requests {
            guard case .file(let name) = request.body, bodies[name] == nil else { continue }
            let path = name.hasPrefix("/") ? name : (folder.isEmpty ? "." : folder) + "/" + name
            var isDirectory = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory,
                let data = FileManager.default.contents(atPath: path)
            {
                bodies[name] = [UInt8](data)
                continue
            }
            let why = !FileManager.default.fileExists(atPath: path) ? "no such file"
                : isDirectory ? "a directory" : "cannot be read (check its permissions)"
            issues.append(ProfileError.Issue(
                file: file, path: "\(field).bodyFile",
                message: "expected a readable file relative to the profile's folder, found \"\(name)\": \(why) "
                    + "(looked for \(path))"))
        }
        if !issues.isEmpty { throw ProfileError(issues: issues) }
        return bodies
    }

    /// A problem for each URL whose host this machine cannot resolve. Addresses resolve without a
    /// lookup; a name goes through the system's resolver (`/etc/hosts`, then DNS), as it will at
    /// run time.
    private static func unresolvedHosts(_ profile: Profile, file: String) -> [ProfileError.Issue] {
        guard case .command(let command) = profile.target else { return [] }
        var urls: [(String, String, HTTPURL.Role)] = []
        if let url = command.baseURL { urls.append(("target.command.baseURL", url, .base)) }
        if let url = command.statsURL { urls.append(("target.command.statsURL", url, .endpoint)) }
        if case .httpURL(let url) = command.ready { urls.append(("target.command.ready.httpURL", url, .endpoint)) }
        var issues: [ProfileError.Issue] = []
        for (field, text, role) in urls {
            // The validator has refused URLs that do not parse.
            guard let url = try? HTTPURL.parse(text, role: role, portPlaceholder: true) else { continue }
            do {
                _ = try HostResolver.resolve(host: url.host, port: 80)
            } catch {
                issues.append(ProfileError.Issue(
                    file: file, path: field,
                    message: "\(error) in \(text); expected a host this machine resolves, or an address like "
                        + "127.0.0.1 or [::1]"))
            }
        }
        return issues
    }
}
