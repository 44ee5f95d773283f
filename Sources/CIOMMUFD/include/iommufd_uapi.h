/*
 * The iommufd user API (/dev/iommu) of Linux 7.2, declared by this project.
 *
 * Names of structs, fields, enums and constants are the kernel's, so code reads the same as code
 * written against <linux/iommufd.h>; the layouts are the 7.2 ABI and are pinned by
 * layout_asserts.c. The system header is never included: Debian 12's linux-libc-dev has none, and
 * a newer one would clash with these declarations.
 *
 * Swift cannot import function-like macros such as _IO(), so every request number is also
 * published as a CIOMMUFD_-prefixed enumerator at the end of this file.
 */
#ifndef CIOMMUFD_IOMMUFD_UAPI_H
#define CIOMMUFD_IOMMUFD_UAPI_H

/* ------------------------------------------------------------------------------------------ */
/* Integer types and the ioctl number encoding                                                */
/* ------------------------------------------------------------------------------------------ */

#if defined(__linux__)
#include <linux/ioctl.h>
#include <linux/types.h>
#else
/* Off Linux (the model and agent backends still speak Linux numbers): our own fixed-width types. */
typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __le16;
typedef __u32 __le32;
typedef __u64 __le64;
/* Linux's _IO(): direction and size bits are zero, leaving type << 8 | nr. */
#undef _IO
#define _IO(type, nr) ((((unsigned int)(type) & 0xffU) << 8) | ((unsigned int)(nr) & 0xffU))
#endif

/* A 64-bit field that is 8-byte aligned on every ABI (i386 aligns plain u64 to 4). */
#ifndef __aligned_u64
#define __aligned_u64 __u64 __attribute__((aligned(8)))
#endif
/* The same, for a little-endian 64-bit field (raw hardware words). */
#ifndef __aligned_le64
#define __aligned_le64 __le64 __attribute__((aligned(8)))
#endif

/* ------------------------------------------------------------------------------------------ */
/* Command numbers                                                                            */
/* ------------------------------------------------------------------------------------------ */

/** ioctl type byte shared by iommufd and VFIO: ';' (0x3b). */
#define IOMMUFD_TYPE (';')

/** Command nr of each iommufd ioctl; the kernel's table is indexed by nr - IOMMUFD_CMD_BASE. */
enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC = 0x81,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,
	IOMMUFD_CMD_IOAS_COPY = 0x83,
	IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,
	IOMMUFD_CMD_IOAS_MAP = 0x85,
	IOMMUFD_CMD_IOAS_UNMAP = 0x86,
	IOMMUFD_CMD_OPTION = 0x87,
	IOMMUFD_CMD_VFIO_IOAS = 0x88,
	IOMMUFD_CMD_HWPT_ALLOC = 0x89,
	IOMMUFD_CMD_GET_HW_INFO = 0x8a,
	IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
	IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
	IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,
	IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,
	IOMMUFD_CMD_IOAS_MAP_FILE = 0x8f,
	IOMMUFD_CMD_VIOMMU_ALLOC = 0x90,
	IOMMUFD_CMD_VDEVICE_ALLOC = 0x91,
	IOMMUFD_CMD_IOAS_CHANGE_PROCESS = 0x92,
	IOMMUFD_CMD_VEVENTQ_ALLOC = 0x93,
	IOMMUFD_CMD_HW_QUEUE_ALLOC = 0x94,
};

/* ------------------------------------------------------------------------------------------ */
/* Objects and IOAS                                                                           */
/* ------------------------------------------------------------------------------------------ */

/** IOMMU_DESTROY: drop the object named by id (EBUSY while others still use it). */
struct iommu_destroy {
	__u32 size;
	__u32 id;
};
#define IOMMU_DESTROY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)

/** IOMMU_IOAS_ALLOC: create an empty I/O address space; flags must be 0. */
struct iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)

/** One IOVA interval; last is inclusive. */
struct iommu_iova_range {
	__aligned_u64 start;
	__aligned_u64 last;
};

