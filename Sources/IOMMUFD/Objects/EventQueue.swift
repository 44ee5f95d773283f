import CIOMMUFD

/// A vIOMMU event queue (`IOMMU_VEVENTQ_ALLOC`): events the physical IOMMU raised for the
/// guest's devices, read from its fd as header + record pairs. A gap in the headers' sequence
/// numbers, or a header flagged LOST_EVENTS, means the queue overflowed.
///
/// The fd holds a reference on the kernel object, so `destroy()` closes it first.
public final class EventQueue: IOMMUFDObject {
    public private(set) var fd: Int32
    public let viommu: VIOMMU
    public let type: UInt32
    public let depth: UInt32
    private var parser: VEventStreamParser

    init(context: IOMMUFD, id: UInt32, fd: Int32, viommu: VIOMMU, type: UInt32, depth: UInt32) {
        self.fd = fd
        self.viommu = viommu
        self.type = type
        self.depth = depth
        self.parser = VEventStreamParser(payloadSize: EventQueue.payloadSize(forType: type), expectingFirstSequence: 0)
        super.init(context: context, id: id, kind: .veventq)
    }

    /// Reads what is queued (up to `bufferSize` bytes) and returns the parsed entries, with
    /// sequence gaps and lost-event markers made explicit.
    public func read(bufferSize: Int = 4096) throws(IOMMUFDError) -> [VEventStreamParser.Item] {
        var buffer = [UInt8](repeating: 0, count: bufferSize)
        let count = try buffer.withMutableBytes { (raw) throws(IOMMUFDError) -> Int in
            try context.syscalls.read(fd, into: raw, what: "vEVENTQ \(id) (fd \(fd))")
        }
        return parser.parse(Array(buffer.prefix(count)))
    }

    /// The size of one event record of a vEVENTQ type (after its 8-byte header).
    public static func payloadSize(forType type: UInt32) -> Int {
        switch type {
        case 1: 32  // IOMMU_VEVENTQ_TYPE_ARM_SMMUV3: iommu_vevent_arm_smmuv3
        case 2: 16  // IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV: iommu_vevent_tegra241_cmdqv
        case MockIOMMU.veventqType: 4  // iommu_viommu_event_selftest
        default: 0
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
