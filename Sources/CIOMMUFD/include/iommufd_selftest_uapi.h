/*
 * ==========================================================================================
 *  iommufd SELFTEST interface (Linux 7.2 drivers/iommu/iommufd/iommufd_test.h)
 *
 *  Only a kernel built with CONFIG_IOMMUFD_TEST answers IOMMU_TEST_CMD and knows the mock
 *  types below; any other kernel returns ENOTTY for the command and rejects the types.
 *  This is a kernel-internal test interface, not a stable uAPI: it may change between
 *  releases, so it is kept apart from iommufd_uapi.h and matched to the 7.2 tree only.
 * ==========================================================================================
 *
 * Declared by this project with the kernel's names; layouts pinned by layout_asserts.c.
 */
#ifndef CIOMMUFD_IOMMUFD_SELFTEST_UAPI_H
#define CIOMMUFD_IOMMUFD_SELFTEST_UAPI_H

#include "iommufd_uapi.h"
#include <stddef.h>

/** op values of IOMMU_TEST_CMD (the enum starts at 1). */
enum {
	IOMMU_TEST_OP_ADD_RESERVED = 1,
	IOMMU_TEST_OP_MOCK_DOMAIN,
	IOMMU_TEST_OP_MD_CHECK_MAP,
	IOMMU_TEST_OP_MD_CHECK_REFS,
	IOMMU_TEST_OP_CREATE_ACCESS,
	IOMMU_TEST_OP_DESTROY_ACCESS_PAGES,
	IOMMU_TEST_OP_ACCESS_PAGES,
	IOMMU_TEST_OP_ACCESS_RW,
	IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT,
	IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
	IOMMU_TEST_OP_ACCESS_REPLACE_IOAS,
	IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS,
	IOMMU_TEST_OP_DIRTY,
	IOMMU_TEST_OP_MD_CHECK_IOTLB,
	IOMMU_TEST_OP_TRIGGER_IOPF,
	IOMMU_TEST_OP_DEV_CHECK_CACHE,
	IOMMU_TEST_OP_TRIGGER_VEVENT,
	IOMMU_TEST_OP_PASID_ATTACH,
	IOMMU_TEST_OP_PASID_REPLACE,
	IOMMU_TEST_OP_PASID_DETACH,
	IOMMU_TEST_OP_PASID_CHECK_HWPT,
	IOMMU_TEST_OP_DMABUF_GET,
	IOMMU_TEST_OP_DMABUF_REVOKE,
};

/** iommu_hwpt_selftest.pagetable_type: the mock's default table or its huge-page variant. */
enum {
	MOCK_IOMMUPT_DEFAULT = 0,
	MOCK_IOMMUPT_HUGE,
};

/** Geometry of a MOCK_IOMMUPT_DEFAULT mock domain. */
enum {
	MOCK_APERTURE_START = 1UL << 24,
	MOCK_APERTURE_LAST = (1UL << 31) - 1,
	MOCK_PAGE_SIZE = 2048,
	MOCK_HUGE_PAGE_SIZE = 512 * MOCK_PAGE_SIZE,
};

/** create_access.flags. */
enum {
	MOCK_FLAGS_ACCESS_WRITE = 1 << 0,
	MOCK_FLAGS_ACCESS_SYZ = 1 << 16,
};

/** access_rw.flags. */
enum {
	MOCK_ACCESS_RW_WRITE = 1 << 0,
	MOCK_ACCESS_RW_SLOW_PATH = 1 << 2,
};

/** create_access.flags: the access must pin pages. */
enum {
	MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES = 1 << 0,
};

/** mock_domain_flags.dev_flags. */
enum {
	MOCK_FLAGS_DEVICE_NO_DIRTY = 1 << 0,
	MOCK_FLAGS_DEVICE_PASID = 1 << 2,
};

/** The mock nested domain's IOTLB: ids 0..MAX, NUM entries. */
enum {
	MOCK_NESTED_DOMAIN_IOTLB_ID_MAX = 3,
	MOCK_NESTED_DOMAIN_IOTLB_NUM = 4,
};

/** The mock device cache behind a mock vIOMMU: ids 0..MAX, NUM entries. */
enum {
	MOCK_DEV_CACHE_ID_MAX = 3,
	MOCK_DEV_CACHE_NUM = 4,
};

