import CIOMMUFD

// Every ioctl request the library can send, named as in the kernel's headers. The numbers come
// from the C shim (CIOMMUFD_* enumerators, since Swift cannot expand _IO()), which
// layout_asserts.c pins to the Linux 7.2 values.

// MARK: - iommufd (/dev/iommu), nr 0x80...0x94

extension IoctlRequest {
    /// Destroy an object by id (EBUSY while it is still in use).
    public static let IOMMU_DESTROY = IoctlRequest(UInt(CIOMMUFD_IOMMU_DESTROY), "IOMMU_DESTROY")
    /// Allocate an empty I/O address space (IOAS).
    public static let IOMMU_IOAS_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_ALLOC), "IOMMU_IOAS_ALLOC")
    /// Replace the IOVA ranges automatic allocation in an IOAS may use.
    public static let IOMMU_IOAS_ALLOW_IOVAS = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS), "IOMMU_IOAS_ALLOW_IOVAS")
    /// Map pages already mapped in one IOAS into another.
    public static let IOMMU_IOAS_COPY = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_COPY), "IOMMU_IOAS_COPY")
    /// Read the usable IOVA ranges and the IOVA alignment of an IOAS.
    public static let IOMMU_IOAS_IOVA_RANGES = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_IOVA_RANGES), "IOMMU_IOAS_IOVA_RANGES")
    /// Map process memory into an IOAS.
    public static let IOMMU_IOAS_MAP = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_MAP), "IOMMU_IOAS_MAP")
    /// Unmap whole areas of an IOAS, returning the bytes unmapped.
    public static let IOMMU_IOAS_UNMAP = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_UNMAP), "IOMMU_IOAS_UNMAP")
    /// Get or set a context-wide or per-object option (RLIMIT_MODE, HUGE_PAGES).
    public static let IOMMU_OPTION = IoctlRequest(UInt(CIOMMUFD_IOMMU_OPTION), "IOMMU_OPTION")
    /// Get, set or clear the IOAS used by the VFIO container compat layer.
    public static let IOMMU_VFIO_IOAS = IoctlRequest(UInt(CIOMMUFD_IOMMU_VFIO_IOAS), "IOMMU_VFIO_IOAS")
    /// Allocate a HW page table: paging on an IOAS, nested on a parent HWPT or vIOMMU.
    public static let IOMMU_HWPT_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_HWPT_ALLOC), "IOMMU_HWPT_ALLOC")
    /// Read a device's IOMMU hardware information and capabilities.
    public static let IOMMU_GET_HW_INFO = IoctlRequest(UInt(CIOMMUFD_IOMMU_GET_HW_INFO), "IOMMU_GET_HW_INFO")
    /// Start or stop dirty tracking on a HWPT.
    public static let IOMMU_HWPT_SET_DIRTY_TRACKING = IoctlRequest(UInt(CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING), "IOMMU_HWPT_SET_DIRTY_TRACKING")
    /// Read (and by default clear) a HWPT's dirty bitmap for an IOVA range.
    public static let IOMMU_HWPT_GET_DIRTY_BITMAP = IoctlRequest(UInt(CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP), "IOMMU_HWPT_GET_DIRTY_BITMAP")
    /// Invalidate caches of a nested HWPT or a vIOMMU with an array of driver entries.
    public static let IOMMU_HWPT_INVALIDATE = IoctlRequest(UInt(CIOMMUFD_IOMMU_HWPT_INVALIDATE), "IOMMU_HWPT_INVALIDATE")
    /// Allocate an I/O page fault queue and its fd.
    public static let IOMMU_FAULT_QUEUE_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC), "IOMMU_FAULT_QUEUE_ALLOC")
    /// Map a range of a memfd or dma-buf fd into an IOAS.
    public static let IOMMU_IOAS_MAP_FILE = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_MAP_FILE), "IOMMU_IOAS_MAP_FILE")
    /// Allocate a virtual IOMMU instance over a nest-parent HWPT.
    public static let IOMMU_VIOMMU_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_VIOMMU_ALLOC), "IOMMU_VIOMMU_ALLOC")
    /// Give a device its guest-visible id inside a vIOMMU.
    public static let IOMMU_VDEVICE_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_VDEVICE_ALLOC), "IOMMU_VDEVICE_ALLOC")
    /// Move pinned-page accounting of file-backed maps to the calling process.
    public static let IOMMU_IOAS_CHANGE_PROCESS = IoctlRequest(UInt(CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS), "IOMMU_IOAS_CHANGE_PROCESS")
    /// Allocate a virtual event queue of one type on a vIOMMU, and its fd.
    public static let IOMMU_VEVENTQ_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_VEVENTQ_ALLOC), "IOMMU_VEVENTQ_ALLOC")
    /// Hand a guest-owned hardware queue (e.g. a Tegra241 VCMDQ) to the IOMMU.
    public static let IOMMU_HW_QUEUE_ALLOC = IoctlRequest(UInt(CIOMMUFD_IOMMU_HW_QUEUE_ALLOC), "IOMMU_HW_QUEUE_ALLOC")
}

