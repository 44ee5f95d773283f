import CIOMMUFD

/// Flags of a selftest mock device (`MOCK_FLAGS_DEVICE_*`).
public struct MockDeviceFlags: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// The device cannot track dirty pages.
    public static let noDirty = MockDeviceFlags(rawValue: 1 << 0)
    /// The device supports PASIDs (width 20).
    public static let pasid = MockDeviceFlags(rawValue: 1 << 2)
}

/// A selftest mock device (`IOMMU_TEST_OP_MOCK_DOMAIN`): the kernel creates a device behind
/// the mock IOMMU, binds it to this context and attaches it to the IOAS or HWPT given. Its
/// object id (`id`) is the "stdev"; destroying it removes the device. `boundID` is its device id.
public final class MockDevice: IOMMUFDObject, IOMMUDevice {
    public let boundID: UInt32
    public var boundContext: IOMMUFD { context }
    public let flags: MockDeviceFlags
    /// The HWPT the device is attached to (the automatic domain after creation on an IOAS).
    public private(set) var attachedHWPTID: UInt32
    /// What the device is attached to, kept alive while attached.
    public private(set) var attachment: any PageTableTarget

    init(context: IOMMUFD, stdevID: UInt32, deviceID: UInt32, hwptID: UInt32, flags: MockDeviceFlags,
         attachment: any PageTableTarget) {
        self.boundID = deviceID
        self.flags = flags
        self.attachedHWPTID = hwptID
        self.attachment = attachment
        super.init(context: context, id: stdevID, kind: .device)
    }

    /// Moves the device to another IOAS or HWPT (`IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE`); returns
    /// the HWPT id now attached.
    @discardableResult
    public func replace(with target: any PageTableTarget) throws(IOMMUFDError) -> UInt32 {
        let cmd = try context.testCommand(.mockDomainReplace, id: id, context: "pt_id \(target.pageTableID)") {
            $0.mock_domain_replace.pt_id = target.pageTableID
        }
        attachment = target
        attachedHWPTID = cmd.mock_domain_replace.pt_id
        return attachedHWPTID
    }

    /// Attaches `pasid` to a HWPT (`IOMMU_TEST_OP_PASID_ATTACH`).
    public func attach(pasid: UInt32, to target: any PageTableTarget) throws(IOMMUFDError) {
        try context.testCommand(.pasidAttach, id: id, context: "pasid \(pasid), pt_id \(target.pageTableID)") {
            $0.pasid_attach.pasid = pasid
            $0.pasid_attach.pt_id = target.pageTableID
        }
    }

    /// Replaces what `pasid` is attached to (`IOMMU_TEST_OP_PASID_REPLACE`).
    public func replace(pasid: UInt32, with target: any PageTableTarget) throws(IOMMUFDError) {
        try context.testCommand(.pasidReplace, id: id, context: "pasid \(pasid), pt_id \(target.pageTableID)") {
            $0.pasid_replace.pasid = pasid
            $0.pasid_replace.pt_id = target.pageTableID
        }
    }

    /// Detaches `pasid` (`IOMMU_TEST_OP_PASID_DETACH`).
    public func detach(pasid: UInt32) throws(IOMMUFDError) {
        try context.testCommand(.pasidDetach, id: id, context: "pasid \(pasid)") { $0.pasid_detach.pasid = pasid }
    }

    /// Checks that `pasid` is attached to `hwptID` (0: detached) (`IOMMU_TEST_OP_PASID_CHECK_HWPT`).
    public func checkPASID(_ pasid: UInt32, attachedTo hwptID: UInt32) throws(IOMMUFDError) {
        try context.testCommand(.pasidCheckHWPT, id: id, context: "pasid \(pasid), hwpt_id \(hwptID)") {
            $0.pasid_check.pasid = pasid
            $0.pasid_check.hwpt_id = hwptID
        }
    }

    /// Raises an I/O page fault from this device (`IOMMU_TEST_OP_TRIGGER_IOPF`), delivered to the
    /// fault queue of the HWPT it is attached to.
    public func triggerPageFault(pasid: UInt32 = 0, groupID: UInt32 = 0x1, permissions: UInt32 = 0x1,
                                 address: UInt64 = 0xdead_beef) throws(IOMMUFDError) {
        try context.testCommand(.triggerIOPF, context: "dev_id \(boundID), pasid \(pasid)") {
            $0.trigger_iopf.dev_id = boundID
            $0.trigger_iopf.pasid = pasid
            $0.trigger_iopf.grpid = groupID
            $0.trigger_iopf.perm = permissions
            $0.trigger_iopf.addr = address
        }
    }

    /// Queues a mock vEVENT for this device on its vIOMMU's event queue (`IOMMU_TEST_OP_TRIGGER_VEVENT`).
    public func triggerVEvent() throws(IOMMUFDError) {
        try context.testCommand(.triggerVEvent, context: "dev_id \(boundID)") { $0.trigger_vevent.dev_id = boundID }
    }

    /// Checks entry `entry` of the mock device cache behind a vIOMMU (`IOMMU_TEST_OP_DEV_CHECK_CACHE`).
    public func checkCache(entry: UInt32, value: UInt32) throws(IOMMUFDError) {
        try context.testCommand(.devCheckCache, id: boundID, context: "entry \(entry), cache \(hex(value))") {
            $0.check_dev_cache.id = entry
            $0.check_dev_cache.cache = value
        }
    }
}

extension IOMMUFD {
    /// Adds a mock device attached to `target` (an IOAS, or a HWPT); with flags it uses
    /// `IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS`.
    public func addMockDevice(attachedTo target: any PageTableTarget, flags: MockDeviceFlags = []) throws(IOMMUFDError) -> MockDevice {
        let op: SelftestOp = flags.isEmpty ? .mockDomain : .mockDomainFlags
        let cmd = try testCommand(op, id: target.pageTableID, context: "dev_flags \(hex(flags.rawValue))") {
            if !flags.isEmpty { $0.mock_domain_flags.dev_flags = flags.rawValue }
        }
        return MockDevice(context: self, stdevID: cmd.mock_domain.out_stdev_id, deviceID: cmd.mock_domain.out_idev_id,
                          hwptID: cmd.mock_domain.out_hwpt_id, flags: flags, attachment: target)
    }
}
