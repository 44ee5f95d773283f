import CIOMMUFD
import IOMMUFD

/// main.c's dispatch: exact `_IO` numbers, the `size` rules of extensible structs, and ids.
let dispatchCases: [TestCase] = [
    TestCase("dispatch.destroy_id_0", .dispatch, "object id 0 is never valid: IOMMU_DESTROY(0) gives ENOENT") { t in
        try t.fails(.ENOENT, "IOMMU_DESTROY id 0") { try t.ctx.destroy(id: 0) }
    },
    TestCase("dispatch.unknown_nr", .dispatch, "an nr outside the table gives ENOTTY") { t in
        var bytes = [UInt8](repeating: 0, count: 64)
        store32(&bytes, at: 0, 64)
        try t.fails(.ENOTTY, "ioctl nr 0x7f") { try t.ctx.ioctl(IoctlRequest(0x3b7f, "nr 0x7f"), bytes: &bytes) }
        try t.fails(.ENOTTY, "ioctl nr 0x9f") { try t.ctx.ioctl(IoctlRequest(0x3b9f, "nr 0x9f"), bytes: &bytes) }
    },
    TestCase("dispatch.iowr_encoding", .dispatch, "every command is _IO(): an _IOWR encoding of a valid nr gives ENOTTY") { t in
        var arg = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
        let iowr: UInt = (3 << 30) | (12 << 16) | 0x3b81
        try t.fails(.ENOTTY, "IOMMU_IOAS_ALLOC encoded as _IOWR") { try t.ctx.ioctl(IoctlRequest(iowr, "IOMMU_IOAS_ALLOC(_IOWR)"), &arg) }
    },
    TestCase("dispatch.size_below_minimum", .dispatch, "size below a command's minimum gives EINVAL, for all 21 commands") { t in
        for command in commandSizes {
            var bytes = [UInt8](repeating: 0, count: command.size)
            store32(&bytes, at: 0, UInt32(command.minSize - 1))
            try t.fails(.EINVAL, "\(command.request) with size \(command.minSize - 1)") { try t.ctx.ioctl(command.request, bytes: &bytes) }
        }
    },
    TestCase("dispatch.trailing_nonzero", .dispatch, "bytes past the kernel's struct must be zero, else E2BIG, for all 21 commands") { t in
        for command in commandSizes {
            var bytes = [UInt8](repeating: 0, count: command.size + 8)
            store32(&bytes, at: 0, UInt32(command.size + 8))
            bytes[command.size + 3] = 1
            try t.fails(.E2BIG, "\(command.request) with size \(command.size + 8) and a non-zero tail") { try t.ctx.ioctl(command.request, bytes: &bytes) }
        }
    },
    TestCase("dispatch.trailing_zero", .dispatch, "a longer struct with a zero tail is accepted like the kernel's own size") { t in
        var bytes = [UInt8](repeating: 0, count: 12 + 8)
        store32(&bytes, at: 0, 20)
        try t.ok("IOMMU_IOAS_ALLOC with size 20, tail zero") { try t.ctx.ioctl(.IOMMU_IOAS_ALLOC, bytes: &bytes) }
        let id = load32(bytes, at: 8)
        try t.check(id != 0, "out_ioas_id is a valid id (\(id))")
        try t.ok("IOMMU_DESTROY of it") { try t.ctx.destroy(id: id) }
        try t.fails(.ENOENT, "IOMMU_DESTROY again") { try t.ctx.destroy(id: id) }
    },
    TestCase("dispatch.ids_reused", .dispatch, "ids start at 1 and the lowest free id is reused after destroy") { t in
        let a = try t.ok("IOMMU_IOAS_ALLOC a") { try t.ctx.allocIOAS() }
        let b = try t.ok("IOMMU_IOAS_ALLOC b") { try t.ctx.allocIOAS() }
        try t.check(a.id >= 1 && b.id > a.id, "ids increase from 1 (\(a.id), \(b.id))")
        let first = a.id
        try t.ok("destroy a") { try a.destroy() }
        let c = try t.ok("IOMMU_IOAS_ALLOC c") { try t.ctx.allocIOAS() }
        try t.equal(c.id, first, "c reuses a's id")
        _ = b
    },
]