// MARK: - VFIO: container, group and device fds

extension IoctlRequest {
    /// Container: return the VFIO API version (0).
    public static let VFIO_GET_API_VERSION = IoctlRequest(UInt(CIOMMUFD_VFIO_GET_API_VERSION), "VFIO_GET_API_VERSION")
    /// Container: ask whether an extension (IOMMU model) id, passed by value, is supported.
    public static let VFIO_CHECK_EXTENSION = IoctlRequest(UInt(CIOMMUFD_VFIO_CHECK_EXTENSION), "VFIO_CHECK_EXTENSION")
    /// Container: choose the IOMMU model (TYPE1 or TYPE1v2), passed by value.
    public static let VFIO_SET_IOMMU = IoctlRequest(UInt(CIOMMUFD_VFIO_SET_IOMMU), "VFIO_SET_IOMMU")
    /// Group: read whether the group is viable and already in a container.
    public static let VFIO_GROUP_GET_STATUS = IoctlRequest(UInt(CIOMMUFD_VFIO_GROUP_GET_STATUS), "VFIO_GROUP_GET_STATUS")
    /// Group: put the group in a container (a /dev/vfio/vfio fd or an iommufd fd).
    public static let VFIO_GROUP_SET_CONTAINER = IoctlRequest(UInt(CIOMMUFD_VFIO_GROUP_SET_CONTAINER), "VFIO_GROUP_SET_CONTAINER")
    /// Group: take the group out of its container.
    public static let VFIO_GROUP_UNSET_CONTAINER = IoctlRequest(UInt(CIOMMUFD_VFIO_GROUP_UNSET_CONTAINER), "VFIO_GROUP_UNSET_CONTAINER")
    /// Group: open a device of the group by name, returning its fd.
    public static let VFIO_GROUP_GET_DEVICE_FD = IoctlRequest(UInt(CIOMMUFD_VFIO_GROUP_GET_DEVICE_FD), "VFIO_GROUP_GET_DEVICE_FD")
    /// Device: read the bus kind, reset support and region and IRQ counts.
    public static let VFIO_DEVICE_GET_INFO = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_GET_INFO), "VFIO_DEVICE_GET_INFO")
    /// Device: read a region's size, access flags and offset in the device fd (BARs, config space).
    public static let VFIO_DEVICE_GET_REGION_INFO = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO), "VFIO_DEVICE_GET_REGION_INFO")
    /// Device: reset the device.
    public static let VFIO_DEVICE_RESET = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_RESET), "VFIO_DEVICE_RESET")
    /// Container: read type1 IOMMU info (page sizes, IOVA ranges, DMA mappings left).
    public static let VFIO_IOMMU_GET_INFO = IoctlRequest(UInt(CIOMMUFD_VFIO_IOMMU_GET_INFO), "VFIO_IOMMU_GET_INFO")
    /// Device: list the devices a PCI hot reset would also reset (same number as VFIO_IOMMU_GET_INFO).
    public static let VFIO_DEVICE_GET_PCI_HOT_RESET_INFO = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO), "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO")
    /// Container: map process memory at an IOVA (type1).
    public static let VFIO_IOMMU_MAP_DMA = IoctlRequest(UInt(CIOMMUFD_VFIO_IOMMU_MAP_DMA), "VFIO_IOMMU_MAP_DMA")
    /// Device: PCI hot reset of the slot or bus (same number as VFIO_IOMMU_MAP_DMA).
    public static let VFIO_DEVICE_PCI_HOT_RESET = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_PCI_HOT_RESET), "VFIO_DEVICE_PCI_HOT_RESET")
    /// Container: unmap an IOVA range (type1), returning the bytes unmapped.
    public static let VFIO_IOMMU_UNMAP_DMA = IoctlRequest(UInt(CIOMMUFD_VFIO_IOMMU_UNMAP_DMA), "VFIO_IOMMU_UNMAP_DMA")
    /// Device: get, set or probe a device feature (dma-buf export, bus master, migration...).
    public static let VFIO_DEVICE_FEATURE = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_FEATURE), "VFIO_DEVICE_FEATURE")
    /// Container: type1 dirty-page logging (same number as VFIO_DEVICE_FEATURE; iommufd answers ENOTTY).
    public static let VFIO_IOMMU_DIRTY_PAGES = IoctlRequest(UInt(CIOMMUFD_VFIO_IOMMU_DIRTY_PAGES), "VFIO_IOMMU_DIRTY_PAGES")
    /// Device cdev: bind the device to an iommufd, returning its device object id.
    public static let VFIO_DEVICE_BIND_IOMMUFD = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD), "VFIO_DEVICE_BIND_IOMMUFD")
    /// Device cdev: attach the RID or a PASID to an IOAS or HWPT (replaces an existing attach).
    public static let VFIO_DEVICE_ATTACH_IOMMUFD_PT = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT), "VFIO_DEVICE_ATTACH_IOMMUFD_PT")
    /// Device cdev: detach the RID or a PASID from its page table (DMA is then blocked).
    public static let VFIO_DEVICE_DETACH_IOMMUFD_PT = IoctlRequest(UInt(CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT), "VFIO_DEVICE_DETACH_IOMMUFD_PT")
}

