import CIOMMUFD

/// The kernel's selftest interface (`IOMMU_TEST_CMD`), answered only by a kernel built with
/// `CONFIG_IOMMUFD_TEST` (and by the model's selftest profile). It adds mock devices behind a
/// mock IOMMU (page size 2048, aperture [2^24, 2^31-1]) and checks or triggers what real hardware
/// would, so every iommufd path can be exercised without a device.
extension IOMMUFD {
    /// Issues one `IOMMU_TEST_CMD` op on object `id`; `fill` sets the op's union member.
    /// Returns the command as the kernel left it (outputs filled in).
    @discardableResult
    public func testCommand(_ op: SelftestOp, id: UInt32 = 0, buffers: [IoctlBuffer] = [],
                            context: @autoclosure () -> String = "",
                            _ fill: (inout iommu_test_cmd) -> Void = { _ in }) throws(IOMMUFDError) -> iommu_test_cmd {
        var cmd = iommu_test_cmd()
        cmd.size = UInt32(MemoryLayout<iommu_test_cmd>.size)
        cmd.op = op.rawValue
        cmd.id = id
        fill(&cmd)
        try ioctl(.IOMMU_TEST_CMD, &cmd, buffers: buffers, context: "\(op) id \(id)" + { let c = context(); return c.isEmpty ? "" : ", " + c }())
        return cmd
    }

    /// Whether this context answers `IOMMU_TEST_CMD` (a CONFIG_IOMMUFD_TEST kernel, or the
    /// model's selftest profile): probes with an op on id 0, which such a kernel refuses with
    /// ENOENT while any other kernel answers ENOTTY.
    public var hasSelftest: Bool {
        do {
            try testCommand(.mockDomainReplace, id: 0) { $0.mock_domain_replace.pt_id = 0 }
            return true
        } catch {
            return error.errno != .ENOTTY
        }
    }

    /// Reserves `[start, start + length)` of `ioas` as if a device had a reserved region there
    /// (`IOMMU_TEST_OP_ADD_RESERVED`).
    public func testAddReserved(ioas: IOAS, start: UInt64, length: UInt64) throws(IOMMUFDError) {
        try testCommand(.addReserved, id: ioas.id, context: "start \(hex(start)), length \(hex(length))") {
            $0.add_reserved.start = start
            $0.add_reserved.length = length
        }
    }

    /// Checks that every mock domain under object `id` (an IOAS or HWPT) maps
    /// `[iova, iova + length)` to the memory at `userAddress` (`IOMMU_TEST_OP_MD_CHECK_MAP`).
    public func testCheckMap(id: UInt32, iova: UInt64, length: UInt64, userAddress: UnsafeRawPointer) throws(IOMMUFDError) {
        let memory = IoctlBuffer(fieldOffset: Int(CIOMMUFD_TEST_CHECK_MAP_UPTR_OFFSET),
                                 pointer: UnsafeMutableRawPointer(mutating: userAddress), length: Int(clamping: length), direction: .userMemory)
        try testCommand(.mdCheckMap, id: id, buffers: [memory], context: "iova \(hex(iova)), length \(hex(length))") {
            $0.check_map.iova = iova
            $0.check_map.length = length
            $0.check_map.uptr = UInt64(UInt(bitPattern: userAddress))
        }
    }

    /// Checks the pin count of the pages at `userAddress` (`IOMMU_TEST_OP_MD_CHECK_REFS`).
    public func testCheckRefs(userAddress: UnsafeRawPointer, length: UInt64, refs: UInt32) throws(IOMMUFDError) {
        let memory = IoctlBuffer(fieldOffset: Int(CIOMMUFD_TEST_CHECK_REFS_UPTR_OFFSET),
                                 pointer: UnsafeMutableRawPointer(mutating: userAddress), length: Int(clamping: length), direction: .userMemory)
        try testCommand(.mdCheckRefs, buffers: [memory], context: "length \(hex(length)), refs \(refs)") {
            $0.check_refs.length = length
            $0.check_refs.uptr = UInt64(UInt(bitPattern: userAddress))
            $0.check_refs.refs = refs
        }
    }

    /// Checks entry `entry` of a mock nested HWPT's IOTLB (`IOMMU_TEST_OP_MD_CHECK_IOTLB`).
    public func testCheckIOTLB(hwpt: HWPTNested, entry: UInt32, value: UInt32) throws(IOMMUFDError) {
        try testCommand(.mdCheckIOTLB, id: hwpt.id, context: "entry \(entry), iotlb \(hex(value))") {
            $0.check_iotlb.id = entry
            $0.check_iotlb.iotlb = value
        }
    }

