// main.c: the iommufd context (one open /dev/iommu), its object table, the ioctl dispatcher
// with the extensible-struct rules, IOMMU_DESTROY, IOMMU_OPTION and the release on close.

/// `enum iommufd_object_type` (include/linux/iommufd.h), plus the selftest object.
enum ObjType: UInt8, CustomStringConvertible {
    case device, hwptPaging, hwptNested, ioas, access, fault, viommu, vdevice, veventq, hwQueue, selftest

    var description: String {
        switch self {
        case .device: "device"
        case .hwptPaging: "hwpt_paging"
        case .hwptNested: "hwpt_nested"
        case .ioas: "ioas"
        case .access: "access"
        case .fault: "fault"
        case .viommu: "viommu"
        case .vdevice: "vdevice"
        case .veventq: "veventq"
        case .hwQueue: "hw_queue"
        case .selftest: "selftest"
        }
    }
}

/// `struct iommufd_object`: an id in the context's table and the `users` refcount (1 for the
/// table itself; every object or file that depends on it adds one; DESTROY needs it at 1).
class ModelObject {
    let type: ObjType
    var id: UInt32 = 0
    var users = 1
    unowned(unsafe) let ctx: ModelContext

    init(ctx: ModelContext, type: ObjType) {
        self.ctx = ctx
        self.type = type
    }

    /// `iommufd_object_ops.destroy`: release what this object holds.
    func destroy() {}
    /// `ops.abort` (defaults to destroy).
    func abort() { destroy() }
    /// `ops.pre_destroy` (REMOVE_WAIT removal of a device).
    func preDestroy() {}
    /// Objects that own a file (fault queue, vEVENTQ): close it during an abort.
    func closeFileForAbort() {}
}

/// The kernel's per-command state (`struct iommufd_ucmd`).
struct UCmd {
    let ctx: ModelContext
    let memory: UserMemory
    let userSize: Int
    let k: KBuf
    /// `ucmd->new_obj`: an object created through `_iommufd_object_alloc_ucmd`, finalized on
    /// success and aborted on failure by the dispatcher.
    var newObject: ModelObject?

    /// `iommufd_ucmd_respond`: writes back min(user size, kernel size) bytes.
    func respond(_ kernelSize: Int) -> Errno? {
        memory.copyToArg(from: k, count: min(userSize, kernelSize))
    }
}

/// The iommufd context (`struct iommufd_ctx`): created by open("/dev/iommu"), destroyed when its
/// last reference (the fd, event queue fds, bound VFIO devices) goes away.
final class ModelContext {
    unowned(unsafe) let env: ModelEnv

    /// `ictx->objects`: nil is free, `.zero` a reserved or tombstoned id (XA_ZERO_ENTRY).
    private enum Slot {
        case free
        case zero
        case live(ModelObject)
    }
    @exclusivity(unchecked) private var slots: [Slot] = [.free]  // id 0 is never used (XA_FLAGS_ALLOC1)
    @exclusivity(unchecked) private var freeIDs = MinHeap()
    /// Objects reserved or live (what xa_empty looks at).
    @exclusivity(unchecked) private var occupied = 0

    /// `ictx->account_mode`: IOPT_PAGES_ACCOUNT_NONE 0, USER 1, MM 2.
    var accountMode: UInt8 = 0
    /// `ictx->no_iommu_mode`.
    var noIOMMUMode = false
    /// `ictx->vfio_ioas`: the compat IOAS.
    weak var vfioIOAS: IOASObject?
    /// `ictx->groups`: per-group iommufd state.
    var groups: [Int: IOMMUFDGroup] = [:]
    /// `ictx->mt_mmap`: mmap windows handed out by vIOMMUs, by page-aligned offset.
    var mmaps: [UInt64: MMapEntry] = [:]
    /// References on the context (`get_file` on ictx->file): the fd, each eventq fd, each VFIO
    /// bind. When it drops to zero the context is released.
    @exclusivity(unchecked) var refs = 1
    var isReleased = false

    init(env: ModelEnv, accountMode: UInt8 = 0) {
        self.env = env
        self.accountMode = accountMode
    }

    // MARK: Object table

