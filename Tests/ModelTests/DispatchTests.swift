import Testing
@testable import IOMMUFD
import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// main.c: dispatch, extensible structs, the object table, IOMMU_DESTROY and IOMMU_OPTION
/// (the selftests' `iommufd` fixture: cmd_fail, cmd_length, cmd_ex_fail, global_options).
@Suite("main.c: dispatch and objects")
struct DispatchTests {
    let backend = ModelBackend(profile: .selftest, options: ModelOptions(capSysResource: true))

    @Test func simpleClose() throws {
        let ctx = try IOMMUFD(backend: backend)
        #expect(ctx.fd >= 1_000_000)
        #expect(backend.openFileCount == 1)
    }

    @Test func cmdFail() throws {
        let ctx = try IOMMUFD(backend: backend)
        // object id is invalid
        #expect(destroy(ctx, 0) == .ENOENT)
        // bad pointer
        let null = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        #expect(backend.ioctl(ctx.fd, .IOMMU_DESTROY, argument: null, buffers: []) == .failure(.EFAULT))
        // unknown ioctl (nr 0x7f goes to the VFIO compat handler)
        var cmd = iommu_destroy(size: 8, id: 0)
        #expect(failure { try ctx.ioctl(IoctlRequest(0x3b7f, "nr 0x7f"), &cmd) } == .ENOTTY)
    }

    @Test func onlyExactIONumbers() throws {
        let ctx = try IOMMUFD(backend: backend)
        var cmd = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
        // An _IOWR encoding of the same nr is not the command: ENOTTY.
        let iowr = UInt(0xc000_0000) | UInt(12 << 16) | 0x3b81
        #expect(failure { try ctx.ioctl(IoctlRequest(iowr, "_IOWR(0x81)"), &cmd) } == .ENOTTY)
        // Another ioctl type with the same nr: ENOTTY.
        #expect(failure { try ctx.ioctl(IoctlRequest(0x5481, "type T"), &cmd) } == .ENOTTY)
        // The gap 0x95...0x9f inside the selftest table: ENOTTY.
        for nr in 0x95...0x9f {
            #expect(failure { try ctx.ioctl(IoctlRequest(UInt(0x3b00 | nr), "gap"), &cmd) } == .ENOTTY)
        }
        // The size is read before the number is checked: a NULL argument is EFAULT.
        let null = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        #expect(backend.ioctl(ctx.fd, IoctlRequest(0x3b95, "gap"), argument: null, buffers: []) == .failure(.EFAULT))
        // IOMMU_TEST_CMD exists only with the selftest (CONFIG_IOMMUFD_TEST).
        let plain = ModelBackend(profile: .selftest, options: ModelOptions(selftestCommands: false))
        let ctx2 = try IOMMUFD(backend: plain)
        #expect(ctx2.hasSelftest == false)
        #expect(ctx.hasSelftest == true)
    }

    /// TEST_LENGTH of the selftests: size = min - 1 is EINVAL, size = sizeof + 1 with a non-zero
    /// byte is E2BIG, and a zero extra byte behaves like sizeof.
    private func checkLength<T>(_ ctx: IOMMUFD, _ request: IoctlRequest, _ type: T.Type, minSize: Int) {
        var cmd = WithExtra(cmd: zeroed() as T, extra: 0xff)
        func setSize(_ s: Int) {
            withUnsafeMutableBytes(of: &cmd) { $0.storeBytes(of: UInt32(s), as: UInt32.self) }
        }
        setSize(minSize - 1)
        #expect(failure { try ctx.ioctl(request, &cmd) } == .EINVAL, "\(request) min-1")
        setSize(MemoryLayout<T>.size + 1)
        #expect(failure { try ctx.ioctl(request, &cmd) } == .E2BIG, "\(request) +1 non-zero")
        setSize(MemoryLayout<T>.size)
        let first = failure { try ctx.ioctl(request, &cmd) }
        setSize(MemoryLayout<T>.size + 1)
        cmd.extra = 0
        // The first call may have written outputs; restore the input fields that matter.
        let second = failure { try ctx.ioctl(request, &cmd) }
        #expect(first == second, "\(request) zero extra byte")
    }

