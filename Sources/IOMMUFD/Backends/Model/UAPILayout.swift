// Byte offsets of the uAPI structs the model reads and writes (include/uapi/linux/iommufd.h,
// vfio.h and iommufd_test.h of Linux 7.2). The model works on raw bytes, as the kernel does after
// copy_struct_from_user; ModelLayoutTests pins every offset to the CIOMMUFD declarations.

enum L {
    enum Destroy { static let size = 8, id = 4 }
    enum IOASAlloc { static let size = 12, flags = 4, outIOASID = 8 }
    enum IOVARanges { static let size = 32, ioasID = 4, numIOVAs = 8, reserved = 12, allowedIOVAs = 16, outIOVAAlignment = 24 }
    enum AllowIOVAs { static let size = 24, ioasID = 4, numIOVAs = 8, reserved = 12, allowedIOVAs = 16 }
    enum Map { static let size = 40, flags = 4, ioasID = 8, reserved = 12, userVA = 16, length = 24, iova = 32 }
    enum MapFile { static let size = 40, flags = 4, ioasID = 8, fd = 12, start = 16, length = 24, iova = 32 }
    enum Copy { static let size = 40, flags = 4, dstIOASID = 8, srcIOASID = 12, length = 16, dstIOVA = 24, srcIOVA = 32 }
    enum Unmap { static let size = 24, ioasID = 4, iova = 8, length = 16 }
    enum Option { static let size = 24, optionID = 4, op = 8, reserved = 10, objectID = 12, val64 = 16 }
    enum VFIOIOAS { static let size = 12, ioasID = 4, op = 8, reserved = 10 }
    enum HWPTAlloc {
        static let size = 48, minSize = 24
        static let flags = 4, devID = 8, ptID = 12, outHWPTID = 16, reserved = 20, dataType = 24
        static let dataLen = 28, dataUptr = 32, faultID = 40, reserved2 = 44
    }
    enum HWInfo {
        static let size = 40, minSize = 32
        static let flags = 4, devID = 8, dataLen = 12, dataUptr = 16, dataType = 24, maxPasidLog2 = 28
        static let reserved = 29, capabilities = 32
    }
    enum SetDirty { static let size = 16, flags = 4, hwptID = 8, reserved = 12 }
    enum GetDirty { static let size = 48, hwptID = 4, flags = 8, reserved = 12, iova = 16, length = 24, pageSize = 32, data = 40 }
    enum Invalidate { static let size = 32, hwptID = 4, dataUptr = 8, dataType = 16, entryLen = 20, entryNum = 24, reserved = 28 }
    enum FaultAlloc { static let size = 16, flags = 4, outFaultID = 8, outFaultFD = 12 }
    enum VIOMMUAlloc {
        static let size = 40, minSize = 24
        static let flags = 4, type = 8, devID = 12, hwptID = 16, outVIOMMUID = 20, dataLen = 24, reserved = 28, dataUptr = 32
    }
    enum VDeviceAlloc { static let size = 24, viommuID = 4, devID = 8, outVDeviceID = 12, virtID = 16 }
    enum ChangeProcess { static let size = 8, reserved = 4 }
    enum VEventQAlloc {
        static let size = 32, minSize = 28
        static let flags = 4, viommuID = 8, type = 12, depth = 16, outID = 20, outFD = 24, reserved = 28
    }
    enum HWQueueAlloc { static let size = 40, flags = 4, viommuID = 8, type = 12, index = 16, outID = 20, iova = 24, length = 32 }

    /// `struct iommu_test_cmd`: header, a 48-byte union at 16, `last` at 64.
    enum TestCmd {
        static let size = 72, minSize = 68
        static let op = 4, id = 8, reserved = 12, u = 16, last = 64
        // add_reserved
        static let arStart = 16, arLength = 24
        // mock_domain / mock_domain_flags
        static let mdStdevID = 16, mdHWPTID = 20, mdIdevID = 24, mdDevFlags = 28
        // mock_domain_replace, pasid_attach/replace/check
        static let ptID16 = 16
        static let pasid = 16, pasidPtID = 20
        // check_map
        static let cmIOVA = 16, cmLength = 24, cmUptr = 32
        // check_refs
        static let crLength = 16, crUptr = 24, crRefs = 32
        // create_access
        static let caOutFD = 16, caFlags = 20
        // access_pages
        static let apFlags = 16, apOutID = 20, apIOVA = 24, apLength = 32, apUptr = 40
        // access_rw
        static let rwIOVA = 16, rwLength = 24, rwUptr = 32, rwFlags = 40
        // dirty
        static let dFlags = 16, dIOVA = 24, dLength = 32, dPageSize = 40, dUptr = 48, dOutNr = 56
        // check_iotlb / check_dev_cache: id, value
        static let chkID = 16, chkValue = 20
        // trigger_iopf
        static let ipDevID = 16, ipPasid = 20, ipGrpID = 24, ipPerm = 28, ipAddr = 32
        // dmabuf_get / revoke
        static let dbLength = 16, dbFlags = 20
    }

    // VFIO
    enum BindIOMMUFD { static let size = 24, minSize = 16, flags = 4, iommufd = 8, outDevID = 12, tokenUptr = 16 }
    enum AttachPT { static let size = 16, minSize = 12, flags = 4, ptID = 8, pasid = 12 }
    enum DetachPT { static let size = 12, minSize = 8, flags = 4, pasid = 8 }
    enum DeviceInfo { static let size = 24, minSize = 16, flags = 4, numRegions = 8, numIRQs = 12, capOffset = 16 }
    enum DMAMap { static let size = 32, flags = 4, vaddr = 8, iova = 16, mapSize = 24 }
    enum DMAUnmap { static let size = 24, flags = 4, iova = 8, unmapSize = 16 }
    enum Type1Info { static let size = 24, minSize = 16, flags = 4, pgsizes = 8, capOffset = 16 }

    // Records read from and written to event queue fds.
    static let pageFaultSize = 40
    static let pageResponseSize = 8
    static let veventHeaderSize = 8
}