    /// `_iommufd_object_alloc`: kzalloc, then reserve the lowest free id (XA_ZERO_ENTRY).
    func objectAlloc<T: ModelObject>(_ make: () -> T) -> Result<T, Errno> {
        if env.shouldFail() { return .failure(.ENOMEM) }
        if env.shouldFail() { return .failure(.ENOMEM) }  // xa_alloc
        let obj = make()
        let id: UInt32
        if let free = freeIDs.popMin() {
            id = free
        } else {
            if slots.count > Int(Int32.max) { return .failure(.EBUSY) }
            id = UInt32(slots.count)
            slots.append(.free)
        }
        slots[Int(id)] = .zero
        occupied += 1
        obj.id = id
        return .success(obj)
    }

    /// `_iommufd_object_alloc_ucmd`: the dispatcher finalizes or aborts it.
    func objectAllocUcmd<T: ModelObject>(_ ucmd: inout UCmd, _ make: () -> T) -> Result<T, Errno> {
        let r = objectAlloc(make)
        if case .success(let obj) = r { ucmd.newObject = obj }
        return r
    }

    /// `iommufd_object_finalize`: publish the object under its id.
    func finalize(_ obj: ModelObject) {
        slots[Int(obj.id)] = .live(obj)
    }

    /// `iommufd_object_abort`: give the id back.
    func abort(_ obj: ModelObject) {
        releaseID(obj.id)
    }

    /// `iommufd_object_abort_and_destroy`: close its file, run abort (or destroy), free the id.
    func abortAndDestroy(_ obj: ModelObject) {
        obj.closeFileForAbort()
        obj.abort()
        abort(obj)
    }

    private func releaseID(_ id: UInt32) {
        slots[Int(id)] = .free
        freeIDs.push(id)
        occupied -= 1
    }

    /// `iommufd_get_object`: ENOENT for unknown ids, reserved ids and the wrong type.
    @inline(__always)
    func get(_ id: UInt32, _ type: ObjType? = nil) -> ModelObject? {
        let i = Int(id)
        guard i < slots.count, case .live(let obj) = slots[i] else { return nil }
        if let type, obj.type != type { return nil }
        return obj
    }

    @inline(__always)
    func getIOAS(_ id: UInt32) -> IOASObject? {
        guard let o = get(id, .ioas) else { return nil }
        return unsafeDowncast(o, to: IOASObject.self)
    }

    func getDevice(_ id: UInt32) -> DeviceObject? {
        guard let o = get(id, .device) else { return nil }
        return unsafeDowncast(o, to: DeviceObject.self)
    }

    /// `iommufd_object_remove`. With `object` the caller's users reference is dropped first;
    /// the object goes only if the table's reference is then the last (else EBUSY). A tombstone
    /// keeps the id reserved until the context closes.
    @discardableResult
    func remove(_ object: ModelObject?, id: UInt32, wait: Bool = false, tombstone: Bool = false) -> Errno? {
        if let object, wait, object.type == .device {
            object.preDestroy()
        }
        let i = Int(id)
        let obj: ModelObject
        if let object {
            object.users -= 1
            obj = object
            guard i < slots.count, case .live(let cur) = slots[i], cur === object else { return .ENOENT }
        } else {
            guard i < slots.count, case .live(let cur) = slots[i] else { return .ENOENT }
            obj = cur
        }
        if obj.users != 1 { return .EBUSY }
        obj.users = 0
        if tombstone {
            slots[i] = .zero
        } else {
            releaseID(id)
        }
        if let ioas = vfioIOAS, ioas === obj { vfioIOAS = nil }
        obj.destroy()
        return nil
    }

    /// Every live object, by id (for the backend's inspection API).
    var liveObjects: [(UInt32, ModelObject)] {
        var out: [(UInt32, ModelObject)] = []
        for (i, s) in slots.enumerated() {
            if case .live(let o) = s { out.append((UInt32(i), o)) }
        }
        return out
    }

    /// Ids held as tombstones or reservations.
    var reservedIDs: [UInt32] {
        var out: [UInt32] = []
        for (i, s) in slots.enumerated() {
            if case .zero = s { out.append(UInt32(i)) }
        }
        return out
    }

    /// `xa_empty(&ictx->objects)`.
    var isEmpty: Bool { occupied == 0 }

    /// Visits the live objects in id order (xa_for_each).
    func forEachObject(_ body: (ModelObject) -> Void) {
        for s in slots {
            if case .live(let o) = s { body(o) }
        }
    }

    // MARK: References and release

    func getRef() { refs += 1 }

    func putRef() {
        refs -= 1
        if refs == 0 { release() }
    }