/** IOMMU_IOAS_IOVA_RANGES: the usable IOVA intervals (num_iovas in/out; EMSGSIZE when short). */
struct iommu_ioas_iova_ranges {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	/* user pointer to struct iommu_iova_range[num_iovas] */
	__aligned_u64 allowed_iovas;
	__aligned_u64 out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)

/** IOMMU_IOAS_ALLOW_IOVAS: replace the list of ranges automatic IOVA allocation may use. */
struct iommu_ioas_allow_iovas {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	/* user pointer to struct iommu_iova_range[num_iovas] */
	__aligned_u64 allowed_iovas;
};
#define IOMMU_IOAS_ALLOW_IOVAS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOW_IOVAS)

/** flags of IOAS_MAP, IOAS_MAP_FILE and IOAS_COPY. */
enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

/** IOMMU_IOAS_MAP: map user memory at iova (in with FIXED_IOVA, else chosen and returned). */
struct iommu_ioas_map {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__u32 __reserved;
	__aligned_u64 user_va;
	__aligned_u64 length;
	__aligned_u64 iova;
};
#define IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)

/** IOMMU_IOAS_MAP_FILE: map [start, start+length) of a memfd or dma-buf fd at iova. */
struct iommu_ioas_map_file {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__s32 fd;
	__aligned_u64 start;
	__aligned_u64 length;
	__aligned_u64 iova;
};
#define IOMMU_IOAS_MAP_FILE _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP_FILE)

/** IOMMU_IOAS_COPY: map in dst the pages already mapped at src_iova in src. */
struct iommu_ioas_copy {
	__u32 size;
	__u32 flags;
	__u32 dst_ioas_id;
	__u32 src_ioas_id;
	__aligned_u64 length;
	__aligned_u64 dst_iova;
	__aligned_u64 src_iova;
};
#define IOMMU_IOAS_COPY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_COPY)

/** IOMMU_IOAS_UNMAP: unmap whole areas inside [iova, iova+length); length returns bytes unmapped. */
struct iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;
};
#define IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)

/** option_id values of IOMMU_OPTION. */
enum iommufd_option {
	IOMMU_OPTION_RLIMIT_MODE = 0,
	IOMMU_OPTION_HUGE_PAGES = 1,
};

/** op values of IOMMU_OPTION. */
enum iommufd_option_ops {
	IOMMU_OPTION_OP_SET = 0,
	IOMMU_OPTION_OP_GET = 1,
};

/** IOMMU_OPTION: read or write one option of the context or of an object. */
struct iommu_option {
	__u32 size;
	__u32 option_id;
	__u16 op;
	__u16 __reserved;
	__u32 object_id;
	__aligned_u64 val64;
};
#define IOMMU_OPTION _IO(IOMMUFD_TYPE, IOMMUFD_CMD_OPTION)

/** op values of IOMMU_VFIO_IOAS. */
enum iommufd_vfio_ioas_op {
	IOMMU_VFIO_IOAS_GET = 0,
	IOMMU_VFIO_IOAS_SET = 1,
	IOMMU_VFIO_IOAS_CLEAR = 2,
};

/** IOMMU_VFIO_IOAS: get, set or clear the IOAS that the VFIO container compat layer uses. */
struct iommu_vfio_ioas {
	__u32 size;
	__u32 ioas_id;
	__u16 op;
	__u16 __reserved;
};
#define IOMMU_VFIO_IOAS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VFIO_IOAS)

/* ------------------------------------------------------------------------------------------ */
/* HW page tables                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** flags of IOMMU_HWPT_ALLOC. */
enum iommufd_hwpt_alloc_flags {
	IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
	IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
	IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,
	IOMMU_HWPT_ALLOC_PASID = 1 << 3,
};

/** flags of struct iommu_hwpt_vtd_s1 (a 64-bit field). */
enum iommu_hwpt_vtd_s1_flags {
	IOMMU_VTD_S1_SRE = 1 << 0,
	IOMMU_VTD_S1_EAFE = 1 << 1,
	IOMMU_VTD_S1_WPE = 1 << 2,
};

