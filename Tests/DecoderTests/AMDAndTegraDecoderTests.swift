import IOMMUFD
import Testing

@Suite("AMD EFR/EFR2 and Tegra241 CMDQV")
struct AMDAndTegraDecoderTests {
    @Test("EFR fields sit where the kernel's FEATURE_* bits put them")
    func efrKernelBits() {
        // Bit positions of the kernel's FEATURE_* definitions (amd_iommu_types.h).
        let single: [(String, Int)] = [
            ("PreFSup", 0), ("PPRSup", 1), ("XTSup", 2), ("NXSup", 3), ("GTSup", 4), ("IASup", 6),
            ("GASup", 7), ("HESup", 8), ("PCSup", 9), ("GIoSup", 48), ("HASup", 49), ("EPHSup", 50),
            ("HDSup", 52), ("SNPSup", 63),
        ]
        for (mnemonic, bit) in single {
            let field = AMDExtendedFeatures.describe(mnemonic)
            #expect(field?.lowBit == bit && field?.highBit == bit, "\(mnemonic)")
            #expect(AMDExtendedFeatures(rawValue: 1 << UInt64(bit))[mnemonic] == 1, "\(mnemonic)")
        }
        let ranges: [(String, Int, Int)] = [("HATS", 11, 10), ("GATS", 13, 12), ("GLXSup", 15, 14), ("PASmax", 36, 32)]
        for (mnemonic, high, low) in ranges {
            let field = AMDExtendedFeatures.describe(mnemonic)
            #expect(field?.highBit == high && field?.lowBit == low, "\(mnemonic)")
        }
        // GAM_VAPIC is bit 21, the low bit of GAMSup: value 1 means guest virtual APIC mode.
        #expect(AMDExtendedFeatures(rawValue: 1 << 21).guestAPICModes == 1)
    }

    @Test("EFR2 fields sit where the kernel's FEATURE_* bits put them")
    func efr2KernelBits() {
        #expect(AMDExtendedFeatures2(rawValue: 1 << 1).sevSNPIO)
        #expect(AMDExtendedFeatures2(rawValue: 1 << 3).gcr3TableRootPointerMode)
        #expect(AMDExtendedFeatures2(rawValue: 0b111 << 5).snpAVIC == 7)
        #expect(AMDExtendedFeatures2(rawValue: 1 << 8).interruptRemapEntries == 2048)
        #expect(AMDExtendedFeatures2(rawValue: 0).interruptRemapEntries == 512)
        #expect(AMDExtendedFeatures2(rawValue: 1 << 11).hyperTransportRangeIgnore)
    }

    @Test("a full EFR value decodes field by field (hand-checked)")
    func handDecodedEFR() {
        // 0x246577efa2254afa, bit by bit: 0xfa = PPR NX GT GAPPI IA GA; 0x4a = PC, HATS=2, GLX=1;
        // 0x25 = SmiF=1 SmiFRC=1 GAM=1; 0xa2 = DualPpr=2 DualEvent=2 SATS; 0xef = PASmax=15 US
        // DevTblSeg=3; 0x77 = PprOvrflwEarly PPRAutoRsp Marc=1 BlkStopMrk PerfOpt MsiCapMmio;
        // 0x65 = GIo EPH (bit 53, reserved here) InvIotlbType; 0x24 = VMTableSize=2 GAUpdateDis.
        let efr = AMDExtendedFeatures(rawValue: 0x2465_77ef_a225_4afa)
        #expect(!efr.prefetch && efr.peripheralPageRequests && !efr.x2APIC && efr.noExecute)
        #expect(efr.guestTranslation && efr.guestAPICPhysicalProcessorInterrupt && efr.invalidateAll)
        #expect(efr.guestVirtualAPIC && !efr.hardwareErrorRegisters && efr.performanceCounters)
        #expect(efr.hostAddressTranslationSizeCode == 2 && efr.hostPageTableLevels == 6)
        #expect(efr.guestAddressTranslationSizeCode == 0 && efr.guestPageTableLevels == 4)
        #expect(efr.guestCR3LevelsCode == 1)
        #expect(efr.smiFilter == 1 && efr.smiFilterRegisterCount == 1 && efr.guestAPICModes == 1)
        #expect(efr.dualPPRLog == 2 && efr.dualEventLog == 2 && efr.secureATS)
        #expect(efr.pasidMaxField == 15 && efr.pasidBits == 16)
        #expect(efr.userSupervisor && efr.deviceTableSegmentation == 3)
        #expect(efr.pprOverflowEarlyWarning && efr.pprAutomaticResponse && efr.memoryAccessRoutingControl == 1)
        #expect(efr.blockStopMark && efr.performanceOptimization && efr.msiCapabilityMMIO)
        #expect(efr.guestIOProtection && !efr.hostAccess && efr.enhancedPPRHandling && !efr.attributeForward)
        #expect(!efr.hostDirty && efr.invalidateIOTLBType && !efr.virtualizedIOMMU && !efr.vmGuardIO)
        #expect(efr.vmTableSize == 2 && efr.guestAccessUpdateDisable && !efr.sevSNP)
        #expect(efr.unlistedBits == 1 << 53)
        let json = AMDFeatureRegisters(efr: efr.rawValue).json
        #expect(json["efr"]?["GTSup"] == 1)
        #expect(json["efr"]?["PASmax"] == 15)
        #expect(json.keys == ["raw", "efr", "efr2", "derived", "nesting"])
    }

    @Test("HATS and GATS give table levels")
    func tableLevels() {
        #expect(AMDExtendedFeatures(rawValue: 0 << 10).hostPageTableLevels == 4)
        #expect(AMDExtendedFeatures(rawValue: 1 << 10).hostPageTableLevels == 5)
        #expect(AMDExtendedFeatures(rawValue: 2 << 10).hostPageTableLevels == 6)
        #expect(AMDExtendedFeatures(rawValue: 3 << 10).hostPageTableLevels == nil)
        #expect(AMDExtendedFeatures(rawValue: 1 << 12).guestPageTableLevels == 5)
        #expect(AMDExtendedFeatures(rawValue: 2 << 12).guestPageTableLevels == nil)
    }

    @Test("Tegra241 CMDQV info decodes from the 8-byte struct and back")
    func tegraInfo() throws {
        let bytes: [UInt8] = [0, 0, 0, 0, 1, 1, 4, 0]
        let info = try #require(Tegra241CMDQVInfo(bytes: bytes))
        #expect(info.flags == 0)
        #expect(info.version == 1)
        #expect(info.log2VCMDQs == 1 && info.vcmdqCount == 2)
        #expect(info.log2VSIDs == 4 && info.vsidCount == 16)
        #expect(info.bytes == bytes)
        #expect(info.guestParamRegister == 0x4011)
        #expect(info.json["log2vsids"] == 4)
        #expect(Tegra241CMDQVInfo(bytes: [0, 0, 0]) == nil)
        let flagged = try #require(Tegra241CMDQVInfo(bytes: [0x78, 0x56, 0x34, 0x12, 2, 3, 5, 9]))
        #expect(flagged.flags == 0x1234_5678 && flagged.reserved == 9)
        #expect(flagged.bytes == [0x78, 0x56, 0x34, 0x12, 2, 3, 5, 9])
    }
}
