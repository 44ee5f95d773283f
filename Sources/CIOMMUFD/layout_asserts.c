/*
 * Compile-time checks that our uAPI declarations have the Linux 7.2 ABI.
 *
 * Every struct's size and alignment, every field's offset and width, every request number and
 * every enumerator or constant is compared with the value of the kernel's 7.2 headers
 * (include/uapi/linux/iommufd.h, include/uapi/linux/vfio.h, drivers/iommu/iommufd/iommufd_test.h),
 * compiled with gcc on x86-64, and cross-checked against /work/shared/uapi-facts.md.
 * A mismatch stops the build. Numbers are for LP64 Linux (x86-64, arm64).
 */
#include <stddef.h>

#include "CIOMMUFD.h"

/* Width of one field. */
#define CIOMMUFD_FIELD_SIZE(type, field) sizeof(((struct type *)0)->field)

/* ========================================================================================== */
/* Layouts: iommufd (iommufd_uapi.h) */
/* ========================================================================================== */

/* struct iommu_destroy */
_Static_assert(sizeof(struct iommu_destroy) == 8, "sizeof(struct iommu_destroy)");
_Static_assert(_Alignof(struct iommu_destroy) == 4, "_Alignof(struct iommu_destroy)");
_Static_assert(offsetof(struct iommu_destroy, size) == 0, "offsetof(struct iommu_destroy, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_destroy, size) == 4, "sizeof(struct iommu_destroy.size)");
_Static_assert(offsetof(struct iommu_destroy, id) == 4, "offsetof(struct iommu_destroy, id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_destroy, id) == 4, "sizeof(struct iommu_destroy.id)");

/* struct iommu_ioas_alloc */
_Static_assert(sizeof(struct iommu_ioas_alloc) == 12, "sizeof(struct iommu_ioas_alloc)");
_Static_assert(_Alignof(struct iommu_ioas_alloc) == 4, "_Alignof(struct iommu_ioas_alloc)");
_Static_assert(offsetof(struct iommu_ioas_alloc, size) == 0, "offsetof(struct iommu_ioas_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_alloc, size) == 4, "sizeof(struct iommu_ioas_alloc.size)");
_Static_assert(offsetof(struct iommu_ioas_alloc, flags) == 4, "offsetof(struct iommu_ioas_alloc, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_alloc, flags) == 4, "sizeof(struct iommu_ioas_alloc.flags)");
_Static_assert(offsetof(struct iommu_ioas_alloc, out_ioas_id) == 8, "offsetof(struct iommu_ioas_alloc, out_ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_alloc, out_ioas_id) == 4, "sizeof(struct iommu_ioas_alloc.out_ioas_id)");

/* struct iommu_iova_range */
_Static_assert(sizeof(struct iommu_iova_range) == 16, "sizeof(struct iommu_iova_range)");
_Static_assert(_Alignof(struct iommu_iova_range) == 8, "_Alignof(struct iommu_iova_range)");
_Static_assert(offsetof(struct iommu_iova_range, start) == 0, "offsetof(struct iommu_iova_range, start)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_iova_range, start) == 8, "sizeof(struct iommu_iova_range.start)");
_Static_assert(offsetof(struct iommu_iova_range, last) == 8, "offsetof(struct iommu_iova_range, last)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_iova_range, last) == 8, "sizeof(struct iommu_iova_range.last)");

/* struct iommu_ioas_iova_ranges */
_Static_assert(sizeof(struct iommu_ioas_iova_ranges) == 32, "sizeof(struct iommu_ioas_iova_ranges)");
_Static_assert(_Alignof(struct iommu_ioas_iova_ranges) == 8, "_Alignof(struct iommu_ioas_iova_ranges)");
_Static_assert(offsetof(struct iommu_ioas_iova_ranges, size) == 0, "offsetof(struct iommu_ioas_iova_ranges, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_iova_ranges, size) == 4, "sizeof(struct iommu_ioas_iova_ranges.size)");
_Static_assert(offsetof(struct iommu_ioas_iova_ranges, ioas_id) == 4, "offsetof(struct iommu_ioas_iova_ranges, ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_iova_ranges, ioas_id) == 4, "sizeof(struct iommu_ioas_iova_ranges.ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_iova_ranges, num_iovas) == 8, "offsetof(struct iommu_ioas_iova_ranges, num_iovas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_iova_ranges, num_iovas) == 4, "sizeof(struct iommu_ioas_iova_ranges.num_iovas)");
_Static_assert(offsetof(struct iommu_ioas_iova_ranges, __reserved) == 12, "offsetof(struct iommu_ioas_iova_ranges, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_iova_ranges, __reserved) == 4, "sizeof(struct iommu_ioas_iova_ranges.__reserved)");
_Static_assert(offsetof(struct iommu_ioas_iova_ranges, allowed_iovas) == 16, "offsetof(struct iommu_ioas_iova_ranges, allowed_iovas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_iova_ranges, allowed_iovas) == 8, "sizeof(struct iommu_ioas_iova_ranges.allowed_iovas)");
_Static_assert(offsetof(struct iommu_ioas_iova_ranges, out_iova_alignment) == 24, "offsetof(struct iommu_ioas_iova_ranges, out_iova_alignment)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_iova_ranges, out_iova_alignment) == 8, "sizeof(struct iommu_ioas_iova_ranges.out_iova_alignment)");

/* struct iommu_ioas_allow_iovas */
_Static_assert(sizeof(struct iommu_ioas_allow_iovas) == 24, "sizeof(struct iommu_ioas_allow_iovas)");
_Static_assert(_Alignof(struct iommu_ioas_allow_iovas) == 8, "_Alignof(struct iommu_ioas_allow_iovas)");
_Static_assert(offsetof(struct iommu_ioas_allow_iovas, size) == 0, "offsetof(struct iommu_ioas_allow_iovas, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_allow_iovas, size) == 4, "sizeof(struct iommu_ioas_allow_iovas.size)");
_Static_assert(offsetof(struct iommu_ioas_allow_iovas, ioas_id) == 4, "offsetof(struct iommu_ioas_allow_iovas, ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_allow_iovas, ioas_id) == 4, "sizeof(struct iommu_ioas_allow_iovas.ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_allow_iovas, num_iovas) == 8, "offsetof(struct iommu_ioas_allow_iovas, num_iovas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_allow_iovas, num_iovas) == 4, "sizeof(struct iommu_ioas_allow_iovas.num_iovas)");
_Static_assert(offsetof(struct iommu_ioas_allow_iovas, __reserved) == 12, "offsetof(struct iommu_ioas_allow_iovas, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_allow_iovas, __reserved) == 4, "sizeof(struct iommu_ioas_allow_iovas.__reserved)");
_Static_assert(offsetof(struct iommu_ioas_allow_iovas, allowed_iovas) == 16, "offsetof(struct iommu_ioas_allow_iovas, allowed_iovas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_allow_iovas, allowed_iovas) == 8, "sizeof(struct iommu_ioas_allow_iovas.allowed_iovas)");

/* struct iommu_ioas_map */
_Static_assert(sizeof(struct iommu_ioas_map) == 40, "sizeof(struct iommu_ioas_map)");
_Static_assert(_Alignof(struct iommu_ioas_map) == 8, "_Alignof(struct iommu_ioas_map)");
_Static_assert(offsetof(struct iommu_ioas_map, size) == 0, "offsetof(struct iommu_ioas_map, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, size) == 4, "sizeof(struct iommu_ioas_map.size)");
_Static_assert(offsetof(struct iommu_ioas_map, flags) == 4, "offsetof(struct iommu_ioas_map, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, flags) == 4, "sizeof(struct iommu_ioas_map.flags)");
_Static_assert(offsetof(struct iommu_ioas_map, ioas_id) == 8, "offsetof(struct iommu_ioas_map, ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, ioas_id) == 4, "sizeof(struct iommu_ioas_map.ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_map, __reserved) == 12, "offsetof(struct iommu_ioas_map, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, __reserved) == 4, "sizeof(struct iommu_ioas_map.__reserved)");
_Static_assert(offsetof(struct iommu_ioas_map, user_va) == 16, "offsetof(struct iommu_ioas_map, user_va)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, user_va) == 8, "sizeof(struct iommu_ioas_map.user_va)");
_Static_assert(offsetof(struct iommu_ioas_map, length) == 24, "offsetof(struct iommu_ioas_map, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, length) == 8, "sizeof(struct iommu_ioas_map.length)");
_Static_assert(offsetof(struct iommu_ioas_map, iova) == 32, "offsetof(struct iommu_ioas_map, iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map, iova) == 8, "sizeof(struct iommu_ioas_map.iova)");

/* struct iommu_ioas_map_file */
_Static_assert(sizeof(struct iommu_ioas_map_file) == 40, "sizeof(struct iommu_ioas_map_file)");
_Static_assert(_Alignof(struct iommu_ioas_map_file) == 8, "_Alignof(struct iommu_ioas_map_file)");
_Static_assert(offsetof(struct iommu_ioas_map_file, size) == 0, "offsetof(struct iommu_ioas_map_file, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, size) == 4, "sizeof(struct iommu_ioas_map_file.size)");
_Static_assert(offsetof(struct iommu_ioas_map_file, flags) == 4, "offsetof(struct iommu_ioas_map_file, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, flags) == 4, "sizeof(struct iommu_ioas_map_file.flags)");
_Static_assert(offsetof(struct iommu_ioas_map_file, ioas_id) == 8, "offsetof(struct iommu_ioas_map_file, ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, ioas_id) == 4, "sizeof(struct iommu_ioas_map_file.ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_map_file, fd) == 12, "offsetof(struct iommu_ioas_map_file, fd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, fd) == 4, "sizeof(struct iommu_ioas_map_file.fd)");
_Static_assert(offsetof(struct iommu_ioas_map_file, start) == 16, "offsetof(struct iommu_ioas_map_file, start)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, start) == 8, "sizeof(struct iommu_ioas_map_file.start)");
_Static_assert(offsetof(struct iommu_ioas_map_file, length) == 24, "offsetof(struct iommu_ioas_map_file, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, length) == 8, "sizeof(struct iommu_ioas_map_file.length)");
_Static_assert(offsetof(struct iommu_ioas_map_file, iova) == 32, "offsetof(struct iommu_ioas_map_file, iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_map_file, iova) == 8, "sizeof(struct iommu_ioas_map_file.iova)");

/* struct iommu_ioas_copy */
_Static_assert(sizeof(struct iommu_ioas_copy) == 40, "sizeof(struct iommu_ioas_copy)");
_Static_assert(_Alignof(struct iommu_ioas_copy) == 8, "_Alignof(struct iommu_ioas_copy)");
_Static_assert(offsetof(struct iommu_ioas_copy, size) == 0, "offsetof(struct iommu_ioas_copy, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, size) == 4, "sizeof(struct iommu_ioas_copy.size)");
_Static_assert(offsetof(struct iommu_ioas_copy, flags) == 4, "offsetof(struct iommu_ioas_copy, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, flags) == 4, "sizeof(struct iommu_ioas_copy.flags)");
_Static_assert(offsetof(struct iommu_ioas_copy, dst_ioas_id) == 8, "offsetof(struct iommu_ioas_copy, dst_ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, dst_ioas_id) == 4, "sizeof(struct iommu_ioas_copy.dst_ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_copy, src_ioas_id) == 12, "offsetof(struct iommu_ioas_copy, src_ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, src_ioas_id) == 4, "sizeof(struct iommu_ioas_copy.src_ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_copy, length) == 16, "offsetof(struct iommu_ioas_copy, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, length) == 8, "sizeof(struct iommu_ioas_copy.length)");
_Static_assert(offsetof(struct iommu_ioas_copy, dst_iova) == 24, "offsetof(struct iommu_ioas_copy, dst_iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, dst_iova) == 8, "sizeof(struct iommu_ioas_copy.dst_iova)");
_Static_assert(offsetof(struct iommu_ioas_copy, src_iova) == 32, "offsetof(struct iommu_ioas_copy, src_iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_copy, src_iova) == 8, "sizeof(struct iommu_ioas_copy.src_iova)");

/* struct iommu_ioas_unmap */
_Static_assert(sizeof(struct iommu_ioas_unmap) == 24, "sizeof(struct iommu_ioas_unmap)");
_Static_assert(_Alignof(struct iommu_ioas_unmap) == 8, "_Alignof(struct iommu_ioas_unmap)");
_Static_assert(offsetof(struct iommu_ioas_unmap, size) == 0, "offsetof(struct iommu_ioas_unmap, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_unmap, size) == 4, "sizeof(struct iommu_ioas_unmap.size)");
_Static_assert(offsetof(struct iommu_ioas_unmap, ioas_id) == 4, "offsetof(struct iommu_ioas_unmap, ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_unmap, ioas_id) == 4, "sizeof(struct iommu_ioas_unmap.ioas_id)");
_Static_assert(offsetof(struct iommu_ioas_unmap, iova) == 8, "offsetof(struct iommu_ioas_unmap, iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_unmap, iova) == 8, "sizeof(struct iommu_ioas_unmap.iova)");
_Static_assert(offsetof(struct iommu_ioas_unmap, length) == 16, "offsetof(struct iommu_ioas_unmap, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_unmap, length) == 8, "sizeof(struct iommu_ioas_unmap.length)");

/* struct iommu_option */
_Static_assert(sizeof(struct iommu_option) == 24, "sizeof(struct iommu_option)");
_Static_assert(_Alignof(struct iommu_option) == 8, "_Alignof(struct iommu_option)");
_Static_assert(offsetof(struct iommu_option, size) == 0, "offsetof(struct iommu_option, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_option, size) == 4, "sizeof(struct iommu_option.size)");
_Static_assert(offsetof(struct iommu_option, option_id) == 4, "offsetof(struct iommu_option, option_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_option, option_id) == 4, "sizeof(struct iommu_option.option_id)");
_Static_assert(offsetof(struct iommu_option, op) == 8, "offsetof(struct iommu_option, op)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_option, op) == 2, "sizeof(struct iommu_option.op)");
_Static_assert(offsetof(struct iommu_option, __reserved) == 10, "offsetof(struct iommu_option, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_option, __reserved) == 2, "sizeof(struct iommu_option.__reserved)");
_Static_assert(offsetof(struct iommu_option, object_id) == 12, "offsetof(struct iommu_option, object_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_option, object_id) == 4, "sizeof(struct iommu_option.object_id)");
_Static_assert(offsetof(struct iommu_option, val64) == 16, "offsetof(struct iommu_option, val64)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_option, val64) == 8, "sizeof(struct iommu_option.val64)");

/* struct iommu_vfio_ioas */
_Static_assert(sizeof(struct iommu_vfio_ioas) == 12, "sizeof(struct iommu_vfio_ioas)");
_Static_assert(_Alignof(struct iommu_vfio_ioas) == 4, "_Alignof(struct iommu_vfio_ioas)");
_Static_assert(offsetof(struct iommu_vfio_ioas, size) == 0, "offsetof(struct iommu_vfio_ioas, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vfio_ioas, size) == 4, "sizeof(struct iommu_vfio_ioas.size)");
_Static_assert(offsetof(struct iommu_vfio_ioas, ioas_id) == 4, "offsetof(struct iommu_vfio_ioas, ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vfio_ioas, ioas_id) == 4, "sizeof(struct iommu_vfio_ioas.ioas_id)");
_Static_assert(offsetof(struct iommu_vfio_ioas, op) == 8, "offsetof(struct iommu_vfio_ioas, op)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vfio_ioas, op) == 2, "sizeof(struct iommu_vfio_ioas.op)");
_Static_assert(offsetof(struct iommu_vfio_ioas, __reserved) == 10, "offsetof(struct iommu_vfio_ioas, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vfio_ioas, __reserved) == 2, "sizeof(struct iommu_vfio_ioas.__reserved)");

/* struct iommu_hwpt_vtd_s1 */
_Static_assert(sizeof(struct iommu_hwpt_vtd_s1) == 24, "sizeof(struct iommu_hwpt_vtd_s1)");
_Static_assert(_Alignof(struct iommu_hwpt_vtd_s1) == 8, "_Alignof(struct iommu_hwpt_vtd_s1)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1, flags) == 0, "offsetof(struct iommu_hwpt_vtd_s1, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1, flags) == 8, "sizeof(struct iommu_hwpt_vtd_s1.flags)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1, pgtbl_addr) == 8, "offsetof(struct iommu_hwpt_vtd_s1, pgtbl_addr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1, pgtbl_addr) == 8, "sizeof(struct iommu_hwpt_vtd_s1.pgtbl_addr)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1, addr_width) == 16, "offsetof(struct iommu_hwpt_vtd_s1, addr_width)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1, addr_width) == 4, "sizeof(struct iommu_hwpt_vtd_s1.addr_width)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1, __reserved) == 20, "offsetof(struct iommu_hwpt_vtd_s1, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1, __reserved) == 4, "sizeof(struct iommu_hwpt_vtd_s1.__reserved)");

/* struct iommu_hwpt_arm_smmuv3 */
_Static_assert(sizeof(struct iommu_hwpt_arm_smmuv3) == 16, "sizeof(struct iommu_hwpt_arm_smmuv3)");
_Static_assert(_Alignof(struct iommu_hwpt_arm_smmuv3) == 8, "_Alignof(struct iommu_hwpt_arm_smmuv3)");
_Static_assert(offsetof(struct iommu_hwpt_arm_smmuv3, ste) == 0, "offsetof(struct iommu_hwpt_arm_smmuv3, ste)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_arm_smmuv3, ste) == 16, "sizeof(struct iommu_hwpt_arm_smmuv3.ste)");

/* struct iommu_hwpt_amd_guest */
_Static_assert(sizeof(struct iommu_hwpt_amd_guest) == 32, "sizeof(struct iommu_hwpt_amd_guest)");
_Static_assert(_Alignof(struct iommu_hwpt_amd_guest) == 8, "_Alignof(struct iommu_hwpt_amd_guest)");
_Static_assert(offsetof(struct iommu_hwpt_amd_guest, dte) == 0, "offsetof(struct iommu_hwpt_amd_guest, dte)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_amd_guest, dte) == 32, "sizeof(struct iommu_hwpt_amd_guest.dte)");

/* struct iommu_hwpt_alloc */
_Static_assert(sizeof(struct iommu_hwpt_alloc) == 48, "sizeof(struct iommu_hwpt_alloc)");
_Static_assert(_Alignof(struct iommu_hwpt_alloc) == 8, "_Alignof(struct iommu_hwpt_alloc)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, size) == 0, "offsetof(struct iommu_hwpt_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, size) == 4, "sizeof(struct iommu_hwpt_alloc.size)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, flags) == 4, "offsetof(struct iommu_hwpt_alloc, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, flags) == 4, "sizeof(struct iommu_hwpt_alloc.flags)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, dev_id) == 8, "offsetof(struct iommu_hwpt_alloc, dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, dev_id) == 4, "sizeof(struct iommu_hwpt_alloc.dev_id)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, pt_id) == 12, "offsetof(struct iommu_hwpt_alloc, pt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, pt_id) == 4, "sizeof(struct iommu_hwpt_alloc.pt_id)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, out_hwpt_id) == 16, "offsetof(struct iommu_hwpt_alloc, out_hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, out_hwpt_id) == 4, "sizeof(struct iommu_hwpt_alloc.out_hwpt_id)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, __reserved) == 20, "offsetof(struct iommu_hwpt_alloc, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, __reserved) == 4, "sizeof(struct iommu_hwpt_alloc.__reserved)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, data_type) == 24, "offsetof(struct iommu_hwpt_alloc, data_type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, data_type) == 4, "sizeof(struct iommu_hwpt_alloc.data_type)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, data_len) == 28, "offsetof(struct iommu_hwpt_alloc, data_len)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, data_len) == 4, "sizeof(struct iommu_hwpt_alloc.data_len)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, data_uptr) == 32, "offsetof(struct iommu_hwpt_alloc, data_uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, data_uptr) == 8, "sizeof(struct iommu_hwpt_alloc.data_uptr)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, fault_id) == 40, "offsetof(struct iommu_hwpt_alloc, fault_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, fault_id) == 4, "sizeof(struct iommu_hwpt_alloc.fault_id)");
_Static_assert(offsetof(struct iommu_hwpt_alloc, __reserved2) == 44, "offsetof(struct iommu_hwpt_alloc, __reserved2)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_alloc, __reserved2) == 4, "sizeof(struct iommu_hwpt_alloc.__reserved2)");

/* struct iommu_hw_info_vtd */
_Static_assert(sizeof(struct iommu_hw_info_vtd) == 24, "sizeof(struct iommu_hw_info_vtd)");
_Static_assert(_Alignof(struct iommu_hw_info_vtd) == 8, "_Alignof(struct iommu_hw_info_vtd)");
_Static_assert(offsetof(struct iommu_hw_info_vtd, flags) == 0, "offsetof(struct iommu_hw_info_vtd, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_vtd, flags) == 4, "sizeof(struct iommu_hw_info_vtd.flags)");
_Static_assert(offsetof(struct iommu_hw_info_vtd, __reserved) == 4, "offsetof(struct iommu_hw_info_vtd, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_vtd, __reserved) == 4, "sizeof(struct iommu_hw_info_vtd.__reserved)");
_Static_assert(offsetof(struct iommu_hw_info_vtd, cap_reg) == 8, "offsetof(struct iommu_hw_info_vtd, cap_reg)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_vtd, cap_reg) == 8, "sizeof(struct iommu_hw_info_vtd.cap_reg)");
_Static_assert(offsetof(struct iommu_hw_info_vtd, ecap_reg) == 16, "offsetof(struct iommu_hw_info_vtd, ecap_reg)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_vtd, ecap_reg) == 8, "sizeof(struct iommu_hw_info_vtd.ecap_reg)");

/* struct iommu_hw_info_arm_smmuv3 */
_Static_assert(sizeof(struct iommu_hw_info_arm_smmuv3) == 40, "sizeof(struct iommu_hw_info_arm_smmuv3)");
_Static_assert(_Alignof(struct iommu_hw_info_arm_smmuv3) == 4, "_Alignof(struct iommu_hw_info_arm_smmuv3)");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, flags) == 0, "offsetof(struct iommu_hw_info_arm_smmuv3, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_arm_smmuv3, flags) == 4, "sizeof(struct iommu_hw_info_arm_smmuv3.flags)");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, __reserved) == 4, "offsetof(struct iommu_hw_info_arm_smmuv3, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_arm_smmuv3, __reserved) == 4, "sizeof(struct iommu_hw_info_arm_smmuv3.__reserved)");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, idr) == 8, "offsetof(struct iommu_hw_info_arm_smmuv3, idr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_arm_smmuv3, idr) == 24, "sizeof(struct iommu_hw_info_arm_smmuv3.idr)");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, iidr) == 32, "offsetof(struct iommu_hw_info_arm_smmuv3, iidr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_arm_smmuv3, iidr) == 4, "sizeof(struct iommu_hw_info_arm_smmuv3.iidr)");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, aidr) == 36, "offsetof(struct iommu_hw_info_arm_smmuv3, aidr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_arm_smmuv3, aidr) == 4, "sizeof(struct iommu_hw_info_arm_smmuv3.aidr)");

/* struct iommu_hw_info_tegra241_cmdqv */
_Static_assert(sizeof(struct iommu_hw_info_tegra241_cmdqv) == 8, "sizeof(struct iommu_hw_info_tegra241_cmdqv)");
_Static_assert(_Alignof(struct iommu_hw_info_tegra241_cmdqv) == 4, "_Alignof(struct iommu_hw_info_tegra241_cmdqv)");
_Static_assert(offsetof(struct iommu_hw_info_tegra241_cmdqv, flags) == 0, "offsetof(struct iommu_hw_info_tegra241_cmdqv, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_tegra241_cmdqv, flags) == 4, "sizeof(struct iommu_hw_info_tegra241_cmdqv.flags)");
_Static_assert(offsetof(struct iommu_hw_info_tegra241_cmdqv, version) == 4, "offsetof(struct iommu_hw_info_tegra241_cmdqv, version)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_tegra241_cmdqv, version) == 1, "sizeof(struct iommu_hw_info_tegra241_cmdqv.version)");
_Static_assert(offsetof(struct iommu_hw_info_tegra241_cmdqv, log2vcmdqs) == 5, "offsetof(struct iommu_hw_info_tegra241_cmdqv, log2vcmdqs)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_tegra241_cmdqv, log2vcmdqs) == 1, "sizeof(struct iommu_hw_info_tegra241_cmdqv.log2vcmdqs)");
_Static_assert(offsetof(struct iommu_hw_info_tegra241_cmdqv, log2vsids) == 6, "offsetof(struct iommu_hw_info_tegra241_cmdqv, log2vsids)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_tegra241_cmdqv, log2vsids) == 1, "sizeof(struct iommu_hw_info_tegra241_cmdqv.log2vsids)");
_Static_assert(offsetof(struct iommu_hw_info_tegra241_cmdqv, __reserved) == 7, "offsetof(struct iommu_hw_info_tegra241_cmdqv, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_tegra241_cmdqv, __reserved) == 1, "sizeof(struct iommu_hw_info_tegra241_cmdqv.__reserved)");

/* struct iommu_hw_info_amd */
_Static_assert(sizeof(struct iommu_hw_info_amd) == 16, "sizeof(struct iommu_hw_info_amd)");
_Static_assert(_Alignof(struct iommu_hw_info_amd) == 8, "_Alignof(struct iommu_hw_info_amd)");
_Static_assert(offsetof(struct iommu_hw_info_amd, efr) == 0, "offsetof(struct iommu_hw_info_amd, efr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_amd, efr) == 8, "sizeof(struct iommu_hw_info_amd.efr)");
_Static_assert(offsetof(struct iommu_hw_info_amd, efr2) == 8, "offsetof(struct iommu_hw_info_amd, efr2)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info_amd, efr2) == 8, "sizeof(struct iommu_hw_info_amd.efr2)");

/* struct iommu_hw_info */
_Static_assert(sizeof(struct iommu_hw_info) == 40, "sizeof(struct iommu_hw_info)");
_Static_assert(_Alignof(struct iommu_hw_info) == 8, "_Alignof(struct iommu_hw_info)");
_Static_assert(offsetof(struct iommu_hw_info, size) == 0, "offsetof(struct iommu_hw_info, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, size) == 4, "sizeof(struct iommu_hw_info.size)");
_Static_assert(offsetof(struct iommu_hw_info, flags) == 4, "offsetof(struct iommu_hw_info, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, flags) == 4, "sizeof(struct iommu_hw_info.flags)");
_Static_assert(offsetof(struct iommu_hw_info, dev_id) == 8, "offsetof(struct iommu_hw_info, dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, dev_id) == 4, "sizeof(struct iommu_hw_info.dev_id)");
_Static_assert(offsetof(struct iommu_hw_info, data_len) == 12, "offsetof(struct iommu_hw_info, data_len)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, data_len) == 4, "sizeof(struct iommu_hw_info.data_len)");
_Static_assert(offsetof(struct iommu_hw_info, data_uptr) == 16, "offsetof(struct iommu_hw_info, data_uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, data_uptr) == 8, "sizeof(struct iommu_hw_info.data_uptr)");
_Static_assert(offsetof(struct iommu_hw_info, in_data_type) == 24, "offsetof(struct iommu_hw_info, in_data_type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, in_data_type) == 4, "sizeof(struct iommu_hw_info.in_data_type)");
_Static_assert(offsetof(struct iommu_hw_info, out_data_type) == 24, "offsetof(struct iommu_hw_info, out_data_type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, out_data_type) == 4, "sizeof(struct iommu_hw_info.out_data_type)");
_Static_assert(offsetof(struct iommu_hw_info, out_max_pasid_log2) == 28, "offsetof(struct iommu_hw_info, out_max_pasid_log2)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, out_max_pasid_log2) == 1, "sizeof(struct iommu_hw_info.out_max_pasid_log2)");
_Static_assert(offsetof(struct iommu_hw_info, __reserved) == 29, "offsetof(struct iommu_hw_info, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, __reserved) == 3, "sizeof(struct iommu_hw_info.__reserved)");
_Static_assert(offsetof(struct iommu_hw_info, out_capabilities) == 32, "offsetof(struct iommu_hw_info, out_capabilities)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_info, out_capabilities) == 8, "sizeof(struct iommu_hw_info.out_capabilities)");

/* struct iommu_hwpt_set_dirty_tracking */
_Static_assert(sizeof(struct iommu_hwpt_set_dirty_tracking) == 16, "sizeof(struct iommu_hwpt_set_dirty_tracking)");
_Static_assert(_Alignof(struct iommu_hwpt_set_dirty_tracking) == 4, "_Alignof(struct iommu_hwpt_set_dirty_tracking)");
_Static_assert(offsetof(struct iommu_hwpt_set_dirty_tracking, size) == 0, "offsetof(struct iommu_hwpt_set_dirty_tracking, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_set_dirty_tracking, size) == 4, "sizeof(struct iommu_hwpt_set_dirty_tracking.size)");
_Static_assert(offsetof(struct iommu_hwpt_set_dirty_tracking, flags) == 4, "offsetof(struct iommu_hwpt_set_dirty_tracking, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_set_dirty_tracking, flags) == 4, "sizeof(struct iommu_hwpt_set_dirty_tracking.flags)");
_Static_assert(offsetof(struct iommu_hwpt_set_dirty_tracking, hwpt_id) == 8, "offsetof(struct iommu_hwpt_set_dirty_tracking, hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_set_dirty_tracking, hwpt_id) == 4, "sizeof(struct iommu_hwpt_set_dirty_tracking.hwpt_id)");
_Static_assert(offsetof(struct iommu_hwpt_set_dirty_tracking, __reserved) == 12, "offsetof(struct iommu_hwpt_set_dirty_tracking, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_set_dirty_tracking, __reserved) == 4, "sizeof(struct iommu_hwpt_set_dirty_tracking.__reserved)");

/* struct iommu_hwpt_get_dirty_bitmap */
_Static_assert(sizeof(struct iommu_hwpt_get_dirty_bitmap) == 48, "sizeof(struct iommu_hwpt_get_dirty_bitmap)");
_Static_assert(_Alignof(struct iommu_hwpt_get_dirty_bitmap) == 8, "_Alignof(struct iommu_hwpt_get_dirty_bitmap)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, size) == 0, "offsetof(struct iommu_hwpt_get_dirty_bitmap, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, size) == 4, "sizeof(struct iommu_hwpt_get_dirty_bitmap.size)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, hwpt_id) == 4, "offsetof(struct iommu_hwpt_get_dirty_bitmap, hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, hwpt_id) == 4, "sizeof(struct iommu_hwpt_get_dirty_bitmap.hwpt_id)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, flags) == 8, "offsetof(struct iommu_hwpt_get_dirty_bitmap, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, flags) == 4, "sizeof(struct iommu_hwpt_get_dirty_bitmap.flags)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, __reserved) == 12, "offsetof(struct iommu_hwpt_get_dirty_bitmap, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, __reserved) == 4, "sizeof(struct iommu_hwpt_get_dirty_bitmap.__reserved)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, iova) == 16, "offsetof(struct iommu_hwpt_get_dirty_bitmap, iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, iova) == 8, "sizeof(struct iommu_hwpt_get_dirty_bitmap.iova)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, length) == 24, "offsetof(struct iommu_hwpt_get_dirty_bitmap, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, length) == 8, "sizeof(struct iommu_hwpt_get_dirty_bitmap.length)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, page_size) == 32, "offsetof(struct iommu_hwpt_get_dirty_bitmap, page_size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, page_size) == 8, "sizeof(struct iommu_hwpt_get_dirty_bitmap.page_size)");
_Static_assert(offsetof(struct iommu_hwpt_get_dirty_bitmap, data) == 40, "offsetof(struct iommu_hwpt_get_dirty_bitmap, data)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_get_dirty_bitmap, data) == 8, "sizeof(struct iommu_hwpt_get_dirty_bitmap.data)");

/* struct iommu_hwpt_vtd_s1_invalidate */
_Static_assert(sizeof(struct iommu_hwpt_vtd_s1_invalidate) == 24, "sizeof(struct iommu_hwpt_vtd_s1_invalidate)");
_Static_assert(_Alignof(struct iommu_hwpt_vtd_s1_invalidate) == 8, "_Alignof(struct iommu_hwpt_vtd_s1_invalidate)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1_invalidate, addr) == 0, "offsetof(struct iommu_hwpt_vtd_s1_invalidate, addr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1_invalidate, addr) == 8, "sizeof(struct iommu_hwpt_vtd_s1_invalidate.addr)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1_invalidate, npages) == 8, "offsetof(struct iommu_hwpt_vtd_s1_invalidate, npages)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1_invalidate, npages) == 8, "sizeof(struct iommu_hwpt_vtd_s1_invalidate.npages)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1_invalidate, flags) == 16, "offsetof(struct iommu_hwpt_vtd_s1_invalidate, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1_invalidate, flags) == 4, "sizeof(struct iommu_hwpt_vtd_s1_invalidate.flags)");
_Static_assert(offsetof(struct iommu_hwpt_vtd_s1_invalidate, __reserved) == 20, "offsetof(struct iommu_hwpt_vtd_s1_invalidate, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_vtd_s1_invalidate, __reserved) == 4, "sizeof(struct iommu_hwpt_vtd_s1_invalidate.__reserved)");

/* struct iommu_viommu_arm_smmuv3_invalidate */
_Static_assert(sizeof(struct iommu_viommu_arm_smmuv3_invalidate) == 16, "sizeof(struct iommu_viommu_arm_smmuv3_invalidate)");
_Static_assert(_Alignof(struct iommu_viommu_arm_smmuv3_invalidate) == 8, "_Alignof(struct iommu_viommu_arm_smmuv3_invalidate)");
_Static_assert(offsetof(struct iommu_viommu_arm_smmuv3_invalidate, cmd) == 0, "offsetof(struct iommu_viommu_arm_smmuv3_invalidate, cmd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_arm_smmuv3_invalidate, cmd) == 16, "sizeof(struct iommu_viommu_arm_smmuv3_invalidate.cmd)");

/* struct iommu_hwpt_invalidate */
_Static_assert(sizeof(struct iommu_hwpt_invalidate) == 32, "sizeof(struct iommu_hwpt_invalidate)");
_Static_assert(_Alignof(struct iommu_hwpt_invalidate) == 8, "_Alignof(struct iommu_hwpt_invalidate)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, size) == 0, "offsetof(struct iommu_hwpt_invalidate, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, size) == 4, "sizeof(struct iommu_hwpt_invalidate.size)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, hwpt_id) == 4, "offsetof(struct iommu_hwpt_invalidate, hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, hwpt_id) == 4, "sizeof(struct iommu_hwpt_invalidate.hwpt_id)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, data_uptr) == 8, "offsetof(struct iommu_hwpt_invalidate, data_uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, data_uptr) == 8, "sizeof(struct iommu_hwpt_invalidate.data_uptr)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, data_type) == 16, "offsetof(struct iommu_hwpt_invalidate, data_type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, data_type) == 4, "sizeof(struct iommu_hwpt_invalidate.data_type)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, entry_len) == 20, "offsetof(struct iommu_hwpt_invalidate, entry_len)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, entry_len) == 4, "sizeof(struct iommu_hwpt_invalidate.entry_len)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, entry_num) == 24, "offsetof(struct iommu_hwpt_invalidate, entry_num)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, entry_num) == 4, "sizeof(struct iommu_hwpt_invalidate.entry_num)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate, __reserved) == 28, "offsetof(struct iommu_hwpt_invalidate, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate, __reserved) == 4, "sizeof(struct iommu_hwpt_invalidate.__reserved)");

/* struct iommu_hwpt_pgfault */
_Static_assert(sizeof(struct iommu_hwpt_pgfault) == 40, "sizeof(struct iommu_hwpt_pgfault)");
_Static_assert(_Alignof(struct iommu_hwpt_pgfault) == 8, "_Alignof(struct iommu_hwpt_pgfault)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, flags) == 0, "offsetof(struct iommu_hwpt_pgfault, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, flags) == 4, "sizeof(struct iommu_hwpt_pgfault.flags)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, dev_id) == 4, "offsetof(struct iommu_hwpt_pgfault, dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, dev_id) == 4, "sizeof(struct iommu_hwpt_pgfault.dev_id)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, pasid) == 8, "offsetof(struct iommu_hwpt_pgfault, pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, pasid) == 4, "sizeof(struct iommu_hwpt_pgfault.pasid)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, grpid) == 12, "offsetof(struct iommu_hwpt_pgfault, grpid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, grpid) == 4, "sizeof(struct iommu_hwpt_pgfault.grpid)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, perm) == 16, "offsetof(struct iommu_hwpt_pgfault, perm)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, perm) == 4, "sizeof(struct iommu_hwpt_pgfault.perm)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, __reserved) == 20, "offsetof(struct iommu_hwpt_pgfault, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, __reserved) == 4, "sizeof(struct iommu_hwpt_pgfault.__reserved)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, addr) == 24, "offsetof(struct iommu_hwpt_pgfault, addr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, addr) == 8, "sizeof(struct iommu_hwpt_pgfault.addr)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, length) == 32, "offsetof(struct iommu_hwpt_pgfault, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, length) == 4, "sizeof(struct iommu_hwpt_pgfault.length)");
_Static_assert(offsetof(struct iommu_hwpt_pgfault, cookie) == 36, "offsetof(struct iommu_hwpt_pgfault, cookie)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_pgfault, cookie) == 4, "sizeof(struct iommu_hwpt_pgfault.cookie)");

/* struct iommu_hwpt_page_response */
_Static_assert(sizeof(struct iommu_hwpt_page_response) == 8, "sizeof(struct iommu_hwpt_page_response)");
_Static_assert(_Alignof(struct iommu_hwpt_page_response) == 4, "_Alignof(struct iommu_hwpt_page_response)");
_Static_assert(offsetof(struct iommu_hwpt_page_response, cookie) == 0, "offsetof(struct iommu_hwpt_page_response, cookie)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_page_response, cookie) == 4, "sizeof(struct iommu_hwpt_page_response.cookie)");
_Static_assert(offsetof(struct iommu_hwpt_page_response, code) == 4, "offsetof(struct iommu_hwpt_page_response, code)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_page_response, code) == 4, "sizeof(struct iommu_hwpt_page_response.code)");

/* struct iommu_fault_alloc */
_Static_assert(sizeof(struct iommu_fault_alloc) == 16, "sizeof(struct iommu_fault_alloc)");
_Static_assert(_Alignof(struct iommu_fault_alloc) == 4, "_Alignof(struct iommu_fault_alloc)");
_Static_assert(offsetof(struct iommu_fault_alloc, size) == 0, "offsetof(struct iommu_fault_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_fault_alloc, size) == 4, "sizeof(struct iommu_fault_alloc.size)");
_Static_assert(offsetof(struct iommu_fault_alloc, flags) == 4, "offsetof(struct iommu_fault_alloc, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_fault_alloc, flags) == 4, "sizeof(struct iommu_fault_alloc.flags)");
_Static_assert(offsetof(struct iommu_fault_alloc, out_fault_id) == 8, "offsetof(struct iommu_fault_alloc, out_fault_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_fault_alloc, out_fault_id) == 4, "sizeof(struct iommu_fault_alloc.out_fault_id)");
_Static_assert(offsetof(struct iommu_fault_alloc, out_fault_fd) == 12, "offsetof(struct iommu_fault_alloc, out_fault_fd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_fault_alloc, out_fault_fd) == 4, "sizeof(struct iommu_fault_alloc.out_fault_fd)");

/* struct iommu_viommu_tegra241_cmdqv */
_Static_assert(sizeof(struct iommu_viommu_tegra241_cmdqv) == 16, "sizeof(struct iommu_viommu_tegra241_cmdqv)");
_Static_assert(_Alignof(struct iommu_viommu_tegra241_cmdqv) == 8, "_Alignof(struct iommu_viommu_tegra241_cmdqv)");
_Static_assert(offsetof(struct iommu_viommu_tegra241_cmdqv, out_vintf_mmap_offset) == 0, "offsetof(struct iommu_viommu_tegra241_cmdqv, out_vintf_mmap_offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_tegra241_cmdqv, out_vintf_mmap_offset) == 8, "sizeof(struct iommu_viommu_tegra241_cmdqv.out_vintf_mmap_offset)");
_Static_assert(offsetof(struct iommu_viommu_tegra241_cmdqv, out_vintf_mmap_length) == 8, "offsetof(struct iommu_viommu_tegra241_cmdqv, out_vintf_mmap_length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_tegra241_cmdqv, out_vintf_mmap_length) == 8, "sizeof(struct iommu_viommu_tegra241_cmdqv.out_vintf_mmap_length)");

/* struct iommu_viommu_alloc */
_Static_assert(sizeof(struct iommu_viommu_alloc) == 40, "sizeof(struct iommu_viommu_alloc)");
_Static_assert(_Alignof(struct iommu_viommu_alloc) == 8, "_Alignof(struct iommu_viommu_alloc)");
_Static_assert(offsetof(struct iommu_viommu_alloc, size) == 0, "offsetof(struct iommu_viommu_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, size) == 4, "sizeof(struct iommu_viommu_alloc.size)");
_Static_assert(offsetof(struct iommu_viommu_alloc, flags) == 4, "offsetof(struct iommu_viommu_alloc, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, flags) == 4, "sizeof(struct iommu_viommu_alloc.flags)");
_Static_assert(offsetof(struct iommu_viommu_alloc, type) == 8, "offsetof(struct iommu_viommu_alloc, type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, type) == 4, "sizeof(struct iommu_viommu_alloc.type)");
_Static_assert(offsetof(struct iommu_viommu_alloc, dev_id) == 12, "offsetof(struct iommu_viommu_alloc, dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, dev_id) == 4, "sizeof(struct iommu_viommu_alloc.dev_id)");
_Static_assert(offsetof(struct iommu_viommu_alloc, hwpt_id) == 16, "offsetof(struct iommu_viommu_alloc, hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, hwpt_id) == 4, "sizeof(struct iommu_viommu_alloc.hwpt_id)");
_Static_assert(offsetof(struct iommu_viommu_alloc, out_viommu_id) == 20, "offsetof(struct iommu_viommu_alloc, out_viommu_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, out_viommu_id) == 4, "sizeof(struct iommu_viommu_alloc.out_viommu_id)");
_Static_assert(offsetof(struct iommu_viommu_alloc, data_len) == 24, "offsetof(struct iommu_viommu_alloc, data_len)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, data_len) == 4, "sizeof(struct iommu_viommu_alloc.data_len)");
_Static_assert(offsetof(struct iommu_viommu_alloc, __reserved) == 28, "offsetof(struct iommu_viommu_alloc, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, __reserved) == 4, "sizeof(struct iommu_viommu_alloc.__reserved)");
_Static_assert(offsetof(struct iommu_viommu_alloc, data_uptr) == 32, "offsetof(struct iommu_viommu_alloc, data_uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_alloc, data_uptr) == 8, "sizeof(struct iommu_viommu_alloc.data_uptr)");

/* struct iommu_vdevice_alloc */
_Static_assert(sizeof(struct iommu_vdevice_alloc) == 24, "sizeof(struct iommu_vdevice_alloc)");
_Static_assert(_Alignof(struct iommu_vdevice_alloc) == 8, "_Alignof(struct iommu_vdevice_alloc)");
_Static_assert(offsetof(struct iommu_vdevice_alloc, size) == 0, "offsetof(struct iommu_vdevice_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vdevice_alloc, size) == 4, "sizeof(struct iommu_vdevice_alloc.size)");
_Static_assert(offsetof(struct iommu_vdevice_alloc, viommu_id) == 4, "offsetof(struct iommu_vdevice_alloc, viommu_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vdevice_alloc, viommu_id) == 4, "sizeof(struct iommu_vdevice_alloc.viommu_id)");
_Static_assert(offsetof(struct iommu_vdevice_alloc, dev_id) == 8, "offsetof(struct iommu_vdevice_alloc, dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vdevice_alloc, dev_id) == 4, "sizeof(struct iommu_vdevice_alloc.dev_id)");
_Static_assert(offsetof(struct iommu_vdevice_alloc, out_vdevice_id) == 12, "offsetof(struct iommu_vdevice_alloc, out_vdevice_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vdevice_alloc, out_vdevice_id) == 4, "sizeof(struct iommu_vdevice_alloc.out_vdevice_id)");
_Static_assert(offsetof(struct iommu_vdevice_alloc, virt_id) == 16, "offsetof(struct iommu_vdevice_alloc, virt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vdevice_alloc, virt_id) == 8, "sizeof(struct iommu_vdevice_alloc.virt_id)");

/* struct iommu_ioas_change_process */
_Static_assert(sizeof(struct iommu_ioas_change_process) == 8, "sizeof(struct iommu_ioas_change_process)");
_Static_assert(_Alignof(struct iommu_ioas_change_process) == 4, "_Alignof(struct iommu_ioas_change_process)");
_Static_assert(offsetof(struct iommu_ioas_change_process, size) == 0, "offsetof(struct iommu_ioas_change_process, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_change_process, size) == 4, "sizeof(struct iommu_ioas_change_process.size)");
_Static_assert(offsetof(struct iommu_ioas_change_process, __reserved) == 4, "offsetof(struct iommu_ioas_change_process, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_ioas_change_process, __reserved) == 4, "sizeof(struct iommu_ioas_change_process.__reserved)");

/* struct iommufd_vevent_header */
_Static_assert(sizeof(struct iommufd_vevent_header) == 8, "sizeof(struct iommufd_vevent_header)");
_Static_assert(_Alignof(struct iommufd_vevent_header) == 4, "_Alignof(struct iommufd_vevent_header)");
_Static_assert(offsetof(struct iommufd_vevent_header, flags) == 0, "offsetof(struct iommufd_vevent_header, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommufd_vevent_header, flags) == 4, "sizeof(struct iommufd_vevent_header.flags)");
_Static_assert(offsetof(struct iommufd_vevent_header, sequence) == 4, "offsetof(struct iommufd_vevent_header, sequence)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommufd_vevent_header, sequence) == 4, "sizeof(struct iommufd_vevent_header.sequence)");

/* struct iommu_vevent_arm_smmuv3 */
_Static_assert(sizeof(struct iommu_vevent_arm_smmuv3) == 32, "sizeof(struct iommu_vevent_arm_smmuv3)");
_Static_assert(_Alignof(struct iommu_vevent_arm_smmuv3) == 8, "_Alignof(struct iommu_vevent_arm_smmuv3)");
_Static_assert(offsetof(struct iommu_vevent_arm_smmuv3, evt) == 0, "offsetof(struct iommu_vevent_arm_smmuv3, evt)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vevent_arm_smmuv3, evt) == 32, "sizeof(struct iommu_vevent_arm_smmuv3.evt)");

/* struct iommu_vevent_tegra241_cmdqv */
_Static_assert(sizeof(struct iommu_vevent_tegra241_cmdqv) == 16, "sizeof(struct iommu_vevent_tegra241_cmdqv)");
_Static_assert(_Alignof(struct iommu_vevent_tegra241_cmdqv) == 8, "_Alignof(struct iommu_vevent_tegra241_cmdqv)");
_Static_assert(offsetof(struct iommu_vevent_tegra241_cmdqv, lvcmdq_err_map) == 0, "offsetof(struct iommu_vevent_tegra241_cmdqv, lvcmdq_err_map)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_vevent_tegra241_cmdqv, lvcmdq_err_map) == 16, "sizeof(struct iommu_vevent_tegra241_cmdqv.lvcmdq_err_map)");

/* struct iommu_veventq_alloc */
_Static_assert(sizeof(struct iommu_veventq_alloc) == 32, "sizeof(struct iommu_veventq_alloc)");
_Static_assert(_Alignof(struct iommu_veventq_alloc) == 4, "_Alignof(struct iommu_veventq_alloc)");
_Static_assert(offsetof(struct iommu_veventq_alloc, size) == 0, "offsetof(struct iommu_veventq_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, size) == 4, "sizeof(struct iommu_veventq_alloc.size)");
_Static_assert(offsetof(struct iommu_veventq_alloc, flags) == 4, "offsetof(struct iommu_veventq_alloc, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, flags) == 4, "sizeof(struct iommu_veventq_alloc.flags)");
_Static_assert(offsetof(struct iommu_veventq_alloc, viommu_id) == 8, "offsetof(struct iommu_veventq_alloc, viommu_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, viommu_id) == 4, "sizeof(struct iommu_veventq_alloc.viommu_id)");
_Static_assert(offsetof(struct iommu_veventq_alloc, type) == 12, "offsetof(struct iommu_veventq_alloc, type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, type) == 4, "sizeof(struct iommu_veventq_alloc.type)");
_Static_assert(offsetof(struct iommu_veventq_alloc, veventq_depth) == 16, "offsetof(struct iommu_veventq_alloc, veventq_depth)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, veventq_depth) == 4, "sizeof(struct iommu_veventq_alloc.veventq_depth)");
_Static_assert(offsetof(struct iommu_veventq_alloc, out_veventq_id) == 20, "offsetof(struct iommu_veventq_alloc, out_veventq_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, out_veventq_id) == 4, "sizeof(struct iommu_veventq_alloc.out_veventq_id)");
_Static_assert(offsetof(struct iommu_veventq_alloc, out_veventq_fd) == 24, "offsetof(struct iommu_veventq_alloc, out_veventq_fd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, out_veventq_fd) == 4, "sizeof(struct iommu_veventq_alloc.out_veventq_fd)");
_Static_assert(offsetof(struct iommu_veventq_alloc, __reserved) == 28, "offsetof(struct iommu_veventq_alloc, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_veventq_alloc, __reserved) == 4, "sizeof(struct iommu_veventq_alloc.__reserved)");

/* struct iommu_hw_queue_alloc */
_Static_assert(sizeof(struct iommu_hw_queue_alloc) == 40, "sizeof(struct iommu_hw_queue_alloc)");
_Static_assert(_Alignof(struct iommu_hw_queue_alloc) == 8, "_Alignof(struct iommu_hw_queue_alloc)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, size) == 0, "offsetof(struct iommu_hw_queue_alloc, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, size) == 4, "sizeof(struct iommu_hw_queue_alloc.size)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, flags) == 4, "offsetof(struct iommu_hw_queue_alloc, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, flags) == 4, "sizeof(struct iommu_hw_queue_alloc.flags)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, viommu_id) == 8, "offsetof(struct iommu_hw_queue_alloc, viommu_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, viommu_id) == 4, "sizeof(struct iommu_hw_queue_alloc.viommu_id)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, type) == 12, "offsetof(struct iommu_hw_queue_alloc, type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, type) == 4, "sizeof(struct iommu_hw_queue_alloc.type)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, index) == 16, "offsetof(struct iommu_hw_queue_alloc, index)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, index) == 4, "sizeof(struct iommu_hw_queue_alloc.index)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, out_hw_queue_id) == 20, "offsetof(struct iommu_hw_queue_alloc, out_hw_queue_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, out_hw_queue_id) == 4, "sizeof(struct iommu_hw_queue_alloc.out_hw_queue_id)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, nesting_parent_iova) == 24, "offsetof(struct iommu_hw_queue_alloc, nesting_parent_iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, nesting_parent_iova) == 8, "sizeof(struct iommu_hw_queue_alloc.nesting_parent_iova)");
_Static_assert(offsetof(struct iommu_hw_queue_alloc, length) == 32, "offsetof(struct iommu_hw_queue_alloc, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hw_queue_alloc, length) == 8, "sizeof(struct iommu_hw_queue_alloc.length)");

/* ========================================================================================== */
/* Layouts: VFIO (vfio_uapi.h) */
/* ========================================================================================== */

/* struct vfio_info_cap_header */
_Static_assert(sizeof(struct vfio_info_cap_header) == 8, "sizeof(struct vfio_info_cap_header)");
_Static_assert(_Alignof(struct vfio_info_cap_header) == 4, "_Alignof(struct vfio_info_cap_header)");
_Static_assert(offsetof(struct vfio_info_cap_header, id) == 0, "offsetof(struct vfio_info_cap_header, id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_info_cap_header, id) == 2, "sizeof(struct vfio_info_cap_header.id)");
_Static_assert(offsetof(struct vfio_info_cap_header, version) == 2, "offsetof(struct vfio_info_cap_header, version)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_info_cap_header, version) == 2, "sizeof(struct vfio_info_cap_header.version)");
_Static_assert(offsetof(struct vfio_info_cap_header, next) == 4, "offsetof(struct vfio_info_cap_header, next)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_info_cap_header, next) == 4, "sizeof(struct vfio_info_cap_header.next)");

/* struct vfio_group_status */
_Static_assert(sizeof(struct vfio_group_status) == 8, "sizeof(struct vfio_group_status)");
_Static_assert(_Alignof(struct vfio_group_status) == 4, "_Alignof(struct vfio_group_status)");
_Static_assert(offsetof(struct vfio_group_status, argsz) == 0, "offsetof(struct vfio_group_status, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_group_status, argsz) == 4, "sizeof(struct vfio_group_status.argsz)");
_Static_assert(offsetof(struct vfio_group_status, flags) == 4, "offsetof(struct vfio_group_status, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_group_status, flags) == 4, "sizeof(struct vfio_group_status.flags)");

/* struct vfio_device_info */
_Static_assert(sizeof(struct vfio_device_info) == 24, "sizeof(struct vfio_device_info)");
_Static_assert(_Alignof(struct vfio_device_info) == 4, "_Alignof(struct vfio_device_info)");
_Static_assert(offsetof(struct vfio_device_info, argsz) == 0, "offsetof(struct vfio_device_info, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_info, argsz) == 4, "sizeof(struct vfio_device_info.argsz)");
_Static_assert(offsetof(struct vfio_device_info, flags) == 4, "offsetof(struct vfio_device_info, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_info, flags) == 4, "sizeof(struct vfio_device_info.flags)");
_Static_assert(offsetof(struct vfio_device_info, num_regions) == 8, "offsetof(struct vfio_device_info, num_regions)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_info, num_regions) == 4, "sizeof(struct vfio_device_info.num_regions)");
_Static_assert(offsetof(struct vfio_device_info, num_irqs) == 12, "offsetof(struct vfio_device_info, num_irqs)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_info, num_irqs) == 4, "sizeof(struct vfio_device_info.num_irqs)");
_Static_assert(offsetof(struct vfio_device_info, cap_offset) == 16, "offsetof(struct vfio_device_info, cap_offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_info, cap_offset) == 4, "sizeof(struct vfio_device_info.cap_offset)");
_Static_assert(offsetof(struct vfio_device_info, pad) == 20, "offsetof(struct vfio_device_info, pad)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_info, pad) == 4, "sizeof(struct vfio_device_info.pad)");

/* struct vfio_region_info */
_Static_assert(sizeof(struct vfio_region_info) == 32, "sizeof(struct vfio_region_info)");
_Static_assert(_Alignof(struct vfio_region_info) == 8, "_Alignof(struct vfio_region_info)");
_Static_assert(offsetof(struct vfio_region_info, argsz) == 0, "offsetof(struct vfio_region_info, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info, argsz) == 4, "sizeof(struct vfio_region_info.argsz)");
_Static_assert(offsetof(struct vfio_region_info, flags) == 4, "offsetof(struct vfio_region_info, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info, flags) == 4, "sizeof(struct vfio_region_info.flags)");
_Static_assert(offsetof(struct vfio_region_info, index) == 8, "offsetof(struct vfio_region_info, index)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info, index) == 4, "sizeof(struct vfio_region_info.index)");
_Static_assert(offsetof(struct vfio_region_info, cap_offset) == 12, "offsetof(struct vfio_region_info, cap_offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info, cap_offset) == 4, "sizeof(struct vfio_region_info.cap_offset)");
_Static_assert(offsetof(struct vfio_region_info, size) == 16, "offsetof(struct vfio_region_info, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info, size) == 8, "sizeof(struct vfio_region_info.size)");
_Static_assert(offsetof(struct vfio_region_info, offset) == 24, "offsetof(struct vfio_region_info, offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info, offset) == 8, "sizeof(struct vfio_region_info.offset)");

/* struct vfio_region_sparse_mmap_area */
_Static_assert(sizeof(struct vfio_region_sparse_mmap_area) == 16, "sizeof(struct vfio_region_sparse_mmap_area)");
_Static_assert(_Alignof(struct vfio_region_sparse_mmap_area) == 8, "_Alignof(struct vfio_region_sparse_mmap_area)");
_Static_assert(offsetof(struct vfio_region_sparse_mmap_area, offset) == 0, "offsetof(struct vfio_region_sparse_mmap_area, offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_sparse_mmap_area, offset) == 8, "sizeof(struct vfio_region_sparse_mmap_area.offset)");
_Static_assert(offsetof(struct vfio_region_sparse_mmap_area, size) == 8, "offsetof(struct vfio_region_sparse_mmap_area, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_sparse_mmap_area, size) == 8, "sizeof(struct vfio_region_sparse_mmap_area.size)");

/* struct vfio_region_info_cap_sparse_mmap */
_Static_assert(sizeof(struct vfio_region_info_cap_sparse_mmap) == 16, "sizeof(struct vfio_region_info_cap_sparse_mmap)");
_Static_assert(_Alignof(struct vfio_region_info_cap_sparse_mmap) == 8, "_Alignof(struct vfio_region_info_cap_sparse_mmap)");
_Static_assert(offsetof(struct vfio_region_info_cap_sparse_mmap, header) == 0, "offsetof(struct vfio_region_info_cap_sparse_mmap, header)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info_cap_sparse_mmap, header) == 8, "sizeof(struct vfio_region_info_cap_sparse_mmap.header)");
_Static_assert(offsetof(struct vfio_region_info_cap_sparse_mmap, nr_areas) == 8, "offsetof(struct vfio_region_info_cap_sparse_mmap, nr_areas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info_cap_sparse_mmap, nr_areas) == 4, "sizeof(struct vfio_region_info_cap_sparse_mmap.nr_areas)");
_Static_assert(offsetof(struct vfio_region_info_cap_sparse_mmap, reserved) == 12, "offsetof(struct vfio_region_info_cap_sparse_mmap, reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info_cap_sparse_mmap, reserved) == 4, "sizeof(struct vfio_region_info_cap_sparse_mmap.reserved)");
_Static_assert(offsetof(struct vfio_region_info_cap_sparse_mmap, areas) == 16, "offsetof(struct vfio_region_info_cap_sparse_mmap, areas)");

/* struct vfio_region_info_cap_type */
_Static_assert(sizeof(struct vfio_region_info_cap_type) == 16, "sizeof(struct vfio_region_info_cap_type)");
_Static_assert(_Alignof(struct vfio_region_info_cap_type) == 4, "_Alignof(struct vfio_region_info_cap_type)");
_Static_assert(offsetof(struct vfio_region_info_cap_type, header) == 0, "offsetof(struct vfio_region_info_cap_type, header)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info_cap_type, header) == 8, "sizeof(struct vfio_region_info_cap_type.header)");
_Static_assert(offsetof(struct vfio_region_info_cap_type, type) == 8, "offsetof(struct vfio_region_info_cap_type, type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info_cap_type, type) == 4, "sizeof(struct vfio_region_info_cap_type.type)");
_Static_assert(offsetof(struct vfio_region_info_cap_type, subtype) == 12, "offsetof(struct vfio_region_info_cap_type, subtype)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_info_cap_type, subtype) == 4, "sizeof(struct vfio_region_info_cap_type.subtype)");

/* struct vfio_pci_dependent_device */
_Static_assert(sizeof(struct vfio_pci_dependent_device) == 8, "sizeof(struct vfio_pci_dependent_device)");
_Static_assert(_Alignof(struct vfio_pci_dependent_device) == 4, "_Alignof(struct vfio_pci_dependent_device)");
_Static_assert(offsetof(struct vfio_pci_dependent_device, group_id) == 0, "offsetof(struct vfio_pci_dependent_device, group_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_dependent_device, group_id) == 4, "sizeof(struct vfio_pci_dependent_device.group_id)");
_Static_assert(offsetof(struct vfio_pci_dependent_device, devid) == 0, "offsetof(struct vfio_pci_dependent_device, devid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_dependent_device, devid) == 4, "sizeof(struct vfio_pci_dependent_device.devid)");
_Static_assert(offsetof(struct vfio_pci_dependent_device, segment) == 4, "offsetof(struct vfio_pci_dependent_device, segment)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_dependent_device, segment) == 2, "sizeof(struct vfio_pci_dependent_device.segment)");
_Static_assert(offsetof(struct vfio_pci_dependent_device, bus) == 6, "offsetof(struct vfio_pci_dependent_device, bus)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_dependent_device, bus) == 1, "sizeof(struct vfio_pci_dependent_device.bus)");
_Static_assert(offsetof(struct vfio_pci_dependent_device, devfn) == 7, "offsetof(struct vfio_pci_dependent_device, devfn)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_dependent_device, devfn) == 1, "sizeof(struct vfio_pci_dependent_device.devfn)");

/* struct vfio_pci_hot_reset_info */
_Static_assert(sizeof(struct vfio_pci_hot_reset_info) == 12, "sizeof(struct vfio_pci_hot_reset_info)");
_Static_assert(_Alignof(struct vfio_pci_hot_reset_info) == 4, "_Alignof(struct vfio_pci_hot_reset_info)");
_Static_assert(offsetof(struct vfio_pci_hot_reset_info, argsz) == 0, "offsetof(struct vfio_pci_hot_reset_info, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_hot_reset_info, argsz) == 4, "sizeof(struct vfio_pci_hot_reset_info.argsz)");
_Static_assert(offsetof(struct vfio_pci_hot_reset_info, flags) == 4, "offsetof(struct vfio_pci_hot_reset_info, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_hot_reset_info, flags) == 4, "sizeof(struct vfio_pci_hot_reset_info.flags)");
_Static_assert(offsetof(struct vfio_pci_hot_reset_info, count) == 8, "offsetof(struct vfio_pci_hot_reset_info, count)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_hot_reset_info, count) == 4, "sizeof(struct vfio_pci_hot_reset_info.count)");
_Static_assert(offsetof(struct vfio_pci_hot_reset_info, devices) == 12, "offsetof(struct vfio_pci_hot_reset_info, devices)");

/* struct vfio_pci_hot_reset */
_Static_assert(sizeof(struct vfio_pci_hot_reset) == 12, "sizeof(struct vfio_pci_hot_reset)");
_Static_assert(_Alignof(struct vfio_pci_hot_reset) == 4, "_Alignof(struct vfio_pci_hot_reset)");
_Static_assert(offsetof(struct vfio_pci_hot_reset, argsz) == 0, "offsetof(struct vfio_pci_hot_reset, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_hot_reset, argsz) == 4, "sizeof(struct vfio_pci_hot_reset.argsz)");
_Static_assert(offsetof(struct vfio_pci_hot_reset, flags) == 4, "offsetof(struct vfio_pci_hot_reset, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_hot_reset, flags) == 4, "sizeof(struct vfio_pci_hot_reset.flags)");
_Static_assert(offsetof(struct vfio_pci_hot_reset, count) == 8, "offsetof(struct vfio_pci_hot_reset, count)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_pci_hot_reset, count) == 4, "sizeof(struct vfio_pci_hot_reset.count)");
_Static_assert(offsetof(struct vfio_pci_hot_reset, group_fds) == 12, "offsetof(struct vfio_pci_hot_reset, group_fds)");

/* struct vfio_device_feature */
_Static_assert(sizeof(struct vfio_device_feature) == 8, "sizeof(struct vfio_device_feature)");
_Static_assert(_Alignof(struct vfio_device_feature) == 4, "_Alignof(struct vfio_device_feature)");
_Static_assert(offsetof(struct vfio_device_feature, argsz) == 0, "offsetof(struct vfio_device_feature, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature, argsz) == 4, "sizeof(struct vfio_device_feature.argsz)");
_Static_assert(offsetof(struct vfio_device_feature, flags) == 4, "offsetof(struct vfio_device_feature, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature, flags) == 4, "sizeof(struct vfio_device_feature.flags)");
_Static_assert(offsetof(struct vfio_device_feature, data) == 8, "offsetof(struct vfio_device_feature, data)");

/* struct vfio_device_bind_iommufd */
_Static_assert(sizeof(struct vfio_device_bind_iommufd) == 24, "sizeof(struct vfio_device_bind_iommufd)");
_Static_assert(_Alignof(struct vfio_device_bind_iommufd) == 8, "_Alignof(struct vfio_device_bind_iommufd)");
_Static_assert(offsetof(struct vfio_device_bind_iommufd, argsz) == 0, "offsetof(struct vfio_device_bind_iommufd, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_bind_iommufd, argsz) == 4, "sizeof(struct vfio_device_bind_iommufd.argsz)");
_Static_assert(offsetof(struct vfio_device_bind_iommufd, flags) == 4, "offsetof(struct vfio_device_bind_iommufd, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_bind_iommufd, flags) == 4, "sizeof(struct vfio_device_bind_iommufd.flags)");
_Static_assert(offsetof(struct vfio_device_bind_iommufd, iommufd) == 8, "offsetof(struct vfio_device_bind_iommufd, iommufd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_bind_iommufd, iommufd) == 4, "sizeof(struct vfio_device_bind_iommufd.iommufd)");
_Static_assert(offsetof(struct vfio_device_bind_iommufd, out_devid) == 12, "offsetof(struct vfio_device_bind_iommufd, out_devid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_bind_iommufd, out_devid) == 4, "sizeof(struct vfio_device_bind_iommufd.out_devid)");
_Static_assert(offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr) == 16, "offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_bind_iommufd, token_uuid_ptr) == 8, "sizeof(struct vfio_device_bind_iommufd.token_uuid_ptr)");

/* struct vfio_device_attach_iommufd_pt */
_Static_assert(sizeof(struct vfio_device_attach_iommufd_pt) == 16, "sizeof(struct vfio_device_attach_iommufd_pt)");
_Static_assert(_Alignof(struct vfio_device_attach_iommufd_pt) == 4, "_Alignof(struct vfio_device_attach_iommufd_pt)");
_Static_assert(offsetof(struct vfio_device_attach_iommufd_pt, argsz) == 0, "offsetof(struct vfio_device_attach_iommufd_pt, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_attach_iommufd_pt, argsz) == 4, "sizeof(struct vfio_device_attach_iommufd_pt.argsz)");
_Static_assert(offsetof(struct vfio_device_attach_iommufd_pt, flags) == 4, "offsetof(struct vfio_device_attach_iommufd_pt, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_attach_iommufd_pt, flags) == 4, "sizeof(struct vfio_device_attach_iommufd_pt.flags)");
_Static_assert(offsetof(struct vfio_device_attach_iommufd_pt, pt_id) == 8, "offsetof(struct vfio_device_attach_iommufd_pt, pt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_attach_iommufd_pt, pt_id) == 4, "sizeof(struct vfio_device_attach_iommufd_pt.pt_id)");
_Static_assert(offsetof(struct vfio_device_attach_iommufd_pt, pasid) == 12, "offsetof(struct vfio_device_attach_iommufd_pt, pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_attach_iommufd_pt, pasid) == 4, "sizeof(struct vfio_device_attach_iommufd_pt.pasid)");

/* struct vfio_device_detach_iommufd_pt */
_Static_assert(sizeof(struct vfio_device_detach_iommufd_pt) == 12, "sizeof(struct vfio_device_detach_iommufd_pt)");
_Static_assert(_Alignof(struct vfio_device_detach_iommufd_pt) == 4, "_Alignof(struct vfio_device_detach_iommufd_pt)");
_Static_assert(offsetof(struct vfio_device_detach_iommufd_pt, argsz) == 0, "offsetof(struct vfio_device_detach_iommufd_pt, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_detach_iommufd_pt, argsz) == 4, "sizeof(struct vfio_device_detach_iommufd_pt.argsz)");
_Static_assert(offsetof(struct vfio_device_detach_iommufd_pt, flags) == 4, "offsetof(struct vfio_device_detach_iommufd_pt, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_detach_iommufd_pt, flags) == 4, "sizeof(struct vfio_device_detach_iommufd_pt.flags)");
_Static_assert(offsetof(struct vfio_device_detach_iommufd_pt, pasid) == 8, "offsetof(struct vfio_device_detach_iommufd_pt, pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_detach_iommufd_pt, pasid) == 4, "sizeof(struct vfio_device_detach_iommufd_pt.pasid)");

/* struct vfio_device_feature_bus_master */
_Static_assert(sizeof(struct vfio_device_feature_bus_master) == 4, "sizeof(struct vfio_device_feature_bus_master)");
_Static_assert(_Alignof(struct vfio_device_feature_bus_master) == 4, "_Alignof(struct vfio_device_feature_bus_master)");
_Static_assert(offsetof(struct vfio_device_feature_bus_master, op) == 0, "offsetof(struct vfio_device_feature_bus_master, op)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature_bus_master, op) == 4, "sizeof(struct vfio_device_feature_bus_master.op)");

/* struct vfio_region_dma_range */
_Static_assert(sizeof(struct vfio_region_dma_range) == 16, "sizeof(struct vfio_region_dma_range)");
/* plain __u64 members: only 4-byte aligned on i386 */
#if defined(__LP64__)
_Static_assert(_Alignof(struct vfio_region_dma_range) == 8, "_Alignof(struct vfio_region_dma_range)");
#endif
_Static_assert(offsetof(struct vfio_region_dma_range, offset) == 0, "offsetof(struct vfio_region_dma_range, offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_dma_range, offset) == 8, "sizeof(struct vfio_region_dma_range.offset)");
_Static_assert(offsetof(struct vfio_region_dma_range, length) == 8, "offsetof(struct vfio_region_dma_range, length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_region_dma_range, length) == 8, "sizeof(struct vfio_region_dma_range.length)");

/* struct vfio_device_feature_dma_buf */
_Static_assert(sizeof(struct vfio_device_feature_dma_buf) == 16, "sizeof(struct vfio_device_feature_dma_buf)");
/* plain __u64 members: only 4-byte aligned on i386 */
#if defined(__LP64__)
_Static_assert(_Alignof(struct vfio_device_feature_dma_buf) == 8, "_Alignof(struct vfio_device_feature_dma_buf)");
#endif
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, region_index) == 0, "offsetof(struct vfio_device_feature_dma_buf, region_index)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature_dma_buf, region_index) == 4, "sizeof(struct vfio_device_feature_dma_buf.region_index)");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, open_flags) == 4, "offsetof(struct vfio_device_feature_dma_buf, open_flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature_dma_buf, open_flags) == 4, "sizeof(struct vfio_device_feature_dma_buf.open_flags)");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, flags) == 8, "offsetof(struct vfio_device_feature_dma_buf, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature_dma_buf, flags) == 4, "sizeof(struct vfio_device_feature_dma_buf.flags)");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, nr_ranges) == 12, "offsetof(struct vfio_device_feature_dma_buf, nr_ranges)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_device_feature_dma_buf, nr_ranges) == 4, "sizeof(struct vfio_device_feature_dma_buf.nr_ranges)");
_Static_assert(offsetof(struct vfio_device_feature_dma_buf, dma_ranges) == 16, "offsetof(struct vfio_device_feature_dma_buf, dma_ranges)");

/* struct vfio_iommu_type1_info */
_Static_assert(sizeof(struct vfio_iommu_type1_info) == 24, "sizeof(struct vfio_iommu_type1_info)");
_Static_assert(_Alignof(struct vfio_iommu_type1_info) == 8, "_Alignof(struct vfio_iommu_type1_info)");
_Static_assert(offsetof(struct vfio_iommu_type1_info, argsz) == 0, "offsetof(struct vfio_iommu_type1_info, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info, argsz) == 4, "sizeof(struct vfio_iommu_type1_info.argsz)");
_Static_assert(offsetof(struct vfio_iommu_type1_info, flags) == 4, "offsetof(struct vfio_iommu_type1_info, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info, flags) == 4, "sizeof(struct vfio_iommu_type1_info.flags)");
_Static_assert(offsetof(struct vfio_iommu_type1_info, iova_pgsizes) == 8, "offsetof(struct vfio_iommu_type1_info, iova_pgsizes)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info, iova_pgsizes) == 8, "sizeof(struct vfio_iommu_type1_info.iova_pgsizes)");
_Static_assert(offsetof(struct vfio_iommu_type1_info, cap_offset) == 16, "offsetof(struct vfio_iommu_type1_info, cap_offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info, cap_offset) == 4, "sizeof(struct vfio_iommu_type1_info.cap_offset)");
_Static_assert(offsetof(struct vfio_iommu_type1_info, pad) == 20, "offsetof(struct vfio_iommu_type1_info, pad)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info, pad) == 4, "sizeof(struct vfio_iommu_type1_info.pad)");

/* struct vfio_iova_range */
_Static_assert(sizeof(struct vfio_iova_range) == 16, "sizeof(struct vfio_iova_range)");
/* plain __u64 members: only 4-byte aligned on i386 */
#if defined(__LP64__)
_Static_assert(_Alignof(struct vfio_iova_range) == 8, "_Alignof(struct vfio_iova_range)");
#endif
_Static_assert(offsetof(struct vfio_iova_range, start) == 0, "offsetof(struct vfio_iova_range, start)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iova_range, start) == 8, "sizeof(struct vfio_iova_range.start)");
_Static_assert(offsetof(struct vfio_iova_range, end) == 8, "offsetof(struct vfio_iova_range, end)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iova_range, end) == 8, "sizeof(struct vfio_iova_range.end)");

/* struct vfio_iommu_type1_info_cap_iova_range */
_Static_assert(sizeof(struct vfio_iommu_type1_info_cap_iova_range) == 16, "sizeof(struct vfio_iommu_type1_info_cap_iova_range)");
/* plain __u64 members: only 4-byte aligned on i386 */
#if defined(__LP64__)
_Static_assert(_Alignof(struct vfio_iommu_type1_info_cap_iova_range) == 8, "_Alignof(struct vfio_iommu_type1_info_cap_iova_range)");
#endif
_Static_assert(offsetof(struct vfio_iommu_type1_info_cap_iova_range, header) == 0, "offsetof(struct vfio_iommu_type1_info_cap_iova_range, header)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info_cap_iova_range, header) == 8, "sizeof(struct vfio_iommu_type1_info_cap_iova_range.header)");
_Static_assert(offsetof(struct vfio_iommu_type1_info_cap_iova_range, nr_iovas) == 8, "offsetof(struct vfio_iommu_type1_info_cap_iova_range, nr_iovas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info_cap_iova_range, nr_iovas) == 4, "sizeof(struct vfio_iommu_type1_info_cap_iova_range.nr_iovas)");
_Static_assert(offsetof(struct vfio_iommu_type1_info_cap_iova_range, reserved) == 12, "offsetof(struct vfio_iommu_type1_info_cap_iova_range, reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info_cap_iova_range, reserved) == 4, "sizeof(struct vfio_iommu_type1_info_cap_iova_range.reserved)");
_Static_assert(offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges) == 16, "offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges)");

/* struct vfio_iommu_type1_info_dma_avail */
_Static_assert(sizeof(struct vfio_iommu_type1_info_dma_avail) == 12, "sizeof(struct vfio_iommu_type1_info_dma_avail)");
_Static_assert(_Alignof(struct vfio_iommu_type1_info_dma_avail) == 4, "_Alignof(struct vfio_iommu_type1_info_dma_avail)");
_Static_assert(offsetof(struct vfio_iommu_type1_info_dma_avail, header) == 0, "offsetof(struct vfio_iommu_type1_info_dma_avail, header)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info_dma_avail, header) == 8, "sizeof(struct vfio_iommu_type1_info_dma_avail.header)");
_Static_assert(offsetof(struct vfio_iommu_type1_info_dma_avail, avail) == 8, "offsetof(struct vfio_iommu_type1_info_dma_avail, avail)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_info_dma_avail, avail) == 4, "sizeof(struct vfio_iommu_type1_info_dma_avail.avail)");

/* struct vfio_iommu_type1_dma_map */
_Static_assert(sizeof(struct vfio_iommu_type1_dma_map) == 32, "sizeof(struct vfio_iommu_type1_dma_map)");
/* plain __u64 members: only 4-byte aligned on i386 */
#if defined(__LP64__)
_Static_assert(_Alignof(struct vfio_iommu_type1_dma_map) == 8, "_Alignof(struct vfio_iommu_type1_dma_map)");
#endif
_Static_assert(offsetof(struct vfio_iommu_type1_dma_map, argsz) == 0, "offsetof(struct vfio_iommu_type1_dma_map, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_map, argsz) == 4, "sizeof(struct vfio_iommu_type1_dma_map.argsz)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_map, flags) == 4, "offsetof(struct vfio_iommu_type1_dma_map, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_map, flags) == 4, "sizeof(struct vfio_iommu_type1_dma_map.flags)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_map, vaddr) == 8, "offsetof(struct vfio_iommu_type1_dma_map, vaddr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_map, vaddr) == 8, "sizeof(struct vfio_iommu_type1_dma_map.vaddr)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_map, iova) == 16, "offsetof(struct vfio_iommu_type1_dma_map, iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_map, iova) == 8, "sizeof(struct vfio_iommu_type1_dma_map.iova)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_map, size) == 24, "offsetof(struct vfio_iommu_type1_dma_map, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_map, size) == 8, "sizeof(struct vfio_iommu_type1_dma_map.size)");

/* struct vfio_iommu_type1_dma_unmap */
_Static_assert(sizeof(struct vfio_iommu_type1_dma_unmap) == 24, "sizeof(struct vfio_iommu_type1_dma_unmap)");
/* plain __u64 members: only 4-byte aligned on i386 */
#if defined(__LP64__)
_Static_assert(_Alignof(struct vfio_iommu_type1_dma_unmap) == 8, "_Alignof(struct vfio_iommu_type1_dma_unmap)");
#endif
_Static_assert(offsetof(struct vfio_iommu_type1_dma_unmap, argsz) == 0, "offsetof(struct vfio_iommu_type1_dma_unmap, argsz)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_unmap, argsz) == 4, "sizeof(struct vfio_iommu_type1_dma_unmap.argsz)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_unmap, flags) == 4, "offsetof(struct vfio_iommu_type1_dma_unmap, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_unmap, flags) == 4, "sizeof(struct vfio_iommu_type1_dma_unmap.flags)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_unmap, iova) == 8, "offsetof(struct vfio_iommu_type1_dma_unmap, iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_unmap, iova) == 8, "sizeof(struct vfio_iommu_type1_dma_unmap.iova)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_unmap, size) == 16, "offsetof(struct vfio_iommu_type1_dma_unmap, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(vfio_iommu_type1_dma_unmap, size) == 8, "sizeof(struct vfio_iommu_type1_dma_unmap.size)");
_Static_assert(offsetof(struct vfio_iommu_type1_dma_unmap, data) == 24, "offsetof(struct vfio_iommu_type1_dma_unmap, data)");

/* ========================================================================================== */
/* Layouts: selftest (iommufd_selftest_uapi.h) */
/* ========================================================================================== */

/* struct iommu_test_cmd */
_Static_assert(sizeof(struct iommu_test_cmd) == 72, "sizeof(struct iommu_test_cmd)");
_Static_assert(_Alignof(struct iommu_test_cmd) == 8, "_Alignof(struct iommu_test_cmd)");
_Static_assert(offsetof(struct iommu_test_cmd, size) == 0, "offsetof(struct iommu_test_cmd, size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, size) == 4, "sizeof(struct iommu_test_cmd.size)");
_Static_assert(offsetof(struct iommu_test_cmd, op) == 4, "offsetof(struct iommu_test_cmd, op)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, op) == 4, "sizeof(struct iommu_test_cmd.op)");
_Static_assert(offsetof(struct iommu_test_cmd, id) == 8, "offsetof(struct iommu_test_cmd, id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, id) == 4, "sizeof(struct iommu_test_cmd.id)");
_Static_assert(offsetof(struct iommu_test_cmd, __reserved) == 12, "offsetof(struct iommu_test_cmd, __reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, __reserved) == 4, "sizeof(struct iommu_test_cmd.__reserved)");
_Static_assert(offsetof(struct iommu_test_cmd, add_reserved) == 16, "offsetof(struct iommu_test_cmd, add_reserved)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, add_reserved) == 16, "sizeof(struct iommu_test_cmd.add_reserved)");
_Static_assert(offsetof(struct iommu_test_cmd, add_reserved.start) == 16, "offsetof(struct iommu_test_cmd, add_reserved.start)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, add_reserved.start) == 8, "sizeof(struct iommu_test_cmd.add_reserved.start)");
_Static_assert(offsetof(struct iommu_test_cmd, add_reserved.length) == 24, "offsetof(struct iommu_test_cmd, add_reserved.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, add_reserved.length) == 8, "sizeof(struct iommu_test_cmd.add_reserved.length)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain) == 16, "offsetof(struct iommu_test_cmd, mock_domain)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain) == 12, "sizeof(struct iommu_test_cmd.mock_domain)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain.out_stdev_id) == 16, "offsetof(struct iommu_test_cmd, mock_domain.out_stdev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain.out_stdev_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain.out_stdev_id)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain.out_hwpt_id) == 20, "offsetof(struct iommu_test_cmd, mock_domain.out_hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain.out_hwpt_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain.out_hwpt_id)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain.out_idev_id) == 24, "offsetof(struct iommu_test_cmd, mock_domain.out_idev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain.out_idev_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain.out_idev_id)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_flags) == 16, "offsetof(struct iommu_test_cmd, mock_domain_flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_flags) == 16, "sizeof(struct iommu_test_cmd.mock_domain_flags)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_flags.out_stdev_id) == 16, "offsetof(struct iommu_test_cmd, mock_domain_flags.out_stdev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_flags.out_stdev_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain_flags.out_stdev_id)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_flags.out_hwpt_id) == 20, "offsetof(struct iommu_test_cmd, mock_domain_flags.out_hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_flags.out_hwpt_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain_flags.out_hwpt_id)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_flags.out_idev_id) == 24, "offsetof(struct iommu_test_cmd, mock_domain_flags.out_idev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_flags.out_idev_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain_flags.out_idev_id)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_flags.dev_flags) == 28, "offsetof(struct iommu_test_cmd, mock_domain_flags.dev_flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_flags.dev_flags) == 4, "sizeof(struct iommu_test_cmd.mock_domain_flags.dev_flags)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_replace) == 16, "offsetof(struct iommu_test_cmd, mock_domain_replace)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_replace) == 4, "sizeof(struct iommu_test_cmd.mock_domain_replace)");
_Static_assert(offsetof(struct iommu_test_cmd, mock_domain_replace.pt_id) == 16, "offsetof(struct iommu_test_cmd, mock_domain_replace.pt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, mock_domain_replace.pt_id) == 4, "sizeof(struct iommu_test_cmd.mock_domain_replace.pt_id)");
_Static_assert(offsetof(struct iommu_test_cmd, check_map) == 16, "offsetof(struct iommu_test_cmd, check_map)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_map) == 24, "sizeof(struct iommu_test_cmd.check_map)");
_Static_assert(offsetof(struct iommu_test_cmd, check_map.iova) == 16, "offsetof(struct iommu_test_cmd, check_map.iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_map.iova) == 8, "sizeof(struct iommu_test_cmd.check_map.iova)");
_Static_assert(offsetof(struct iommu_test_cmd, check_map.length) == 24, "offsetof(struct iommu_test_cmd, check_map.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_map.length) == 8, "sizeof(struct iommu_test_cmd.check_map.length)");
_Static_assert(offsetof(struct iommu_test_cmd, check_map.uptr) == 32, "offsetof(struct iommu_test_cmd, check_map.uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_map.uptr) == 8, "sizeof(struct iommu_test_cmd.check_map.uptr)");
_Static_assert(offsetof(struct iommu_test_cmd, check_refs) == 16, "offsetof(struct iommu_test_cmd, check_refs)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_refs) == 24, "sizeof(struct iommu_test_cmd.check_refs)");
_Static_assert(offsetof(struct iommu_test_cmd, check_refs.length) == 16, "offsetof(struct iommu_test_cmd, check_refs.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_refs.length) == 8, "sizeof(struct iommu_test_cmd.check_refs.length)");
_Static_assert(offsetof(struct iommu_test_cmd, check_refs.uptr) == 24, "offsetof(struct iommu_test_cmd, check_refs.uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_refs.uptr) == 8, "sizeof(struct iommu_test_cmd.check_refs.uptr)");
_Static_assert(offsetof(struct iommu_test_cmd, check_refs.refs) == 32, "offsetof(struct iommu_test_cmd, check_refs.refs)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_refs.refs) == 4, "sizeof(struct iommu_test_cmd.check_refs.refs)");
_Static_assert(offsetof(struct iommu_test_cmd, create_access) == 16, "offsetof(struct iommu_test_cmd, create_access)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, create_access) == 8, "sizeof(struct iommu_test_cmd.create_access)");
_Static_assert(offsetof(struct iommu_test_cmd, create_access.out_access_fd) == 16, "offsetof(struct iommu_test_cmd, create_access.out_access_fd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, create_access.out_access_fd) == 4, "sizeof(struct iommu_test_cmd.create_access.out_access_fd)");
_Static_assert(offsetof(struct iommu_test_cmd, create_access.flags) == 20, "offsetof(struct iommu_test_cmd, create_access.flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, create_access.flags) == 4, "sizeof(struct iommu_test_cmd.create_access.flags)");
_Static_assert(offsetof(struct iommu_test_cmd, destroy_access_pages) == 16, "offsetof(struct iommu_test_cmd, destroy_access_pages)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, destroy_access_pages) == 4, "sizeof(struct iommu_test_cmd.destroy_access_pages)");
_Static_assert(offsetof(struct iommu_test_cmd, destroy_access_pages.access_pages_id) == 16, "offsetof(struct iommu_test_cmd, destroy_access_pages.access_pages_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, destroy_access_pages.access_pages_id) == 4, "sizeof(struct iommu_test_cmd.destroy_access_pages.access_pages_id)");
_Static_assert(offsetof(struct iommu_test_cmd, access_pages) == 16, "offsetof(struct iommu_test_cmd, access_pages)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_pages) == 32, "sizeof(struct iommu_test_cmd.access_pages)");
_Static_assert(offsetof(struct iommu_test_cmd, access_pages.flags) == 16, "offsetof(struct iommu_test_cmd, access_pages.flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_pages.flags) == 4, "sizeof(struct iommu_test_cmd.access_pages.flags)");
_Static_assert(offsetof(struct iommu_test_cmd, access_pages.out_access_pages_id) == 20, "offsetof(struct iommu_test_cmd, access_pages.out_access_pages_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_pages.out_access_pages_id) == 4, "sizeof(struct iommu_test_cmd.access_pages.out_access_pages_id)");
_Static_assert(offsetof(struct iommu_test_cmd, access_pages.iova) == 24, "offsetof(struct iommu_test_cmd, access_pages.iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_pages.iova) == 8, "sizeof(struct iommu_test_cmd.access_pages.iova)");
_Static_assert(offsetof(struct iommu_test_cmd, access_pages.length) == 32, "offsetof(struct iommu_test_cmd, access_pages.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_pages.length) == 8, "sizeof(struct iommu_test_cmd.access_pages.length)");
_Static_assert(offsetof(struct iommu_test_cmd, access_pages.uptr) == 40, "offsetof(struct iommu_test_cmd, access_pages.uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_pages.uptr) == 8, "sizeof(struct iommu_test_cmd.access_pages.uptr)");
_Static_assert(offsetof(struct iommu_test_cmd, access_rw) == 16, "offsetof(struct iommu_test_cmd, access_rw)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_rw) == 32, "sizeof(struct iommu_test_cmd.access_rw)");
_Static_assert(offsetof(struct iommu_test_cmd, access_rw.iova) == 16, "offsetof(struct iommu_test_cmd, access_rw.iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_rw.iova) == 8, "sizeof(struct iommu_test_cmd.access_rw.iova)");
_Static_assert(offsetof(struct iommu_test_cmd, access_rw.length) == 24, "offsetof(struct iommu_test_cmd, access_rw.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_rw.length) == 8, "sizeof(struct iommu_test_cmd.access_rw.length)");
_Static_assert(offsetof(struct iommu_test_cmd, access_rw.uptr) == 32, "offsetof(struct iommu_test_cmd, access_rw.uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_rw.uptr) == 8, "sizeof(struct iommu_test_cmd.access_rw.uptr)");
_Static_assert(offsetof(struct iommu_test_cmd, access_rw.flags) == 40, "offsetof(struct iommu_test_cmd, access_rw.flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_rw.flags) == 4, "sizeof(struct iommu_test_cmd.access_rw.flags)");
_Static_assert(offsetof(struct iommu_test_cmd, memory_limit) == 16, "offsetof(struct iommu_test_cmd, memory_limit)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, memory_limit) == 4, "sizeof(struct iommu_test_cmd.memory_limit)");
_Static_assert(offsetof(struct iommu_test_cmd, memory_limit.limit) == 16, "offsetof(struct iommu_test_cmd, memory_limit.limit)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, memory_limit.limit) == 4, "sizeof(struct iommu_test_cmd.memory_limit.limit)");
_Static_assert(offsetof(struct iommu_test_cmd, access_replace_ioas) == 16, "offsetof(struct iommu_test_cmd, access_replace_ioas)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_replace_ioas) == 4, "sizeof(struct iommu_test_cmd.access_replace_ioas)");
_Static_assert(offsetof(struct iommu_test_cmd, access_replace_ioas.ioas_id) == 16, "offsetof(struct iommu_test_cmd, access_replace_ioas.ioas_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, access_replace_ioas.ioas_id) == 4, "sizeof(struct iommu_test_cmd.access_replace_ioas.ioas_id)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty) == 16, "offsetof(struct iommu_test_cmd, dirty)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty) == 48, "sizeof(struct iommu_test_cmd.dirty)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty.flags) == 16, "offsetof(struct iommu_test_cmd, dirty.flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty.flags) == 4, "sizeof(struct iommu_test_cmd.dirty.flags)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty.iova) == 24, "offsetof(struct iommu_test_cmd, dirty.iova)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty.iova) == 8, "sizeof(struct iommu_test_cmd.dirty.iova)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty.length) == 32, "offsetof(struct iommu_test_cmd, dirty.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty.length) == 8, "sizeof(struct iommu_test_cmd.dirty.length)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty.page_size) == 40, "offsetof(struct iommu_test_cmd, dirty.page_size)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty.page_size) == 8, "sizeof(struct iommu_test_cmd.dirty.page_size)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty.uptr) == 48, "offsetof(struct iommu_test_cmd, dirty.uptr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty.uptr) == 8, "sizeof(struct iommu_test_cmd.dirty.uptr)");
_Static_assert(offsetof(struct iommu_test_cmd, dirty.out_nr_dirty) == 56, "offsetof(struct iommu_test_cmd, dirty.out_nr_dirty)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dirty.out_nr_dirty) == 8, "sizeof(struct iommu_test_cmd.dirty.out_nr_dirty)");
_Static_assert(offsetof(struct iommu_test_cmd, check_iotlb) == 16, "offsetof(struct iommu_test_cmd, check_iotlb)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_iotlb) == 8, "sizeof(struct iommu_test_cmd.check_iotlb)");
_Static_assert(offsetof(struct iommu_test_cmd, check_iotlb.id) == 16, "offsetof(struct iommu_test_cmd, check_iotlb.id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_iotlb.id) == 4, "sizeof(struct iommu_test_cmd.check_iotlb.id)");
_Static_assert(offsetof(struct iommu_test_cmd, check_iotlb.iotlb) == 20, "offsetof(struct iommu_test_cmd, check_iotlb.iotlb)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_iotlb.iotlb) == 4, "sizeof(struct iommu_test_cmd.check_iotlb.iotlb)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_iopf) == 16, "offsetof(struct iommu_test_cmd, trigger_iopf)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_iopf) == 24, "sizeof(struct iommu_test_cmd.trigger_iopf)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_iopf.dev_id) == 16, "offsetof(struct iommu_test_cmd, trigger_iopf.dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_iopf.dev_id) == 4, "sizeof(struct iommu_test_cmd.trigger_iopf.dev_id)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_iopf.pasid) == 20, "offsetof(struct iommu_test_cmd, trigger_iopf.pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_iopf.pasid) == 4, "sizeof(struct iommu_test_cmd.trigger_iopf.pasid)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_iopf.grpid) == 24, "offsetof(struct iommu_test_cmd, trigger_iopf.grpid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_iopf.grpid) == 4, "sizeof(struct iommu_test_cmd.trigger_iopf.grpid)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_iopf.perm) == 28, "offsetof(struct iommu_test_cmd, trigger_iopf.perm)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_iopf.perm) == 4, "sizeof(struct iommu_test_cmd.trigger_iopf.perm)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_iopf.addr) == 32, "offsetof(struct iommu_test_cmd, trigger_iopf.addr)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_iopf.addr) == 8, "sizeof(struct iommu_test_cmd.trigger_iopf.addr)");
_Static_assert(offsetof(struct iommu_test_cmd, check_dev_cache) == 16, "offsetof(struct iommu_test_cmd, check_dev_cache)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_dev_cache) == 8, "sizeof(struct iommu_test_cmd.check_dev_cache)");
_Static_assert(offsetof(struct iommu_test_cmd, check_dev_cache.id) == 16, "offsetof(struct iommu_test_cmd, check_dev_cache.id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_dev_cache.id) == 4, "sizeof(struct iommu_test_cmd.check_dev_cache.id)");
_Static_assert(offsetof(struct iommu_test_cmd, check_dev_cache.cache) == 20, "offsetof(struct iommu_test_cmd, check_dev_cache.cache)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, check_dev_cache.cache) == 4, "sizeof(struct iommu_test_cmd.check_dev_cache.cache)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_vevent) == 16, "offsetof(struct iommu_test_cmd, trigger_vevent)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_vevent) == 4, "sizeof(struct iommu_test_cmd.trigger_vevent)");
_Static_assert(offsetof(struct iommu_test_cmd, trigger_vevent.dev_id) == 16, "offsetof(struct iommu_test_cmd, trigger_vevent.dev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, trigger_vevent.dev_id) == 4, "sizeof(struct iommu_test_cmd.trigger_vevent.dev_id)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_attach) == 16, "offsetof(struct iommu_test_cmd, pasid_attach)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_attach) == 8, "sizeof(struct iommu_test_cmd.pasid_attach)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_attach.pasid) == 16, "offsetof(struct iommu_test_cmd, pasid_attach.pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_attach.pasid) == 4, "sizeof(struct iommu_test_cmd.pasid_attach.pasid)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_attach.pt_id) == 20, "offsetof(struct iommu_test_cmd, pasid_attach.pt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_attach.pt_id) == 4, "sizeof(struct iommu_test_cmd.pasid_attach.pt_id)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_replace) == 16, "offsetof(struct iommu_test_cmd, pasid_replace)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_replace) == 8, "sizeof(struct iommu_test_cmd.pasid_replace)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_replace.pasid) == 16, "offsetof(struct iommu_test_cmd, pasid_replace.pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_replace.pasid) == 4, "sizeof(struct iommu_test_cmd.pasid_replace.pasid)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_replace.pt_id) == 20, "offsetof(struct iommu_test_cmd, pasid_replace.pt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_replace.pt_id) == 4, "sizeof(struct iommu_test_cmd.pasid_replace.pt_id)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_detach) == 16, "offsetof(struct iommu_test_cmd, pasid_detach)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_detach) == 4, "sizeof(struct iommu_test_cmd.pasid_detach)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_detach.pasid) == 16, "offsetof(struct iommu_test_cmd, pasid_detach.pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_detach.pasid) == 4, "sizeof(struct iommu_test_cmd.pasid_detach.pasid)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_check) == 16, "offsetof(struct iommu_test_cmd, pasid_check)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_check) == 8, "sizeof(struct iommu_test_cmd.pasid_check)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_check.pasid) == 16, "offsetof(struct iommu_test_cmd, pasid_check.pasid)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_check.pasid) == 4, "sizeof(struct iommu_test_cmd.pasid_check.pasid)");
_Static_assert(offsetof(struct iommu_test_cmd, pasid_check.hwpt_id) == 20, "offsetof(struct iommu_test_cmd, pasid_check.hwpt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, pasid_check.hwpt_id) == 4, "sizeof(struct iommu_test_cmd.pasid_check.hwpt_id)");
_Static_assert(offsetof(struct iommu_test_cmd, dmabuf_get) == 16, "offsetof(struct iommu_test_cmd, dmabuf_get)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dmabuf_get) == 8, "sizeof(struct iommu_test_cmd.dmabuf_get)");
_Static_assert(offsetof(struct iommu_test_cmd, dmabuf_get.length) == 16, "offsetof(struct iommu_test_cmd, dmabuf_get.length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dmabuf_get.length) == 4, "sizeof(struct iommu_test_cmd.dmabuf_get.length)");
_Static_assert(offsetof(struct iommu_test_cmd, dmabuf_get.open_flags) == 20, "offsetof(struct iommu_test_cmd, dmabuf_get.open_flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dmabuf_get.open_flags) == 4, "sizeof(struct iommu_test_cmd.dmabuf_get.open_flags)");
_Static_assert(offsetof(struct iommu_test_cmd, dmabuf_revoke) == 16, "offsetof(struct iommu_test_cmd, dmabuf_revoke)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dmabuf_revoke) == 8, "sizeof(struct iommu_test_cmd.dmabuf_revoke)");
_Static_assert(offsetof(struct iommu_test_cmd, dmabuf_revoke.dmabuf_fd) == 16, "offsetof(struct iommu_test_cmd, dmabuf_revoke.dmabuf_fd)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dmabuf_revoke.dmabuf_fd) == 4, "sizeof(struct iommu_test_cmd.dmabuf_revoke.dmabuf_fd)");
_Static_assert(offsetof(struct iommu_test_cmd, dmabuf_revoke.revoked) == 20, "offsetof(struct iommu_test_cmd, dmabuf_revoke.revoked)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, dmabuf_revoke.revoked) == 4, "sizeof(struct iommu_test_cmd.dmabuf_revoke.revoked)");
_Static_assert(offsetof(struct iommu_test_cmd, last) == 64, "offsetof(struct iommu_test_cmd, last)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_cmd, last) == 4, "sizeof(struct iommu_test_cmd.last)");

/* struct iommu_test_hw_info */
_Static_assert(sizeof(struct iommu_test_hw_info) == 8, "sizeof(struct iommu_test_hw_info)");
_Static_assert(_Alignof(struct iommu_test_hw_info) == 4, "_Alignof(struct iommu_test_hw_info)");
_Static_assert(offsetof(struct iommu_test_hw_info, flags) == 0, "offsetof(struct iommu_test_hw_info, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_hw_info, flags) == 4, "sizeof(struct iommu_test_hw_info.flags)");
_Static_assert(offsetof(struct iommu_test_hw_info, test_reg) == 4, "offsetof(struct iommu_test_hw_info, test_reg)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_test_hw_info, test_reg) == 4, "sizeof(struct iommu_test_hw_info.test_reg)");

/* struct iommu_hwpt_selftest */
_Static_assert(sizeof(struct iommu_hwpt_selftest) == 8, "sizeof(struct iommu_hwpt_selftest)");
_Static_assert(_Alignof(struct iommu_hwpt_selftest) == 4, "_Alignof(struct iommu_hwpt_selftest)");
_Static_assert(offsetof(struct iommu_hwpt_selftest, iotlb) == 0, "offsetof(struct iommu_hwpt_selftest, iotlb)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_selftest, iotlb) == 4, "sizeof(struct iommu_hwpt_selftest.iotlb)");
_Static_assert(offsetof(struct iommu_hwpt_selftest, pagetable_type) == 4, "offsetof(struct iommu_hwpt_selftest, pagetable_type)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_selftest, pagetable_type) == 4, "sizeof(struct iommu_hwpt_selftest.pagetable_type)");

/* struct iommu_hwpt_invalidate_selftest */
_Static_assert(sizeof(struct iommu_hwpt_invalidate_selftest) == 8, "sizeof(struct iommu_hwpt_invalidate_selftest)");
_Static_assert(_Alignof(struct iommu_hwpt_invalidate_selftest) == 4, "_Alignof(struct iommu_hwpt_invalidate_selftest)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate_selftest, flags) == 0, "offsetof(struct iommu_hwpt_invalidate_selftest, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate_selftest, flags) == 4, "sizeof(struct iommu_hwpt_invalidate_selftest.flags)");
_Static_assert(offsetof(struct iommu_hwpt_invalidate_selftest, iotlb_id) == 4, "offsetof(struct iommu_hwpt_invalidate_selftest, iotlb_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_hwpt_invalidate_selftest, iotlb_id) == 4, "sizeof(struct iommu_hwpt_invalidate_selftest.iotlb_id)");

/* struct iommu_viommu_selftest */
_Static_assert(sizeof(struct iommu_viommu_selftest) == 24, "sizeof(struct iommu_viommu_selftest)");
_Static_assert(_Alignof(struct iommu_viommu_selftest) == 8, "_Alignof(struct iommu_viommu_selftest)");
_Static_assert(offsetof(struct iommu_viommu_selftest, in_data) == 0, "offsetof(struct iommu_viommu_selftest, in_data)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_selftest, in_data) == 4, "sizeof(struct iommu_viommu_selftest.in_data)");
_Static_assert(offsetof(struct iommu_viommu_selftest, out_data) == 4, "offsetof(struct iommu_viommu_selftest, out_data)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_selftest, out_data) == 4, "sizeof(struct iommu_viommu_selftest.out_data)");
_Static_assert(offsetof(struct iommu_viommu_selftest, out_mmap_offset) == 8, "offsetof(struct iommu_viommu_selftest, out_mmap_offset)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_selftest, out_mmap_offset) == 8, "sizeof(struct iommu_viommu_selftest.out_mmap_offset)");
_Static_assert(offsetof(struct iommu_viommu_selftest, out_mmap_length) == 16, "offsetof(struct iommu_viommu_selftest, out_mmap_length)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_selftest, out_mmap_length) == 8, "sizeof(struct iommu_viommu_selftest.out_mmap_length)");

/* struct iommu_viommu_invalidate_selftest */
_Static_assert(sizeof(struct iommu_viommu_invalidate_selftest) == 12, "sizeof(struct iommu_viommu_invalidate_selftest)");
_Static_assert(_Alignof(struct iommu_viommu_invalidate_selftest) == 4, "_Alignof(struct iommu_viommu_invalidate_selftest)");
_Static_assert(offsetof(struct iommu_viommu_invalidate_selftest, flags) == 0, "offsetof(struct iommu_viommu_invalidate_selftest, flags)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_invalidate_selftest, flags) == 4, "sizeof(struct iommu_viommu_invalidate_selftest.flags)");
_Static_assert(offsetof(struct iommu_viommu_invalidate_selftest, vdev_id) == 4, "offsetof(struct iommu_viommu_invalidate_selftest, vdev_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_invalidate_selftest, vdev_id) == 4, "sizeof(struct iommu_viommu_invalidate_selftest.vdev_id)");
_Static_assert(offsetof(struct iommu_viommu_invalidate_selftest, cache_id) == 8, "offsetof(struct iommu_viommu_invalidate_selftest, cache_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_invalidate_selftest, cache_id) == 4, "sizeof(struct iommu_viommu_invalidate_selftest.cache_id)");

/* struct iommu_viommu_event_selftest */
_Static_assert(sizeof(struct iommu_viommu_event_selftest) == 4, "sizeof(struct iommu_viommu_event_selftest)");
_Static_assert(_Alignof(struct iommu_viommu_event_selftest) == 4, "_Alignof(struct iommu_viommu_event_selftest)");
_Static_assert(offsetof(struct iommu_viommu_event_selftest, virt_id) == 0, "offsetof(struct iommu_viommu_event_selftest, virt_id)");
_Static_assert(CIOMMUFD_FIELD_SIZE(iommu_viommu_event_selftest, virt_id) == 4, "sizeof(struct iommu_viommu_event_selftest.virt_id)");

/* ========================================================================================== */
/* Request numbers: the macros and the CIOMMUFD_ enumerators Swift imports */
/* ========================================================================================== */

_Static_assert(IOMMU_DESTROY == 0x3b80, "IOMMU_DESTROY");
_Static_assert(CIOMMUFD_IOMMU_DESTROY == 0x3b80, "CIOMMUFD_IOMMU_DESTROY");
_Static_assert(IOMMU_IOAS_ALLOC == 0x3b81, "IOMMU_IOAS_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_IOAS_ALLOC == 0x3b81, "CIOMMUFD_IOMMU_IOAS_ALLOC");
_Static_assert(IOMMU_IOAS_IOVA_RANGES == 0x3b84, "IOMMU_IOAS_IOVA_RANGES");
_Static_assert(CIOMMUFD_IOMMU_IOAS_IOVA_RANGES == 0x3b84, "CIOMMUFD_IOMMU_IOAS_IOVA_RANGES");
_Static_assert(IOMMU_IOAS_ALLOW_IOVAS == 0x3b82, "IOMMU_IOAS_ALLOW_IOVAS");
_Static_assert(CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS == 0x3b82, "CIOMMUFD_IOMMU_IOAS_ALLOW_IOVAS");
_Static_assert(IOMMU_IOAS_MAP == 0x3b85, "IOMMU_IOAS_MAP");
_Static_assert(CIOMMUFD_IOMMU_IOAS_MAP == 0x3b85, "CIOMMUFD_IOMMU_IOAS_MAP");
_Static_assert(IOMMU_IOAS_MAP_FILE == 0x3b8f, "IOMMU_IOAS_MAP_FILE");
_Static_assert(CIOMMUFD_IOMMU_IOAS_MAP_FILE == 0x3b8f, "CIOMMUFD_IOMMU_IOAS_MAP_FILE");
_Static_assert(IOMMU_IOAS_COPY == 0x3b83, "IOMMU_IOAS_COPY");
_Static_assert(CIOMMUFD_IOMMU_IOAS_COPY == 0x3b83, "CIOMMUFD_IOMMU_IOAS_COPY");
_Static_assert(IOMMU_IOAS_UNMAP == 0x3b86, "IOMMU_IOAS_UNMAP");
_Static_assert(CIOMMUFD_IOMMU_IOAS_UNMAP == 0x3b86, "CIOMMUFD_IOMMU_IOAS_UNMAP");
_Static_assert(IOMMU_OPTION == 0x3b87, "IOMMU_OPTION");
_Static_assert(CIOMMUFD_IOMMU_OPTION == 0x3b87, "CIOMMUFD_IOMMU_OPTION");
_Static_assert(IOMMU_VFIO_IOAS == 0x3b88, "IOMMU_VFIO_IOAS");
_Static_assert(CIOMMUFD_IOMMU_VFIO_IOAS == 0x3b88, "CIOMMUFD_IOMMU_VFIO_IOAS");
_Static_assert(IOMMU_HWPT_ALLOC == 0x3b89, "IOMMU_HWPT_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_HWPT_ALLOC == 0x3b89, "CIOMMUFD_IOMMU_HWPT_ALLOC");
_Static_assert(IOMMU_GET_HW_INFO == 0x3b8a, "IOMMU_GET_HW_INFO");
_Static_assert(CIOMMUFD_IOMMU_GET_HW_INFO == 0x3b8a, "CIOMMUFD_IOMMU_GET_HW_INFO");
_Static_assert(IOMMU_HWPT_SET_DIRTY_TRACKING == 0x3b8b, "IOMMU_HWPT_SET_DIRTY_TRACKING");
_Static_assert(CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING == 0x3b8b, "CIOMMUFD_IOMMU_HWPT_SET_DIRTY_TRACKING");
_Static_assert(IOMMU_HWPT_GET_DIRTY_BITMAP == 0x3b8c, "IOMMU_HWPT_GET_DIRTY_BITMAP");
_Static_assert(CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP == 0x3b8c, "CIOMMUFD_IOMMU_HWPT_GET_DIRTY_BITMAP");
_Static_assert(IOMMU_HWPT_INVALIDATE == 0x3b8d, "IOMMU_HWPT_INVALIDATE");
_Static_assert(CIOMMUFD_IOMMU_HWPT_INVALIDATE == 0x3b8d, "CIOMMUFD_IOMMU_HWPT_INVALIDATE");
_Static_assert(IOMMU_FAULT_QUEUE_ALLOC == 0x3b8e, "IOMMU_FAULT_QUEUE_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC == 0x3b8e, "CIOMMUFD_IOMMU_FAULT_QUEUE_ALLOC");
_Static_assert(IOMMU_VIOMMU_ALLOC == 0x3b90, "IOMMU_VIOMMU_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_VIOMMU_ALLOC == 0x3b90, "CIOMMUFD_IOMMU_VIOMMU_ALLOC");
_Static_assert(IOMMU_VDEVICE_ALLOC == 0x3b91, "IOMMU_VDEVICE_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_VDEVICE_ALLOC == 0x3b91, "CIOMMUFD_IOMMU_VDEVICE_ALLOC");
_Static_assert(IOMMU_IOAS_CHANGE_PROCESS == 0x3b92, "IOMMU_IOAS_CHANGE_PROCESS");
_Static_assert(CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS == 0x3b92, "CIOMMUFD_IOMMU_IOAS_CHANGE_PROCESS");
_Static_assert(IOMMU_VEVENTQ_ALLOC == 0x3b93, "IOMMU_VEVENTQ_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_VEVENTQ_ALLOC == 0x3b93, "CIOMMUFD_IOMMU_VEVENTQ_ALLOC");
_Static_assert(IOMMU_HW_QUEUE_ALLOC == 0x3b94, "IOMMU_HW_QUEUE_ALLOC");
_Static_assert(CIOMMUFD_IOMMU_HW_QUEUE_ALLOC == 0x3b94, "CIOMMUFD_IOMMU_HW_QUEUE_ALLOC");
_Static_assert(VFIO_GET_API_VERSION == 0x3b64, "VFIO_GET_API_VERSION");
_Static_assert(CIOMMUFD_VFIO_GET_API_VERSION == 0x3b64, "CIOMMUFD_VFIO_GET_API_VERSION");
_Static_assert(VFIO_CHECK_EXTENSION == 0x3b65, "VFIO_CHECK_EXTENSION");
_Static_assert(CIOMMUFD_VFIO_CHECK_EXTENSION == 0x3b65, "CIOMMUFD_VFIO_CHECK_EXTENSION");
_Static_assert(VFIO_SET_IOMMU == 0x3b66, "VFIO_SET_IOMMU");
_Static_assert(CIOMMUFD_VFIO_SET_IOMMU == 0x3b66, "CIOMMUFD_VFIO_SET_IOMMU");
_Static_assert(VFIO_GROUP_GET_STATUS == 0x3b67, "VFIO_GROUP_GET_STATUS");
_Static_assert(CIOMMUFD_VFIO_GROUP_GET_STATUS == 0x3b67, "CIOMMUFD_VFIO_GROUP_GET_STATUS");
_Static_assert(VFIO_GROUP_SET_CONTAINER == 0x3b68, "VFIO_GROUP_SET_CONTAINER");
_Static_assert(CIOMMUFD_VFIO_GROUP_SET_CONTAINER == 0x3b68, "CIOMMUFD_VFIO_GROUP_SET_CONTAINER");
_Static_assert(VFIO_GROUP_UNSET_CONTAINER == 0x3b69, "VFIO_GROUP_UNSET_CONTAINER");
_Static_assert(CIOMMUFD_VFIO_GROUP_UNSET_CONTAINER == 0x3b69, "CIOMMUFD_VFIO_GROUP_UNSET_CONTAINER");
_Static_assert(VFIO_GROUP_GET_DEVICE_FD == 0x3b6a, "VFIO_GROUP_GET_DEVICE_FD");
_Static_assert(CIOMMUFD_VFIO_GROUP_GET_DEVICE_FD == 0x3b6a, "CIOMMUFD_VFIO_GROUP_GET_DEVICE_FD");
_Static_assert(VFIO_DEVICE_GET_INFO == 0x3b6b, "VFIO_DEVICE_GET_INFO");
_Static_assert(CIOMMUFD_VFIO_DEVICE_GET_INFO == 0x3b6b, "CIOMMUFD_VFIO_DEVICE_GET_INFO");
_Static_assert(VFIO_DEVICE_GET_REGION_INFO == 0x3b6c, "VFIO_DEVICE_GET_REGION_INFO");
_Static_assert(CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO == 0x3b6c, "CIOMMUFD_VFIO_DEVICE_GET_REGION_INFO");
_Static_assert(VFIO_DEVICE_RESET == 0x3b6f, "VFIO_DEVICE_RESET");
_Static_assert(CIOMMUFD_VFIO_DEVICE_RESET == 0x3b6f, "CIOMMUFD_VFIO_DEVICE_RESET");
_Static_assert(VFIO_DEVICE_GET_PCI_HOT_RESET_INFO == 0x3b70, "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO");
_Static_assert(CIOMMUFD_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO == 0x3b70, "CIOMMUFD_VFIO_DEVICE_GET_PCI_HOT_RESET_INFO");
_Static_assert(VFIO_DEVICE_PCI_HOT_RESET == 0x3b71, "VFIO_DEVICE_PCI_HOT_RESET");
_Static_assert(CIOMMUFD_VFIO_DEVICE_PCI_HOT_RESET == 0x3b71, "CIOMMUFD_VFIO_DEVICE_PCI_HOT_RESET");
_Static_assert(VFIO_DEVICE_FEATURE == 0x3b75, "VFIO_DEVICE_FEATURE");
_Static_assert(CIOMMUFD_VFIO_DEVICE_FEATURE == 0x3b75, "CIOMMUFD_VFIO_DEVICE_FEATURE");
_Static_assert(VFIO_DEVICE_BIND_IOMMUFD == 0x3b76, "VFIO_DEVICE_BIND_IOMMUFD");
_Static_assert(CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD == 0x3b76, "CIOMMUFD_VFIO_DEVICE_BIND_IOMMUFD");
_Static_assert(VFIO_DEVICE_ATTACH_IOMMUFD_PT == 0x3b77, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
_Static_assert(CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT == 0x3b77, "CIOMMUFD_VFIO_DEVICE_ATTACH_IOMMUFD_PT");
_Static_assert(VFIO_DEVICE_DETACH_IOMMUFD_PT == 0x3b78, "VFIO_DEVICE_DETACH_IOMMUFD_PT");
_Static_assert(CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT == 0x3b78, "CIOMMUFD_VFIO_DEVICE_DETACH_IOMMUFD_PT");
_Static_assert(VFIO_IOMMU_GET_INFO == 0x3b70, "VFIO_IOMMU_GET_INFO");
_Static_assert(CIOMMUFD_VFIO_IOMMU_GET_INFO == 0x3b70, "CIOMMUFD_VFIO_IOMMU_GET_INFO");
_Static_assert(VFIO_IOMMU_MAP_DMA == 0x3b71, "VFIO_IOMMU_MAP_DMA");
_Static_assert(CIOMMUFD_VFIO_IOMMU_MAP_DMA == 0x3b71, "CIOMMUFD_VFIO_IOMMU_MAP_DMA");
_Static_assert(VFIO_IOMMU_UNMAP_DMA == 0x3b72, "VFIO_IOMMU_UNMAP_DMA");
_Static_assert(CIOMMUFD_VFIO_IOMMU_UNMAP_DMA == 0x3b72, "CIOMMUFD_VFIO_IOMMU_UNMAP_DMA");
_Static_assert(VFIO_IOMMU_DIRTY_PAGES == 0x3b75, "VFIO_IOMMU_DIRTY_PAGES");
_Static_assert(CIOMMUFD_VFIO_IOMMU_DIRTY_PAGES == 0x3b75, "CIOMMUFD_VFIO_IOMMU_DIRTY_PAGES");
_Static_assert(IOMMU_TEST_CMD == 0x3ba0, "IOMMU_TEST_CMD");
_Static_assert(CIOMMUFD_IOMMU_TEST_CMD == 0x3ba0, "CIOMMUFD_IOMMU_TEST_CMD");
_Static_assert(CIOMMUFD_IOMMUFD_TYPE == 0x3b && CIOMMUFD_VFIO_TYPE == 0x3b && CIOMMUFD_VFIO_BASE == 100, "ioctl type and VFIO base");

/* ========================================================================================== */
/* Enumerators and constants */
/* ========================================================================================== */

_Static_assert(IOMMUFD_TYPE == 59, "IOMMUFD_TYPE");
_Static_assert(IOMMUFD_CMD_BASE == 128, "IOMMUFD_CMD_BASE");
_Static_assert(IOMMUFD_CMD_DESTROY == 128, "IOMMUFD_CMD_DESTROY");
_Static_assert(IOMMUFD_CMD_IOAS_ALLOC == 129, "IOMMUFD_CMD_IOAS_ALLOC");
_Static_assert(IOMMUFD_CMD_IOAS_ALLOW_IOVAS == 130, "IOMMUFD_CMD_IOAS_ALLOW_IOVAS");
_Static_assert(IOMMUFD_CMD_IOAS_COPY == 131, "IOMMUFD_CMD_IOAS_COPY");
_Static_assert(IOMMUFD_CMD_IOAS_IOVA_RANGES == 132, "IOMMUFD_CMD_IOAS_IOVA_RANGES");
_Static_assert(IOMMUFD_CMD_IOAS_MAP == 133, "IOMMUFD_CMD_IOAS_MAP");
_Static_assert(IOMMUFD_CMD_IOAS_UNMAP == 134, "IOMMUFD_CMD_IOAS_UNMAP");
_Static_assert(IOMMUFD_CMD_OPTION == 135, "IOMMUFD_CMD_OPTION");
_Static_assert(IOMMUFD_CMD_VFIO_IOAS == 136, "IOMMUFD_CMD_VFIO_IOAS");
_Static_assert(IOMMUFD_CMD_HWPT_ALLOC == 137, "IOMMUFD_CMD_HWPT_ALLOC");
_Static_assert(IOMMUFD_CMD_GET_HW_INFO == 138, "IOMMUFD_CMD_GET_HW_INFO");
_Static_assert(IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING == 139, "IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING");
_Static_assert(IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP == 140, "IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP");
_Static_assert(IOMMUFD_CMD_HWPT_INVALIDATE == 141, "IOMMUFD_CMD_HWPT_INVALIDATE");
_Static_assert(IOMMUFD_CMD_FAULT_QUEUE_ALLOC == 142, "IOMMUFD_CMD_FAULT_QUEUE_ALLOC");
_Static_assert(IOMMUFD_CMD_IOAS_MAP_FILE == 143, "IOMMUFD_CMD_IOAS_MAP_FILE");
_Static_assert(IOMMUFD_CMD_VIOMMU_ALLOC == 144, "IOMMUFD_CMD_VIOMMU_ALLOC");
_Static_assert(IOMMUFD_CMD_VDEVICE_ALLOC == 145, "IOMMUFD_CMD_VDEVICE_ALLOC");
_Static_assert(IOMMUFD_CMD_IOAS_CHANGE_PROCESS == 146, "IOMMUFD_CMD_IOAS_CHANGE_PROCESS");
_Static_assert(IOMMUFD_CMD_VEVENTQ_ALLOC == 147, "IOMMUFD_CMD_VEVENTQ_ALLOC");
_Static_assert(IOMMUFD_CMD_HW_QUEUE_ALLOC == 148, "IOMMUFD_CMD_HW_QUEUE_ALLOC");
_Static_assert(IOMMU_IOAS_MAP_FIXED_IOVA == 1, "IOMMU_IOAS_MAP_FIXED_IOVA");
_Static_assert(IOMMU_IOAS_MAP_WRITEABLE == 2, "IOMMU_IOAS_MAP_WRITEABLE");
_Static_assert(IOMMU_IOAS_MAP_READABLE == 4, "IOMMU_IOAS_MAP_READABLE");
_Static_assert(IOMMU_OPTION_RLIMIT_MODE == 0, "IOMMU_OPTION_RLIMIT_MODE");
_Static_assert(IOMMU_OPTION_HUGE_PAGES == 1, "IOMMU_OPTION_HUGE_PAGES");
_Static_assert(IOMMU_OPTION_OP_SET == 0, "IOMMU_OPTION_OP_SET");
_Static_assert(IOMMU_OPTION_OP_GET == 1, "IOMMU_OPTION_OP_GET");
_Static_assert(IOMMU_VFIO_IOAS_GET == 0, "IOMMU_VFIO_IOAS_GET");
_Static_assert(IOMMU_VFIO_IOAS_SET == 1, "IOMMU_VFIO_IOAS_SET");
_Static_assert(IOMMU_VFIO_IOAS_CLEAR == 2, "IOMMU_VFIO_IOAS_CLEAR");
_Static_assert(IOMMU_HWPT_ALLOC_NEST_PARENT == 1, "IOMMU_HWPT_ALLOC_NEST_PARENT");
_Static_assert(IOMMU_HWPT_ALLOC_DIRTY_TRACKING == 2, "IOMMU_HWPT_ALLOC_DIRTY_TRACKING");
_Static_assert(IOMMU_HWPT_FAULT_ID_VALID == 4, "IOMMU_HWPT_FAULT_ID_VALID");
_Static_assert(IOMMU_HWPT_ALLOC_PASID == 8, "IOMMU_HWPT_ALLOC_PASID");
_Static_assert(IOMMU_VTD_S1_SRE == 1, "IOMMU_VTD_S1_SRE");
_Static_assert(IOMMU_VTD_S1_EAFE == 2, "IOMMU_VTD_S1_EAFE");
_Static_assert(IOMMU_VTD_S1_WPE == 4, "IOMMU_VTD_S1_WPE");
_Static_assert(IOMMU_HWPT_DATA_NONE == 0, "IOMMU_HWPT_DATA_NONE");
_Static_assert(IOMMU_HWPT_DATA_VTD_S1 == 1, "IOMMU_HWPT_DATA_VTD_S1");
_Static_assert(IOMMU_HWPT_DATA_ARM_SMMUV3 == 2, "IOMMU_HWPT_DATA_ARM_SMMUV3");
_Static_assert(IOMMU_HWPT_DATA_AMD_GUEST == 3, "IOMMU_HWPT_DATA_AMD_GUEST");
_Static_assert(IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 == 1, "IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17");
_Static_assert(IOMMU_HW_INFO_TYPE_NONE == 0, "IOMMU_HW_INFO_TYPE_NONE");
_Static_assert(IOMMU_HW_INFO_TYPE_DEFAULT == 0, "IOMMU_HW_INFO_TYPE_DEFAULT");
_Static_assert(IOMMU_HW_INFO_TYPE_INTEL_VTD == 1, "IOMMU_HW_INFO_TYPE_INTEL_VTD");
_Static_assert(IOMMU_HW_INFO_TYPE_ARM_SMMUV3 == 2, "IOMMU_HW_INFO_TYPE_ARM_SMMUV3");
_Static_assert(IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV == 3, "IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV");
_Static_assert(IOMMU_HW_INFO_TYPE_AMD == 4, "IOMMU_HW_INFO_TYPE_AMD");
_Static_assert(IOMMU_HW_CAP_DIRTY_TRACKING == 1, "IOMMU_HW_CAP_DIRTY_TRACKING");
_Static_assert(IOMMU_HW_CAP_PCI_PASID_EXEC == 2, "IOMMU_HW_CAP_PCI_PASID_EXEC");
_Static_assert(IOMMU_HW_CAP_PCI_PASID_PRIV == 4, "IOMMU_HW_CAP_PCI_PASID_PRIV");
_Static_assert(IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED == 8, "IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED");
_Static_assert(IOMMU_HW_INFO_FLAG_INPUT_TYPE == 1, "IOMMU_HW_INFO_FLAG_INPUT_TYPE");
_Static_assert(IOMMU_HWPT_DIRTY_TRACKING_ENABLE == 1, "IOMMU_HWPT_DIRTY_TRACKING_ENABLE");
_Static_assert(IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR == 1, "IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR");
_Static_assert(IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 == 0, "IOMMU_HWPT_INVALIDATE_DATA_VTD_S1");
_Static_assert(IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 == 1, "IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3");
_Static_assert(IOMMU_VTD_INV_FLAGS_LEAF == 1, "IOMMU_VTD_INV_FLAGS_LEAF");
_Static_assert(IOMMU_PGFAULT_FLAGS_PASID_VALID == 1, "IOMMU_PGFAULT_FLAGS_PASID_VALID");
_Static_assert(IOMMU_PGFAULT_FLAGS_LAST_PAGE == 2, "IOMMU_PGFAULT_FLAGS_LAST_PAGE");
_Static_assert(IOMMU_PGFAULT_PERM_READ == 1, "IOMMU_PGFAULT_PERM_READ");
_Static_assert(IOMMU_PGFAULT_PERM_WRITE == 2, "IOMMU_PGFAULT_PERM_WRITE");
_Static_assert(IOMMU_PGFAULT_PERM_EXEC == 4, "IOMMU_PGFAULT_PERM_EXEC");
_Static_assert(IOMMU_PGFAULT_PERM_PRIV == 8, "IOMMU_PGFAULT_PERM_PRIV");
_Static_assert(IOMMUFD_PAGE_RESP_SUCCESS == 0, "IOMMUFD_PAGE_RESP_SUCCESS");
_Static_assert(IOMMUFD_PAGE_RESP_INVALID == 1, "IOMMUFD_PAGE_RESP_INVALID");
_Static_assert(IOMMU_VIOMMU_TYPE_DEFAULT == 0, "IOMMU_VIOMMU_TYPE_DEFAULT");
_Static_assert(IOMMU_VIOMMU_TYPE_ARM_SMMUV3 == 1, "IOMMU_VIOMMU_TYPE_ARM_SMMUV3");
_Static_assert(IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV == 2, "IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV");
_Static_assert(IOMMU_VEVENTQ_FLAG_LOST_EVENTS == 1, "IOMMU_VEVENTQ_FLAG_LOST_EVENTS");
_Static_assert(IOMMU_VEVENTQ_TYPE_DEFAULT == 0, "IOMMU_VEVENTQ_TYPE_DEFAULT");
_Static_assert(IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 == 1, "IOMMU_VEVENTQ_TYPE_ARM_SMMUV3");
_Static_assert(IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV == 2, "IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV");
_Static_assert(IOMMU_HW_QUEUE_TYPE_DEFAULT == 0, "IOMMU_HW_QUEUE_TYPE_DEFAULT");
_Static_assert(IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV == 1, "IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV");
_Static_assert(VFIO_API_VERSION == 0, "VFIO_API_VERSION");
_Static_assert(VFIO_TYPE1_IOMMU == 1, "VFIO_TYPE1_IOMMU");
_Static_assert(VFIO_SPAPR_TCE_IOMMU == 2, "VFIO_SPAPR_TCE_IOMMU");
_Static_assert(VFIO_TYPE1v2_IOMMU == 3, "VFIO_TYPE1v2_IOMMU");
_Static_assert(VFIO_DMA_CC_IOMMU == 4, "VFIO_DMA_CC_IOMMU");
_Static_assert(VFIO_EEH == 5, "VFIO_EEH");
_Static_assert(__VFIO_RESERVED_TYPE1_NESTING_IOMMU == 6, "__VFIO_RESERVED_TYPE1_NESTING_IOMMU");
_Static_assert(VFIO_SPAPR_TCE_v2_IOMMU == 7, "VFIO_SPAPR_TCE_v2_IOMMU");
_Static_assert(VFIO_NOIOMMU_IOMMU == 8, "VFIO_NOIOMMU_IOMMU");
_Static_assert(VFIO_UNMAP_ALL == 9, "VFIO_UNMAP_ALL");
_Static_assert(VFIO_UPDATE_VADDR == 10, "VFIO_UPDATE_VADDR");
_Static_assert(VFIO_TYPE == 59, "VFIO_TYPE");
_Static_assert(VFIO_BASE == 100, "VFIO_BASE");
_Static_assert(VFIO_GROUP_FLAGS_VIABLE == 1, "VFIO_GROUP_FLAGS_VIABLE");
_Static_assert(VFIO_GROUP_FLAGS_CONTAINER_SET == 2, "VFIO_GROUP_FLAGS_CONTAINER_SET");
_Static_assert(VFIO_DEVICE_FLAGS_RESET == 1, "VFIO_DEVICE_FLAGS_RESET");
_Static_assert(VFIO_DEVICE_FLAGS_PCI == 2, "VFIO_DEVICE_FLAGS_PCI");
_Static_assert(VFIO_DEVICE_FLAGS_PLATFORM == 4, "VFIO_DEVICE_FLAGS_PLATFORM");
_Static_assert(VFIO_DEVICE_FLAGS_AMBA == 8, "VFIO_DEVICE_FLAGS_AMBA");
_Static_assert(VFIO_DEVICE_FLAGS_CCW == 16, "VFIO_DEVICE_FLAGS_CCW");
_Static_assert(VFIO_DEVICE_FLAGS_AP == 32, "VFIO_DEVICE_FLAGS_AP");
_Static_assert(VFIO_DEVICE_FLAGS_FSL_MC == 64, "VFIO_DEVICE_FLAGS_FSL_MC");
_Static_assert(VFIO_DEVICE_FLAGS_CAPS == 128, "VFIO_DEVICE_FLAGS_CAPS");
_Static_assert(VFIO_DEVICE_FLAGS_CDX == 0x100, "VFIO_DEVICE_FLAGS_CDX");
_Static_assert(VFIO_REGION_INFO_FLAG_READ == 1, "VFIO_REGION_INFO_FLAG_READ");
_Static_assert(VFIO_REGION_INFO_FLAG_WRITE == 2, "VFIO_REGION_INFO_FLAG_WRITE");
_Static_assert(VFIO_REGION_INFO_FLAG_MMAP == 4, "VFIO_REGION_INFO_FLAG_MMAP");
_Static_assert(VFIO_REGION_INFO_FLAG_CAPS == 8, "VFIO_REGION_INFO_FLAG_CAPS");
_Static_assert(VFIO_REGION_INFO_CAP_SPARSE_MMAP == 1, "VFIO_REGION_INFO_CAP_SPARSE_MMAP");
_Static_assert(VFIO_REGION_INFO_CAP_TYPE == 2, "VFIO_REGION_INFO_CAP_TYPE");
_Static_assert(VFIO_REGION_INFO_CAP_MSIX_MAPPABLE == 3, "VFIO_REGION_INFO_CAP_MSIX_MAPPABLE");
_Static_assert(VFIO_PCI_DEVID_OWNED == 0, "VFIO_PCI_DEVID_OWNED");
_Static_assert(VFIO_PCI_DEVID_NOT_OWNED == (-1), "VFIO_PCI_DEVID_NOT_OWNED");
_Static_assert(VFIO_PCI_HOT_RESET_FLAG_DEV_ID == 1, "VFIO_PCI_HOT_RESET_FLAG_DEV_ID");
_Static_assert(VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED == 2, "VFIO_PCI_HOT_RESET_FLAG_DEV_ID_OWNED");
_Static_assert(VFIO_DEVICE_FEATURE_MASK == 0xffff, "VFIO_DEVICE_FEATURE_MASK");
_Static_assert(VFIO_DEVICE_FEATURE_GET == 0x10000, "VFIO_DEVICE_FEATURE_GET");
_Static_assert(VFIO_DEVICE_FEATURE_SET == 0x20000, "VFIO_DEVICE_FEATURE_SET");
_Static_assert(VFIO_DEVICE_FEATURE_PROBE == 0x40000, "VFIO_DEVICE_FEATURE_PROBE");
_Static_assert(VFIO_DEVICE_BIND_FLAG_TOKEN == 1, "VFIO_DEVICE_BIND_FLAG_TOKEN");
_Static_assert(VFIO_DEVICE_ATTACH_PASID == 1, "VFIO_DEVICE_ATTACH_PASID");
_Static_assert(VFIO_DEVICE_DETACH_PASID == 1, "VFIO_DEVICE_DETACH_PASID");
_Static_assert(VFIO_DEVICE_FEATURE_PCI_VF_TOKEN == 0, "VFIO_DEVICE_FEATURE_PCI_VF_TOKEN");
_Static_assert(VFIO_DEVICE_FEATURE_MIGRATION == 1, "VFIO_DEVICE_FEATURE_MIGRATION");
_Static_assert(VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE == 2, "VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE");
_Static_assert(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY == 3, "VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY");
_Static_assert(VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP == 4, "VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP");
_Static_assert(VFIO_DEVICE_FEATURE_LOW_POWER_EXIT == 5, "VFIO_DEVICE_FEATURE_LOW_POWER_EXIT");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_LOGGING_START == 6, "VFIO_DEVICE_FEATURE_DMA_LOGGING_START");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP == 7, "VFIO_DEVICE_FEATURE_DMA_LOGGING_STOP");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT == 8, "VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT");
_Static_assert(VFIO_DEVICE_FEATURE_MIG_DATA_SIZE == 9, "VFIO_DEVICE_FEATURE_MIG_DATA_SIZE");
_Static_assert(VFIO_DEVICE_FEATURE_BUS_MASTER == 10, "VFIO_DEVICE_FEATURE_BUS_MASTER");
_Static_assert(VFIO_DEVICE_FEATURE_DMA_BUF == 11, "VFIO_DEVICE_FEATURE_DMA_BUF");
_Static_assert(VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2 == 12, "VFIO_DEVICE_FEATURE_MIG_PRECOPY_INFOv2");
_Static_assert(VFIO_DEVICE_FEATURE_CLEAR_MASTER == 0, "VFIO_DEVICE_FEATURE_CLEAR_MASTER");
_Static_assert(VFIO_DEVICE_FEATURE_SET_MASTER == 1, "VFIO_DEVICE_FEATURE_SET_MASTER");
_Static_assert(VFIO_IOMMU_INFO_PGSIZES == 1, "VFIO_IOMMU_INFO_PGSIZES");
_Static_assert(VFIO_IOMMU_INFO_CAPS == 2, "VFIO_IOMMU_INFO_CAPS");
_Static_assert(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE == 1, "VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE");
_Static_assert(VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION == 2, "VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION");
_Static_assert(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL == 3, "VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL");
_Static_assert(VFIO_DMA_MAP_FLAG_READ == 1, "VFIO_DMA_MAP_FLAG_READ");
_Static_assert(VFIO_DMA_MAP_FLAG_WRITE == 2, "VFIO_DMA_MAP_FLAG_WRITE");
_Static_assert(VFIO_DMA_MAP_FLAG_VADDR == 4, "VFIO_DMA_MAP_FLAG_VADDR");
_Static_assert(VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP == 1, "VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP");
_Static_assert(VFIO_DMA_UNMAP_FLAG_ALL == 2, "VFIO_DMA_UNMAP_FLAG_ALL");
_Static_assert(VFIO_DMA_UNMAP_FLAG_VADDR == 4, "VFIO_DMA_UNMAP_FLAG_VADDR");
_Static_assert(VFIO_PCI_BAR0_REGION_INDEX == 0, "VFIO_PCI_BAR0_REGION_INDEX");
_Static_assert(VFIO_PCI_BAR1_REGION_INDEX == 1, "VFIO_PCI_BAR1_REGION_INDEX");
_Static_assert(VFIO_PCI_BAR2_REGION_INDEX == 2, "VFIO_PCI_BAR2_REGION_INDEX");
_Static_assert(VFIO_PCI_BAR3_REGION_INDEX == 3, "VFIO_PCI_BAR3_REGION_INDEX");
_Static_assert(VFIO_PCI_BAR4_REGION_INDEX == 4, "VFIO_PCI_BAR4_REGION_INDEX");
_Static_assert(VFIO_PCI_BAR5_REGION_INDEX == 5, "VFIO_PCI_BAR5_REGION_INDEX");
_Static_assert(VFIO_PCI_ROM_REGION_INDEX == 6, "VFIO_PCI_ROM_REGION_INDEX");
_Static_assert(VFIO_PCI_CONFIG_REGION_INDEX == 7, "VFIO_PCI_CONFIG_REGION_INDEX");
_Static_assert(VFIO_PCI_VGA_REGION_INDEX == 8, "VFIO_PCI_VGA_REGION_INDEX");
_Static_assert(VFIO_PCI_NUM_REGIONS == 9, "VFIO_PCI_NUM_REGIONS");
_Static_assert(IOMMU_TEST_PASID_RESERVED == 0x400, "IOMMU_TEST_PASID_RESERVED");
_Static_assert(MOCK_PASID_WIDTH == 20, "MOCK_PASID_WIDTH");
_Static_assert(IOMMU_HW_INFO_TYPE_SELFTEST == 0xfeedbeef, "IOMMU_HW_INFO_TYPE_SELFTEST");
_Static_assert(IOMMU_HW_INFO_SELFTEST_REGVAL == 0xdeadbeef, "IOMMU_HW_INFO_SELFTEST_REGVAL");
_Static_assert(IOMMU_HWPT_DATA_SELFTEST == 0xdead, "IOMMU_HWPT_DATA_SELFTEST");
_Static_assert(IOMMU_TEST_IOTLB_DEFAULT == 0xbadbeef, "IOMMU_TEST_IOTLB_DEFAULT");
_Static_assert(IOMMU_TEST_DEV_CACHE_DEFAULT == 0xbaddad, "IOMMU_TEST_DEV_CACHE_DEFAULT");
_Static_assert(IOMMU_HWPT_INVALIDATE_DATA_SELFTEST == 0xdeadbeef, "IOMMU_HWPT_INVALIDATE_DATA_SELFTEST");
_Static_assert(IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID == 0xdadbeef, "IOMMU_HWPT_INVALIDATE_DATA_SELFTEST_INVALID");
_Static_assert(IOMMU_TEST_INVALIDATE_FLAG_ALL == 1, "IOMMU_TEST_INVALIDATE_FLAG_ALL");
_Static_assert(IOMMU_VIOMMU_TYPE_SELFTEST == 0xdeadbeef, "IOMMU_VIOMMU_TYPE_SELFTEST");
_Static_assert(IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST == 0xdeadbeef, "IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST");
_Static_assert(IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST_INVALID == 0xdadbeef, "IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST_INVALID");
_Static_assert(IOMMU_VEVENTQ_TYPE_SELFTEST == 0xbeefbeef, "IOMMU_VEVENTQ_TYPE_SELFTEST");
_Static_assert(IOMMU_HW_QUEUE_TYPE_SELFTEST == 0xdeadbeef, "IOMMU_HW_QUEUE_TYPE_SELFTEST");
_Static_assert(IOMMU_TEST_HW_QUEUE_MAX == 2, "IOMMU_TEST_HW_QUEUE_MAX");
_Static_assert(IOMMU_TEST_OP_ADD_RESERVED == 1, "IOMMU_TEST_OP_ADD_RESERVED");
_Static_assert(IOMMU_TEST_OP_MOCK_DOMAIN == 2, "IOMMU_TEST_OP_MOCK_DOMAIN");
_Static_assert(IOMMU_TEST_OP_MD_CHECK_MAP == 3, "IOMMU_TEST_OP_MD_CHECK_MAP");
_Static_assert(IOMMU_TEST_OP_MD_CHECK_REFS == 4, "IOMMU_TEST_OP_MD_CHECK_REFS");
_Static_assert(IOMMU_TEST_OP_CREATE_ACCESS == 5, "IOMMU_TEST_OP_CREATE_ACCESS");
_Static_assert(IOMMU_TEST_OP_DESTROY_ACCESS_PAGES == 6, "IOMMU_TEST_OP_DESTROY_ACCESS_PAGES");
_Static_assert(IOMMU_TEST_OP_ACCESS_PAGES == 7, "IOMMU_TEST_OP_ACCESS_PAGES");
_Static_assert(IOMMU_TEST_OP_ACCESS_RW == 8, "IOMMU_TEST_OP_ACCESS_RW");
_Static_assert(IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT == 9, "IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT");
_Static_assert(IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE == 10, "IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE");
_Static_assert(IOMMU_TEST_OP_ACCESS_REPLACE_IOAS == 11, "IOMMU_TEST_OP_ACCESS_REPLACE_IOAS");
_Static_assert(IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS == 12, "IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS");
_Static_assert(IOMMU_TEST_OP_DIRTY == 13, "IOMMU_TEST_OP_DIRTY");
_Static_assert(IOMMU_TEST_OP_MD_CHECK_IOTLB == 14, "IOMMU_TEST_OP_MD_CHECK_IOTLB");
_Static_assert(IOMMU_TEST_OP_TRIGGER_IOPF == 15, "IOMMU_TEST_OP_TRIGGER_IOPF");
_Static_assert(IOMMU_TEST_OP_DEV_CHECK_CACHE == 16, "IOMMU_TEST_OP_DEV_CHECK_CACHE");
_Static_assert(IOMMU_TEST_OP_TRIGGER_VEVENT == 17, "IOMMU_TEST_OP_TRIGGER_VEVENT");
_Static_assert(IOMMU_TEST_OP_PASID_ATTACH == 18, "IOMMU_TEST_OP_PASID_ATTACH");
_Static_assert(IOMMU_TEST_OP_PASID_REPLACE == 19, "IOMMU_TEST_OP_PASID_REPLACE");
_Static_assert(IOMMU_TEST_OP_PASID_DETACH == 20, "IOMMU_TEST_OP_PASID_DETACH");
_Static_assert(IOMMU_TEST_OP_PASID_CHECK_HWPT == 21, "IOMMU_TEST_OP_PASID_CHECK_HWPT");
_Static_assert(IOMMU_TEST_OP_DMABUF_GET == 22, "IOMMU_TEST_OP_DMABUF_GET");
_Static_assert(IOMMU_TEST_OP_DMABUF_REVOKE == 23, "IOMMU_TEST_OP_DMABUF_REVOKE");
_Static_assert(MOCK_IOMMUPT_DEFAULT == 0, "MOCK_IOMMUPT_DEFAULT");
_Static_assert(MOCK_IOMMUPT_HUGE == 1, "MOCK_IOMMUPT_HUGE");
_Static_assert(MOCK_APERTURE_START == 0x1000000, "MOCK_APERTURE_START");
_Static_assert(MOCK_APERTURE_LAST == 0x7fffffff, "MOCK_APERTURE_LAST");
_Static_assert(MOCK_PAGE_SIZE == 0x800, "MOCK_PAGE_SIZE");
_Static_assert(MOCK_HUGE_PAGE_SIZE == 0x100000, "MOCK_HUGE_PAGE_SIZE");
_Static_assert(MOCK_FLAGS_ACCESS_WRITE == 1, "MOCK_FLAGS_ACCESS_WRITE");
_Static_assert(MOCK_FLAGS_ACCESS_SYZ == 0x10000, "MOCK_FLAGS_ACCESS_SYZ");
_Static_assert(MOCK_ACCESS_RW_WRITE == 1, "MOCK_ACCESS_RW_WRITE");
_Static_assert(MOCK_ACCESS_RW_SLOW_PATH == 4, "MOCK_ACCESS_RW_SLOW_PATH");
_Static_assert(MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES == 1, "MOCK_FLAGS_ACCESS_CREATE_NEEDS_PIN_PAGES");
_Static_assert(MOCK_FLAGS_DEVICE_NO_DIRTY == 1, "MOCK_FLAGS_DEVICE_NO_DIRTY");
_Static_assert(MOCK_FLAGS_DEVICE_PASID == 4, "MOCK_FLAGS_DEVICE_PASID");
_Static_assert(MOCK_NESTED_DOMAIN_IOTLB_ID_MAX == 3, "MOCK_NESTED_DOMAIN_IOTLB_ID_MAX");
_Static_assert(MOCK_NESTED_DOMAIN_IOTLB_NUM == 4, "MOCK_NESTED_DOMAIN_IOTLB_NUM");
_Static_assert(MOCK_DEV_CACHE_ID_MAX == 3, "MOCK_DEV_CACHE_ID_MAX");
_Static_assert(MOCK_DEV_CACHE_NUM == 4, "MOCK_DEV_CACHE_NUM");