/** HWPT data IOMMU_HWPT_DATA_VTD_S1: a guest VT-d first-stage table nested on a parent. */
struct iommu_hwpt_vtd_s1 {
	__aligned_u64 flags;
	__aligned_u64 pgtbl_addr;
	__u32 addr_width;
	__u32 __reserved;
};

/** HWPT data IOMMU_HWPT_DATA_ARM_SMMUV3: dwords 0-1 of a guest STE (pt_id is a vIOMMU). */
struct iommu_hwpt_arm_smmuv3 {
	__aligned_le64 ste[2];
};

/** HWPT data IOMMU_HWPT_DATA_AMD_GUEST: the guest's 256-bit DTE (pt_id is a vIOMMU). */
struct iommu_hwpt_amd_guest {
	__aligned_u64 dte[4];
};

/** data_type values of IOMMU_HWPT_ALLOC. */
enum iommu_hwpt_data_type {
	IOMMU_HWPT_DATA_NONE = 0,
	IOMMU_HWPT_DATA_VTD_S1 = 1,
	IOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
	IOMMU_HWPT_DATA_AMD_GUEST = 3,
};

/** IOMMU_HWPT_ALLOC: a paging HWPT on an IOAS, or a nested one on a parent HWPT or vIOMMU. */
struct iommu_hwpt_alloc {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 pt_id;
	__u32 out_hwpt_id;
	__u32 __reserved;
	/* driver data: type, byte length and user pointer */
	__u32 data_type;
	__u32 data_len;
	__aligned_u64 data_uptr;
	/* read only with IOMMU_HWPT_FAULT_ID_VALID */
	__u32 fault_id;
	__u32 __reserved2;
};
#define IOMMU_HWPT_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_ALLOC)

/* ------------------------------------------------------------------------------------------ */
/* Hardware information                                                                       */
/* ------------------------------------------------------------------------------------------ */

/** flags of struct iommu_hw_info_vtd. */
enum iommu_hw_info_vtd_flags {
	IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 = 1 << 0,
};

/** hw_info data IOMMU_HW_INFO_TYPE_INTEL_VTD: raw capability and extended capability registers. */
struct iommu_hw_info_vtd {
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 cap_reg;
	__aligned_u64 ecap_reg;
};

/** hw_info data IOMMU_HW_INFO_TYPE_ARM_SMMUV3: raw IDR0..IDR5, IIDR and AIDR registers. */
struct iommu_hw_info_arm_smmuv3 {
	__u32 flags;
	__u32 __reserved;
	__u32 idr[6];
	__u32 iidr;
	__u32 aidr;
};

/** hw_info data IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV: the CMDQ-V PARAM fields a VMM mirrors. */
struct iommu_hw_info_tegra241_cmdqv {
	__u32 flags;
	__u8 version;
	__u8 log2vcmdqs;
	__u8 log2vsids;
	__u8 __reserved;
};

/** hw_info data IOMMU_HW_INFO_TYPE_AMD: raw extended feature registers EFR and EFR2. */
struct iommu_hw_info_amd {
	__aligned_u64 efr;
	__aligned_u64 efr2;
};

/** data type of IOMMU_GET_HW_INFO (NONE out and DEFAULT in share 0). */
enum iommu_hw_info_type {
	IOMMU_HW_INFO_TYPE_NONE = 0,
	IOMMU_HW_INFO_TYPE_DEFAULT = 0,
	IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
	IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,
	IOMMU_HW_INFO_TYPE_AMD = 4,
};

/** bits of iommu_hw_info.out_capabilities (a 64-bit field). */
enum iommufd_hw_capabilities {
	IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
	IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1,
	IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2,
	IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED = 1 << 3,
};

/** flags of IOMMU_GET_HW_INFO. */
enum iommufd_hw_info_flags {
	IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0,
};

