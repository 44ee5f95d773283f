// eventq.c: the I/O page fault queue (IOMMU_FAULT_QUEUE_ALLOC, read faults, write responses)
// and the vIOMMU event queue (IOMMU_VEVENTQ_ALLOC, read events), plus the event report of
// driver.c and the fault delivery of io-pgfault.c.

/// One page request as the fault queue reports it.
struct FaultRecord {
    var flags: UInt32
    var pasid: UInt32
    var groupID: UInt32
    var perm: UInt32
    var addr: UInt64
}

/// `struct iopf_group`: the faults of one page request group, and the attachment they came
/// through (answered automatically when that attachment goes away).
final class IOPFGroup {
    var faults: [FaultRecord]
    let idev: DeviceObject
    let hwpt: HWPTObject
    let attachPasid: UInt32
    var cookie: UInt32 = 0

    init(faults: [FaultRecord], idev: DeviceObject, hwpt: HWPTObject, attachPasid: UInt32) {
        self.faults = faults
        self.idev = idev
        self.hwpt = hwpt
        self.attachPasid = attachPasid
    }
}

/// `struct iommufd_fault`.
final class FaultObject: ModelObject {
    /// The model fd of the queue while it is open.
    var fd: Int32?
    /// `common.deliver`: groups not yet read.
    var deliver: [IOPFGroup] = []
    /// `response`: groups read and waiting for an answer, by cookie.
    var response: [UInt32: IOPFGroup] = [:]

    init(ctx: ModelContext) { super.init(ctx: ctx, type: .fault) }

    /// `iommufd_fault_destroy`: every pending group is answered INVALID.
    override func destroy() {
        deliver.removeAll()
        response.removeAll()
    }

    override func closeFileForAbort() {
        guard let fd else { return }
        _ = ctx.env.close(fd)
    }

    /// `iommufd_eventq_fops_release`.
    func fileReleased() {
        fd = nil
        users -= 1
        ctx.putRef()
    }

    /// Drops pending groups that match (`iommufd_auto_response_faults`).
    func dropGroups(_ match: (IOPFGroup) -> Bool) {
        deliver.removeAll(where: match)
        for (cookie, g) in response where match(g) { response[cookie] = nil }
    }

    /// `iommufd_fault_fops_read`: whole 40-byte records (ESPIPE otherwise), whole groups only
    /// (EINVAL when not even the first fits).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        let size = L.pageFaultSize
        let count = buffer.count
        if count % size != 0 { return .failure(.ESPIPE) }
        var done = 0
        var rc: Errno?
        while !deliver.isEmpty {
            let group = deliver[0]
            if done >= count || group.faults.count * size > count - done {
                if done == 0 { rc = .EINVAL }
                break
            }
            if ctx.env.shouldFail() {
                rc = .ENOMEM
                break
            }
            // xa_alloc with XA_FLAGS_ALLOC1: the lowest free cookie from 1.
            var cookie: UInt32 = 1
            while response[cookie] != nil { cookie += 1 }
            group.cookie = cookie
            response[cookie] = group
            deliver.removeFirst()
            for f in group.faults {
                let p = buffer.baseAddress! + done
                p.storeBytes(of: f.flags, toByteOffset: 0, as: UInt32.self)
                p.storeBytes(of: group.idev.id, toByteOffset: 4, as: UInt32.self)
                p.storeBytes(of: f.pasid, toByteOffset: 8, as: UInt32.self)
                p.storeBytes(of: f.groupID, toByteOffset: 12, as: UInt32.self)
                p.storeBytes(of: f.perm, toByteOffset: 16, as: UInt32.self)
                p.storeBytes(of: UInt32(0), toByteOffset: 20, as: UInt32.self)
                p.storeBytes(of: f.addr, toByteOffset: 24, as: UInt64.self)
                p.storeBytes(of: UInt32(0), toByteOffset: 32, as: UInt32.self)
                p.storeBytes(of: cookie, toByteOffset: 36, as: UInt32.self)
                done += size
            }
        }
        if done == 0, let rc { return .failure(rc) }
        return .success(done)
    }

    /// `iommufd_fault_fops_write`: whole 8-byte responses; a code other than SUCCESS/INVALID or
    /// an unknown cookie stops with EINVAL.
    func write(from buffer: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        let size = L.pageResponseSize
        let count = buffer.count
        if count % size != 0 { return .failure(.ESPIPE) }
        var done = 0
        var rc: Errno?
        while count > done {
            let p = buffer.baseAddress! + done
            let cookie = p.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
            let code = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            if code != 0 && code != 1 { rc = .EINVAL; break }
            guard response.removeValue(forKey: cookie) != nil else { rc = .EINVAL; break }
            done += size
        }
        if done == 0, let rc { return .failure(rc) }
        return .success(done)
    }
}

