// Every number below is a literal: the Linux 7.2 headers' layouts (compiled with gcc on x86-64),
// which match /work/shared/uapi-facts.md wherever the sheet lists them. See LayoutCheck.swift.
import CIOMMUFD
import Testing
@testable import IOMMUFD

@Suite("iommufd struct layouts (Linux 7.2)")
struct IOMMUFDLayoutTests {
    @Test func iommu_destroy_layout() {
        var c = Layout(iommu_destroy.self, size: 8, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("id", \.id, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommu_ioas_alloc_layout() {
        var c = Layout(iommu_ioas_alloc.self, size: 12, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("out_ioas_id", \.out_ioas_id, offset: 8, size: 4)
        c.finish()
    }

    @Test func iommu_iova_range_layout() {
        var c = Layout(iommu_iova_range.self, size: 16, alignment: 8)
        c.field("start", \.start, offset: 0, size: 8)
        c.field("last", \.last, offset: 8, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_iova_ranges_layout() {
        var c = Layout(iommu_ioas_iova_ranges.self, size: 32, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("ioas_id", \.ioas_id, offset: 4, size: 4)
        c.field("num_iovas", \.num_iovas, offset: 8, size: 4)
        c.field("__reserved", \.__reserved, offset: 12, size: 4)
        c.field("allowed_iovas", \.allowed_iovas, offset: 16, size: 8)
        c.field("out_iova_alignment", \.out_iova_alignment, offset: 24, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_allow_iovas_layout() {
        var c = Layout(iommu_ioas_allow_iovas.self, size: 24, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("ioas_id", \.ioas_id, offset: 4, size: 4)
        c.field("num_iovas", \.num_iovas, offset: 8, size: 4)
        c.field("__reserved", \.__reserved, offset: 12, size: 4)
        c.field("allowed_iovas", \.allowed_iovas, offset: 16, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_map_layout() {
        var c = Layout(iommu_ioas_map.self, size: 40, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("ioas_id", \.ioas_id, offset: 8, size: 4)
        c.field("__reserved", \.__reserved, offset: 12, size: 4)
        c.field("user_va", \.user_va, offset: 16, size: 8)
        c.field("length", \.length, offset: 24, size: 8)
        c.field("iova", \.iova, offset: 32, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_map_file_layout() {
        var c = Layout(iommu_ioas_map_file.self, size: 40, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("ioas_id", \.ioas_id, offset: 8, size: 4)
        c.field("fd", \.fd, offset: 12, size: 4)
        c.field("start", \.start, offset: 16, size: 8)
        c.field("length", \.length, offset: 24, size: 8)
        c.field("iova", \.iova, offset: 32, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_copy_layout() {
        var c = Layout(iommu_ioas_copy.self, size: 40, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("dst_ioas_id", \.dst_ioas_id, offset: 8, size: 4)
        c.field("src_ioas_id", \.src_ioas_id, offset: 12, size: 4)
        c.field("length", \.length, offset: 16, size: 8)
        c.field("dst_iova", \.dst_iova, offset: 24, size: 8)
        c.field("src_iova", \.src_iova, offset: 32, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_unmap_layout() {
        var c = Layout(iommu_ioas_unmap.self, size: 24, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("ioas_id", \.ioas_id, offset: 4, size: 4)
        c.field("iova", \.iova, offset: 8, size: 8)
        c.field("length", \.length, offset: 16, size: 8)
        c.finish()
    }

    @Test func iommu_option_layout() {
        var c = Layout(iommu_option.self, size: 24, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("option_id", \.option_id, offset: 4, size: 4)
        c.field("op", \.op, offset: 8, size: 2)
        c.field("__reserved", \.__reserved, offset: 10, size: 2)
        c.field("object_id", \.object_id, offset: 12, size: 4)
        c.field("val64", \.val64, offset: 16, size: 8)
        c.finish()
    }

    @Test func iommu_vfio_ioas_layout() {
        var c = Layout(iommu_vfio_ioas.self, size: 12, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("ioas_id", \.ioas_id, offset: 4, size: 4)
        c.field("op", \.op, offset: 8, size: 2)
        c.field("__reserved", \.__reserved, offset: 10, size: 2)
        c.finish()
    }

    @Test func iommu_hwpt_vtd_s1_layout() {
        var c = Layout(iommu_hwpt_vtd_s1.self, size: 24, alignment: 8)
        c.field("flags", \.flags, offset: 0, size: 8)
        c.field("pgtbl_addr", \.pgtbl_addr, offset: 8, size: 8)
        c.field("addr_width", \.addr_width, offset: 16, size: 4)
        c.field("__reserved", \.__reserved, offset: 20, size: 4)
        c.finish()
    }

    @Test func iommu_hwpt_arm_smmuv3_layout() {
        var c = Layout(iommu_hwpt_arm_smmuv3.self, size: 16, alignment: 8)
        c.field("ste", \.ste, offset: 0, size: 16)
        c.field("ste.1", \.ste.1, offset: 8, size: 8)
        c.finish()
    }

    @Test func iommu_hwpt_amd_guest_layout() {
        var c = Layout(iommu_hwpt_amd_guest.self, size: 32, alignment: 8)
        c.field("dte", \.dte, offset: 0, size: 32)
        c.field("dte.3", \.dte.3, offset: 24, size: 8)
        c.finish()
    }

    @Test func iommu_hwpt_alloc_layout() {
        var c = Layout(iommu_hwpt_alloc.self, size: 48, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("dev_id", \.dev_id, offset: 8, size: 4)
        c.field("pt_id", \.pt_id, offset: 12, size: 4)
        c.field("out_hwpt_id", \.out_hwpt_id, offset: 16, size: 4)
        c.field("__reserved", \.__reserved, offset: 20, size: 4)
        c.field("data_type", \.data_type, offset: 24, size: 4)
        c.field("data_len", \.data_len, offset: 28, size: 4)
        c.field("data_uptr", \.data_uptr, offset: 32, size: 8)
        c.field("fault_id", \.fault_id, offset: 40, size: 4)
        c.field("__reserved2", \.__reserved2, offset: 44, size: 4)
        c.finish()
    }

    @Test func iommu_hw_info_vtd_layout() {
        var c = Layout(iommu_hw_info_vtd.self, size: 24, alignment: 8)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("__reserved", \.__reserved, offset: 4, size: 4)
        c.field("cap_reg", \.cap_reg, offset: 8, size: 8)
        c.field("ecap_reg", \.ecap_reg, offset: 16, size: 8)
        c.finish()
    }

    @Test func iommu_hw_info_arm_smmuv3_layout() {
        var c = Layout(iommu_hw_info_arm_smmuv3.self, size: 40, alignment: 4)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("__reserved", \.__reserved, offset: 4, size: 4)
        c.field("idr", \.idr, offset: 8, size: 24)
        c.field("idr.5", \.idr.5, offset: 28, size: 4)
        c.field("iidr", \.iidr, offset: 32, size: 4)
        c.field("aidr", \.aidr, offset: 36, size: 4)
        c.finish()
    }

    @Test func iommu_hw_info_tegra241_cmdqv_layout() {
        var c = Layout(iommu_hw_info_tegra241_cmdqv.self, size: 8, alignment: 4)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("version", \.version, offset: 4, size: 1)
        c.field("log2vcmdqs", \.log2vcmdqs, offset: 5, size: 1)
        c.field("log2vsids", \.log2vsids, offset: 6, size: 1)
        c.field("__reserved", \.__reserved, offset: 7, size: 1)
        c.finish()
    }

    @Test func iommu_hw_info_amd_layout() {
        var c = Layout(iommu_hw_info_amd.self, size: 16, alignment: 8)
        c.field("efr", \.efr, offset: 0, size: 8)
        c.field("efr2", \.efr2, offset: 8, size: 8)
        c.finish()
    }

    @Test func iommu_hw_info_layout() {
        var c = Layout(iommu_hw_info.self, size: 40, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("dev_id", \.dev_id, offset: 8, size: 4)
        c.field("data_len", \.data_len, offset: 12, size: 4)
        c.field("data_uptr", \.data_uptr, offset: 16, size: 8)
        c.unionMember("in_data_type", \.in_data_type, offset: 24, size: 4)
        c.unionMember("out_data_type", \.out_data_type, offset: 24, size: 4)
        c.field("out_max_pasid_log2", \.out_max_pasid_log2, offset: 28, size: 1)
        c.field("__reserved", \.__reserved, offset: 29, size: 3)
        c.field("__reserved.2", \.__reserved.2, offset: 31, size: 1)
        c.field("out_capabilities", \.out_capabilities, offset: 32, size: 8)
        c.finish()
    }

    @Test func iommu_hwpt_set_dirty_tracking_layout() {
        var c = Layout(iommu_hwpt_set_dirty_tracking.self, size: 16, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("hwpt_id", \.hwpt_id, offset: 8, size: 4)
        c.field("__reserved", \.__reserved, offset: 12, size: 4)
        c.finish()
    }

    @Test func iommu_hwpt_get_dirty_bitmap_layout() {
        var c = Layout(iommu_hwpt_get_dirty_bitmap.self, size: 48, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("hwpt_id", \.hwpt_id, offset: 4, size: 4)
        c.field("flags", \.flags, offset: 8, size: 4)
        c.field("__reserved", \.__reserved, offset: 12, size: 4)
        c.field("iova", \.iova, offset: 16, size: 8)
        c.field("length", \.length, offset: 24, size: 8)
        c.field("page_size", \.page_size, offset: 32, size: 8)
        c.field("data", \.data, offset: 40, size: 8)
        c.finish()
    }

    @Test func iommu_hwpt_vtd_s1_invalidate_layout() {
        var c = Layout(iommu_hwpt_vtd_s1_invalidate.self, size: 24, alignment: 8)
        c.field("addr", \.addr, offset: 0, size: 8)
        c.field("npages", \.npages, offset: 8, size: 8)
        c.field("flags", \.flags, offset: 16, size: 4)
        c.field("__reserved", \.__reserved, offset: 20, size: 4)
        c.finish()
    }

    @Test func iommu_viommu_arm_smmuv3_invalidate_layout() {
        var c = Layout(iommu_viommu_arm_smmuv3_invalidate.self, size: 16, alignment: 8)
        c.field("cmd", \.cmd, offset: 0, size: 16)
        c.field("cmd.1", \.cmd.1, offset: 8, size: 8)
        c.finish()
    }

    @Test func iommu_hwpt_invalidate_layout() {
        var c = Layout(iommu_hwpt_invalidate.self, size: 32, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("hwpt_id", \.hwpt_id, offset: 4, size: 4)
        c.field("data_uptr", \.data_uptr, offset: 8, size: 8)
        c.field("data_type", \.data_type, offset: 16, size: 4)
        c.field("entry_len", \.entry_len, offset: 20, size: 4)
        c.field("entry_num", \.entry_num, offset: 24, size: 4)
        c.field("__reserved", \.__reserved, offset: 28, size: 4)
        c.finish()
    }

    @Test func iommu_hwpt_pgfault_layout() {
        var c = Layout(iommu_hwpt_pgfault.self, size: 40, alignment: 8)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("dev_id", \.dev_id, offset: 4, size: 4)
        c.field("pasid", \.pasid, offset: 8, size: 4)
        c.field("grpid", \.grpid, offset: 12, size: 4)
        c.field("perm", \.perm, offset: 16, size: 4)
        c.field("__reserved", \.__reserved, offset: 20, size: 4)
        c.field("addr", \.addr, offset: 24, size: 8)
        c.field("length", \.length, offset: 32, size: 4)
        c.field("cookie", \.cookie, offset: 36, size: 4)
        c.finish()
    }

    @Test func iommu_hwpt_page_response_layout() {
        var c = Layout(iommu_hwpt_page_response.self, size: 8, alignment: 4)
        c.field("cookie", \.cookie, offset: 0, size: 4)
        c.field("code", \.code, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommu_fault_alloc_layout() {
        var c = Layout(iommu_fault_alloc.self, size: 16, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("out_fault_id", \.out_fault_id, offset: 8, size: 4)
        c.field("out_fault_fd", \.out_fault_fd, offset: 12, size: 4)
        c.finish()
    }

    @Test func iommu_viommu_tegra241_cmdqv_layout() {
        var c = Layout(iommu_viommu_tegra241_cmdqv.self, size: 16, alignment: 8)
        c.field("out_vintf_mmap_offset", \.out_vintf_mmap_offset, offset: 0, size: 8)
        c.field("out_vintf_mmap_length", \.out_vintf_mmap_length, offset: 8, size: 8)
        c.finish()
    }

    @Test func iommu_viommu_alloc_layout() {
        var c = Layout(iommu_viommu_alloc.self, size: 40, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("type", \.type, offset: 8, size: 4)
        c.field("dev_id", \.dev_id, offset: 12, size: 4)
        c.field("hwpt_id", \.hwpt_id, offset: 16, size: 4)
        c.field("out_viommu_id", \.out_viommu_id, offset: 20, size: 4)
        c.field("data_len", \.data_len, offset: 24, size: 4)
        c.field("__reserved", \.__reserved, offset: 28, size: 4)
        c.field("data_uptr", \.data_uptr, offset: 32, size: 8)
        c.finish()
    }

    @Test func iommu_vdevice_alloc_layout() {
        var c = Layout(iommu_vdevice_alloc.self, size: 24, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("viommu_id", \.viommu_id, offset: 4, size: 4)
        c.field("dev_id", \.dev_id, offset: 8, size: 4)
        c.field("out_vdevice_id", \.out_vdevice_id, offset: 12, size: 4)
        c.field("virt_id", \.virt_id, offset: 16, size: 8)
        c.finish()
    }

    @Test func iommu_ioas_change_process_layout() {
        var c = Layout(iommu_ioas_change_process.self, size: 8, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("__reserved", \.__reserved, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommufd_vevent_header_layout() {
        var c = Layout(iommufd_vevent_header.self, size: 8, alignment: 4)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("sequence", \.sequence, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommu_vevent_arm_smmuv3_layout() {
        var c = Layout(iommu_vevent_arm_smmuv3.self, size: 32, alignment: 8)
        c.field("evt", \.evt, offset: 0, size: 32)
        c.field("evt.3", \.evt.3, offset: 24, size: 8)
        c.finish()
    }

    @Test func iommu_vevent_tegra241_cmdqv_layout() {
        var c = Layout(iommu_vevent_tegra241_cmdqv.self, size: 16, alignment: 8)
        c.field("lvcmdq_err_map", \.lvcmdq_err_map, offset: 0, size: 16)
        c.field("lvcmdq_err_map.1", \.lvcmdq_err_map.1, offset: 8, size: 8)
        c.finish()
    }

    @Test func iommu_veventq_alloc_layout() {
        var c = Layout(iommu_veventq_alloc.self, size: 32, alignment: 4)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("viommu_id", \.viommu_id, offset: 8, size: 4)
        c.field("type", \.type, offset: 12, size: 4)
        c.field("veventq_depth", \.veventq_depth, offset: 16, size: 4)
        c.field("out_veventq_id", \.out_veventq_id, offset: 20, size: 4)
        c.field("out_veventq_fd", \.out_veventq_fd, offset: 24, size: 4)
        c.field("__reserved", \.__reserved, offset: 28, size: 4)
        c.finish()
    }

    @Test func iommu_hw_queue_alloc_layout() {
        var c = Layout(iommu_hw_queue_alloc.self, size: 40, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("viommu_id", \.viommu_id, offset: 8, size: 4)
        c.field("type", \.type, offset: 12, size: 4)
        c.field("index", \.index, offset: 16, size: 4)
        c.field("out_hw_queue_id", \.out_hw_queue_id, offset: 20, size: 4)
        c.field("nesting_parent_iova", \.nesting_parent_iova, offset: 24, size: 8)
        c.field("length", \.length, offset: 32, size: 8)
        c.finish()
    }
}