/** IOMMU_GET_HW_INFO: the IOMMU's registers and capabilities as seen by one device. */
struct iommu_hw_info {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 data_len;
	__aligned_u64 data_uptr;
	/* in: requested type when IOMMU_HW_INFO_FLAG_INPUT_TYPE is set; out: type written */
	union {
		__u32 in_data_type;
		__u32 out_data_type;
	};
	__u8 out_max_pasid_log2;
	__u8 __reserved[3];
	__aligned_u64 out_capabilities;
};
#define IOMMU_GET_HW_INFO _IO(IOMMUFD_TYPE, IOMMUFD_CMD_GET_HW_INFO)

/* ------------------------------------------------------------------------------------------ */
/* Dirty tracking                                                                             */
/* ------------------------------------------------------------------------------------------ */

/** flags of IOMMU_HWPT_SET_DIRTY_TRACKING. */
enum iommufd_hwpt_set_dirty_tracking_flags {
	IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1,
};

/** IOMMU_HWPT_SET_DIRTY_TRACKING: start or stop dirty logging on a HWPT. */
struct iommu_hwpt_set_dirty_tracking {
	__u32 size;
	__u32 flags;
	__u32 hwpt_id;
	__u32 __reserved;
};
#define IOMMU_HWPT_SET_DIRTY_TRACKING _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)

/** flags of IOMMU_HWPT_GET_DIRTY_BITMAP. */
enum iommufd_hwpt_get_dirty_bitmap_flags {
	IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1,
};

/** IOMMU_HWPT_GET_DIRTY_BITMAP: one bit per page_size of [iova, iova+length) into data. */
struct iommu_hwpt_get_dirty_bitmap {
	__u32 size;
	__u32 hwpt_id;
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 iova;
	__aligned_u64 length;
	__aligned_u64 page_size;
	/* user pointer to the u64 bitmap */
	__aligned_u64 data;
};
#define IOMMU_HWPT_GET_DIRTY_BITMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)

/* ------------------------------------------------------------------------------------------ */
/* Cache invalidation                                                                         */
/* ------------------------------------------------------------------------------------------ */

/** data_type values of IOMMU_HWPT_INVALIDATE. */
enum iommu_hwpt_invalidate_data_type {
	IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
	IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 = 1,
};

/** flags of struct iommu_hwpt_vtd_s1_invalidate. */
enum iommu_hwpt_vtd_s1_invalidate_flags {
	IOMMU_VTD_INV_FLAGS_LEAF = 1 << 0,
};

/** Invalidation entry IOMMU_HWPT_INVALIDATE_DATA_VTD_S1: npages 4 KiB pages from addr. */
struct iommu_hwpt_vtd_s1_invalidate {
	__aligned_u64 addr;
	__aligned_u64 npages;
	__u32 flags;
	__u32 __reserved;
};

/** Invalidation entry IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3: one 128-bit CMDQ command. */
struct iommu_viommu_arm_smmuv3_invalidate {
	__aligned_le64 cmd[2];
};

/** IOMMU_HWPT_INVALIDATE: run entry_num entries on a nested HWPT or vIOMMU; entry_num returns done. */
struct iommu_hwpt_invalidate {
	__u32 size;
	__u32 hwpt_id;
	/* user pointer to entry_num entries of entry_len bytes each */
	__aligned_u64 data_uptr;
	__u32 data_type;
	__u32 entry_len;
	__u32 entry_num;
	__u32 __reserved;
};
#define IOMMU_HWPT_INVALIDATE _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_INVALIDATE)

/* ------------------------------------------------------------------------------------------ */
/* I/O page faults                                                                            */
/* ------------------------------------------------------------------------------------------ */

/** flags of struct iommu_hwpt_pgfault. */
enum iommu_hwpt_pgfault_flags {
	IOMMU_PGFAULT_FLAGS_PASID_VALID = (1 << 0),
	IOMMU_PGFAULT_FLAGS_LAST_PAGE = (1 << 1),
};

/** perm bits of struct iommu_hwpt_pgfault. */
enum iommu_hwpt_pgfault_perm {
	IOMMU_PGFAULT_PERM_READ = (1 << 0),
	IOMMU_PGFAULT_PERM_WRITE = (1 << 1),
	IOMMU_PGFAULT_PERM_EXEC = (1 << 2),
	IOMMU_PGFAULT_PERM_PRIV = (1 << 3),
};