    /// `iommufd_fops_release`: repeatedly destroy the objects nothing else uses (leaves first),
    /// until the table is empty; tombstones just go away.
    private func release() {
        isReleased = true
        while true {
            var destroyed = 0
            var any = false
            for i in 0..<slots.count {
                guard case .live(let obj) = slots[i] else { continue }
                any = true
                if obj.users != 1 { continue }
                obj.users = 0
                releaseID(UInt32(i))
                if let ioas = vfioIOAS, ioas === obj { vfioIOAS = nil }
                obj.destroy()
                destroyed += 1
            }
            if !any || destroyed == 0 { break }
        }
        slots = [.free]
        freeIDs = MinHeap()
        occupied = 0
        groups.removeAll()
        mmaps.removeAll()
        env.contextReleased(self)
    }

    // MARK: Dispatch (iommufd_fops_ioctl)

    /// One entry of `iommufd_ioctl_ops`.
    struct Op: Sendable {
        let size: Int
        let minSize: Int
        let execute: @Sendable (inout UCmd) -> Errno?
    }

    /// The table, indexed by nr - 0x80: 0x80...0x94, and 0xa0 (IOMMU_TEST_CMD) when the
    /// selftest is built in (entries 0x95...0x9f are then empty and answer ENOTTY).
    private static let ops: [Op?] = {
        var t = [Op?](repeating: nil, count: 0x21)
        func put(_ nr: Int, _ size: Int, _ minSize: Int, _ f: @escaping @Sendable (inout UCmd) -> Errno?) {
            t[nr - 0x80] = Op(size: size, minSize: minSize, execute: f)
        }
        put(0x80, L.Destroy.size, 8) { $0.ctx.destroyIoctl(&$0) }
        put(0x81, L.IOASAlloc.size, 12) { $0.ctx.ioasAllocIoctl(&$0) }
        put(0x82, L.AllowIOVAs.size, 24) { $0.ctx.ioasAllowIOVAs(&$0) }
        put(0x83, L.Copy.size, 40) { $0.ctx.ioasCopy(&$0) }
        put(0x84, L.IOVARanges.size, 32) { $0.ctx.ioasIOVARanges(&$0) }
        put(0x85, L.Map.size, 40) { $0.ctx.ioasMap(&$0) }
        put(0x86, L.Unmap.size, 24) { $0.ctx.ioasUnmap(&$0) }
        put(0x87, L.Option.size, 24) { $0.ctx.optionIoctl(&$0) }
        put(0x88, L.VFIOIOAS.size, 12) { $0.ctx.vfioIOASIoctl(&$0) }
        put(0x89, L.HWPTAlloc.size, L.HWPTAlloc.minSize) { $0.ctx.hwptAllocIoctl(&$0) }
        put(0x8a, L.HWInfo.size, L.HWInfo.minSize) { $0.ctx.getHWInfo(&$0) }
        put(0x8b, L.SetDirty.size, 16) { $0.ctx.hwptSetDirtyTracking(&$0) }
        put(0x8c, L.GetDirty.size, 48) { $0.ctx.hwptGetDirtyBitmap(&$0) }
        put(0x8d, L.Invalidate.size, 32) { $0.ctx.hwptInvalidate(&$0) }
        put(0x8e, L.FaultAlloc.size, 16) { $0.ctx.faultAlloc(&$0) }
        put(0x8f, L.MapFile.size, 40) { $0.ctx.ioasMapFile(&$0) }
        put(0x90, L.VIOMMUAlloc.size, L.VIOMMUAlloc.minSize) { $0.ctx.viommuAllocIoctl(&$0) }
        put(0x91, L.VDeviceAlloc.size, 24) { $0.ctx.vdeviceAllocIoctl(&$0) }
        put(0x92, L.ChangeProcess.size, 8) { $0.ctx.ioasChangeProcess(&$0) }
        put(0x93, L.VEventQAlloc.size, L.VEventQAlloc.minSize) { $0.ctx.veventqAlloc(&$0) }
        put(0x94, L.HWQueueAlloc.size, 40) { $0.ctx.hwQueueAllocIoctl(&$0) }
        put(0xa0, L.TestCmd.size, L.TestCmd.minSize) { $0.ctx.selftestIoctl(&$0) }
        return t
    }()

    /// The kernel buffer size (`sizeof(union ucmd_buffer)` is at least the largest command).
    static let kbufSize = 128