    /// Marks pages of a dirty-tracking HWPT dirty as a device would (`IOMMU_TEST_OP_DIRTY`): bit
    /// n of `bitmap` dirties page `iova + n * pageSize`. Returns how many were set.
    public func testSetDirty(hwpt: HWPTPaging, iova: UInt64, length: UInt64, pageSize: UInt64,
                             bitmap: inout [UInt64]) throws(IOMMUFDError) -> UInt64 {
        var result: UInt64 = 0
        try bitmap.withMutableBytes { (raw) throws(IOMMUFDError) in
            let bits = IoctlBuffer(fieldOffset: Int(CIOMMUFD_TEST_DIRTY_UPTR_OFFSET), pointer: raw.baseAddress,
                                   length: raw.count, direction: .input)
            let cmd = try testCommand(.dirty, id: hwpt.id, buffers: [bits], context: "iova \(hex(iova)), length \(hex(length)), page_size \(hex(pageSize))") {
                $0.dirty.iova = iova
                $0.dirty.length = length
                $0.dirty.page_size = pageSize
                $0.dirty.uptr = UInt64(UInt(bitPattern: raw.baseAddress))
            }
            result = cmd.dirty.out_nr_dirty
        }
        return result
    }

    /// Limits the io_pagetable's temporary memory to `pages` (`IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT`),
    /// to exercise its slow paths.
    public func testSetTemporaryMemoryLimit(_ pages: UInt32) throws(IOMMUFDError) {
        try testCommand(.setTempMemoryLimit, context: "limit \(pages)") { $0.memory_limit.limit = pages }
    }
}

/// The selftest ops (`IOMMU_TEST_OP_*`).
public enum SelftestOp: UInt32, Sendable, CustomStringConvertible {
    case addReserved = 1, mockDomain, mdCheckMap, mdCheckRefs, createAccess, destroyAccessPages
    case accessPages, accessRW, setTempMemoryLimit, mockDomainReplace, accessReplaceIOAS
    case mockDomainFlags, dirty, mdCheckIOTLB, triggerIOPF, devCheckCache, triggerVEvent
    case pasidAttach, pasidReplace, pasidDetach, pasidCheckHWPT, dmabufGet, dmabufRevoke

    public var description: String {
        let names = ["ADD_RESERVED", "MOCK_DOMAIN", "MD_CHECK_MAP", "MD_CHECK_REFS", "CREATE_ACCESS",
                     "DESTROY_ACCESS_PAGES", "ACCESS_PAGES", "ACCESS_RW", "SET_TEMP_MEMORY_LIMIT",
                     "MOCK_DOMAIN_REPLACE", "ACCESS_REPLACE_IOAS", "MOCK_DOMAIN_FLAGS", "DIRTY",
                     "MD_CHECK_IOTLB", "TRIGGER_IOPF", "DEV_CHECK_CACHE", "TRIGGER_VEVENT", "PASID_ATTACH",
                     "PASID_REPLACE", "PASID_DETACH", "PASID_CHECK_HWPT", "DMABUF_GET", "DMABUF_REVOKE"]
        return "IOMMU_TEST_OP_" + names[Int(rawValue) - 1]
    }
}

/// The mock IOMMU's geometry, as the 7.2 selftest driver sets it.
public enum MockIOMMU {
    public static let pageSize: UInt64 = 2048
    public static let hugePageSize: UInt64 = 512 * 2048
    public static let apertureStart: UInt64 = 1 << 24
    public static let apertureLast: UInt64 = (1 << 31) - 1
    public static let pasidWidth: UInt8 = 20
    public static let hwInfoType: UInt32 = 0xfeed_beef
    public static let hwInfoTestReg: UInt32 = 0xdead_beef
    public static let iotlbDefault: UInt32 = 0xbad_beef
    public static let devCacheDefault: UInt32 = 0xbad_dad
    public static let invalidateType: UInt32 = 0xdead_beef
    public static let invalidateTypeInvalid: UInt32 = 0xdad_beef
    public static let viommuType: UInt32 = 0xdead_beef
    public static let veventqType: UInt32 = 0xbeef_beef
    public static let hwQueueType: UInt32 = 0xdead_beef
}
