import CIOMMUFD
import IOMMUFD

/// Little-endian bytes of u32 values (selftest payloads are arrays of u32).
func u32Bytes(_ values: UInt32...) -> [UInt8] {
    values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}

/// The selftest hwpt data (`iommu_hwpt_selftest`: iotlb, pagetable_type).
func selftestHWPTData(iotlb: UInt32 = MockIOMMU.iotlbDefault) -> HWPTData {
    HWPTData(type: HWPTData.typeSelftest, bytes: u32Bytes(iotlb, 0))
}

/// Devices and attach through the selftest mock (device.c with selftest.c's mock driver).
let mockDeviceCases: [TestCase] = [
    TestCase("device.mock_attach_geometry", .device, "attaching a mock domain raises iova_alignment to 2048 and reserves outside the aperture", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ok("MOCK_DOMAIN on the IOAS") { try t.ctx.addMockDevice(attachedTo: ioas) }
        let (ranges, alignment) = try t.ok("IOVA_RANGES") { try ioas.iovaRanges() }
        try t.equal(alignment, MockIOMMU.pageSize, "out_iova_alignment")
        try t.equal(ranges, [IOVARange(start: MockIOMMU.apertureStart, last: MockIOMMU.apertureLast)], "usable ranges = the aperture")
        try t.check(device.attachedHWPTID != 0, "the mock device got an automatic HWPT (\(device.attachedHWPTID))")
        try t.fails(.EBUSY, "DESTROY the IOAS while the device is attached") { try t.ctx.destroy(id: ioas.id) }
        try t.ok("DESTROY the mock device") { try device.destroy() }
        try t.ok("DESTROY the IOAS") { try ioas.destroy() }
    },
    TestCase("device.mock_map_is_mirrored", .device, "a map made before or after the attach reaches the mock domain (MD_CHECK_MAP)", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let before = t.patterned(0x4000)
        try t.ok("MAP 16 KiB at 0x1000000 before the attach") { try ioas.map(before, iova: 0x100_0000) }
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        try t.ok("MD_CHECK_MAP of the first area in the device's domain") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: 0x100_0000, length: 0x4000, userAddress: before.baseAddress!) }
        let after = t.patterned(0x2000, seed: 3)
        try t.ok("MAP 8 KiB at 0x2000000 after the attach") { try ioas.map(after, iova: 0x200_0000) }
        try t.ok("MD_CHECK_MAP of the second area") { try t.ctx.testCheckMap(id: device.attachedHWPTID, iova: 0x200_0000, length: 0x2000, userAddress: after.baseAddress!) }
        try t.fails(.ENOENT, "MD_CHECK_MAP names a domain, not an IOAS") { try t.ctx.testCheckMap(id: ioas.id, iova: 0x200_0000, length: 0x2000, userAddress: after.baseAddress!) }
        try t.fails(.EINVAL, "MAP outside the mock aperture (reserved)") { try ioas.map(after, iova: 0x1000) }
        _ = device
    },
    TestCase("device.mock_reserved_collision", .device, "ALLOW_IOVAS over reserved space gives EADDRINUSE; a fixed map there gives EINVAL", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        try t.ok("ADD_RESERVED [0x1000000, +1 MiB)") { try t.ctx.testAddReserved(ioas: ioas, start: 0x100_0000, length: 0x10_0000) }
        try t.fails(.EADDRINUSE, "ALLOW_IOVAS overlapping the reservation") { try ioas.allowIOVAs([IOVARange(start: 0x100_0000, last: 0x1ff_ffff)]) }
        let buffer = t.buffer(0x1000)
        try t.fails(.EINVAL, "fixed MAP inside the reservation") { try ioas.map(buffer, iova: 0x100_0000) }
        let (ranges, _) = try ioas.iovaRanges()
        try t.equal(ranges.count, 2, "IOVA_RANGES reports the two holes around the reservation")
    },
    TestCase("device.mock_replace", .device, "a mock device moves between HWPTs and IOASes", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let hwpt = try t.ok("HWPT_ALLOC paging") { try t.ctx.allocHWPT(device: device, ioas: ioas) }
        let attached = try t.ok("MOCK_DOMAIN_REPLACE onto the HWPT") { try device.replace(with: hwpt) }
        try t.equal(attached, hwpt.id, "attached HWPT")
        try t.fails(.EBUSY, "DESTROY the HWPT while attached") { try t.ctx.destroy(id: hwpt.id) }
        let other = try t.ctx.allocIOAS()
        try t.ok("REPLACE onto another IOAS") { try device.replace(with: other) }
        try t.ok("DESTROY the HWPT once detached") { try hwpt.destroy() }
    },
]

/// `IOMMU_GET_HW_INFO` rules on the mock IOMMU.
let hwInfoCases: [TestCase] = [
    TestCase("hwinfo.mock", .hwinfo, "the mock reports type 0xfeedbeef with test_reg 0xdeadbeef; buffers of any length work", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let device = try t.ctx.addMockDevice(attachedTo: ioas)
        let info = try t.ok("GET_HW_INFO with a 64-byte buffer") { try device.hwInfo() }
        try t.equal(info.type, MockIOMMU.hwInfoType, "out_data_type")
        try t.equal(info.data, .selftest(flags: 0, testReg: MockIOMMU.hwInfoTestReg), "data")
        try t.equal(info.kernelDataLength, 8, "data_len written back")
        let none = try t.ok("GET_HW_INFO with data_len 0") { try device.hwInfo(bufferLength: 0) }
        try t.equal(none.type, MockIOMMU.hwInfoType, "type with data_len 0")
        let short = try t.ok("GET_HW_INFO with a 4-byte buffer") { try device.hwInfo(bufferLength: 4) }
        try t.equal(short.rawData.count, 4, "only 4 bytes copied")
        try t.fails(.ENOENT, "GET_HW_INFO on the IOAS id") { _ = try t.ctx.hwInfo(deviceID: ioas.id) }
        try t.fails(.EOPNOTSUPP, "GET_HW_INFO asking for INTEL_VTD") { _ = try device.hwInfo(inputType: 1) }
        let asked = try t.ok("GET_HW_INFO asking for the selftest type") { try device.hwInfo(inputType: MockIOMMU.hwInfoType) }
        try t.equal(asked.type, MockIOMMU.hwInfoType, "type with INPUT_TYPE")
        var arg = iommu_hw_info()
        arg.size = 40
        arg.dev_id = device.boundID
        arg.flags = 2
        try t.fails(.EOPNOTSUPP, "GET_HW_INFO with an unknown flag") { try t.ctx.ioctl(.IOMMU_GET_HW_INFO, &arg) }
    },
    TestCase("hwinfo.mock_pasid_width", .hwinfo, "out_max_pasid_log2 is 20 for a PASID-capable mock device and 0 otherwise", needs: [.selftest]) { t in
        let ioas = try t.ctx.allocIOAS()
        let plain = try t.ctx.addMockDevice(attachedTo: ioas)
        let pasid = try t.ctx.addMockDevice(attachedTo: ioas, flags: .pasid)
        try t.equal(try plain.hwInfo().maxPASIDLog2, 0, "max_pasid_log2 without PASID")
        try t.equal(try pasid.hwInfo().maxPASIDLog2, MockIOMMU.pasidWidth, "max_pasid_log2 with PASID")
    },
]
