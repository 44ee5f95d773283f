// Every number below is a literal: the Linux 7.2 headers' layouts (compiled with gcc on x86-64),
// which match /work/shared/uapi-facts.md wherever the sheet lists them. See LayoutCheck.swift.
import CIOMMUFD
import Testing
@testable import IOMMUFD

@Suite("selftest struct layouts (Linux 7.2 iommufd_test.h)")
struct SelftestLayoutTests {
    @Test func iommu_test_cmd_layout() {
        var c = Layout(iommu_test_cmd.self, size: 72, alignment: 8)
        c.field("size", \.size, offset: 0, size: 4)
        c.field("op", \.op, offset: 4, size: 4)
        c.field("id", \.id, offset: 8, size: 4)
        c.field("__reserved", \.__reserved, offset: 12, size: 4)
        c.unionMember("add_reserved", \.add_reserved, offset: 16, size: 16)
        c.unionMember("add_reserved.start", \.add_reserved.start, offset: 16, size: 8)
        c.unionMember("add_reserved.length", \.add_reserved.length, offset: 24, size: 8)
        c.unionMember("mock_domain", \.mock_domain, offset: 16, size: 12)
        c.unionMember("mock_domain.out_stdev_id", \.mock_domain.out_stdev_id, offset: 16, size: 4)
        c.unionMember("mock_domain.out_hwpt_id", \.mock_domain.out_hwpt_id, offset: 20, size: 4)
        c.unionMember("mock_domain.out_idev_id", \.mock_domain.out_idev_id, offset: 24, size: 4)
        c.unionMember("mock_domain_flags", \.mock_domain_flags, offset: 16, size: 16)
        c.unionMember("mock_domain_flags.out_stdev_id", \.mock_domain_flags.out_stdev_id, offset: 16, size: 4)
        c.unionMember("mock_domain_flags.out_hwpt_id", \.mock_domain_flags.out_hwpt_id, offset: 20, size: 4)
        c.unionMember("mock_domain_flags.out_idev_id", \.mock_domain_flags.out_idev_id, offset: 24, size: 4)
        c.unionMember("mock_domain_flags.dev_flags", \.mock_domain_flags.dev_flags, offset: 28, size: 4)
        c.unionMember("mock_domain_replace", \.mock_domain_replace, offset: 16, size: 4)
        c.unionMember("mock_domain_replace.pt_id", \.mock_domain_replace.pt_id, offset: 16, size: 4)
        c.unionMember("check_map", \.check_map, offset: 16, size: 24)
        c.unionMember("check_map.iova", \.check_map.iova, offset: 16, size: 8)
        c.unionMember("check_map.length", \.check_map.length, offset: 24, size: 8)
        c.unionMember("check_map.uptr", \.check_map.uptr, offset: 32, size: 8)
        c.unionMember("check_refs", \.check_refs, offset: 16, size: 24)
        c.unionMember("check_refs.length", \.check_refs.length, offset: 16, size: 8)
        c.unionMember("check_refs.uptr", \.check_refs.uptr, offset: 24, size: 8)
        c.unionMember("check_refs.refs", \.check_refs.refs, offset: 32, size: 4)
        c.unionMember("create_access", \.create_access, offset: 16, size: 8)
        c.unionMember("create_access.out_access_fd", \.create_access.out_access_fd, offset: 16, size: 4)
        c.unionMember("create_access.flags", \.create_access.flags, offset: 20, size: 4)
        c.unionMember("destroy_access_pages", \.destroy_access_pages, offset: 16, size: 4)
        c.unionMember("destroy_access_pages.access_pages_id", \.destroy_access_pages.access_pages_id, offset: 16, size: 4)
        c.unionMember("access_pages", \.access_pages, offset: 16, size: 32)
        c.unionMember("access_pages.flags", \.access_pages.flags, offset: 16, size: 4)
        c.unionMember("access_pages.out_access_pages_id", \.access_pages.out_access_pages_id, offset: 20, size: 4)
        c.unionMember("access_pages.iova", \.access_pages.iova, offset: 24, size: 8)
        c.unionMember("access_pages.length", \.access_pages.length, offset: 32, size: 8)
        c.unionMember("access_pages.uptr", \.access_pages.uptr, offset: 40, size: 8)
        c.unionMember("access_rw", \.access_rw, offset: 16, size: 32)
        c.unionMember("access_rw.iova", \.access_rw.iova, offset: 16, size: 8)
        c.unionMember("access_rw.length", \.access_rw.length, offset: 24, size: 8)
        c.unionMember("access_rw.uptr", \.access_rw.uptr, offset: 32, size: 8)
        c.unionMember("access_rw.flags", \.access_rw.flags, offset: 40, size: 4)
        c.unionMember("memory_limit", \.memory_limit, offset: 16, size: 4)
        c.unionMember("memory_limit.limit", \.memory_limit.limit, offset: 16, size: 4)
        c.unionMember("access_replace_ioas", \.access_replace_ioas, offset: 16, size: 4)
        c.unionMember("access_replace_ioas.ioas_id", \.access_replace_ioas.ioas_id, offset: 16, size: 4)
        c.unionMember("dirty", \.dirty, offset: 16, size: 48)
        c.unionMember("dirty.flags", \.dirty.flags, offset: 16, size: 4)
        c.unionMember("dirty.iova", \.dirty.iova, offset: 24, size: 8)
        c.unionMember("dirty.length", \.dirty.length, offset: 32, size: 8)
        c.unionMember("dirty.page_size", \.dirty.page_size, offset: 40, size: 8)
        c.unionMember("dirty.uptr", \.dirty.uptr, offset: 48, size: 8)
        c.unionMember("dirty.out_nr_dirty", \.dirty.out_nr_dirty, offset: 56, size: 8)
        c.unionMember("check_iotlb", \.check_iotlb, offset: 16, size: 8)
        c.unionMember("check_iotlb.id", \.check_iotlb.id, offset: 16, size: 4)
        c.unionMember("check_iotlb.iotlb", \.check_iotlb.iotlb, offset: 20, size: 4)
        c.unionMember("trigger_iopf", \.trigger_iopf, offset: 16, size: 24)
        c.unionMember("trigger_iopf.dev_id", \.trigger_iopf.dev_id, offset: 16, size: 4)
        c.unionMember("trigger_iopf.pasid", \.trigger_iopf.pasid, offset: 20, size: 4)
        c.unionMember("trigger_iopf.grpid", \.trigger_iopf.grpid, offset: 24, size: 4)
        c.unionMember("trigger_iopf.perm", \.trigger_iopf.perm, offset: 28, size: 4)
        c.unionMember("trigger_iopf.addr", \.trigger_iopf.addr, offset: 32, size: 8)
        c.unionMember("check_dev_cache", \.check_dev_cache, offset: 16, size: 8)
        c.unionMember("check_dev_cache.id", \.check_dev_cache.id, offset: 16, size: 4)
        c.unionMember("check_dev_cache.cache", \.check_dev_cache.cache, offset: 20, size: 4)
        c.unionMember("trigger_vevent", \.trigger_vevent, offset: 16, size: 4)
        c.unionMember("trigger_vevent.dev_id", \.trigger_vevent.dev_id, offset: 16, size: 4)
        c.unionMember("pasid_attach", \.pasid_attach, offset: 16, size: 8)
        c.unionMember("pasid_attach.pasid", \.pasid_attach.pasid, offset: 16, size: 4)
        c.unionMember("pasid_attach.pt_id", \.pasid_attach.pt_id, offset: 20, size: 4)
        c.unionMember("pasid_replace", \.pasid_replace, offset: 16, size: 8)
        c.unionMember("pasid_replace.pasid", \.pasid_replace.pasid, offset: 16, size: 4)
        c.unionMember("pasid_replace.pt_id", \.pasid_replace.pt_id, offset: 20, size: 4)
        c.unionMember("pasid_detach", \.pasid_detach, offset: 16, size: 4)
        c.unionMember("pasid_detach.pasid", \.pasid_detach.pasid, offset: 16, size: 4)
        c.unionMember("pasid_check", \.pasid_check, offset: 16, size: 8)
        c.unionMember("pasid_check.pasid", \.pasid_check.pasid, offset: 16, size: 4)
        c.unionMember("pasid_check.hwpt_id", \.pasid_check.hwpt_id, offset: 20, size: 4)
        c.unionMember("dmabuf_get", \.dmabuf_get, offset: 16, size: 8)
        c.unionMember("dmabuf_get.length", \.dmabuf_get.length, offset: 16, size: 4)
        c.unionMember("dmabuf_get.open_flags", \.dmabuf_get.open_flags, offset: 20, size: 4)
        c.unionMember("dmabuf_revoke", \.dmabuf_revoke, offset: 16, size: 8)
        c.unionMember("dmabuf_revoke.dmabuf_fd", \.dmabuf_revoke.dmabuf_fd, offset: 16, size: 4)
        c.unionMember("dmabuf_revoke.revoked", \.dmabuf_revoke.revoked, offset: 20, size: 4)
        c.field("last", \.last, offset: 64, size: 4)
        c.finish()
    }

