import Foundation
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

/// Profile JSON for tests: a valid base document edited by dotted paths, and helpers that load
/// JSON and return the error lines.
struct ProfileDraft {
    var root: [String: Any]

    /// The `quick` shape: tenantd, service-ghost, 3m for 2d.
    static var serviceGhost: ProfileDraft {
        ProfileDraft(root: [
            "description": "test profile",
            "accelerate": 7200,
            "target": ["tenantd": [
                "tenants": 1, "artifactsPerTenant": 1, "kind": "service", "payloadKB": 64,
                "tenantIdle": "30d", "artifactIdle": "1m", "sweepEvery": "10s",
            ] as [String: Any]],
            "scenario": [
                "kind": "service-ghost", "requests": ["/t/t1/a1.service"], "interval": "3m", "duration": "2d",
            ] as [String: Any],
            "limits": ["maxAccelerate": 20000],
        ])
    }

    /// A many-tenants run with churn.
    static var manyTenants: ProfileDraft {
        var draft = serviceGhost
        draft.set("target.tenantd.tenants", json: "300")
        draft.set("target.tenantd.artifactsPerTenant", json: "5")
        draft.set("scenario.kind", json: #""many-tenants""#)
        draft.set("scenario.requests", json: #"["/t/{tenant}/{artifact}"]"#)
        draft.set("scenario.churn", json: #"{"tenants": 300, "artifactsPerTenant": 5, "activeTenants": 20, "changeEvery": "1h", "seed": 7}"#)
        return draft
    }

    /// Sets (or with `json: nil` removes) the value at a dotted path, given as JSON text.
    mutating func set(_ path: String, json: String?) {
        let value = json.map { text in
            try! JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        }
        root = Self.setting(root, path.split(separator: ".").map(String.init), to: value)
    }

    private static func setting(_ object: [String: Any], _ keys: [String], to value: Any?) -> [String: Any] {
        var object = object
        guard let first = keys.first else { return object }
        if keys.count == 1 {
            object[first] = value
        } else {
            let child = object[first] as? [String: Any] ?? [:]
            object[first] = setting(child, Array(keys.dropFirst()), to: value)
        }
        return object
    }

    var json: String {
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }
}

enum ProfileTesting {
    static let file = "Profiles/t.json"

    /// The error lines loading `json` produces; empty when it loads.
    static func errors(_ json: String) -> [String] {
        errors(bytes: Array(json.utf8))
    }

    /// Writes the bytes to `t.json` in a fresh temporary folder and loads that file, shown as `file`.
    static func errors(bytes: [UInt8]) -> [String] {
        do throws(ProfileError) {
            let directory = try! temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try! Data(bytes).write(to: URL(fileURLWithPath: directory + "/t.json"))
            let profile = try ProfileLoader.load(file: directory + "/t.json", displayPath: file)
            precondition(profile.name == "t")
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    /// The one error line of `draft` after an edit.
    static func errors(_ draft: ProfileDraft, _ path: String, json: String?) -> [String] {
        var draft = draft
        draft.set(path, json: json)
        return errors(draft.json)
    }

    /// The package's shipped `Profiles/` folder, found from this source file.
    static var shippedDirectory: String {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Profiles").path
    }

    /// A fresh empty folder under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("lazysoak-profile-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}
