// Every number below is a literal: the Linux 7.2 headers' layouts (compiled with gcc on x86-64),
// which match /work/shared/uapi-facts.md wherever the sheet lists them. See LayoutCheck.swift.
import CIOMMUFD
import Testing
@testable import IOMMUFD

@Suite("VFIO struct layouts (Linux 7.2)")
struct VFIOLayoutTests {
    @Test func vfio_info_cap_header_layout() {
        var c = Layout(vfio_info_cap_header.self, size: 8, alignment: 4)
        c.field("id", \.id, offset: 0, size: 2)
        c.field("version", \.version, offset: 2, size: 2)
        c.field("next", \.next, offset: 4, size: 4)
        c.finish()
    }

    @Test func vfio_group_status_layout() {
        var c = Layout(vfio_group_status.self, size: 8, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.finish()
    }

    @Test func vfio_device_info_layout() {
        var c = Layout(vfio_device_info.self, size: 24, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("num_regions", \.num_regions, offset: 8, size: 4)
        c.field("num_irqs", \.num_irqs, offset: 12, size: 4)
        c.field("cap_offset", \.cap_offset, offset: 16, size: 4)
        c.field("pad", \.pad, offset: 20, size: 4)
        c.finish()
    }

    @Test func vfio_region_info_layout() {
        var c = Layout(vfio_region_info.self, size: 32, alignment: 8)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("index", \.index, offset: 8, size: 4)
        c.field("cap_offset", \.cap_offset, offset: 12, size: 4)
        c.field("size", \.size, offset: 16, size: 8)
        c.field("offset", \.offset, offset: 24, size: 8)
        c.finish()
    }

    @Test func vfio_region_sparse_mmap_area_layout() {
        var c = Layout(vfio_region_sparse_mmap_area.self, size: 16, alignment: 8)
        c.field("offset", \.offset, offset: 0, size: 8)
        c.field("size", \.size, offset: 8, size: 8)
        c.finish()
    }

    @Test func vfio_region_info_cap_sparse_mmap_layout() {
        var c = Layout(vfio_region_info_cap_sparse_mmap.self, size: 16, alignment: 8)
        c.field("header", \.header, offset: 0, size: 8)
        c.field("nr_areas", \.nr_areas, offset: 8, size: 4)
        c.field("reserved", \.reserved, offset: 12, size: 4)
        // areas[] (flexible array at offset 16) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }

    @Test func vfio_region_info_cap_type_layout() {
        var c = Layout(vfio_region_info_cap_type.self, size: 16, alignment: 4)
        c.field("header", \.header, offset: 0, size: 8)
        c.field("type", \.type, offset: 8, size: 4)
        c.field("subtype", \.subtype, offset: 12, size: 4)
        c.finish()
    }

    @Test func vfio_pci_dependent_device_layout() {
        var c = Layout(vfio_pci_dependent_device.self, size: 8, alignment: 4)
        c.unionMember("group_id", \.group_id, offset: 0, size: 4)
        c.unionMember("devid", \.devid, offset: 0, size: 4)
        c.field("segment", \.segment, offset: 4, size: 2)
        c.field("bus", \.bus, offset: 6, size: 1)
        c.field("devfn", \.devfn, offset: 7, size: 1)
        c.finish()
    }

    @Test func vfio_pci_hot_reset_info_layout() {
        var c = Layout(vfio_pci_hot_reset_info.self, size: 12, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("count", \.count, offset: 8, size: 4)
        // devices[] (flexible array at offset 12) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }

    @Test func vfio_pci_hot_reset_layout() {
        var c = Layout(vfio_pci_hot_reset.self, size: 12, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("count", \.count, offset: 8, size: 4)
        // group_fds[] (flexible array at offset 12) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }

    @Test func vfio_device_feature_layout() {
        var c = Layout(vfio_device_feature.self, size: 8, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        // data[] (flexible array at offset 8) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }

    @Test func vfio_device_bind_iommufd_layout() {
        var c = Layout(vfio_device_bind_iommufd.self, size: 24, alignment: 8)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("iommufd", \.iommufd, offset: 8, size: 4)
        c.field("out_devid", \.out_devid, offset: 12, size: 4)
        c.field("token_uuid_ptr", \.token_uuid_ptr, offset: 16, size: 8)
        c.finish()
    }

    @Test func vfio_device_attach_iommufd_pt_layout() {
        var c = Layout(vfio_device_attach_iommufd_pt.self, size: 16, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("pt_id", \.pt_id, offset: 8, size: 4)
        c.field("pasid", \.pasid, offset: 12, size: 4)
        c.finish()
    }

    @Test func vfio_device_detach_iommufd_pt_layout() {
        var c = Layout(vfio_device_detach_iommufd_pt.self, size: 12, alignment: 4)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("pasid", \.pasid, offset: 8, size: 4)
        c.finish()
    }

    @Test func vfio_device_feature_bus_master_layout() {
        var c = Layout(vfio_device_feature_bus_master.self, size: 4, alignment: 4)
        c.field("op", \.op, offset: 0, size: 4)
        c.finish()
    }

    @Test func vfio_region_dma_range_layout() {
        var c = Layout(vfio_region_dma_range.self, size: 16, alignment: 8)
        c.field("offset", \.offset, offset: 0, size: 8)
        c.field("length", \.length, offset: 8, size: 8)
        c.finish()
    }

    @Test func vfio_device_feature_dma_buf_layout() {
        var c = Layout(vfio_device_feature_dma_buf.self, size: 16, alignment: 8)
        c.field("region_index", \.region_index, offset: 0, size: 4)
        c.field("open_flags", \.open_flags, offset: 4, size: 4)
        c.field("flags", \.flags, offset: 8, size: 4)
        c.field("nr_ranges", \.nr_ranges, offset: 12, size: 4)
        // dma_ranges[] (flexible array at offset 16) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }

    @Test func vfio_iommu_type1_info_layout() {
        var c = Layout(vfio_iommu_type1_info.self, size: 24, alignment: 8)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("iova_pgsizes", \.iova_pgsizes, offset: 8, size: 8)
        c.field("cap_offset", \.cap_offset, offset: 16, size: 4)
        c.field("pad", \.pad, offset: 20, size: 4)
        c.finish()
    }

    @Test func vfio_iova_range_layout() {
        var c = Layout(vfio_iova_range.self, size: 16, alignment: 8)
        c.field("start", \.start, offset: 0, size: 8)
        c.field("end", \.end, offset: 8, size: 8)
        c.finish()
    }

    @Test func vfio_iommu_type1_info_cap_iova_range_layout() {
        var c = Layout(vfio_iommu_type1_info_cap_iova_range.self, size: 16, alignment: 8)
        c.field("header", \.header, offset: 0, size: 8)
        c.field("nr_iovas", \.nr_iovas, offset: 8, size: 4)
        c.field("reserved", \.reserved, offset: 12, size: 4)
        // iova_ranges[] (flexible array at offset 16) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }

    @Test func vfio_iommu_type1_info_dma_avail_layout() {
        var c = Layout(vfio_iommu_type1_info_dma_avail.self, size: 12, alignment: 4)
        c.field("header", \.header, offset: 0, size: 8)
        c.field("avail", \.avail, offset: 8, size: 4)
        c.finish()
    }

    @Test func vfio_iommu_type1_dma_map_layout() {
        var c = Layout(vfio_iommu_type1_dma_map.self, size: 32, alignment: 8)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("vaddr", \.vaddr, offset: 8, size: 8)
        c.field("iova", \.iova, offset: 16, size: 8)
        c.field("size", \.size, offset: 24, size: 8)
        c.finish()
    }

    @Test func vfio_iommu_type1_dma_unmap_layout() {
        var c = Layout(vfio_iommu_type1_dma_unmap.self, size: 24, alignment: 8)
        c.field("argsz", \.argsz, offset: 0, size: 4)
        c.field("flags", \.flags, offset: 4, size: 4)
        c.field("iova", \.iova, offset: 8, size: 8)
        c.field("size", \.size, offset: 16, size: 8)
        // data[] (flexible array at offset 24) is not imported by Swift; layout_asserts.c checks it.
        c.finish()
    }
}