    @Test func cmdLength() throws {
        let ctx = try IOMMUFD(backend: backend)
        checkLength(ctx, .IOMMU_DESTROY, iommu_destroy.self, minSize: 8)
        checkLength(ctx, .IOMMU_GET_HW_INFO, iommu_hw_info.self, minSize: 32)
        checkLength(ctx, .IOMMU_HWPT_ALLOC, iommu_hwpt_alloc.self, minSize: 24)
        checkLength(ctx, .IOMMU_HWPT_INVALIDATE, iommu_hwpt_invalidate.self, minSize: 32)
        checkLength(ctx, .IOMMU_IOAS_ALLOC, iommu_ioas_alloc.self, minSize: 12)
        checkLength(ctx, .IOMMU_IOAS_IOVA_RANGES, iommu_ioas_iova_ranges.self, minSize: 32)
        checkLength(ctx, .IOMMU_IOAS_ALLOW_IOVAS, iommu_ioas_allow_iovas.self, minSize: 24)
        checkLength(ctx, .IOMMU_IOAS_MAP, iommu_ioas_map.self, minSize: 40)
        checkLength(ctx, .IOMMU_IOAS_COPY, iommu_ioas_copy.self, minSize: 40)
        checkLength(ctx, .IOMMU_IOAS_UNMAP, iommu_ioas_unmap.self, minSize: 24)
        checkLength(ctx, .IOMMU_OPTION, iommu_option.self, minSize: 24)
        checkLength(ctx, .IOMMU_VFIO_IOAS, iommu_vfio_ioas.self, minSize: 12)
        checkLength(ctx, .IOMMU_IOAS_MAP_FILE, iommu_ioas_map_file.self, minSize: 40)
        checkLength(ctx, .IOMMU_VIOMMU_ALLOC, iommu_viommu_alloc.self, minSize: 24)
        checkLength(ctx, .IOMMU_VDEVICE_ALLOC, iommu_vdevice_alloc.self, minSize: 24)
        checkLength(ctx, .IOMMU_IOAS_CHANGE_PROCESS, iommu_ioas_change_process.self, minSize: 8)
        checkLength(ctx, .IOMMU_HWPT_SET_DIRTY_TRACKING, iommu_hwpt_set_dirty_tracking.self, minSize: 16)
        checkLength(ctx, .IOMMU_HWPT_GET_DIRTY_BITMAP, iommu_hwpt_get_dirty_bitmap.self, minSize: 48)
        checkLength(ctx, .IOMMU_FAULT_QUEUE_ALLOC, iommu_fault_alloc.self, minSize: 16)
        checkLength(ctx, .IOMMU_VEVENTQ_ALLOC, iommu_veventq_alloc.self, minSize: 28)
        checkLength(ctx, .IOMMU_HW_QUEUE_ALLOC, iommu_hw_queue_alloc.self, minSize: 40)
    }

    @Test func cmdExFail() throws {
        let ctx = try IOMMUFD(backend: backend)
        var cmd = WithFuture(cmd: iommu_destroy(size: 16, id: 0), future: 0)
        // object id is invalid and command is longer
        #expect(failure { try ctx.ioctl(.IOMMU_DESTROY, &cmd) } == .ENOENT)
        // future area is non-zero
        cmd.future = 1
        #expect(failure { try ctx.ioctl(.IOMMU_DESTROY, &cmd) } == .E2BIG)
        // original command "works"
        cmd.cmd.size = 8
        #expect(failure { try ctx.ioctl(.IOMMU_DESTROY, &cmd) } == .ENOENT)
        // short command fails
        cmd.cmd.size = 7
        #expect(failure { try ctx.ioctl(.IOMMU_DESTROY, &cmd) } == .EINVAL)
    }

