import CIOMMUFD

/// The options `IOMMU_OPTION` reads and writes.
public enum IOMMUOption: UInt32, Sendable {
    /// Global: 0 charges pinned pages to the user (RLIMIT_MEMLOCK per user), 1 to the process
    /// (per mm). Setting it needs CAP_SYS_RESOURCE and a context with no objects.
    case rlimitMode = 0
    /// Per IOAS: whether the kernel may use huge pages for its mappings.
    case hugePages = 1
}

public enum IOMMUOptionOp: UInt16, Sendable {
    case set = 0, get = 1
}

/// How pinned memory is charged: per user (`RLIMIT_MEMLOCK` of the user) or per process (mm).
public enum RlimitMode: UInt64, Sendable {
    case perUser = 0
    case perProcess = 1
}

extension IOMMUFD {
    /// Raw `IOMMU_OPTION`; returns `val64` as the kernel left it (the value, for a get).
    @discardableResult
    public func option(_ option: IOMMUOption, _ op: IOMMUOptionOp, objectID: UInt32 = 0,
                       value: UInt64 = 0) throws(IOMMUFDError) -> UInt64 {
        var arg = iommu_option()
        arg.size = UInt32(MemoryLayout<iommu_option>.size)
        arg.option_id = option.rawValue
        arg.op = op.rawValue
        arg.object_id = objectID
        arg.val64 = value
        try ioctl(.IOMMU_OPTION, &arg, context: "option \(option), op \(op), object \(objectID), val64 \(value)")
        return arg.val64
    }

    /// The context's accounting mode for pinned pages.
    public func rlimitMode() throws(IOMMUFDError) -> RlimitMode {
        let raw = try option(.rlimitMode, .get)
        return RlimitMode(rawValue: raw) ?? .perUser
    }

    /// Changes the accounting mode; only a privileged process, before any object exists.
    public func setRlimitMode(_ mode: RlimitMode) throws(IOMMUFDError) {
        try option(.rlimitMode, .set, value: mode.rawValue)
    }

    /// Moves the pinned-page accounting of every MAP_FILE mapping in this context to the calling
    /// process (`IOMMU_IOAS_CHANGE_PROCESS`), for live update. Fails with EINVAL if any mapping
    /// was made from a user address rather than a file.
    public func changeProcess() throws(IOMMUFDError) {
        var arg = iommu_ioas_change_process(size: UInt32(MemoryLayout<iommu_ioas_change_process>.size), __reserved: 0)
        try ioctl(.IOMMU_IOAS_CHANGE_PROCESS, &arg)
    }
}