// MARK: - Selftest (only a kernel built with CONFIG_IOMMUFD_TEST answers)

extension IoctlRequest {
    /// Run one mock-driver test op (IOMMU_TEST_OP_*); ENOTTY without CONFIG_IOMMUFD_TEST.
    public static let IOMMU_TEST_CMD = IoctlRequest(UInt(CIOMMUFD_IOMMU_TEST_CMD), "IOMMU_TEST_CMD")
}

// MARK: - Lists and lookups

extension IoctlRequest {
    /// The 21 iommufd commands of Linux 7.2, in nr order (0x80...0x94).
    public static let allIOMMUFD: [IoctlRequest] = [
        .IOMMU_DESTROY, .IOMMU_IOAS_ALLOC, .IOMMU_IOAS_ALLOW_IOVAS, .IOMMU_IOAS_COPY,
        .IOMMU_IOAS_IOVA_RANGES, .IOMMU_IOAS_MAP, .IOMMU_IOAS_UNMAP, .IOMMU_OPTION,
        .IOMMU_VFIO_IOAS, .IOMMU_HWPT_ALLOC, .IOMMU_GET_HW_INFO, .IOMMU_HWPT_SET_DIRTY_TRACKING,
        .IOMMU_HWPT_GET_DIRTY_BITMAP, .IOMMU_HWPT_INVALIDATE, .IOMMU_FAULT_QUEUE_ALLOC,
        .IOMMU_IOAS_MAP_FILE, .IOMMU_VIOMMU_ALLOC, .IOMMU_VDEVICE_ALLOC,
        .IOMMU_IOAS_CHANGE_PROCESS, .IOMMU_VEVENTQ_ALLOC, .IOMMU_HW_QUEUE_ALLOC,
    ]

    /// The VFIO requests declared by the shim, in nr order. VFIO numbers are per fd type, so some
    /// repeat: where two share a number, the container call is listed before the device call,
    /// except VFIO_DEVICE_FEATURE, which comes before the rarely used VFIO_IOMMU_DIRTY_PAGES.
    public static let allVFIO: [IoctlRequest] = [
        .VFIO_GET_API_VERSION, .VFIO_CHECK_EXTENSION, .VFIO_SET_IOMMU,
        .VFIO_GROUP_GET_STATUS, .VFIO_GROUP_SET_CONTAINER, .VFIO_GROUP_UNSET_CONTAINER,
        .VFIO_GROUP_GET_DEVICE_FD, .VFIO_DEVICE_GET_INFO, .VFIO_DEVICE_GET_REGION_INFO,
        .VFIO_DEVICE_RESET, .VFIO_IOMMU_GET_INFO, .VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
        .VFIO_IOMMU_MAP_DMA, .VFIO_DEVICE_PCI_HOT_RESET, .VFIO_IOMMU_UNMAP_DMA,
        .VFIO_DEVICE_FEATURE, .VFIO_IOMMU_DIRTY_PAGES, .VFIO_DEVICE_BIND_IOMMUFD,
        .VFIO_DEVICE_ATTACH_IOMMUFD_PT, .VFIO_DEVICE_DETACH_IOMMUFD_PT,
    ]

    /// The selftest requests.
    public static let allSelftest: [IoctlRequest] = [.IOMMU_TEST_CMD]

    /// Every request: iommufd, then VFIO, then selftest.
    public static let all: [IoctlRequest] = allIOMMUFD + allVFIO + allSelftest

    private static let byName: [String: IoctlRequest] =
        Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// The request with this kernel name ("IOMMU_IOAS_MAP"), if the shim declares it.
    public static func named(_ name: String) -> IoctlRequest? {
        byName[name]
    }

    /// The request with this number. Where VFIO reuses a number on another fd type, the first in
    /// `all` order wins; `allForValue(_:)` lists every candidate.
    public static func forValue(_ value: UInt) -> IoctlRequest? {
        all.first { $0.value == value }
    }

    /// Every declared request with this number (more than one only for VFIO's per-fd numbers).
    public static func allForValue(_ value: UInt) -> [IoctlRequest] {
        all.filter { $0.value == value }
    }

    /// The ioctl type byte (';' = 0x3b for iommufd and VFIO).
    public var ioctlType: UInt8 { UInt8(truncatingIfNeeded: value >> 8) }

    /// The command number, the low byte (0x80...0x94 for iommufd, 100 + n for VFIO).
    public var nr: UInt8 { UInt8(truncatingIfNeeded: value) }
}
