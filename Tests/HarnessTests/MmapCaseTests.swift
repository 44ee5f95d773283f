import Testing
@testable import Harness
import IOMMUFD

// parity.viommu_mmap on the selftest model, and why `--compare model` leaves such a case out.

@Suite("mmap of the iommufd fd") struct MmapCaseTests {
    @Test func viommuMmapPassesOnTheModel() throws {
        let target = try Target(name: "model", backend: ModelBackend(profile: .selftest), devicePaths: [], modelProfile: .selftest)
        let results = Runner(target: target, cases: parityMmapCases).run { _, _ in }
        #expect(results.count == 1)
        for r in results { #expect(r.outcome == .pass, "\(r.testCase.name): \(r.outcome)") }
    }

    @Test func aTraceThatMapsTheIOMMUFDIsNotReplayed() {
        let open = TraceRecord(sequence: 0, call: .open, fd: -1, name: "/dev/iommu", value: 2, result: 5, errno: nil)
        let mmap = TraceRecord(sequence: 1, call: .mmap, fd: 5, name: "mmap", value: 0x2000, result: 0, errno: nil)
        let close = TraceRecord(sequence: 1, call: .close, fd: 5, name: "close", value: 0, result: 0, errno: nil)
        let device = TraceRecord(sequence: 0, call: .open, fd: -1, name: "/dev/vfio/devices/vfio0", value: 2, result: 5, errno: nil)
        #expect(ModelComparison.unreplayable([open, mmap, close]) != nil)
        #expect(ModelComparison.unreplayable([open, close, device, mmap]) == nil, "a VFIO device region is not the iommufd")
        #expect(ModelComparison.unreplayable([open, close]) == nil)
        let custom = TraceRecord(sequence: 0, call: .open, fd: -1, name: "/tmp/iommu", value: 2, result: 5, errno: nil)
        #expect(ModelComparison.unreplayable([custom, mmap], iommuPath: "/tmp/iommu") != nil)
    }
}
