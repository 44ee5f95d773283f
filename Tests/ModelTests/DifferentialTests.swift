import Testing
@testable import IOMMUFD

/// The differential runner: generated sequences recorded on one backend and replayed on another.
/// In the VM lane the reference is the kernel; here it is the model, which must agree with itself,
/// and a deliberately different model, which must not.
@Suite struct DifferentialTests {
    @Test func theModelAgreesWithItselfOnTwoHundredSequences() {
        let runner = DifferentialRunner(reference: ModelBackend(profile: .selftest)) { ModelBackend(profile: .selftest) }
        for seed in UInt64(0)..<200 {
            let result = runner.run(seed: seed)
            #expect(result.differences.isEmpty, "seed \(seed): \(result.differences.prefix(3))")
            #expect(result.candidateLeaks == 0, "seed \(seed) left \(result.candidateLeaks) files or contexts in the model")
        }
    }

    @Test func sequencesReachEveryOperationAndBothOutcomes() {
        var drawn = Set<CallSequenceGenerator.Operation>()
        var calls = 0, refused = 0
        var names = Set<String>()
        for seed in UInt64(0)..<100 {
            let model = ModelBackend(profile: .selftest)
            var records: [TraceRecord] = []
            let box = RecordBox()
            let context = try! IOMMUFD(path: "/dev/iommu", backend: TracingBackend(model) { box.append($0) })
            var generator = CallSequenceGenerator(seed: seed)
            drawn.formUnion(generator.run(on: context))
            records = box.records
            calls += records.count
            refused += records.filter { $0.errno != nil }.count
            for r in records where r.errno == nil { names.insert(r.name) }
        }
        #expect(drawn == Set(CallSequenceGenerator.Operation.allCases))
        // Both the success paths and the error paths are exercised, neither dominates.
        #expect(refused > calls / 5 && refused < calls * 4 / 5, "\(refused) of \(calls) refused")
        for name in ["IOMMU_IOAS_ALLOC", "IOMMU_IOAS_MAP", "IOMMU_IOAS_UNMAP", "IOMMU_IOAS_COPY", "IOMMU_TEST_CMD",
                     "IOMMU_HWPT_ALLOC", "IOMMU_DESTROY", "IOMMU_IOAS_IOVA_RANGES", "IOMMU_GET_HW_INFO"] {
            #expect(names.contains(name), "no successful \(name) in 100 sequences")
        }
    }

    @Test func aSeedReproducesItsSequence() {
        let runner = DifferentialRunner(reference: ModelBackend(profile: .selftest)) { ModelBackend(profile: .selftest) }
        let first = runner.run(seed: 42).records
        let second = runner.run(seed: 42).records
        #expect(first.count == second.count)
        #expect(zip(first, second).allSatisfy { $0.name == $1.name && $0.errno == $1.errno && $0.argument.count == $1.argument.count })
        #expect(runner.run(seed: 43).records.map(\.name) != first.map(\.name))
    }

    @Test func aDifferentCandidateIsCaughtAtTheCallThatDiverges() {
        // A kernel without CONFIG_IOMMUFD_TEST answers every IOMMU_TEST_CMD with ENOTTY.
        let runner = DifferentialRunner(reference: ModelBackend(profile: .selftest)) {
            ModelBackend(profile: .selftest, options: ModelOptions(selftestCommands: false))
        }
        var caught = 0
        for seed in UInt64(0)..<20 {
            let result = runner.run(seed: seed)
            guard let first = result.differences.first else { continue }
            caught += 1
            #expect(first.call == "IOMMU_TEST_CMD", "seed \(seed): first divergence \(first)")
            #expect(first.what.contains("ENOTTY"), "\(first)")
        }
        #expect(caught >= 10)
    }
}

final class RecordBox: @unchecked Sendable {
    var records: [TraceRecord] = []
    func append(_ r: TraceRecord) { records.append(r) }
}
