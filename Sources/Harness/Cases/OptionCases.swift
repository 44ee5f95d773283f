import CIOMMUFD
import IOMMUFD

/// `IOMMU_OPTION`: the global rlimit mode and the per-IOAS huge-page option.
let optionCases: [TestCase] = [
    TestCase("options.rlimit_mode", .options, "RLIMIT_MODE reads 0 or 1, rejects an object id, and refuses value 2") { t in
        let mode = try t.ok("OPTION RLIMIT_MODE GET") { try t.ctx.option(.rlimitMode, .get) }
        try t.check(mode <= 1, "mode is 0 or 1 (\(mode))")
        try t.fails(.EOPNOTSUPP, "RLIMIT_MODE with object_id 1") { try t.ctx.option(.rlimitMode, .get, objectID: 1) }
        try t.fails(.EOPNOTSUPP, "RLIMIT_MODE with op 2") { var a = optionArg(0, op: 2); try t.ctx.ioctl(.IOMMU_OPTION, &a) }
        if geteuidIsRoot() {
            try t.fails(.EINVAL, "RLIMIT_MODE SET 2") { try t.ctx.option(.rlimitMode, .set, value: 2) }
            try t.ok("RLIMIT_MODE SET 1 on an empty context") { try t.ctx.setRlimitMode(.perProcess) }
            try t.equal(try t.ctx.rlimitMode(), .perProcess, "mode after SET 1")
            let ioas = try t.ctx.allocIOAS()
            try t.fails(.EBUSY, "RLIMIT_MODE SET with an object alive") { try t.ctx.setRlimitMode(.perUser) }
            _ = ioas
        }
    },
    TestCase("options.unknown_option", .options, "an unknown option id or a reserved field gives EOPNOTSUPP") { t in
        try t.fails(.EOPNOTSUPP, "OPTION id 7") { var a = optionArg(7, op: 1); try t.ctx.ioctl(.IOMMU_OPTION, &a) }
        try t.fails(.EOPNOTSUPP, "OPTION with __reserved 1") {
            var a = optionArg(0, op: 1)
            a.__reserved = 1
            try t.ctx.ioctl(.IOMMU_OPTION, &a)
        }
    },
    TestCase("options.huge_pages", .options, "HUGE_PAGES is per IOAS: object 0 gives ENOENT, values 0/1 only") { t in
        try t.fails(.ENOENT, "HUGE_PAGES GET on object 0") { try t.ctx.option(.hugePages, .get, objectID: 0) }
        let ioas = try t.ctx.allocIOAS()
        try t.equal(try ioas.hugePages(), true, "huge pages default")
        try t.ok("HUGE_PAGES SET 0") { try ioas.setHugePages(false) }
        try t.equal(try ioas.hugePages(), false, "huge pages after SET 0")
        try t.fails(.EINVAL, "HUGE_PAGES SET 2") { try t.ctx.option(.hugePages, .set, objectID: ioas.id, value: 2) }
    },
]

func optionArg(_ id: UInt32, op: UInt16) -> iommu_option {
    var a = iommu_option()
    a.size = UInt32(MemoryLayout<iommu_option>.size)
    a.option_id = id
    a.op = op
    return a
}

func geteuidIsRoot() -> Bool { geteuidValue() == 0 }
