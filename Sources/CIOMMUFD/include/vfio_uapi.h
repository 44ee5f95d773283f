/*
 * The VFIO user API of Linux 7.2 that an iommufd user needs, declared by this project: the
 * device cdev calls (/dev/vfio/devices/vfioN) and the legacy container and group calls that
 * iommufd's compat layer answers on /dev/vfio/vfio and on an iommufd fd.
 *
 * Kernel names, 7.2 layouts (pinned by layout_asserts.c). <linux/vfio.h> is never included:
 * Debian 12's copy predates the cdev calls and would clash with these declarations.
 */
#ifndef CIOMMUFD_VFIO_UAPI_H
#define CIOMMUFD_VFIO_UAPI_H

#include "iommufd_uapi.h"

/** VFIO_GET_API_VERSION answers this. */
#define VFIO_API_VERSION 0

/* Extension ids for VFIO_CHECK_EXTENSION; the IOMMU ones are also VFIO_SET_IOMMU types. */
#define VFIO_TYPE1_IOMMU 1
#define VFIO_SPAPR_TCE_IOMMU 2
#define VFIO_TYPE1v2_IOMMU 3
#define VFIO_DMA_CC_IOMMU 4
#define VFIO_EEH 5
#define __VFIO_RESERVED_TYPE1_NESTING_IOMMU 6
#define VFIO_SPAPR_TCE_v2_IOMMU 7
#define VFIO_NOIOMMU_IOMMU 8
#define VFIO_UNMAP_ALL 9
#define VFIO_UPDATE_VADDR 10

/** ioctl type byte (the same ';' as iommufd) and the first VFIO nr. */
#define VFIO_TYPE (';')
#define VFIO_BASE 100

/** Header of each capability in a capability chain; next is a byte offset from the info struct. */
struct vfio_info_cap_header {
	__u16 id;
	__u16 version;
	__u32 next;
};

/* ------------------------------------------------------------------------------------------ */
/* Container fd (/dev/vfio/vfio, or an iommufd fd through the compat layer)                   */
/* ------------------------------------------------------------------------------------------ */

/** Returns VFIO_API_VERSION; no argument. */
#define VFIO_GET_API_VERSION _IO(VFIO_TYPE, VFIO_BASE + 0)
/** Returns > 0 if the extension id passed by value is supported. */
#define VFIO_CHECK_EXTENSION _IO(VFIO_TYPE, VFIO_BASE + 1)
/** Picks the IOMMU model (VFIO_TYPE1_IOMMU, VFIO_TYPE1v2_IOMMU) passed by value. */
#define VFIO_SET_IOMMU _IO(VFIO_TYPE, VFIO_BASE + 2)

/* ------------------------------------------------------------------------------------------ */
/* Group fd (/dev/vfio/<group>)                                                               */
/* ------------------------------------------------------------------------------------------ */

/** VFIO_GROUP_GET_STATUS: whether the group is viable and already in a container. */
struct vfio_group_status {
	__u32 argsz;
	__u32 flags;
#define VFIO_GROUP_FLAGS_VIABLE (1 << 0)
#define VFIO_GROUP_FLAGS_CONTAINER_SET (1 << 1)
};
#define VFIO_GROUP_GET_STATUS _IO(VFIO_TYPE, VFIO_BASE + 3)
/** Argument: pointer to an s32 container fd (a /dev/vfio/vfio fd or an iommufd fd). */
#define VFIO_GROUP_SET_CONTAINER _IO(VFIO_TYPE, VFIO_BASE + 4)
/** No argument. */
#define VFIO_GROUP_UNSET_CONTAINER _IO(VFIO_TYPE, VFIO_BASE + 5)
/** Argument: the device name (e.g. a PCI BDF string); returns a new device fd. */
#define VFIO_GROUP_GET_DEVICE_FD _IO(VFIO_TYPE, VFIO_BASE + 6)