    @Test func sizeBeyondTheGivenBufferFaults() throws {
        let ctx = try IOMMUFD(backend: backend)
        // The model cannot read past the bytes it was handed: a size larger than the buffer faults.
        var cmd = iommu_destroy(size: 64, id: 0)
        #expect(failure { try ctx.ioctl(.IOMMU_DESTROY, &cmd) } == .EFAULT)
    }

    @Test func globalOptions() throws {
        let ctx = try IOMMUFD(backend: backend)
        var cmd = iommu_option()
        cmd.size = 24
        cmd.option_id = IOMMU_OPTION_RLIMIT_MODE.rawValue
        cmd.op = UInt16(IOMMU_OPTION_OP_GET.rawValue)
        cmd.val64 = 1
        try ctx.ioctl(.IOMMU_OPTION, &cmd)
        #expect(cmd.val64 == 0)
        // SET needs CAP_SYS_RESOURCE (the fixture's backend has it)
        cmd.op = UInt16(IOMMU_OPTION_OP_SET.rawValue)
        cmd.val64 = 1
        try ctx.ioctl(.IOMMU_OPTION, &cmd)
        cmd.val64 = 2
        #expect(failure { try ctx.ioctl(.IOMMU_OPTION, &cmd) } == .EINVAL)
        cmd.op = UInt16(IOMMU_OPTION_OP_GET.rawValue)
        try ctx.ioctl(.IOMMU_OPTION, &cmd)
        #expect(cmd.val64 == 1)
        cmd.op = UInt16(IOMMU_OPTION_OP_SET.rawValue)
        cmd.val64 = 0
        try ctx.ioctl(.IOMMU_OPTION, &cmd)
        // HUGE_PAGES needs an IOAS id
        cmd.op = UInt16(IOMMU_OPTION_OP_GET.rawValue)
        cmd.option_id = IOMMU_OPTION_HUGE_PAGES.rawValue
        #expect(failure { try ctx.ioctl(.IOMMU_OPTION, &cmd) } == .ENOENT)
        cmd.op = UInt16(IOMMU_OPTION_OP_SET.rawValue)
        #expect(failure { try ctx.ioctl(.IOMMU_OPTION, &cmd) } == .ENOENT)
    }

    @Test func optionRules() throws {
        let ctx = try IOMMUFD(backend: backend)
        // RLIMIT_MODE is global: object_id must be 0
        #expect(failure { try ctx.option(.rlimitMode, .get, objectID: 1) } == .EOPNOTSUPP)
        // unknown option and op
        var cmd = iommu_option()
        cmd.size = 24
        cmd.option_id = 7
        #expect(failure { try ctx.ioctl(.IOMMU_OPTION, &cmd) } == .EOPNOTSUPP)
        cmd.option_id = 0
        cmd.op = 5
        #expect(failure { try ctx.ioctl(.IOMMU_OPTION, &cmd) } == .EOPNOTSUPP)
        cmd.op = 1
        cmd.__reserved = 1
        #expect(failure { try ctx.ioctl(.IOMMU_OPTION, &cmd) } == .EOPNOTSUPP)
        // SET needs an empty context: EBUSY once an object exists
        let ioas = try ctx.allocIOAS()
        #expect(failure { try ctx.setRlimitMode(.perProcess) } == .EBUSY)
        try ioas.destroy()
        try ctx.setRlimitMode(.perProcess)
        #expect(try ctx.rlimitMode() == .perProcess)
        // Without CAP_SYS_RESOURCE: EPERM
        let unprivileged = ModelBackend(profile: .selftest, options: ModelOptions(capSysResource: false))
        let ctx2 = try IOMMUFD(backend: unprivileged)
        #expect(failure { try ctx2.setRlimitMode(.perUser) } == .EPERM)
        // /dev/vfio/vfio defaults to per-mm accounting
        let compat = try IOMMUFD(path: "/dev/vfio/vfio", backend: backend)
        #expect(try compat.rlimitMode() == .perProcess)
    }