/** One fault record, read() from a fault queue fd in multiples of its size. */
struct iommu_hwpt_pgfault {
	__u32 flags;
	__u32 dev_id;
	__u32 pasid;
	__u32 grpid;
	__u32 perm;
	__u32 __reserved;
	__aligned_u64 addr;
	__u32 length;
	__u32 cookie;
};

/** code values of struct iommu_hwpt_page_response. */
enum iommufd_page_response_code {
	IOMMUFD_PAGE_RESP_SUCCESS = 0,
	IOMMUFD_PAGE_RESP_INVALID = 1,
};

/** One response, write() to a fault queue fd; cookie names the fault group. */
struct iommu_hwpt_page_response {
	__u32 cookie;
	__u32 code;
};

/** IOMMU_FAULT_QUEUE_ALLOC: create a fault queue object and its fd; flags must be 0. */
struct iommu_fault_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_fault_id;
	__u32 out_fault_fd;
};
#define IOMMU_FAULT_QUEUE_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_FAULT_QUEUE_ALLOC)

/* ------------------------------------------------------------------------------------------ */
/* vIOMMU, vDEVICE, vEVENTQ, HW queue                                                         */
/* ------------------------------------------------------------------------------------------ */

/** type values of IOMMU_VIOMMU_ALLOC (DEFAULT is rejected). */
enum iommu_viommu_type {
	IOMMU_VIOMMU_TYPE_DEFAULT = 0,
	IOMMU_VIOMMU_TYPE_ARM_SMMUV3 = 1,
	IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV = 2,
};

/** vIOMMU data IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV (output): the VINTF page to mmap on the iommufd. */
struct iommu_viommu_tegra241_cmdqv {
	__aligned_u64 out_vintf_mmap_offset;
	__aligned_u64 out_vintf_mmap_length;
};

/** IOMMU_VIOMMU_ALLOC: a virtual IOMMU instance over a nest-parent HWPT; flags must be 0. */
struct iommu_viommu_alloc {
	__u32 size;
	__u32 flags;
	__u32 type;
	__u32 dev_id;
	__u32 hwpt_id;
	__u32 out_viommu_id;
	/* driver data: byte length and user pointer */
	__u32 data_len;
	__u32 __reserved;
	__aligned_u64 data_uptr;
};
#define IOMMU_VIOMMU_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VIOMMU_ALLOC)

/** IOMMU_VDEVICE_ALLOC: give a device its guest-visible id (vSID, vRID) in a vIOMMU. */
struct iommu_vdevice_alloc {
	__u32 size;
	__u32 viommu_id;
	__u32 dev_id;
	__u32 out_vdevice_id;
	__aligned_u64 virt_id;
};
#define IOMMU_VDEVICE_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VDEVICE_ALLOC)

/** IOMMU_IOAS_CHANGE_PROCESS: move pinned-page accounting of file maps to the calling process. */
struct iommu_ioas_change_process {
	__u32 size;
	__u32 __reserved;
};
#define IOMMU_IOAS_CHANGE_PROCESS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_CHANGE_PROCESS)

/** flags of struct iommufd_vevent_header. */
enum iommu_veventq_flag {
	IOMMU_VEVENTQ_FLAG_LOST_EVENTS = (1U << 0),
};

/** Header before each vEVENT read from a vEVENTQ fd; a gap in sequence means lost events. */
struct iommufd_vevent_header {
	__u32 flags;
	__u32 sequence;
};

/** type values of IOMMU_VEVENTQ_ALLOC (DEFAULT is rejected). */
enum iommu_veventq_type {
	IOMMU_VEVENTQ_TYPE_DEFAULT = 0,
	IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 = 1,
	IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV = 2,
};

/** vEVENT IOMMU_VEVENTQ_TYPE_ARM_SMMUV3: a 256-bit event record, StreamID replaced by the vSID. */
struct iommu_vevent_arm_smmuv3 {
	__aligned_le64 evt[4];
};