    @Test func iommu_test_hw_info_layout() {
        var c = Layout(iommu_test_hw_info.self, size: 8, alignment: 4)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("test_reg", \.test_reg, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommu_hwpt_selftest_layout() {
        var c = Layout(iommu_hwpt_selftest.self, size: 8, alignment: 4)
        c.field("iotlb", \.iotlb, offset: 0, size: 4)
        c.field("pagetable_type", \.pagetable_type, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommu_hwpt_invalidate_selftest_layout() {
        var c = Layout(iommu_hwpt_invalidate_selftest.self, size: 8, alignment: 4)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("iotlb_id", \.iotlb_id, offset: 4, size: 4)
        c.finish()
    }

    @Test func iommu_viommu_selftest_layout() {
        var c = Layout(iommu_viommu_selftest.self, size: 24, alignment: 8)
        c.field("in_data", \.in_data, offset: 0, size: 4)
        c.field("out_data", \.out_data, offset: 4, size: 4)
        c.field("out_mmap_offset", \.out_mmap_offset, offset: 8, size: 8)
        c.field("out_mmap_length", \.out_mmap_length, offset: 16, size: 8)
        c.finish()
    }

    @Test func iommu_viommu_invalidate_selftest_layout() {
        var c = Layout(iommu_viommu_invalidate_selftest.self, size: 12, alignment: 4)
        c.field("flags", \.flags, offset: 0, size: 4)
        c.field("vdev_id", \.vdev_id, offset: 4, size: 4)
        c.field("cache_id", \.cache_id, offset: 8, size: 4)
        c.finish()
    }

    @Test func iommu_viommu_event_selftest_layout() {
        var c = Layout(iommu_viommu_event_selftest.self, size: 4, alignment: 4)
        c.field("virt_id", \.virt_id, offset: 0, size: 4)
        c.finish()
    }
}