/// One queued vEVENT (`struct iommufd_vevent`).
struct VEvent {
    var lost: Bool
    var sequence: UInt32
    var data: [UInt8]
}

/// `struct iommufd_veventq`.
final class VEventQObject: ModelObject {
    let viommu: VIOMMUObject
    let queueType: UInt32
    let depth: UInt32
    var numEvents: UInt32 = 0
    var sequence: UInt32 = 0
    var fd: Int32?
    /// `common.deliver`; the lost-events header, when queued, is the last entry.
    var deliver: [VEvent] = []

    init(ctx: ModelContext, viommu: VIOMMUObject, type: UInt32, depth: UInt32) {
        self.viommu = viommu
        self.queueType = type
        self.depth = depth
        super.init(ctx: ctx, type: .veventq)
    }

    /// `iommufd_veventq_abort` / `_destroy`.
    override func destroy() {
        deliver.removeAll()
        viommu.users -= 1
        viommu.veventqs.removeAll { $0 === self }
    }

    override func closeFileForAbort() {
        guard let fd else { return }
        _ = ctx.env.close(fd)
    }

    func fileReleased() {
        fd = nil
        users -= 1
        ctx.putRef()
    }

    /// `iommufd_vevent_handler`: a queued lost-events header at the tail is replaced by the new
    /// entry, which takes the next sequence number (0...INT_MAX, wrapping).
    func handle(_ event: VEvent) {
        if let last = deliver.last, last.lost { deliver.removeLast() }
        var e = event
        e.sequence = sequence
        sequence = (sequence &+ 1) & K.INT_MAX
        deliver.append(e)
    }

    /// `iommufd_veventq_fops_read`: at least a header (EINVAL); whole events only, EINVAL when
    /// not even the first fits; a lost-events header needs only its 8 bytes.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Errno> {
        let count = buffer.count
        let hdr = L.veventHeaderSize
        if count < hdr { return .failure(.EINVAL) }
        var done = 0
        var rc: Errno?
        while let cur = deliver.first {
            if cur.lost && ctx.env.shouldFail() {
                if done == 0 { rc = .ENOMEM }
                break
            }
            if done >= count || hdr > count - done { break }
            if !cur.lost && hdr + cur.data.count > count - done {
                if done == 0 { rc = .EINVAL }
                break
            }
            deliver.removeFirst()
            let p = buffer.baseAddress! + done
            p.storeBytes(of: cur.lost ? UInt32(1) : 0, toByteOffset: 0, as: UInt32.self)
            p.storeBytes(of: cur.sequence, toByteOffset: 4, as: UInt32.self)
            done += hdr
            if !cur.data.isEmpty {
                cur.data.withUnsafeBytes { (buffer.baseAddress! + done).copyMemory(from: $0.baseAddress!, byteCount: cur.data.count) }
            }
            if !cur.lost { numEvents -= 1 }
            done += cur.data.count
        }
        if done == 0, let rc { return .failure(rc) }
        return .success(done)
    }
}

extension ModelContext {
    /// `iommufd_eventq_init` + fd: the file holds a users reference on the queue and a
    /// reference on the context.
    private func eventqInit(_ obj: ModelObject, _ file: ModelFile) -> Result<Int32, Errno> {
        if env.shouldFail() { return .failure(.ENOMEM) }  // anon_inode_getfile
        getRef()
        obj.users += 1
        return .success(env.install(file))
    }

    /// `iommufd_fault_alloc`: flags must be 0.
    func faultAlloc(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        if k.u32(L.FaultAlloc.flags) != 0 { return .EOPNOTSUPP }
        let fault: FaultObject
        switch objectAllocUcmd(&ucmd, { FaultObject(ctx: self) }) {
        case .success(let f): fault = f
        case .failure(let e): return e
        }
        let fd: Int32
        switch eventqInit(fault, .fault(fault)) {
        case .success(let n): fd = n
        case .failure(let e): return e
        }
        fault.fd = fd
        k.set(L.FaultAlloc.outFaultID, u32: fault.id)
        k.set(L.FaultAlloc.outFaultFD, u32: UInt32(bitPattern: fd))
        return ucmd.respond(L.FaultAlloc.size)
    }