    /// `iommufd_fops_ioctl`: only exact `_IO(';', nr)` numbers; nr outside the table goes to the
    /// VFIO compat handler. The size is read first (EFAULT), then the number is checked
    /// (ENOTTY), then size < min_size is EINVAL, then `copy_struct_from_user` (E2BIG).
    func ioctl(_ cmd: UInt, memory: UserMemory) -> Result<Int, Errno> {
        let nr = Int(cmd & 0xff)
        let tableSize = env.selftestCommands ? 0x21 : 0x15
        if nr < 0x80 || nr - 0x80 >= tableSize {
            return vfioCompatIoctl(cmd, memory: memory, value: nil)
        }
        let userSize: UInt32
        switch memory.argU32(0) {
        case .success(let s): userSize = s
        case .failure(let e): return .failure(e)
        }
        guard let op = Self.ops[nr - 0x80], cmd == UInt(0x3b00 | nr) else { return .failure(.ENOTTY) }
        if Int(userSize) < op.minSize { return .failure(.EINVAL) }
        return withUnsafeTemporaryAllocation(byteCount: Self.kbufSize, alignment: 8) { raw in
            let k = KBuf(p: raw.baseAddress!, size: op.size)
            if let e = memory.copyStructFromUser(into: k, usize: Int(userSize)) { return .failure(e) }
            var ucmd = UCmd(ctx: self, memory: memory, userSize: Int(userSize), k: k, newObject: nil)
            let rc = op.execute(&ucmd)
            if let obj = ucmd.newObject {
                if rc != nil { abortAndDestroy(obj) } else { finalize(obj) }
            }
            if let rc { return .failure(rc) }
            return .success(0)
        }
    }

    // MARK: IOMMU_DESTROY

    /// `iommufd_destroy`.
    func destroyIoctl(_ ucmd: inout UCmd) -> Errno? {
        remove(nil, id: ucmd.k.u32(L.Destroy.id))
    }

    // MARK: IOMMU_OPTION

    /// `iommufd_option`: a known reserved field must be zero; only val64 is written back.
    func optionIoctl(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u16(L.Option.reserved) != 0 { return .EOPNOTSUPP }
        let rc: Errno?
        switch k.u32(L.Option.optionID) {
        case 0: rc = optionRlimitMode(k)
        case 1: rc = ioasOption(&ucmd)
        default: return .EOPNOTSUPP
        }
        if let rc { return rc }
        return ucmd.memory.copyToArg(from: k, offset: L.Option.val64, count: 8)
    }

    /// `iommufd_option_rlimit_mode`: global (object_id 0); SET needs CAP_SYS_RESOURCE and an
    /// empty context, and takes 0 (per user) or 1 (per mm).
    private func optionRlimitMode(_ k: KBuf) -> Errno? {
        if k.u32(L.Option.objectID) != 0 { return .EOPNOTSUPP }
        let op = k.u16(L.Option.op)
        if op == 1 {
            k.set(L.Option.val64, u64: accountMode == 2 ? 1 : 0)
            return nil
        }
        if op == 0 {
            if !env.capSysResource { return .EPERM }
            if !isEmpty { return .EBUSY }
            switch k.u64(L.Option.val64) {
            case 0: accountMode = 1
            case 1: accountMode = 2
            default: return .EINVAL
            }
            return nil
        }
        return .EOPNOTSUPP
    }
}

/// A small binary min-heap of free object ids (xa_alloc hands out the lowest free index).
struct MinHeap {
    private var a: [UInt32] = []

    var isEmpty: Bool { a.isEmpty }

    mutating func push(_ v: UInt32) {
        a.append(v)
        var i = a.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if a[p] <= a[i] { break }
            a.swapAt(p, i)
            i = p
        }
    }

    mutating func popMin() -> UInt32? {
        guard !a.isEmpty else { return nil }
        let top = a[0]
        let last = a.removeLast()
        if !a.isEmpty {
            a[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < a.count && a[l] < a[m] { m = l }
                if r < a.count && a[r] < a[m] { m = r }
                if m == i { break }
                a.swapAt(m, i)
                i = m
            }
        }
        return top
    }
}

/// An mmap window of the context (`struct iommufd_mmap`).
struct MMapEntry {
    weak var owner: ModelObject?
    var offset: UInt64
    var length: UInt64
    /// The memory the window shows (the mock vIOMMU's two pages).
    var memory: UnsafeMutableRawPointer
}
