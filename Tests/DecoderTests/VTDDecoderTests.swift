import IOMMUFD
import Testing

@Suite("Intel VT-d CAP_REG / ECAP_REG")
struct VTDDecoderTests {
    @Test("fixture has the vectors", .tags(.vectors))
    func fixtureLoaded() {
        #expect(VTDVector.all.count == 16)
        #expect(Set(VTDVector.all.map(\.id)).count == VTDVector.all.count)
    }

    @Test("every CAP field of the vector decodes as listed", .tags(.vectors), arguments: VTDVector.all)
    func capFields(vector: VTDVector) {
        let cap = VTDCapability(rawValue: vector.cap)
        #expect(!vector.capFields.isEmpty)
        for expected in vector.capFields {
            #expect(cap[expected.mnemonic] == expected.value, "\(vector.id) cap.\(expected.mnemonic)")
        }
    }

    @Test("every ECAP field of the vector decodes as listed", .tags(.vectors), arguments: VTDVector.all)
    func ecapFields(vector: VTDVector) {
        let ecap = VTDExtendedCapability(rawValue: vector.ecap)
        #expect(!vector.ecapFields.isEmpty)
        for expected in vector.ecapFields {
            #expect(ecap[expected.mnemonic] == expected.value, "\(vector.id) ecap.\(expected.mnemonic)")
        }
    }

    @Test("JSON output of the vector carries the listed fields", .tags(.vectors), arguments: VTDVector.all)
    func jsonCarriesFields(vector: VTDVector) throws {
        let json = VTDRegisters(cap: vector.cap, ecap: vector.ecap).json()
        // Through text and back, as a consumer of `decode vtd --json` would read it.
        let reparsed = try JSONValue.parse(json.serialized(pretty: true))
        #expect(reparsed == json)
        for expected in vector.capFields {
            #expect(reparsed["cap"]?[expected.mnemonic]?.uint64Value == expected.value, "\(vector.id) cap.\(expected.mnemonic)")
        }
        for expected in vector.ecapFields {
            #expect(reparsed["ecap"]?[expected.mnemonic]?.uint64Value == expected.value, "\(vector.id) ecap.\(expected.mnemonic)")
        }
        #expect(reparsed.keys == ["raw", "cap", "ecap", "derived", "nesting"])
    }

    @Test("typed properties agree with the raw fields", .tags(.vectors), arguments: VTDVector.all)
    func typedProperties(vector: VTDVector) {
        let cap = VTDCapability(rawValue: vector.cap)
        let ecap = VTDExtendedCapability(rawValue: vector.ecap)
        #expect(cap.numberOfDomainsCode == Int(cap["ND"]!))
        #expect(cap.supportedAdjustedGuestAddressWidths == Int(cap["SAGAW"]!))
        #expect(cap.maximumGuestAddressWidth == Int(cap["MGAW"]!) + 1)
        #expect(cap.cachingMode == (cap["CM"] == 1))
        #expect(cap.firstStage1GiBPages == (cap["FL1GP"] == 1))
        #expect(cap.firstStage5LevelPaging == (cap["FL5LP"] == 1))
        #expect(cap.faultRecordingOffset == Int(cap["FRO"]!) * 16)
        #expect(cap.faultRecordingRegisterCount == Int(cap["NFR"]!) + 1)
        #expect(ecap.nestedTranslation == (ecap["NEST"] == 1))
        #expect(ecap.scalableModeTranslation == (ecap["SMTS"] == 1))
        #expect(ecap.secondStageAccessedDirty == (ecap["SLADS"] == 1))
        #expect(ecap.iotlbRegisterOffset == Int(ecap["IRO"]!) * 16)
        #expect(ecap.maxPASIDBits == Int(ecap["PSS"]!) + 1)
    }