    @Test func objectIDsAreLowestFreeAndReused() throws {
        let ctx = try IOMMUFD(backend: backend)
        var ids: [UInt32] = []
        for _ in 0..<5 {
            var cmd = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
            try ctx.ioctl(.IOMMU_IOAS_ALLOC, &cmd)
            ids.append(cmd.out_ioas_id)
        }
        #expect(ids == [1, 2, 3, 4, 5])
        #expect(destroy(ctx, 2) == nil)
        #expect(destroy(ctx, 4) == nil)
        #expect(destroy(ctx, 4) == .ENOENT)
        var cmd = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
        try ctx.ioctl(.IOMMU_IOAS_ALLOC, &cmd)
        #expect(cmd.out_ioas_id == 2)
        try ctx.ioctl(.IOMMU_IOAS_ALLOC, &cmd)
        #expect(cmd.out_ioas_id == 4)
        try ctx.ioctl(.IOMMU_IOAS_ALLOC, &cmd)
        #expect(cmd.out_ioas_id == 6)
        // flags must be 0
        cmd.flags = 1
        #expect(failure { try ctx.ioctl(.IOMMU_IOAS_ALLOC, &cmd) } == .EOPNOTSUPP)
        // A failed create leaves nothing behind: the next id is still 7.
        cmd.flags = 0
        try ctx.ioctl(.IOMMU_IOAS_ALLOC, &cmd)
        #expect(cmd.out_ioas_id == 7)
        #expect(backend.objects(fd: ctx.fd).map(\.id) == [1, 2, 3, 4, 5, 6, 7])
    }

    @Test func destroyWrongKindsAndBusy() throws {
        let f = try IOASFixture(mockDomains: 1)
        // IOAS with a device: EBUSY
        #expect(destroy(f.ctx, f.ioas.id) == .EBUSY)
        // The device object itself: EBUSY (the driver holds it)
        #expect(destroy(f.ctx, f.device!.boundID) == .EBUSY)
        // The auto domain: EBUSY while the device uses it
        #expect(destroy(f.ctx, f.device!.attachedHWPTID) == .EBUSY)
        // Removing the selftest object detaches and unbinds; the auto domain goes with it.
        try f.device!.destroy()
        #expect(f.backend.objects(fd: f.fd).map(\.type) == ["ioas"])
        try f.ioas.destroy()
        #expect(f.backend.objects(fd: f.fd).isEmpty)
        #expect(f.ctx.liveObjects.isEmpty)
    }

    @Test func liveObjectsEmptyAfterScopes() throws {
        let backend = self.backend
        let ctx = try IOMMUFD(backend: backend)
        do {
            let ioas = try ctx.allocIOAS()
            let dev = try ctx.addMockDevice(attachedTo: ioas)
            let hwpt = try ctx.allocHWPT(device: dev, ioas: ioas)
            _ = hwpt
        }
        #expect(ctx.liveObjects.isEmpty)
        #expect(ctx.cleanupFailures.isEmpty)
        #expect(backend.objects(fd: ctx.fd).isEmpty)
    }

    @Test func closeDestroysEverything() throws {
        let backend = self.backend
        var fd: Int32 = -1
        do {
            let ctx = try IOMMUFD(backend: backend)
            fd = ctx.fd
            let ioas = try ctx.allocIOAS()
            _ = try ctx.addMockDevice(attachedTo: ioas)
            var raw = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
            try ctx.ioctl(.IOMMU_IOAS_ALLOC, &raw)
        }
        #expect(backend.openFileCount == 0)
        #expect(backend.objects(fd: fd).isEmpty)
        #expect(backend.close(fd) == .EBADF)
    }

