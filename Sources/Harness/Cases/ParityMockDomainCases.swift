import CIOMMUFD
import IOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// Behaviours of the selftest's `iommufd_mock_domain` fixture: maps reach every mock domain.
let parityMockDomainCases: [TestCase] = [
    TestCase("parity.mock_basic", .device, "a page maps into the domain; memory unmapped half way or at the start gives EFAULT; MAP_FILE past the file EINVAL", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let page = t.patterned(Int(hostPage))
        let iova = try t.ok("MAP one page automatically") { try ioas.map(page) }
        try t.ok("MD_CHECK_MAP") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: iova, length: hostPage, userAddress: page.baseAddress!) }
        let size = Int(8 * hostPage)
        let region = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
        try t.check(region != MAP_FAILED, "mmap of 8 pages")
        munmap(region + size / 2, size / 2)
        try t.fails(.EFAULT, "MAP 8 pages whose second half is unmapped") { try ioas.map(userAddress: region, length: UInt64(size)) }
        munmap(region, size / 2)
        try t.fails(.EFAULT, "MAP 8 pages that are all unmapped") { try ioas.map(userAddress: region, length: UInt64(size)) }

        // A memfd made here means nothing to an agent's kernel (agent/PROTOCOL.md has no memfd_create).
        guard t.target.agent == nil else { return }
        let memfd = ciommufd_memfd_create("iommufd-parity", 0)
        guard memfd >= 0 else { try t.skip("memfd_create failed") }
        defer { close(memfd) }
        try t.check(ftruncate(memfd, off_t(size)) == 0, "memfd sized to 8 pages")
        let fileIOVA = try t.ok("MAP_FILE one page") { try ioas.mapFile(fd: memfd, offset: 0, length: hostPage) }
        let view = mmap(nil, Int(hostPage), PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0)!
        defer { munmap(view, Int(hostPage)) }
        try t.ok("MD_CHECK_MAP of the file page") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: fileIOVA, length: hostPage, userAddress: view) }
        try t.fails(.EINVAL, "MAP_FILE one byte past the end of the file") { try ioas.mapFile(fd: memfd, offset: 0, length: UInt64(size) + 1) }
        try t.check(ftruncate(memfd, 0) == 0, "memfd truncated to 0")
        try t.fails(.EINVAL, "MAP_FILE of the truncated file") { try ioas.mapFile(fd: memfd, offset: 0, length: UInt64(size)) }
    },
    TestCase("parity.mock_ro_unshare", .device, "a read-only map of a private file page keeps its page when the process later writes it", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let fd = open("/proc/self/exe", O_RDONLY)
        guard fd >= 0 else { try t.skip("cannot open /proc/self/exe") }
        let page = mmap(nil, Int(hostPage), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)!
        close(fd)
        try t.check(page != MAP_FAILED, "private mapping of the executable")
        defer { munmap(page, Int(hostPage)) }
        let iova = try t.ok("MAP the page READABLE only") { try ioas.map(userAddress: page, length: hostPage, permissions: .read) }
        try t.ok("MD_CHECK_MAP") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: iova, length: hostPage, userAddress: page) }
        memset(page, 1, Int(hostPage))
        try t.ok("MD_CHECK_MAP after writing the page") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: iova, length: hostPage, userAddress: page) }
    },
    TestCase("parity.mock_all_aligns", .device, "every 2048-aligned start and length in 8 pages maps into one and two domains with one pin per page, anonymous and memfd", needs: [.selftest]) { t in
        let size = Int(8 * hostPage)
        // A memfd made here means nothing to an agent's kernel (agent/PROTOCOL.md has no memfd_create).
        for file in t.target.agent == nil ? [false, true] : [false] {
            let name = file ? "memfd" : "anonymous"
            let ioas = try t.ctx.allocIOAS()
            let devices = try t.ok("\(name): two mock domains") { [try t.ctx.addMockDevice(attachedTo: ioas), try t.ctx.addMockDevice(attachedTo: ioas)] }
            var memfd: Int32 = -1
            let buffer: UnsafeMutableRawPointer
            if file {
                let shared = try t.sharedMemfd(size)
                (memfd, buffer) = (shared.fd, shared.buffer.baseAddress!)
            } else {
                buffer = t.buffer(size).baseAddress!
            }
            defer { if file { munmap(buffer, size); close(memfd) } }
            try t.ok("\(name): no page pinned before") { try t.ctx.testCheckRefs(userAddress: buffer, length: UInt64(size), refs: 0) }
            let step = Int(MockIOMMU.pageSize)
            try t.ok("\(name): MAP, check both domains and the pins, UNMAP, for every start/end pair; then again with a domain added and removed") {
                for withExtra in [false, true] {
                    for start in stride(from: 0, to: size, by: step) {
                        for end in stride(from: start + step, to: size, by: step) {
                            let length = UInt64(end - start)
                            let iova = file ? try ioas.mapFile(fd: memfd, offset: UInt64(start), length: length)
                                : try ioas.map(userAddress: buffer + start, length: length)
                            let extra = withExtra ? try t.ctx.addMockDevice(attachedTo: ioas) : nil
                            for device in devices + (extra.map { [$0] } ?? []) {
                                try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: iova, length: length, userAddress: buffer + start)
                            }
                            let first = start / Int(hostPage) * Int(hostPage), last = end / Int(hostPage) * Int(hostPage)
                            try t.ctx.testCheckRefs(userAddress: buffer + first, length: UInt64(last - first), refs: 1)
                            try extra?.destroy()
                            try ioas.unmap(iova: iova, length: length)
                        }
                    }
                }
            }
            try t.ok("\(name): no page pinned after") { try t.ctx.testCheckRefs(userAddress: buffer, length: UInt64(size), refs: 0) }
            for device in devices { try device.destroy() }
        }
    },
    TestCase("parity.mock_replace", .device, "replacing a device's automatic domain frees it (ENOENT after); replaces between two domains' HWPTs", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let auto = device.attachedHWPTID
        let other = try t.ctx.allocIOAS()
        try t.ok("REPLACE onto a new IOAS") { try device.replace(with: other) }
        try t.fails(.ENOENT, "REPLACE onto the old automatic HWPT id") {
            try t.ctx.testCommand(.mockDomainReplace, id: device.id) { $0.mock_domain_replace.pt_id = auto }
        }
        try t.ok("REPLACE onto the new IOAS again") { try device.replace(with: other) }
        try t.ok("REPLACE back to the first IOAS") { try device.replace(with: ioas) }
        let second = try t.ctx.addMockDevice(attachedTo: ioas)
        let hwpt0 = device.attachedHWPTID, hwpt1 = second.attachedHWPTID
        func replace(_ id: UInt32) throws { try t.ctx.testCommand(.mockDomainReplace, id: device.id) { $0.mock_domain_replace.pt_id = id } }
        try t.ok("two domains: REPLACE onto the other device's HWPT, twice, then back") {
            try replace(hwpt1)
            try replace(hwpt1)
            try replace(hwpt0)
        }
        try t.ok("REPLACE onto the IOAS") { try device.replace(with: ioas) }
        try t.ok("DESTROY the spare IOAS") { try other.destroy() }
    },
    TestCase("parity.mock_alloc_hwpt", .hwpt, "HWPT_ALLOC with every flag but NEST_PARENT EOPNOTSUPP; a HWPT rotation; attached HWPTs are busy; a device created on a HWPT", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        var bad = iommu_hwpt_alloc()
        bad.size = 48
        bad.flags = ~IOMMU_HWPT_ALLOC_NEST_PARENT.rawValue
        bad.dev_id = device.boundID
        bad.pt_id = ioas.id
        try t.fails(.EOPNOTSUPP, "HWPT_ALLOC flags ~NEST_PARENT") { try t.ctx.ioctl(.IOMMU_HWPT_ALLOC, &bad) }
        let plain = try t.ok("HWPT_ALLOC flags 0") { try t.ctx.allocHWPT(device: device, ioas: ioas) }
        let parent = try t.ok("HWPT_ALLOC NEST_PARENT") { try t.ctx.allocHWPT(device: device, ioas: ioas, flags: .nestParent) }
        try t.ok("REPLACE onto the plain HWPT") { try device.replace(with: plain) }
        try t.fails(.EBUSY, "DESTROY it while attached") { try t.ctx.destroy(id: plain.id) }
        try t.ok("REPLACE onto the nest parent") { try device.replace(with: parent) }
        try t.fails(.EBUSY, "DESTROY it while attached") { try t.ctx.destroy(id: parent.id) }
        try t.ok("REPLACE onto the IOAS") { try device.replace(with: ioas) }
        try t.ok("DESTROY the nest parent") { try parent.destroy() }
        let onHWPT = try t.ok("MOCK_DOMAIN directly on the plain HWPT") { try t.ctx.addMockDevice(attachedTo: plain) }
        try t.ok("DESTROY that device, then the HWPT") {
            try onHWPT.destroy()
            try plain.destroy()
        }
    },
]