    @Test("V02 Sapphire Rapids derived values")
    func sapphireRapidsDerived() {
        let vector = VTDVector.named("V02")
        let registers = VTDRegisters(cap: vector.cap, ecap: vector.ecap)
        #expect(registers.cap.supportedAGAWs == [48, 57])
        #expect(registers.cap.maximumGuestAddressWidth == 57)
        #expect(registers.cap.numberOfDomains == 65536)
        #expect(registers.cap.faultRecordingOffset == 0x400)
        #expect(registers.cap.faultRecordingRegisterCount == 1)
        #expect(registers.cap.secondStageLargePageSizes == [2 << 20, 1 << 30])
        #expect(registers.cap.firstStageLargePageSizes == [2 << 20, 1 << 30])
        #expect(registers.ecap.iotlbRegisterOffset == 0x500)
        #expect(registers.ecap.maxPASIDBits == 20)
        #expect(registers.ecap.scalableModeCapable)
        // PASID is 0 in this ECAP, so the kernel would not use PASIDs.
        #expect(registers.usablePASIDBits == 0)
    }

    @Test("Q1 QEMU legacy-mode derived values")
    func qemuLegacyDerived() {
        let vector = VTDVector.named("Q1")
        let registers = VTDRegisters(cap: vector.cap, ecap: vector.ecap)
        #expect(registers.cap.supportedAGAWs == [39])
        #expect(registers.cap.maximumGuestAddressWidth == 39)
        #expect(registers.cap.faultRecordingOffset == 0x220)
        #expect(registers.cap.maximumInvalidationPages == 1 << 18)
        #expect(registers.ecap.iotlbRegisterOffset == 0xF0)
        #expect(!registers.ecap.scalableModeCapable)
        let derived = Dictionary(uniqueKeysWithValues: registers.derived.map { ($0.key, $0.json) })
        #expect(derived["supportedAGAWs"] == [39])
        #expect(derived["mgawBits"] == 39)
        #expect(derived["numberOfDomains"] == 65536)
        #expect(derived["faultRecordingOffset"] == 544)
        #expect(derived["faultRecordingRegisters"] == 1)
        #expect(derived["iotlbRegisterOffset"] == 240)
        #expect(derived["maxPASIDBits"] == 0)
        #expect(derived["scalableModeCapable"] == false)
        #expect(derived["secondStageLargePages"] == [2_097_152, 1_073_741_824])
    }

    @Test("V21 X58 IOH: eight fault recording registers, no large pages")
    func x58Derived() {
        let vector = VTDVector.named("V21")
        let cap = VTDCapability(rawValue: vector.cap)
        #expect(cap.faultRecordingRegisterCount == 8)
        #expect(cap.faultRecordingOffset == 0x100)
        #expect(cap.secondStageLargePageSizes.isEmpty)
        #expect(cap.supportedAGAWs == [48])
        #expect(cap.maximumGuestAddressWidth == 48)
    }

