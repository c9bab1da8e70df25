import Foundation
import Testing
@testable import SoakAnalysis
@testable import SoakBench
@testable import SoakCLI
@testable import SoakProfiles
@testable import SoakReports
@testable import SoakRun
@testable import SoakUnits

@Suite struct ProfileCatalogTests {
    static let shippedNames = [
        "fleet-scaling", "fleet-tenants", "many-tenants", "py-orders", "py-orders-under-load", "quick",
        "service-lazy-loading", "tenant-lazy-loading",
    ]

    @Test func everyShippedProfileLoadsWithADescription() throws {
        let catalog = ProfileCatalog(directory: ProfileTesting.shippedDirectory)
        #expect(Set(Self.shippedNames).isSubset(of: Set(catalog.names())))
        for entry in catalog.entries() {
            #expect(entry.isValid, "\(entry.name): \(entry.description)")
            #expect(!entry.description.isEmpty && !entry.description.contains("\n"))
        }
    }

    @Test func shippedProfilesKeepTheSeedsNumbers() throws {
        let catalog = ProfileCatalog(directory: ProfileTesting.shippedDirectory)
        let service = try catalog.load("service-lazy-loading")
        #expect(service.scenario.kind == .serviceGhost)
        #expect(service.scenario.interval == .seconds(180) && service.scenario.duration == .seconds(8 * 86_400))
        #expect(service.accelerate == 7200 && service.sampling.every == .seconds(60))
        guard case .tenantd(let serviceTarget) = service.target else { throw CatalogTestFailure() }
        #expect(serviceTarget.artifactIdle == .seconds(60) && serviceTarget.sweepEvery == .seconds(10))
        #expect(serviceTarget.tenantIdle > service.scenario.duration, "only the artifact cycles")

        let tenant = try catalog.load("tenant-lazy-loading")
        #expect(tenant.scenario.kind == .tenantUnload)
        #expect(tenant.scenario.interval == .seconds(180) && tenant.scenario.duration == .seconds(5 * 86_400))
        guard case .tenantd(let tenantTarget) = tenant.target else { throw CatalogTestFailure() }
        #expect(tenantTarget.tenantIdle == .seconds(60) && tenant.accelerate == 7200)

        let quick = try catalog.load("quick")
        #expect(quick.clock == .stepped, "the pull-request check skips waiting, not work")
        let wallSeconds = Double(quick.scenario.duration / .seconds(1)) / quick.accelerate
        #expect(wallSeconds < 60, "on the scaled clock (--accelerate), it stays under a minute of wall time too")

        let many = try catalog.load("many-tenants")
        #expect(many.scenario.kind == .manyTenants)
        #expect(many.scenario.churn?.tenants == 300 && many.scenario.churn?.artifactsPerTenant == 5)
        #expect(many.scenario.churn?.activeTenants == 20 && many.scenario.churn?.changeEvery == .seconds(3600))
    }

    @Test func resolvesShippedNamesAndPaths() throws {
        let directory = try ProfileTesting.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/Profiles", withIntermediateDirectories: true)
        try ProfileTesting.write(ProfileDraft.serviceGhost.json, to: directory + "/Profiles/alpha.json")
        try ProfileTesting.write(ProfileDraft.manyTenants.json, to: directory + "/Profiles/beta.json")
        try ProfileTesting.write(ProfileDraft.serviceGhost.json, to: directory + "/mine.json")
        try ProfileTesting.write("{}", to: directory + "/Profiles/broken.json")
        try ProfileTesting.write("not a profile", to: directory + "/Profiles/notes.txt")

        let catalog = ProfileCatalog(directory: directory + "/Profiles", currentDirectory: directory)
        #expect(catalog.names() == ["alpha", "beta", "broken"])
        #expect(try catalog.resolve("alpha") == directory + "/Profiles/alpha.json")
        #expect(try catalog.resolve("./mine.json") == directory + "/mine.json")
        #expect(try catalog.resolve("mine.json") == directory + "/mine.json", "ending in .json makes it a path")
        #expect(try catalog.resolve(directory + "/Profiles/beta.json") == directory + "/Profiles/beta.json")
        #expect(try catalog.load("alpha").name == "alpha")
        #expect(try catalog.load("./mine.json").name == "mine")

        let entries = catalog.entries()
        #expect(entries.map(\.name) == ["alpha", "beta", "broken"])
        #expect(entries[0].description == "test profile" && entries[0].path == "Profiles/alpha.json")
        #expect(entries[2].isValid == false)
        #expect(entries[2].description.hasPrefix("invalid: Profiles/broken.json: description: missing"))

        // A broken shipped profile names its file relative to where the user stands.
        #expect(throws: ProfileError.self) { try catalog.load("broken") }
        do {
            _ = try catalog.load("broken")
        } catch {
            #expect(error.issues.allSatisfy { $0.file == "Profiles/broken.json" })
        }
    }

    @Test func aMissingProfileListsTheAvailableNames() throws {
        let catalog = ProfileCatalog(directory: ProfileTesting.shippedDirectory, currentDirectory: "/")
        do {
            _ = try catalog.resolve("quik")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("quik: no such profile in "))
            #expect(error.description.contains("available: " + Self.shippedNames.joined(separator: ", ")))
            #expect(error.description.hasSuffix("(did you mean quick?)"))
        }
        #expect(throws: ProfileError(file: "./absent.json", message: "no such file")) {
            try catalog.resolve("./absent.json")
        }
        let nowhere = ProfileCatalog(directory: nil, searched: ["/x/Profiles"], currentDirectory: "/")
        #expect(throws: ProfileError(file: "quick", message: "no shipped profile folder found (looked in "
            + "/x/Profiles); set LAZYSOAK_PROFILES or give a path like ./my.json")) {
            try nowhere.resolve("quick")
        }
    }

    @Test func locatesTheFolderFromTheEnvironmentTheCurrentDirectoryOrTheExecutable() throws {
        let root = try ProfileTesting.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let package = root + "/pkg"
        try FileManager.default.createDirectory(atPath: package + "/Profiles", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: package + "/.build/debug", withIntermediateDirectories: true)
        try ProfileTesting.write("// swift-tools-version: 6.0", to: package + "/Package.swift")
        try FileManager.default.createDirectory(atPath: root + "/elsewhere/Profiles", withIntermediateDirectories: true)
        // A Profiles folder without a Package.swift beside it is not the package's.
        try FileManager.default.createDirectory(atPath: package + "/.build/Profiles", withIntermediateDirectories: true)

        let fromEnvironment = ProfileCatalog.locate(
            environment: ["LAZYSOAK_PROFILES": "custom"], currentDirectory: root, executablePath: nil)
        #expect(fromEnvironment.directory == root + "/custom")

        let fromCurrent = ProfileCatalog.locate(
            environment: [:], currentDirectory: root + "/elsewhere", executablePath: package + "/.build/debug/soak")
        #expect(fromCurrent.directory == root + "/elsewhere/Profiles")

        let fromExecutable = ProfileCatalog.locate(
            environment: [:], currentDirectory: root, executablePath: package + "/.build/debug/soak")
        #expect(fromExecutable.directory == package + "/Profiles")

        let none = ProfileCatalog.locate(environment: [:], currentDirectory: root, executablePath: root + "/bin/soak")
        #expect(none.directory == nil)
        #expect(none.searched.first == root + "/Profiles" && none.searched.contains(root + "/bin/Profiles"))
    }
}

private struct CatalogTestFailure: Error {}