/* ------------------------------------------------------------------------------------------ */
/* Device fd                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** VFIO_DEVICE_GET_INFO: bus kind, reset support and the number of regions and IRQ indexes. */
struct vfio_device_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_FLAGS_RESET (1 << 0)
#define VFIO_DEVICE_FLAGS_PCI (1 << 1)
#define VFIO_DEVICE_FLAGS_PLATFORM (1 << 2)
#define VFIO_DEVICE_FLAGS_AMBA (1 << 3)
#define VFIO_DEVICE_FLAGS_CCW (1 << 4)
#define VFIO_DEVICE_FLAGS_AP (1 << 5)
#define VFIO_DEVICE_FLAGS_FSL_MC (1 << 6)
#define VFIO_DEVICE_FLAGS_CAPS (1 << 7)
#define VFIO_DEVICE_FLAGS_CDX (1 << 8)
	__u32 num_regions;
	__u32 num_irqs;
	/* first capability, as a byte offset from the start of this struct (flag CAPS) */
	__u32 cap_offset;
	__u32 pad;
};
#define VFIO_DEVICE_GET_INFO _IO(VFIO_TYPE, VFIO_BASE + 7)

/** VFIO_DEVICE_GET_REGION_INFO: size, access and device-fd offset (for pread/mmap) of a region. */
struct vfio_region_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_REGION_INFO_FLAG_READ (1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE (1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP (1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS (1 << 3)
	__u32 index;
	__u32 cap_offset;
	__aligned_u64 size;
	__aligned_u64 offset;
};
#define VFIO_DEVICE_GET_REGION_INFO _IO(VFIO_TYPE, VFIO_BASE + 8)

/* Capability ids in a region info chain. */
#define VFIO_REGION_INFO_CAP_SPARSE_MMAP 1
#define VFIO_REGION_INFO_CAP_TYPE 2
#define VFIO_REGION_INFO_CAP_MSIX_MAPPABLE 3

/** One mmap-able window of a region, relative to the region's start. */
struct vfio_region_sparse_mmap_area {
	__aligned_u64 offset;
	__aligned_u64 size;
};

/** Capability VFIO_REGION_INFO_CAP_SPARSE_MMAP: only these windows of the region can be mmapped. */
struct vfio_region_info_cap_sparse_mmap {
	struct vfio_info_cap_header header;
	__u32 nr_areas;
	__u32 reserved;
	struct vfio_region_sparse_mmap_area areas[];
};

/** Capability VFIO_REGION_INFO_CAP_TYPE: a device-specific region's type and subtype. */
struct vfio_region_info_cap_type {
	struct vfio_info_cap_header header;
	__u32 type;
	__u32 subtype;
};

/** Resets the device (needs VFIO_DEVICE_FLAGS_RESET); no argument. */
#define VFIO_DEVICE_RESET _IO(VFIO_TYPE, VFIO_BASE + 11)

/** Fixed region indexes of a vfio-pci device. */
enum {
	VFIO_PCI_BAR0_REGION_INDEX,
	VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX,
	VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX,
	VFIO_PCI_BAR5_REGION_INDEX,
	VFIO_PCI_ROM_REGION_INDEX,
	VFIO_PCI_CONFIG_REGION_INDEX,
	VFIO_PCI_VGA_REGION_INDEX,
	VFIO_PCI_NUM_REGIONS = 9,
};

/** One device affected by a PCI hot reset: a group id, or a cdev devid with FLAG_DEV_ID. */
struct vfio_pci_dependent_device {
	union {
		__u32 group_id;
		__u32 devid;
#define VFIO_PCI_DEVID_OWNED 0
#define VFIO_PCI_DEVID_NOT_OWNED -1
	};
	__u16 segment;
	__u8 bus;
	__u8 devfn;
};

/** VFIO_DEVICE_GET_PCI_HOT_RESET_INFO: the devices a hot reset of this one would also reset. */
struct vfio_pci_hot_reset_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID (1 << 0)
#define VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED (1 << 1)
	__u32 count;
	struct vfio_pci_dependent_device devices[];
};
#define VFIO_DEVICE_GET_PCI_HOT_RESET_INFO _IO(VFIO_TYPE, VFIO_BASE + 12)

/** VFIO_DEVICE_PCI_HOT_RESET: reset the slot or bus; cdev users pass count 0 and no fds. */
struct vfio_pci_hot_reset {
	__u32 argsz;
	__u32 flags;
	__u32 count;
	__s32 group_fds[];
};
#define VFIO_DEVICE_PCI_HOT_RESET _IO(VFIO_TYPE, VFIO_BASE + 13)

/** VFIO_DEVICE_FEATURE: get, set or probe the feature whose id is in the low 16 bits of flags. */
struct vfio_device_feature {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_FEATURE_MASK (0xffff)
#define VFIO_DEVICE_FEATURE_GET (1 << 16)
#define VFIO_DEVICE_FEATURE_SET (1 << 17)
#define VFIO_DEVICE_FEATURE_PROBE (1 << 18)
	__u8 data[];
};
#define VFIO_DEVICE_FEATURE _IO(VFIO_TYPE, VFIO_BASE + 17)

/** VFIO_DEVICE_BIND_IOMMUFD: bind a cdev fd to an iommufd; returns the device's object id. */
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_BIND_FLAG_TOKEN (1 << 0)
	__s32 iommufd;
	__u32 out_devid;
	/* user pointer to a 16-byte VF token UUID (flag TOKEN) */
	__aligned_u64 token_uuid_ptr;
};
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)

