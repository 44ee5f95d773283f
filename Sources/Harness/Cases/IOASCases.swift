import CIOMMUFD
import IOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// IOAS and io_pagetable rules (ioas.c, io_pagetable.c) that need no device.
let ioasCases: [TestCase] = [
    TestCase("ioas.alloc_destroy", .ioas, "an IOAS is created, destroyed once, then unknown") { t in
        let ioas = try t.ok("IOMMU_IOAS_ALLOC") { try t.ctx.allocIOAS() }
        let id = ioas.id
        try t.ok("IOMMU_DESTROY") { try ioas.destroy() }
        try t.fails(.ENOENT, "IOMMU_DESTROY again") { try t.ctx.destroy(id: id) }
        var arg = iommu_ioas_alloc(size: 12, flags: 1, out_ioas_id: 0)
        try t.fails(.EOPNOTSUPP, "IOMMU_IOAS_ALLOC with flags 1") { try t.ctx.ioctl(.IOMMU_IOAS_ALLOC, &arg) }
    },
    TestCase("ioas.map_unmap_fixed", .ioas, "a fixed map is placed exactly and unmap reports the bytes removed") { t in
        let ioas = try t.ctx.allocIOAS()
        let buffer = t.buffer(0x4000)
        let iova = try t.ok("MAP 16 KiB at 0x100000") { try ioas.map(buffer, iova: 0x100000) }
        try t.equal(iova, 0x100000, "iova")
        let removed = try t.ok("UNMAP [0x100000, +16 KiB)") { try ioas.unmap(iova: 0x100000, length: 0x4000) }
        try t.equal(removed, 0x4000, "unmapped length")
    },
    TestCase("ioas.map_overlap", .ioas, "a fixed map over an existing area gives EEXIST") { t in
        let ioas = try t.ctx.allocIOAS()
        let buffer = t.buffer(0x4000)
        try t.ok("MAP at 0x100000") { try ioas.map(buffer, iova: 0x100000) }
        try t.fails(.EEXIST, "MAP again at 0x102000") { try ioas.map(buffer, iova: 0x102000) }
        try t.fails(.EEXIST, "MAP again at 0xff000 (overlapping the start)") { try ioas.map(buffer, iova: 0xff000) }
    },
    TestCase("ioas.unmap_never_splits", .ioas, "unmapping part of an area gives ENOENT; unmapping nothing gives ENOENT") { t in
        let ioas = try t.ctx.allocIOAS()
        let buffer = t.buffer(0x4000)
        try t.ok("MAP 16 KiB at 0x100000") { try ioas.map(buffer, iova: 0x100000) }
        try t.fails(.ENOENT, "UNMAP the first 8 KiB") { try ioas.unmap(iova: 0x100000, length: 0x2000) }
        try t.fails(.ENOENT, "UNMAP the last 8 KiB") { try ioas.unmap(iova: 0x102000, length: 0x2000) }
        try t.fails(.ENOENT, "UNMAP an empty range") { try ioas.unmap(iova: 0x200000, length: 0x1000) }
        try t.equal(try ioas.unmap(iova: 0x0, length: 0x200000), 0x4000, "UNMAP of a range containing the area")
    },
    TestCase("ioas.unmap_all", .ioas, "iova 0 with length U64_MAX unmaps everything, also on an empty IOAS") { t in
        let ioas = try t.ctx.allocIOAS()
        try t.equal(try ioas.unmapAll(), 0, "UNMAP all of an empty IOAS")
        let buffer = t.buffer(0x2000)
        try t.ok("MAP two areas") {
            try ioas.map(buffer, iova: 0x100000)
            try ioas.map(buffer, iova: 0x300000)
        }
        try t.equal(try ioas.unmapAll(), 0x4000, "UNMAP all")
    },
    TestCase("ioas.map_argument_checks", .ioas, "length 0, no permission, unknown flags, reserved field and overflow") { t in
        let ioas = try t.ctx.allocIOAS()
        let buffer = t.buffer(0x2000)
        func arg(_ change: (inout iommu_ioas_map) -> Void) -> iommu_ioas_map {
            var a = iommu_ioas_map()
            a.size = 40
            a.flags = IOMMU_IOAS_MAP_FIXED_IOVA.rawValue | IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue
            a.ioas_id = ioas.id
            a.user_va = UInt64(UInt(bitPattern: buffer.baseAddress))
            a.length = 0x2000
            a.iova = 0x100000
            change(&a)
            return a
        }
        func userMemory(_ a: iommu_ioas_map) -> IoctlBuffer {
            IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_map>.offset(of: \.user_va)!,
                        pointer: UnsafeMutableRawPointer(bitPattern: UInt(a.user_va)), length: Int(clamping: a.length), direction: .userMemory)
        }
        try t.fails(.EINVAL, "MAP length 0") { var a = arg { $0.length = 0 }; try t.ctx.ioctl(.IOMMU_IOAS_MAP, &a, buffers: [userMemory(a)]) }
        try t.fails(.EINVAL, "MAP without READ or WRITE") { var a = arg { $0.flags = IOMMU_IOAS_MAP_FIXED_IOVA.rawValue }; try t.ctx.ioctl(.IOMMU_IOAS_MAP, &a, buffers: [userMemory(a)]) }
        try t.fails(.EOPNOTSUPP, "MAP with flag 1<<3") { var a = arg { $0.flags |= 1 << 3 }; try t.ctx.ioctl(.IOMMU_IOAS_MAP, &a, buffers: [userMemory(a)]) }
        try t.fails(.EOPNOTSUPP, "MAP with __reserved 1") { var a = arg { $0.__reserved = 1 }; try t.ctx.ioctl(.IOMMU_IOAS_MAP, &a, buffers: [userMemory(a)]) }
        try t.fails(.ENOENT, "MAP into ioas id 0") { var a = arg { $0.ioas_id = 0 }; try t.ctx.ioctl(.IOMMU_IOAS_MAP, &a, buffers: [userMemory(a)]) }
        try t.fails(.EOVERFLOW, "MAP with iova + length past 2^64") { var a = arg { $0.iova = UInt64.max - 0xfff }; try t.ctx.ioctl(.IOMMU_IOAS_MAP, &a, buffers: [userMemory(a)]) }
    },
    TestCase("ioas.auto_iova", .ioas, "an automatic IOVA is never 0 and is aligned to the mapping's size") { t in
        let ioas = try t.ctx.allocIOAS()
        for shift in [12, 13, 16, 20] {
            let length = 1 << shift
            let buffer = t.buffer(length)
            let iova = try t.ok("MAP \(length) bytes at an automatic IOVA") { try ioas.map(buffer) }
            try t.check(iova != 0, "iova \(hex(iova)) is not 0")
            try t.check(iova % UInt64(min(length, 4096)) == 0, "iova \(hex(iova)) aligned")
        }
    },
    TestCase("ioas.auto_iova_enospc", .ioas, "with allowed ranges, automatic IOVAs come from them, and ENOSPC when full") { t in
        let ioas = try t.ctx.allocIOAS()
        try t.ok("ALLOW_IOVAS [0x10000, 0x1ffff]") { try ioas.allowIOVAs([IOVARange(start: 0x10000, last: 0x1ffff)]) }
        let buffer = t.buffer(0x10000)
        let iova = try t.ok("MAP 64 KiB automatically") { try ioas.map(buffer) }
        try t.equal(iova, 0x10000, "the only place it fits")
        try t.fails(.ENOSPC, "MAP 4 KiB more") { try ioas.map(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<0x1000])) }
    },
    TestCase("ioas.allow_iovas_checks", .ioas, "ALLOW_IOVAS refuses start > last and overlapping ranges with EINVAL") { t in
        let ioas = try t.ctx.allocIOAS()
        try t.fails(.EINVAL, "ALLOW_IOVAS [0x2000, 0x1000]") { try ioas.allowIOVAs([IOVARange(start: 0x2000, last: 0x1000)]) }
        try t.fails(.EINVAL, "ALLOW_IOVAS with two overlapping ranges") {
            try ioas.allowIOVAs([IOVARange(start: 0x1000, last: 0x5fff), IOVARange(start: 0x5000, last: 0x8fff)])
        }
        try t.ok("ALLOW_IOVAS with an empty list") { try ioas.allowIOVAs([]) }
    },
    TestCase("ioas.iova_ranges", .ioas, "a fresh IOAS reports one range over the whole space, alignment 1; EMSGSIZE sets num_iovas") { t in
        let ioas = try t.ctx.allocIOAS()
        let (ranges, alignment) = try t.ok("IOVA_RANGES") { try ioas.iovaRanges() }
        try t.equal(ranges, [IOVARange(start: 0, last: UInt64(UInt.max))], "ranges")
        try t.equal(alignment, 1, "out_iova_alignment")
        var arg = iommu_ioas_iova_ranges()
        arg.size = 32
        arg.ioas_id = ioas.id
        arg.num_iovas = 0
        try t.fails(.EMSGSIZE, "IOVA_RANGES with room for 0 ranges") { try t.ctx.ioctl(.IOMMU_IOAS_IOVA_RANGES, &arg) }
        try t.equal(arg.num_iovas, 1, "num_iovas written back")
    },
    TestCase("ioas.copy", .ioas, "COPY maps the same pages into another IOAS; a hole in the source gives ENOENT") { t in
        let source = try t.ctx.allocIOAS()
        let destination = try t.ctx.allocIOAS()
        let buffer = t.buffer(0x4000)
        try t.ok("MAP 16 KiB at 0x100000 in the source") { try source.map(buffer, iova: 0x100000) }
        let iova = try t.ok("COPY 8 KiB from inside the area to 0x500000") {
            try destination.copy(from: source, sourceIOVA: 0x101000, length: 0x2000, iova: 0x500000)
        }
        try t.equal(iova, 0x500000, "destination iova")
        try t.fails(.ENOENT, "COPY a range running past the area") {
            try destination.copy(from: source, sourceIOVA: 0x103000, length: 0x2000, iova: 0x600000)
        }
        try t.fails(.EINVAL, "COPY length 0") { try destination.copy(from: source, sourceIOVA: 0x100000, length: 0, iova: 0x700000) }
        try t.equal(try destination.unmapAll(), 0x2000, "the copy is its own area")
    },
    TestCase("ioas.map_file", .ioas, "MAP_FILE maps a memfd; a bad fd gives EBADF; CHANGE_PROCESS needs file-only maps") { t in
        if t.target.agent != nil {
            // MAP_FILE's fd must be a file of the process that makes the call: a memfd made here
            // means nothing to the agent, and the agent protocol has no memfd_create/ftruncate.
            try t.skip("MAP_FILE needs a memfd in the agent's process; agent/PROTOCOL.md has no memfd_create or ftruncate")
        }
        let ioas = try t.ctx.allocIOAS()
        let fd = ciommufd_memfd_create("iommufd-harness", 0)
        guard fd >= 0 else { try t.skip("memfd_create failed (errno \(-fd))") }
        defer { close(fd) }
        try t.check(ftruncate(fd, 0x4000) == 0, "memfd sized to 16 KiB")
        let iova = try t.ok("MAP_FILE 16 KiB of the memfd at 0x100000") { try ioas.mapFile(fd: fd, offset: 0, length: 0x4000, iova: 0x100000) }
        try t.equal(iova, 0x100000, "iova")
        try t.ok("CHANGE_PROCESS with only file mappings") { try t.ctx.changeProcess() }
        let buffer = t.buffer(0x1000)
        try t.ok("MAP anonymous memory at 0x200000") { try ioas.map(buffer, iova: 0x200000) }
        try t.fails(.EINVAL, "CHANGE_PROCESS with a user-VA mapping") { try t.ctx.changeProcess() }
        try t.fails(.EBADF, "MAP_FILE of fd -1") { try ioas.mapFile(fd: -1, offset: 0, length: 0x1000, iova: 0x300000) }
    },
]