/** A PASID the selftests keep for the replace test. */
#define IOMMU_TEST_PASID_RESERVED 1024

/** IOMMU_TEST_CMD argument: a common header, one op's arguments in the union, then last. */
struct iommu_test_cmd {
	__u32 size;
	__u32 op;
	__u32 id;
	__u32 __reserved;
	union {
		/* ADD_RESERVED: reserve [start, start+length) in IOAS id */
		struct {
			__aligned_u64 start;
			__aligned_u64 length;
		} add_reserved;
		/* MOCK_DOMAIN: add a mock device to IOAS id */
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
		} mock_domain;
		/* MOCK_DOMAIN_FLAGS: MOCK_DOMAIN with MOCK_FLAGS_DEVICE_* */
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;
			__u32 dev_flags;
		} mock_domain_flags;
		/* MOCK_DOMAIN_REPLACE: move mock device id to pt_id */
		struct {
			__u32 pt_id;
		} mock_domain_replace;
		/* MD_CHECK_MAP: the domains of id map [iova, iova+length) to uptr */
		struct {
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 uptr;
		} check_map;
		/* MD_CHECK_REFS: pages at uptr have refs pins */
		struct {
			__aligned_u64 length;
			__aligned_u64 uptr;
			__u32 refs;
		} check_refs;
		/* CREATE_ACCESS: an in-kernel access on IOAS id, returned as an fd */
		struct {
			__u32 out_access_fd;
			__u32 flags;
		} create_access;
		/* DESTROY_ACCESS_PAGES: unpin what ACCESS_PAGES pinned */
		struct {
			__u32 access_pages_id;
		} destroy_access_pages;
		/* ACCESS_PAGES: pin [iova, iova+length) through access fd id */
		struct {
			__u32 flags;
			__u32 out_access_pages_id;
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 uptr;
		} access_pages;
		/* ACCESS_RW: copy between IOVA and uptr through access fd id */
		struct {
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 uptr;
			__u32 flags;
		} access_rw;
		/* SET_TEMP_MEMORY_LIMIT: cap the io_pagetable's temporary memory */
		struct {
			__u32 limit;
		} memory_limit;
		/* ACCESS_REPLACE_IOAS: move access fd id to ioas_id */
		struct {
			__u32 ioas_id;
		} access_replace_ioas;
		/* DIRTY: set dirty the pages of HWPT id whose bit is set in the bitmap at uptr */
		struct {
			__u32 flags;
			__aligned_u64 iova;
			__aligned_u64 length;
			__aligned_u64 page_size;
			__aligned_u64 uptr;
			__aligned_u64 out_nr_dirty;
		} dirty;
		/* MD_CHECK_IOTLB: entry id of nested HWPT's IOTLB holds iotlb */
		struct {
			__u32 id;
			__u32 iotlb;
		} check_iotlb;
		/* TRIGGER_IOPF: raise a page fault from a mock device */
		struct {
			__u32 dev_id;
			__u32 pasid;
			__u32 grpid;
			__u32 perm;
			__u64 addr;
		} trigger_iopf;
		/* DEV_CHECK_CACHE: entry id of the mock device cache holds cache */
		struct {
			__u32 id;
			__u32 cache;
		} check_dev_cache;
		/* TRIGGER_VEVENT: queue a mock vEVENT for dev_id */
		struct {
			__u32 dev_id;
		} trigger_vevent;
		/* PASID_ATTACH: attach pasid of mock device id to pt_id */
		struct {
			__u32 pasid;
			__u32 pt_id;
		} pasid_attach;
		/* PASID_REPLACE: replace pasid's attachment with pt_id */
		struct {
			__u32 pasid;
			__u32 pt_id;
		} pasid_replace;
		/* PASID_DETACH: detach pasid of mock device id */
		struct {
			__u32 pasid;
		} pasid_detach;
		/* PASID_CHECK_HWPT: pasid of mock device id is attached to hwpt_id */
		struct {
			__u32 pasid;
			__u32 hwpt_id;
		} pasid_check;
		/* DMABUF_GET: a test dma-buf of length bytes, returned as an fd */
		struct {
			__u32 length;
			__u32 open_flags;
		} dmabuf_get;
		/* DMABUF_REVOKE: revoke (or restore) a test dma-buf */
		struct {
			__s32 dmabuf_fd;
			__u32 revoked;
		} dmabuf_revoke;
	};
	/* marks the end; the minimum size is offsetofend of this field */
	__u32 last;
};
#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

