import CIOMMUFD

/// An I/O page fault queue (`IOMMU_FAULT_QUEUE_ALLOC`): HWPTs allocated with it deliver their
/// device page requests here, read as `iommu_hwpt_pgfault` records from its fd, and the VMM
/// answers each group with an `iommu_hwpt_page_response`.
///
/// The fd holds a reference on the kernel object, so `destroy()` closes it first.
public final class FaultQueue: IOMMUFDObject {
    /// The backend's fd of the queue; -1 once closed.
    public private(set) var fd: Int32

    init(context: IOMMUFD, id: UInt32, fd: Int32) {
        self.fd = fd
        super.init(context: context, id: id, kind: .fault)
    }

    /// Reads the pending faults (up to `maxCount` records); returns what is complete. The kernel
    /// requires reads in whole 40-byte records.
    public func readFaults(maxCount: Int = 64) throws(IOMMUFDError) -> [PageFault] {
        let recordSize = PageFault.size
        var buffer = [UInt8](repeating: 0, count: recordSize * maxCount)
        let count = try buffer.withMutableBytes { (raw) throws(IOMMUFDError) -> Int in
            try context.syscalls.read(fd, into: raw, what: "fault queue \(id) (fd \(fd))")
        }
        var faults: [PageFault] = []
        var offset = 0
        while offset + recordSize <= count {
            if let fault = try? PageFault(bytes: Array(buffer[offset..<offset + recordSize])) {
                faults.append(fault)
            }
            offset += recordSize
        }
        return faults
    }

    /// Answers a fault group (`iommu_hwpt_page_response` written to the fd).
    public func respond(_ response: PageResponse) throws(IOMMUFDError) {
        let bytes = response.bytes
        _ = try bytes.withBytes { (raw) throws(IOMMUFDError) -> Int in
            try context.syscalls.write(fd, from: raw, what: "fault queue \(id) response, cookie \(response.cookie)")
        }
    }

    public override func destroy() throws(IOMMUFDError) {
        closeFD()
        try super.destroy()
    }

    func closeFD() {
        if fd >= 0 {
            _ = context.syscalls.close(fd)
            fd = -1
        }
    }

    deinit { closeFD() }
}

extension IOMMUFD {
    /// Allocates a fault queue (`IOMMU_FAULT_QUEUE_ALLOC`).
    public func allocFaultQueue() throws(IOMMUFDError) -> FaultQueue {
        var arg = iommu_fault_alloc(size: UInt32(MemoryLayout<iommu_fault_alloc>.size), flags: 0, out_fault_id: 0, out_fault_fd: 0)
        try ioctl(.IOMMU_FAULT_QUEUE_ALLOC, &arg)
        return FaultQueue(context: self, id: arg.out_fault_id, fd: Int32(bitPattern: arg.out_fault_fd))
    }
}
