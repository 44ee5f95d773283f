import Glibc
import IOMMUFD

/// mmap of the iommufd fd: the window a vIOMMU hands out (`iommufd_fops_mmap`).
let parityMmapCases: [TestCase] = [
    TestCase("parity.viommu_mmap", .viommu, "the mock vIOMMU's mmap window: only the exact offset and length map (ENXIO otherwise), the page echoes in_data, DESTROY is EBUSY while mapped", needs: [.selftest]) { t in
        if t.target.agent != nil {
            // The agent protocol maps VFIO regions for MMIO by handle; it has no mmap of an
            // iommufd fd into this process, and the mock's page holds memory, not registers.
            try t.skip("the agent cannot mmap the iommufd fd into this process (agent mmap answers EOPNOTSUPP)")
        }
        let fixture = try t.viommuFixture()
        defer { withExtendedLifetime(fixture) {} }
        let backend = t.ctx.backend, fd = t.ctx.fd
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let viommu = try t.ok("VIOMMU_ALLOC selftest with in_data 0xbeef") {
            try t.ctx.allocVIOMMU(device: fixture.device, parent: fixture.parent, type: MockIOMMU.viommuType,
                                  data: SelftestVIOMMUData(inData: 0xbeef).bytes)
        }
        let data = try t.ok("decode iommu_viommu_selftest") { try SelftestVIOMMUData(bytes: viommu.outputData) }
        try t.equal(data.outData, 0xbeef, "out_data echoes in_data")
        let offset = Int(data.mmapOffset), length = Int(data.mmapLength)
        try t.check(length > 0 && length % page == 0 && offset % page == 0,
                    "the window is page-aligned (offset \(hex(data.mmapOffset)), length \(hex(data.mmapLength)))")

        /// A mapping that must be refused; one that is not refused is unmapped again.
        func mapFails(_ errno: Errno, _ step: String, length: Int, offset: Int) throws {
            try t.fails(errno, step) {
                switch backend.mmap(fd, length: length, offset: offset, writable: true) {
                case .success(let p):
                    _ = backend.munmap(p, length: length)
                case .failure(let e):
                    throw IOMMUFDError(operation: "mmap", errno: e, context: "length \(hex(UInt64(length))), offset \(hex(UInt64(offset)))")
                }
            }
        }
        try mapFails(.ENXIO, "mmap at out_mmap_offset + one page", length: length, offset: offset + page)
        try mapFails(.ENXIO, "mmap at out_mmap_offset + two pages", length: length, offset: offset + 2 * page)
        try mapFails(.ENXIO, "mmap half of out_mmap_length", length: length / 2, offset: offset)
        try mapFails(.ENXIO, "mmap twice out_mmap_length", length: length * 2, offset: offset)

        let mapped = try t.ok("mmap the window (shared, read/write)") { () throws -> UnsafeMutableRawPointer in
            switch backend.mmap(fd, length: length, offset: offset, writable: true) {
            case .success(let p): return p
            case .failure(let e): throw IOMMUFDError(operation: "mmap", errno: e, context: "the vIOMMU window")
            }
        }
        let first = mapped.load(as: UInt32.self)
        var busy: IOMMUFDError?
        do { try viommu.destroy() } catch let error as IOMMUFDError { busy = error } catch {}
        let unmapped = backend.munmap(mapped, length: length)
        try t.equal(first, 0xbeef, "the window's first word holds in_data")
        try t.fails(.EBUSY, "DESTROY the vIOMMU while its window is mapped") { if let busy { throw busy } }
        try t.check(unmapped == nil, "munmap the window (\(unmapped?.name ?? "ok"))")
        try t.ok("DESTROY the vIOMMU after munmap") { try viommu.destroy() }
    },
]