/** PASID width of the mock device and IOMMU (hw_info out_max_pasid_log2). */
#define MOCK_PASID_WIDTH 20

/** hw_info type of the mock IOMMU, and the value it reports in test_reg. */
#define IOMMU_HW_INFO_TYPE_SELFTEST 0xfeedbeef
#define IOMMU_HW_INFO_SELFTEST_REGVAL 0xdeadbeef

/** hw_info data IOMMU_HW_INFO_TYPE_SELFTEST. */
struct iommu_test_hw_info {
	__u32 flags;
	__u32 test_reg;
};

/** HWPT data type of the mock driver, and the default of its IOTLB and device cache entries. */
#define IOMMU_HWPT_DATA_SELFTEST 0xdead
#define IOMMU_TEST_IOTLB_DEFAULT 0xbadbeef
#define IOMMU_TEST_DEV_CACHE_DEFAULT 0xbaddad

/** HWPT data IOMMU_HWPT_DATA_SELFTEST (paging or nested). */
struct iommu_hwpt_selftest {
	__u32 iotlb;
	/* MOCK_IOMMUPT_* */
	__u32 pagetable_type;
};

/** Invalidation types of a mock nested HWPT: a good one and one the mock rejects. */
#define IOMMU_HWPT_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID 0xdadbeef

/** flags of the selftest invalidation entries: ignore the index, invalidate everything. */
#define IOMMU_TEST_INVALIDATE_FLAG_ALL (1 << 0)

/** Invalidation entry IOMMU_HWPT_INVALIDATE_DATA_SELFTEST. */
struct iommu_hwpt_invalidate_selftest {
	__u32 flags;
	__u32 iotlb_id;
};

/** vIOMMU type of the mock driver. */
#define IOMMU_VIOMMU_TYPE_SELFTEST 0xdeadbeef

/** vIOMMU data IOMMU_VIOMMU_TYPE_SELFTEST: in_data echoed to out_data, and an mmap window. */
struct iommu_viommu_selftest {
	__u32 in_data;
	__u32 out_data;
	__aligned_u64 out_mmap_offset;
	__aligned_u64 out_mmap_length;
};

/** Invalidation types of a mock vIOMMU: a good one and one the mock rejects. */
#define IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST 0xdeadbeef
#define IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST_INVALID 0xdadbeef

/** Invalidation entry IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST: one device cache entry. */
struct iommu_viommu_invalidate_selftest {
	__u32 flags;
	__u32 vdev_id;
	__u32 cache_id;
};

/** vEVENTQ type of the mock driver. */
#define IOMMU_VEVENTQ_TYPE_SELFTEST 0xbeefbeef

/** vEVENT IOMMU_VEVENTQ_TYPE_SELFTEST: the virt_id of the device that raised it. */
struct iommu_viommu_event_selftest {
	__u32 virt_id;
};

/** HW queue type of the mock driver, and how many queues one mock vIOMMU takes. */
#define IOMMU_HW_QUEUE_TYPE_SELFTEST 0xdeadbeef
#define IOMMU_TEST_HW_QUEUE_MAX 2

/** The selftest request number, as an enumerator Swift can import. */
enum {
	CIOMMUFD_IOMMU_TEST_CMD = IOMMU_TEST_CMD,
};

/* Where the user pointers sit inside struct iommu_test_cmd (members of its union, which Swift
 * cannot take offsets of), so calls can declare them to the syscall seam. */
enum {
	CIOMMUFD_TEST_CHECK_MAP_UPTR_OFFSET = offsetof(struct iommu_test_cmd, check_map.uptr),
	CIOMMUFD_TEST_CHECK_REFS_UPTR_OFFSET = offsetof(struct iommu_test_cmd, check_refs.uptr),
	CIOMMUFD_TEST_DIRTY_UPTR_OFFSET = offsetof(struct iommu_test_cmd, dirty.uptr),
	CIOMMUFD_TEST_ACCESS_PAGES_UPTR_OFFSET = offsetof(struct iommu_test_cmd, access_pages.uptr),
	CIOMMUFD_TEST_ACCESS_RW_UPTR_OFFSET = offsetof(struct iommu_test_cmd, access_rw.uptr),
};

#endif /* CIOMMUFD_IOMMUFD_SELFTEST_UAPI_H */
