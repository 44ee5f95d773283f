/// Sentences on what an errno most likely means for a given call, from the Linux 7.2 rules.
/// They name the usual cause and what to do; the context of the call is printed beside them.
enum ErrorHints {
    static func hint(operation: String, errno: Errno) -> String {
        if let specific = specific[Key(operation, errno)] { return specific }
        return generic[errno] ?? ""
    }

    private struct Key: Hashable {
        let operation: String
        let errno: Errno
        init(_ operation: String, _ errno: Errno) {
            self.operation = operation
            self.errno = errno
        }
    }

    private static let specific: [Key: String] = [
        Key("open", .ENOENT): "the node does not exist: /dev/iommu needs CONFIG_IOMMUFD, a VFIO cdev needs CONFIG_VFIO_DEVICE_CDEV and a device bound to vfio-pci",
        Key("open", .EACCES): "no permission: run as root, or give this user the node (udev rule or chown)",
        Key("open", .EPERM): "no permission: run as root, or give this user the node (udev rule or chown)",
        Key("IOMMU_IOAS_MAP", .EFAULT): "the range is not pinnable memory; a PCI BAR (VM_PFNMAP) needs IOMMU_IOAS_MAP_FILE with a dma-buf from VFIO_DEVICE_FEATURE_DMA_BUF",
        Key("IOMMU_IOAS_MAP", .EEXIST): "the fixed IOVA overlaps an existing mapping; unmap it first or let the kernel choose the IOVA",
        Key("IOMMU_IOAS_MAP", .EINVAL): "length is 0 or not aligned to the IOAS's iova_alignment, the fixed IOVA is misaligned or reserved, or no READ/WRITE permission was given",
        Key("IOMMU_IOAS_MAP", .ENOSPC): "no free IOVA hole of that size inside the allowed ranges",
        Key("IOMMU_IOAS_MAP", .ENOMEM): "out of memory, or RLIMIT_MEMLOCK is too small for the pinned pages (raise it, or set the rlimit mode)",
        Key("IOMMU_IOAS_MAP", .EPERM): "a writeable mapping of read-only memory",
        Key("IOMMU_IOAS_MAP_FILE", .EBADF): "the fd is neither a regular file/memfd nor a supported dma-buf",
        Key("IOMMU_IOAS_MAP_FILE", .ENODEV): "the dma-buf was revoked (its device was reset or unbound)",
        Key("IOMMU_IOAS_UNMAP", .ENOENT): "nothing is mapped there, or the range cuts an area in two: the kernel never splits a mapping, unmap whole areas",
        Key("IOMMU_IOAS_UNMAP", .EBUSY): "an in-kernel user (an access) still pins pages of that area",
        Key("IOMMU_IOAS_COPY", .ENOENT): "the source range is not entirely covered by mappings of the source IOAS",
        Key("IOMMU_IOAS_ALLOW_IOVAS", .EADDRINUSE): "an allowed range overlaps space reserved by an attached device (MSI window, reserved regions)",
        Key("IOMMU_IOAS_IOVA_RANGES", .EMSGSIZE): "the array was too small; num_iovas now holds the count needed",
        Key("IOMMU_DESTROY", .EBUSY): "the object is still in use: detach devices and destroy the objects built on it (nested HWPTs, vIOMMUs, vDEVICEs, queues) first",
        Key("IOMMU_DESTROY", .ENOENT): "no object has this id (already destroyed, or never created in this context)",
        Key("IOMMU_OPTION", .EPERM): "setting the rlimit mode needs CAP_SYS_RESOURCE",
        Key("IOMMU_OPTION", .EBUSY): "the rlimit mode can only change while the context holds no objects",
        Key("IOMMU_HWPT_ALLOC", .EOPNOTSUPP): "the IOMMU or its driver does not support these flags or data: NEST_PARENT needs nesting (VT-d: scalable mode and ecap.NEST; SMMUv3: IDR0.S1P and S2P), DIRTY_TRACKING needs the dirty capability, and SMMUv3 nested HWPTs go through a vIOMMU",
        Key("IOMMU_HWPT_ALLOC", .EINVAL): "pt_id is not an IOAS, a nest-parent HWPT or a vIOMMU, the parent is not a nest parent, or the data length does not match the type",
        Key("IOMMU_HWPT_ALLOC", .ENOENT): "dev_id, pt_id or fault_id names no object",
        Key("IOMMU_HWPT_ALLOC", .EIO): "the SMMUv3 driver rejected the vSTE: a bit outside the allowed fields, Config not abort/bypass/stage-1, or EATS not 0/1",
        Key("IOMMU_GET_HW_INFO", .EOPNOTSUPP): "the driver does not report the requested input type, or flags/reserved bits are set",
        Key("IOMMU_GET_HW_INFO", .ENOENT): "dev_id is not a bound device of this context",
        Key("IOMMU_HWPT_INVALIDATE", .EINVAL): "the target is a paging HWPT (invalidate nested HWPTs or a vIOMMU), or the data type or entry length is wrong; entry_num tells how many entries were done",
        Key("IOMMU_HWPT_INVALIDATE", .EIO): "the SMMUv3 driver rejected a command: an opcode it does not accept, or a vSID with no vDEVICE",
        Key("IOMMU_HWPT_SET_DIRTY_TRACKING", .EOPNOTSUPP): "the HWPT was not allocated with DIRTY_TRACKING, or its IOMMU cannot track dirty pages",
        Key("IOMMU_HWPT_GET_DIRTY_BITMAP", .EINVAL): "iova, length and page_size must be aligned to each other and to the IOAS alignment, and page_size non-zero",
        Key("IOMMU_VIOMMU_ALLOC", .EOPNOTSUPP): "the IOMMU cannot host a vIOMMU of this type (SMMUv3 needs nesting and IDR3.FWB or a CANWBS root complex)",
        Key("IOMMU_VIOMMU_ALLOC", .EINVAL): "hwpt_id is not a nest-parent HWPT on this device's IOMMU",
        Key("IOMMU_VDEVICE_ALLOC", .EEXIST): "the device already has a vDEVICE, or the virtual id is taken in this vIOMMU",
        Key("IOMMU_VEVENTQ_ALLOC", .EEXIST): "this vIOMMU already has an event queue of this type",
        Key("VFIO_DEVICE_BIND_IOMMUFD", .EINVAL): "the fd is already bound, was obtained through a VFIO group, or the arguments are malformed",
        Key("VFIO_DEVICE_BIND_IOMMUFD", .EPERM): "the platform lacks interrupt remapping (isolated MSI); see vfio's allow_unsafe_interrupts",
        Key("VFIO_DEVICE_BIND_IOMMUFD", .EBUSY): "another owner (a host driver or another iommufd) holds the device's IOMMU group",
        Key("VFIO_DEVICE_ATTACH_IOMMUFD_PT", .EINVAL): "the page table is incompatible with this device (different IOMMU, another group member attached elsewhere, or PASID rules)",
        Key("VFIO_DEVICE_ATTACH_IOMMUFD_PT", .EADDRINUSE): "existing mappings collide with this device's reserved regions or the domain's stricter alignment",
        Key("VFIO_DEVICE_ATTACH_IOMMUFD_PT", .ENOENT): "no such IOAS/HWPT, or (SMMUv3) a translating vSTE needs a vDEVICE for this device first",
        Key("VFIO_DEVICE_ATTACH_IOMMUFD_PT", .EBUSY): "the PASID is already attached, or a stage-1 context entry is in use",
        Key("IOMMU_VFIO_IOAS", .ENODEV): "no compat IOAS exists yet in this context",
        Key("VFIO_IOMMU_MAP_DMA", .ENODEV): "no compat IOAS: set one (IOMMU_VFIO_IOAS SET) or attach a group first",
        Key("VFIO_IOMMU_UNMAP_DMA", .ENODEV): "no compat IOAS: set one (IOMMU_VFIO_IOAS SET) or attach a group first",
    ]

    private static let generic: [Errno: String] = [
        .ENOTTY: "this kernel does not know the ioctl (too old, or iommufd/VFIO cdev not built in)",
        .E2BIG: "the struct has non-zero bytes past what this kernel knows: a newer field is set that an older kernel lacks; leave it zero or use a newer kernel",
        .EOPNOTSUPP: "a known field holds a value the kernel or driver does not support (flags, a reserved field, a type)",
        .EINVAL: "a field value is not valid for this call",
        .ENOENT: "an id or IOVA named in the call does not exist",
        .EOVERFLOW: "an address or length computation overflowed",
        .EBUSY: "the object is in use",
        .EFAULT: "the kernel could not read or write a user pointer of the call",
    ]
}