    /// `iommufd_veventq_alloc`: flags, reserved and type DEFAULT are EOPNOTSUPP; depth must be
    /// 1...2^19 (EINVAL); one queue per type per vIOMMU (EEXIST).
    func veventqAlloc(_ ucmd: inout UCmd) -> Errno? {
        let k = ucmd.k
        let type = k.u32(L.VEventQAlloc.type)
        let depth = k.u32(L.VEventQAlloc.depth)
        if k.u32(L.VEventQAlloc.flags) != 0 || k.u32(L.VEventQAlloc.reserved) != 0 || type == 0 { return .EOPNOTSUPP }
        if depth == 0 || depth > 1 << 19 { return .EINVAL }
        guard let vo = get(k.u32(L.VEventQAlloc.viommuID), .viommu) else { return .ENOENT }
        let viommu = unsafeDowncast(vo, to: VIOMMUObject.self)
        if viommu.veventqs.contains(where: { $0.queueType == type }) { return .EEXIST }
        let q: VEventQObject
        switch objectAlloc({ VEventQObject(ctx: self, viommu: viommu, type: type, depth: depth) }) {
        case .success(let o): q = o
        case .failure(let e): return e
        }
        viommu.users += 1
        viommu.veventqs.append(q)
        switch eventqInit(q, .veventq(q)) {
        case .success(let fd): q.fd = fd
        case .failure(let e):
            abortAndDestroy(q)
            return e
        }
        k.set(L.VEventQAlloc.outID, u32: q.id)
        k.set(L.VEventQAlloc.outFD, u32: UInt32(bitPattern: q.fd!))
        if let e = ucmd.respond(L.VEventQAlloc.size) {
            abortAndDestroy(q)
            return e
        }
        finalize(q)
        return nil
    }

    /// `iommufd_viommu_report_event`: queue an event of `type` (EOPNOTSUPP without such a
    /// queue); a full queue (or a failed allocation) queues the lost-events header instead.
    func viommuReportEvent(_ viommu: VIOMMUObject, type: UInt32, data: [UInt8]) -> Errno? {
        guard let q = viommu.veventqs.first(where: { $0.queueType == type }) else { return .EOPNOTSUPP }
        if env.shouldFail() {
            q.handle(VEvent(lost: true, sequence: 0, data: []))
            return .ENOMEM
        }
        if q.numEvents == q.depth {
            q.handle(VEvent(lost: true, sequence: 0, data: []))
            return nil
        }
        q.numEvents += 1
        q.handle(VEvent(lost: false, sequence: 0, data: data))
        return nil
    }

    /// `iommu_report_device_fault` (io-pgfault.c): the fault goes to the fault queue of the
    /// domain attached to the PASID (or, for a user PASID table, the RID's nested domain) or
    /// the RID; without a fault-capable domain it is answered and dropped.
    func reportDeviceFault(_ idev: DeviceObject, _ fault: FaultRecord) {
        let dev = idev.dev
        var pasid = K.noPASID
        var domain: IOMMUDomain?
        if fault.flags & 1 != 0 {
            domain = IOMMUCore.attachedDomain(dev, pasid: fault.pasid)
            pasid = fault.pasid
            if domain == nil {
                guard env.driver.userPasidTable else { return }
                domain = IOMMUCore.attachedDomain(dev, pasid: K.noPASID)
                pasid = K.noPASID
                if domain?.kind != .nested { return }
            }
        } else {
            domain = IOMMUCore.attachedDomain(dev, pasid: K.noPASID)
        }
        guard let domain, domain.iopfHandler, let hwpt = domain.hwpt, let queue = hwpt.fault else { return }
        if env.shouldFail() { return }  // iopf_group_alloc falls back to an abort response
        let owner = idev.igroup.pasidAttach[pasid]?.devices.first?.idev ?? idev
        queue.deliver.append(IOPFGroup(faults: [fault], idev: owner, hwpt: hwpt, attachPasid: pasid))
    }
}