    @Test func uapiOffsetsMatchTheHeaders() {
        #expect(MemoryLayout<iommu_ioas_map>.offset(of: \.iova) == L.Map.iova)
        #expect(MemoryLayout<iommu_ioas_map>.offset(of: \.user_va) == L.Map.userVA)
        #expect(MemoryLayout<iommu_ioas_map_file>.offset(of: \.fd) == L.MapFile.fd)
        #expect(MemoryLayout<iommu_ioas_copy>.offset(of: \.src_iova) == L.Copy.srcIOVA)
        #expect(MemoryLayout<iommu_ioas_unmap>.offset(of: \.length) == L.Unmap.length)
        #expect(MemoryLayout<iommu_option>.offset(of: \.object_id) == L.Option.objectID)
        #expect(MemoryLayout<iommu_hwpt_alloc>.offset(of: \.fault_id) == L.HWPTAlloc.faultID)
        #expect(MemoryLayout<iommu_hwpt_alloc>.offset(of: \.data_uptr) == L.HWPTAlloc.dataUptr)
        #expect(MemoryLayout<iommu_hw_info>.offset(of: \.out_capabilities) == L.HWInfo.capabilities)
        #expect(MemoryLayout<iommu_hw_info>.offset(of: \.out_max_pasid_log2) == L.HWInfo.maxPasidLog2)
        #expect(MemoryLayout<iommu_hwpt_get_dirty_bitmap>.offset(of: \.data) == L.GetDirty.data)
        #expect(MemoryLayout<iommu_hwpt_invalidate>.offset(of: \.entry_num) == L.Invalidate.entryNum)
        #expect(MemoryLayout<iommu_viommu_alloc>.offset(of: \.data_uptr) == L.VIOMMUAlloc.dataUptr)
        #expect(MemoryLayout<iommu_vdevice_alloc>.offset(of: \.virt_id) == L.VDeviceAlloc.virtID)
        #expect(MemoryLayout<iommu_veventq_alloc>.offset(of: \.out_veventq_fd) == L.VEventQAlloc.outFD)
        #expect(MemoryLayout<iommu_hw_queue_alloc>.offset(of: \.nesting_parent_iova) == L.HWQueueAlloc.iova)
        #expect(MemoryLayout<iommu_test_cmd>.size == L.TestCmd.size)
        #expect(MemoryLayout<iommu_test_cmd>.offset(of: \.last) == L.TestCmd.last)
        // Union members: find where a marker lands.
        func where64(_ set: (inout iommu_test_cmd) -> Void) -> Int? {
            var cmd = iommu_test_cmd()
            set(&cmd)
            return withUnsafeBytes(of: cmd) { raw in
                (0...(raw.count - 8)).first { raw.loadUnaligned(fromByteOffset: $0, as: UInt64.self) == 0x1122_3344_5566_7788 }
            }
        }
        func where32(_ set: (inout iommu_test_cmd) -> Void) -> Int? {
            var cmd = iommu_test_cmd()
            set(&cmd)
            return withUnsafeBytes(of: cmd) { raw in
                (0...(raw.count - 4)).first { raw.loadUnaligned(fromByteOffset: $0, as: UInt32.self) == 0x5566_7788 }
            }
        }
        #expect(where64 { $0.dirty.out_nr_dirty = 0x1122_3344_5566_7788 } == L.TestCmd.dOutNr)
        #expect(where64 { $0.dirty.page_size = 0x1122_3344_5566_7788 } == L.TestCmd.dPageSize)
        #expect(where64 { $0.trigger_iopf.addr = 0x1122_3344_5566_7788 } == L.TestCmd.ipAddr)
        #expect(where64 { $0.access_pages.uptr = 0x1122_3344_5566_7788 } == L.TestCmd.apUptr)
        #expect(where64 { $0.check_map.uptr = 0x1122_3344_5566_7788 } == L.TestCmd.cmUptr)
        #expect(where64 { $0.access_rw.uptr = 0x1122_3344_5566_7788 } == L.TestCmd.rwUptr)
        #expect(where32 { $0.access_rw.flags = 0x5566_7788 } == L.TestCmd.rwFlags)
        #expect(where32 { $0.check_refs.refs = 0x5566_7788 } == L.TestCmd.crRefs)
        #expect(where32 { $0.mock_domain_flags.dev_flags = 0x5566_7788 } == L.TestCmd.mdDevFlags)
        #expect(where32 { $0.pasid_check.hwpt_id = 0x5566_7788 } == L.TestCmd.pasidPtID)
        #expect(where32 { $0.trigger_iopf.perm = 0x5566_7788 } == L.TestCmd.ipPerm)
        #expect(where32 { $0.create_access.flags = 0x5566_7788 } == L.TestCmd.caFlags)
        #expect(MemoryLayout<vfio_device_bind_iommufd>.offset(of: \.token_uuid_ptr) == L.BindIOMMUFD.tokenUptr)
        #expect(MemoryLayout<vfio_device_attach_iommufd_pt>.offset(of: \.pasid) == L.AttachPT.pasid)
        #expect(MemoryLayout<vfio_iommu_type1_dma_map>.offset(of: \.size) == L.DMAMap.mapSize)
        #expect(MemoryLayout<vfio_iommu_type1_info>.offset(of: \.cap_offset) == L.Type1Info.capOffset)
        #expect(MemoryLayout<vfio_region_info>.offset(of: \.index) == 8)
    }