/** vEVENT IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV: the 128-bit LVCMDQ error map of the VINTF. */
struct iommu_vevent_tegra241_cmdqv {
	__aligned_le64 lvcmdq_err_map[2];
};

/** IOMMU_VEVENTQ_ALLOC: an event queue of one type on a vIOMMU, read through its fd. */
struct iommu_veventq_alloc {
	__u32 size;
	__u32 flags;
	__u32 viommu_id;
	__u32 type;
	__u32 veventq_depth;
	__u32 out_veventq_id;
	__u32 out_veventq_fd;
	__u32 __reserved;
};
#define IOMMU_VEVENTQ_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VEVENTQ_ALLOC)

/** type values of IOMMU_HW_QUEUE_ALLOC (DEFAULT is rejected). */
enum iommu_hw_queue_type {
	IOMMU_HW_QUEUE_TYPE_DEFAULT = 0,
	IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV = 1,
};

/** IOMMU_HW_QUEUE_ALLOC: hand a guest queue at a parent-IOAS IOVA to the hardware. */
struct iommu_hw_queue_alloc {
	__u32 size;
	__u32 flags;
	__u32 viommu_id;
	__u32 type;
	__u32 index;
	__u32 out_hw_queue_id;
	__aligned_u64 nesting_parent_iova;
	__aligned_u64 length;
};
#define IOMMU_HW_QUEUE_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HW_QUEUE_ALLOC)

/* ------------------------------------------------------------------------------------------ */
/* Request numbers for Swift                                                                  */
/* ------------------------------------------------------------------------------------------ */

/** Every iommufd request number, as enumerators Swift can import. */
enum {
	CIOMMUFD_IOMMUFD_TYPE = IOMMUFD_TYPE,
	CIOMMUFD_IOMMU_DESTROY = IOMMU_DESTROY,
	CIOMMUFD_IOMMU_IOAS_ALLOC = IOMMU_IOAS_ALLOC,
	CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS = IOMMU_IOAS_ALLOW_IOVAS,
	CIOMMUFD_IOMMU_IOAS_COPY = IOMMU_IOAS_COPY,
	CIOMMUFD_IOMMU_IOAS_IOVA_RANGES = IOMMU_IOAS_IOVA_RANGES,
	CIOMMUFD_IOMMU_IOAS_MAP = IOMMU_IOAS_MAP,
	CIOMMUFD_IOMMU_IOAS_UNMAP = IOMMU_IOAS_UNMAP,
	CIOMMUFD_IOMMU_OPTION = IOMMU_OPTION,
	CIOMMUFD_IOMMU_VFIO_IOAS = IOMMU_VFIO_IOAS,
	CIOMMUFD_IOMMU_HWPT_ALLOC = IOMMU_HWPT_ALLOC,
	CIOMMUFD_IOMMU_GET_HW_INFO = IOMMU_GET_HW_INFO,
	CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING = IOMMU_HWPT_SET_DIRTY_TRACKING,
	CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP = IOMMU_HWPT_GET_DIRTY_BITMAP,
	CIOMMUFD_IOMMU_HWPT_INVALIDATE = IOMMU_HWPT_INVALIDATE,
	CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC = IOMMU_FAULT_QUEUE_ALLOC,
	CIOMMUFD_IOMMU_IOAS_MAP_FILE = IOMMU_IOAS_MAP_FILE,
	CIOMMUFD_IOMMU_VIOMMU_ALLOC = IOMMU_VIOMMU_ALLOC,
	CIOMMUFD_IOMMU_VDEVICE_ALLOC = IOMMU_VDEVICE_ALLOC,
	CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS = IOMMU_IOAS_CHANGE_PROCESS,
	CIOMMUFD_IOMMU_VEVENTQ_ALLOC = IOMMU_VEVENTQ_ALLOC,
	CIOMMUFD_IOMMU_HW_QUEUE_ALLOC = IOMMU_HW_QUEUE_ALLOC,
};

#endif /* CIOMMUFD_IOMMUFD_UAPI_H */