/** VFIO_DEVICE_ATTACH_IOMMUFD_PT: attach (or replace) the RID or a PASID to an IOAS or HWPT. */
struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_ATTACH_PASID (1 << 0)
	/* in: IOAS or HWPT id; out: the HWPT actually attached */
	__u32 pt_id;
	__u32 pasid;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 19)

/** VFIO_DEVICE_DETACH_IOMMUFD_PT: detach the RID or a PASID; DMA is blocked afterwards. */
struct vfio_device_detach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
#define VFIO_DEVICE_DETACH_PASID (1 << 0)
	__u32 pasid;
};
#define VFIO_DEVICE_DETACH_IOMMUFD_PT _IO(VFIO_TYPE, VFIO_BASE + 20)

/* Feature ids for vfio_device_feature.flags & VFIO_DEVICE_FEATURE_MASK. */
#define VFIO_DEVICE_FEATURE_PCI_VF_TOKEN (0)
#define VFIO_DEVICE_FEATURE_MIGRATION 1
#define VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE 2
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY 3
#define VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP 4
#define VFIO_DEVICE_FEATURE_LOW_POWER_EXIT 5
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_START 6
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP 7
#define VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT 8
#define VFIO_DEVICE_FEATURE_MIG_DATA_SIZE 9
#define VFIO_DEVICE_FEATURE_BUS_MASTER 10
#define VFIO_DEVICE_FEATURE_DMA_BUF 11
#define VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 12

/** Feature VFIO_DEVICE_FEATURE_BUS_MASTER data: set or clear the PCI bus-master bit. */
struct vfio_device_feature_bus_master {
	__u32 op;
#define VFIO_DEVICE_FEATURE_CLEAR_MASTER 0
#define VFIO_DEVICE_FEATURE_SET_MASTER 1
};

/** One byte range of a region to export, relative to the region's start. */
struct vfio_region_dma_range {
	__u64 offset;
	__u64 length;
};

/** Feature VFIO_DEVICE_FEATURE_DMA_BUF data (GET): export ranges of a region as a dma-buf fd. */
struct vfio_device_feature_dma_buf {
	__u32 region_index;
	/* O_* flags of the new dma-buf fd */
	__u32 open_flags;
	__u32 flags;
	__u32 nr_ranges;
	struct vfio_region_dma_range dma_ranges[];
};

/* ------------------------------------------------------------------------------------------ */
/* Type1 IOMMU calls on the container                                                         */
/* ------------------------------------------------------------------------------------------ */

/** VFIO_IOMMU_GET_INFO: supported IOVA page sizes, then a capability chain (flag CAPS). */
struct vfio_iommu_type1_info {
	__u32 argsz;
	__u32 flags;
#define VFIO_IOMMU_INFO_PGSIZES (1 << 0)
#define VFIO_IOMMU_INFO_CAPS (1 << 1)
	__aligned_u64 iova_pgsizes;
	__u32 cap_offset;
	__u32 pad;
};

/* Capability ids in a type1 info chain. */
#define VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE 1
#define VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION 2
#define VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL 3

/** One usable IOVA interval; end is inclusive. */
struct vfio_iova_range {
	__u64 start;
	__u64 end;
};

/** Capability VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE: the usable IOVA intervals. */
struct vfio_iommu_type1_info_cap_iova_range {
	struct vfio_info_cap_header header;
	__u32 nr_iovas;
	__u32 reserved;
	struct vfio_iova_range iova_ranges[];
};