    @Test("V07 Skylake sets the revision-2.x PASID bit 28, which shows as unlisted")
    func skylakeOldPASIDBit() {
        let vector = VTDVector.named("V07")
        let ecap = VTDExtendedCapability(rawValue: vector.ecap)
        #expect(ecap.unlistedBits == 1 << 28)
        #expect(!ecap.pasidSupport)
        #expect(RegisterTable.render(ecap.decoded).hasPrefix(
            "ECAP_REG = 0x0000007e3ff0501e  (bits outside known fields: 0x10000000)"))
        #expect(VTDCapability(rawValue: vector.cap).unlistedBits == 0)
    }

    @Test("Q3 QEMU with PASIDs: usable PASID width")
    func qemuPASID() {
        let vector = VTDVector.named("Q3")
        let registers = VTDRegisters(cap: vector.cap, ecap: vector.ecap)
        #expect(registers.ecap.pasidSupport)
        #expect(registers.usablePASIDBits == 1)  // QEMU 7.2 reports PSS=0
    }

    @Test("a zero CAP and ECAP decode to zero fields and minimum derived values")
    func zeroRegisters() {
        let cap = VTDCapability(rawValue: 0)
        let ecap = VTDExtendedCapability(rawValue: 0)
        #expect(cap.fields.allSatisfy { $0.value == 0 })
        #expect(ecap.fields.allSatisfy { $0.value == 0 })
        #expect(cap.numberOfDomains == 16)
        #expect(cap.supportedAGAWs.isEmpty)
        #expect(cap.maximumGuestAddressWidth == 1)
        #expect(cap.faultRecordingRegisterCount == 1)
        #expect(cap.secondStageLargePageSizes.isEmpty)
        #expect(cap.firstStageLargePageSizes == [2 << 20])
        #expect(cap.maximumInvalidationPages == 0)
        #expect(ecap.maxPASIDBits == 1)
        #expect(cap.unlistedBits == 0 && ecap.unlistedBits == 0)
    }

    @Test("an all-ones CAP and ECAP decode every field to its maximum")
    func allOnesRegisters() {
        let cap = VTDCapability(rawValue: ~0)
        let ecap = VTDExtendedCapability(rawValue: ~0)
        for (field, value) in cap.decoded.fields {
            #expect(value == (field.width == 64 ? ~0 : (1 << UInt64(field.width)) - 1), "cap.\(field.mnemonic)")
        }
        for (field, value) in ecap.decoded.fields {
            #expect(value == (1 << UInt64(field.width)) - 1, "ecap.\(field.mnemonic)")
        }
        #expect(cap.numberOfDomainsCode == 7)
        #expect(cap.numberOfDomains == 1 << 18)
        #expect(cap.supportedAGAWs == [39, 48, 57])
        #expect(cap.maximumGuestAddressWidth == 64)
        #expect(cap.faultRecordingOffset == 1023 * 16)
        #expect(cap.faultRecordingRegisterCount == 256)
        #expect(cap.secondStageLargePageSizes == [1 << 21, 1 << 30, 1 << 39, 1 << 48])
        #expect(cap.maximumInvalidationPages == 1 << 63)
        #expect(ecap.iotlbRegisterOffset == 1023 * 16)
        #expect(ecap.maxPASIDBits == 32)
        // Reserved CAP bits: 15:13, 38, 58:57. Reserved ECAP bits: 19:18, 28, 50, 63:54.
        #expect(cap.unlistedBits == UInt64(0b111) << 13 | UInt64(1) << 38 | UInt64(0b11) << 57)
        #expect(ecap.unlistedBits == UInt64(0b11) << 18 | UInt64(1) << 28 | UInt64(1) << 50 | UInt64(0x3FF) << 54)
    }

    @Test("single bits land in the field the spec puts them in")
    func singleBits() {
        #expect(VTDCapability(rawValue: 1 << 7).cachingMode)
        #expect(VTDCapability(rawValue: 1 << 56).firstStage1GiBPages)
        #expect(VTDCapability(rawValue: 1 << 60).firstStage5LevelPaging)
        #expect(VTDCapability(rawValue: 1 << 63).enhancedSetRootTablePointer)
        #expect(VTDExtendedCapability(rawValue: 1 << 26).nestedTranslation)
        #expect(VTDExtendedCapability(rawValue: 1 << 43).scalableModeTranslation)
        #expect(VTDExtendedCapability(rawValue: 1 << 45).secondStageAccessedDirty)
        #expect(VTDExtendedCapability(rawValue: 1 << 46).secondStageTranslation)
        #expect(VTDExtendedCapability(rawValue: 1 << 47).firstStageTranslation)
        #expect(VTDExtendedCapability(rawValue: 1 << 48).scalableModePageWalkCoherency)
        #expect(VTDExtendedCapability(rawValue: 1 << 52).abortDMAMode)
        #expect(VTDExtendedCapability(rawValue: 1 << 53).ridPrivSupport)
        #expect(VTDExtendedCapability(rawValue: 0x10 << 35).pasidSizeField == 0x10)
    }
}
