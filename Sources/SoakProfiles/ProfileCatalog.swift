import FoundationEssentials

/// The shipped profiles (`Profiles/*.json`) and how a command-line argument names one.
///
/// An argument containing `/` or ending in `.json` is a path; anything else is a shipped name
/// (`quick`). The shipped folder is found without configuration in the usual places: see `locate`.
package struct ProfileCatalog: Sendable, Equatable {
    /// The folder holding shipped profiles, or nil when none was found.
    package var directory: String?
    /// The places `locate` looked, in order, for the message when nothing was found.
    package var searched: [String]
    /// The directory relative paths are taken from and shown against.
    package var currentDirectory: String

    /// A catalog over a known folder.
    package init(
        directory: String?, searched: [String] = [],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) {
        self.directory = directory
        self.searched = searched
        self.currentDirectory = currentDirectory
    }

    /// Finds the shipped `Profiles/` folder: `$LAZYSOAK_PROFILES` when set; else `./Profiles`; else
    /// the nearest ancestor of the executable's folder holding both `Profiles/` and `Package.swift`
    /// (so a binary under `.build/debug/` finds the package's profiles from any directory).
    package static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = ProfileCatalog.currentExecutablePath()
    ) -> ProfileCatalog {
        if let configured = environment["LAZYSOAK_PROFILES"], !configured.isEmpty {
            // An explicit setting wins even when wrong, so the error names it rather than a fallback.
            let path = absolute(configured, from: currentDirectory)
            return ProfileCatalog(directory: path, searched: ["$LAZYSOAK_PROFILES (\(configured))"],
                currentDirectory: currentDirectory)
        }
        var searched: [String] = []
        let local = absolute("Profiles", from: currentDirectory)
        searched.append(local)
        if isDirectory(local) {
            return ProfileCatalog(directory: local, searched: searched, currentDirectory: currentDirectory)
        }
        if let executablePath {
            var folder = parent(of: absolute(executablePath, from: currentDirectory))
            while true {
                let candidate = folder == "/" ? "/Profiles" : folder + "/Profiles"
                searched.append(candidate)
                let manifest = parent(of: candidate) + "/Package.swift"
                if isDirectory(candidate), FileManager.default.fileExists(atPath: manifest) {
                    return ProfileCatalog(directory: candidate, searched: searched, currentDirectory: currentDirectory)
                }
                if folder == "/" { break }
                folder = parent(of: folder)
            }
        }
        return ProfileCatalog(directory: nil, searched: searched, currentDirectory: currentDirectory)
    }

    /// The running program's path (`/proc/self/exe`), nil when it cannot be read.
    package static func currentExecutablePath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// One shipped profile, for `soak profiles`.
    package struct Entry: Sendable, Equatable {
        /// The name to pass to `soak run`.
        package var name: String
        /// The file, as shown to the user.
        package var path: String
        /// The profile's one-line description, or why it does not load.
        package var description: String
        /// Whether the profile loads; an invalid shipped profile is listed rather than hidden.
        package var isValid: Bool
    }

    /// The shipped profile names, sorted; empty when there is no folder.
    package func names() -> [String] {
        guard let directory,
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { return [] }
        return files.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Every shipped profile with its description, sorted by name.
    package func entries() -> [Entry] {
        names().map { name in
            let path = shippedPath(name)
            let shown = displayPath(path)
            do throws(ProfileError) {
                let profile = try ProfileLoader.load(file: path, displayPath: shown)
                return Entry(name: name, path: shown, description: profile.description, isValid: true)
            } catch {
                let first = error.issues[0]
                return Entry(name: name, path: shown, description: "invalid: \(first.description)", isValid: false)
            }
        }
    }

    /// The file an argument names: a path as given (relative to the current directory), or the
    /// shipped profile of that name. Throws, listing the available names, when there is none.
    package func resolve(_ argument: String) throws(ProfileError) -> String {
        if Self.isPath(argument) {
            let path = Self.absolute(argument, from: currentDirectory)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ProfileError(file: argument, message: "no such file")
            }
            return path
        }
        guard let directory else {
            throw ProfileError(file: argument, message: "no shipped profile folder found (looked in "
                + searched.joined(separator: ", ") + "); set LAZYSOAK_PROFILES or give a path like ./my.json")
        }
        guard Self.isDirectory(directory) else {
            throw ProfileError(file: argument, message: "the profile folder \(directory) does not exist "
                + "(from \(searched.last ?? directory))")
        }
        let path = shippedPath(argument)
        guard FileManager.default.fileExists(atPath: path) else {
            let available = names()
            var message = "no such profile in \(displayPath(directory)); available: "
                + (available.isEmpty ? "none" : available.joined(separator: ", "))
            if let guess = ProfileDecoder.closest(to: argument, among: available) {
                message += " (did you mean \(guess)?)"
            }
            throw ProfileError(file: argument, message: message)
        }
        return path
    }

    /// Resolves and loads an argument (`quick`, `./my.json`).
    package func load(_ argument: String) throws(ProfileError) -> Profile {
        let path = try resolve(argument)
        return try ProfileLoader.load(file: path, displayPath: Self.isPath(argument) ? argument : displayPath(path))
    }

    /// True when the argument is a path rather than a shipped name.
    package static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".json")
    }

    /// `path` relative to the current directory when inside it (`Profiles/quick.json`), else as is.
    package func displayPath(_ path: String) -> String {
        let base = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

    private func shippedPath(_ name: String) -> String {
        (directory ?? ".") + "/" + name + ".json"
    }

    private static func absolute(_ path: String, from directory: String) -> String {
        var absolute = path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
        // Tidy `./` and trailing slashes so displayed paths read cleanly; `..` is kept as written.
        while let range = absolute.firstRange(of: "/./") { absolute.replaceSubrange(range, with: "/") }
        while absolute.count > 1, absolute.hasSuffix("/") { absolute.removeLast() }
        return absolute
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory
    }
}