    @Test func automaticPicksTheModelWithoutDevIOMMU() throws {
        let backend = ModelBackend.automatic()
        if backend.kind == .model {
            let model = backend as! ModelBackend
            #expect(model.cdevPath(forPCIAddress: "0000:00:03.0") == "/dev/vfio/devices/vfio0")
            #expect(model.cdevPath(forPCIAddress: "0000:00:04.0") == nil)
        }
    }
}

/// The backend is Sendable: calls from many tasks are serialised by its lock.
@Suite("thread safety")
struct ConcurrencyTests {
    @Test func concurrentMapsOnSeparateIOAS() async throws {
        let backend = ModelBackend(profile: .selftest)
        guard case .success(let fd) = backend.open(path: "/dev/iommu", flags: O_RDWR) else { return }
        let results = await withTaskGroup(of: Int.self) { group -> [Int] in
            for t in 0..<8 {
                group.addTask {
                    var alloc = iommu_ioas_alloc(size: 12, flags: 0, out_ioas_id: 0)
                    let r = withUnsafeMutableBytes(of: &alloc) { backend.ioctl(fd, .IOMMU_IOAS_ALLOC, argument: $0, buffers: []) }
                    guard case .success = r else { return -1 }
                    var ok = 0
                    for i in 0..<500 {
                        var map = iommu_ioas_map()
                        map.size = 40
                        map.flags = 7
                        map.ioas_id = alloc.out_ioas_id
                        map.user_va = 0x7000_0000_0000 + UInt64(t) << 32
                        map.length = 4096
                        map.iova = UInt64(i) * 8192 + 8192
                        let m = withUnsafeMutableBytes(of: &map) { backend.ioctl(fd, .IOMMU_IOAS_MAP, argument: $0, buffers: []) }
                        var unmap = iommu_ioas_unmap(size: 24, ioas_id: alloc.out_ioas_id, iova: map.iova, length: 4096)
                        let u = withUnsafeMutableBytes(of: &unmap) { backend.ioctl(fd, .IOMMU_IOAS_UNMAP, argument: $0, buffers: []) }
                        if case .success = m, case .success = u { ok += 1 }
                    }
                    return ok
                }
            }
            var all: [Int] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results == Array(repeating: 500, count: 8))
        #expect(backend.objects(fd: fd).count == 8)
        #expect(backend.close(fd) == nil)
    }
}
