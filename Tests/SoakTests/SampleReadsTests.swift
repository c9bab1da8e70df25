import Glibc
import Testing
@testable import SoakProfiles
@testable import SoakRun

@Suite struct SampleReadsTests {
    private func load(_ draft: ProfileDraft) throws -> Profile {
        try ProfileLoader.load(json: draft.json, name: "reads", file: "reads.json")
    }

    @Test func defaultsReadTheExpensiveFileOnTroughsOnly() throws {
        let reads = try load(.serviceGhost).sampling.reads
        #expect(reads.periodic == [.status, .fds])
        #expect(reads.trough == .all)
        #expect(reads.smapsRollupEvery == 32)
        var draft = ProfileDraft.serviceGhost
        draft.set("sampling", json: #"{"troughs": false}"#)
        #expect(try load(draft).sampling.reads.periodic == .all, "without troughs the periodic samples are judged")
    }

    @Test func aProfileChoosesWhatEachKindReads() throws {
        var draft = ProfileDraft.serviceGhost
        draft.set("sampling", json: #"{"reads": {"periodic": ["status"], "trough": ["status", "smaps_rollup"], "smapsRollupEvery": 4}}"#)
        let reads = try load(draft).sampling.reads
        #expect(reads.periodic == [.status])
        #expect(reads.trough == [.status, .smapsRollup])
        #expect(reads.smapsRollupEvery == 4)
        let errors = ProfileTesting.errors(draft, "sampling.reads.trough", json: #"["status", "smaps"]"#)
        #expect(errors.count == 1)
        #expect(errors.first?.contains(#""smaps" is not a file the sampler reads"#) == true, "\(errors)")
        #expect(ProfileTesting.errors(draft, "sampling.reads.smapsRollupEvery", json: "0").count == 1)
    }

    @Test func eachSampleKindReadsItsOwnFiles() {
        let reads = SampleReads(periodic: [.status, .fds], trough: .all, smapsRollupEvery: 2)
        let sampler = TargetSampler(rootPID: getpid(), fetchStats: nil, reads: reads)
        let periodic = sampler.takeSample(kind: .periodic)
        #expect(periodic[.rssBytes] != nil && periodic[.fds] != nil)
        #expect(periodic[.pssBytes] == nil, "smaps_rollup is not read on periodic samples")
        let troughs = (0..<4).map { _ in sampler.takeSample(kind: .trough) }
        #expect(troughs.map { $0[.pssBytes] != nil } == [true, false, true, false], "one trough in two")
        #expect(troughs.allSatisfy { $0[.rssBytes] != nil && $0[.fds] != nil })
    }
}