/** Capability VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL: how many more DMA mappings may be made. */
struct vfio_iommu_type1_info_dma_avail {
	struct vfio_info_cap_header header;
	__u32 avail;
};

#define VFIO_IOMMU_GET_INFO _IO(VFIO_TYPE, VFIO_BASE + 12)

/** VFIO_IOMMU_MAP_DMA: map size bytes of process memory at vaddr to iova. */
struct vfio_iommu_type1_dma_map {
	__u32 argsz;
	__u32 flags;
#define VFIO_DMA_MAP_FLAG_READ (1 << 0)
#define VFIO_DMA_MAP_FLAG_WRITE (1 << 1)
#define VFIO_DMA_MAP_FLAG_VADDR (1 << 2)
	__u64 vaddr;
	__u64 iova;
	__u64 size;
};
#define VFIO_IOMMU_MAP_DMA _IO(VFIO_TYPE, VFIO_BASE + 13)

/** VFIO_IOMMU_UNMAP_DMA: unmap [iova, iova+size); size returns the bytes unmapped. */
struct vfio_iommu_type1_dma_unmap {
	__u32 argsz;
	__u32 flags;
#define VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP (1 << 0)
#define VFIO_DMA_UNMAP_FLAG_ALL (1 << 1)
#define VFIO_DMA_UNMAP_FLAG_VADDR (1 << 2)
	__u64 iova;
	__u64 size;
	__u8 data[];
};
#define VFIO_IOMMU_UNMAP_DMA _IO(VFIO_TYPE, VFIO_BASE + 14)

/** Type1 dirty-page logging on the container; the same number as VFIO_DEVICE_FEATURE. */
#define VFIO_IOMMU_DIRTY_PAGES _IO(VFIO_TYPE, VFIO_BASE + 17)

/* ------------------------------------------------------------------------------------------ */
/* Request numbers for Swift                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** Every VFIO request number declared above, as enumerators Swift can import. */
enum {
	CIOMMUFD_VFIO_TYPE = VFIO_TYPE,
	CIOMMUFD_VFIO_BASE = VFIO_BASE,
	CIOMMUFD_VFIO_GET_API_VERSION = VFIO_GET_API_VERSION,
	CIOMMUFD_VFIO_CHECK_EXTENSION = VFIO_CHECK_EXTENSION,
	CIOMMUFD_VFIO_SET_IOMMU = VFIO_SET_IOMMU,
	CIOMMUFD_VFIO_GROUP_GET_STATUS = VFIO_GROUP_GET_STATUS,
	CIOMMUFD_VFIO_GROUP_SET_CONTAINER = VFIO_GROUP_SET_CONTAINER,
	CIOMMUFD_VFIO_GROUP_UNSET_CONTAINER = VFIO_GROUP_UNSET_CONTAINER,
	CIOMMUFD_VFIO_GROUP_GET_DEVICE_FD = VFIO_GROUP_GET_DEVICE_FD,
	CIOMMUFD_VFIO_DEVICE_GET_INFO = VFIO_DEVICE_GET_INFO,
	CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO = VFIO_DEVICE_GET_REGION_INFO,
	CIOMMUFD_VFIO_DEVICE_RESET = VFIO_DEVICE_RESET,
	CIOMMUFD_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO = VFIO_DEVICE_GET_PCI_HOT_RESET_INFO,
	CIOMMUFD_VFIO_DEVICE_PCI_HOT_RESET = VFIO_DEVICE_PCI_HOT_RESET,
	CIOMMUFD_VFIO_DEVICE_FEATURE = VFIO_DEVICE_FEATURE,
	CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD = VFIO_DEVICE_BIND_IOMMUFD,
	CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT = VFIO_DEVICE_ATTACH_IOMMUFD_PT,
	CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT = VFIO_DEVICE_DETACH_IOMMUFD_PT,
	CIOMMUFD_VFIO_IOMMU_GET_INFO = VFIO_IOMMU_GET_INFO,
	CIOMMUFD_VFIO_IOMMU_MAP_DMA = VFIO_IOMMU_MAP_DMA,
	CIOMMUFD_VFIO_IOMMU_UNMAP_DMA = VFIO_IOMMU_UNMAP_DMA,
	CIOMMUFD_VFIO_IOMMU_DIRTY_PAGES = VFIO_IOMMU_DIRTY_PAGES,
};

#endif /* CIOMMUFD_VFIO_UAPI_H */
