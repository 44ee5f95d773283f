import IOMMUFD
import Testing

@Suite("Arm SMMUv3 ID registers")
struct SMMUv3DecoderTests {
    @Test("fixture has the vectors", .tags(.vectors))
    func fixtureLoaded() {
        #expect(SMMUv3Vector.all.map(\.id) == ["M06", "M07", "S72", "S11"])
    }

    @Test("every listed field of the vector decodes as listed", .tags(.vectors), arguments: SMMUv3Vector.all)
    func listedFields(vector: SMMUv3Vector) {
        let registers = vector.decoded
        #expect(!vector.fields.isEmpty)
        for (registerKey, expected) in vector.fields {
            guard let index = SMMUv3Registers.registerKeys.firstIndex(of: registerKey) else {
                Issue.record("\(vector.id): unknown register \(registerKey)")
                continue
            }
            let decoded = registers.registers[index]
            for field in expected {
                #expect(decoded.value(of: field.mnemonic) == field.value, "\(vector.id) \(registerKey).\(field.mnemonic)")
            }
        }
    }

    @Test("JSON output of the vector carries the listed fields", .tags(.vectors), arguments: SMMUv3Vector.all)
    func jsonCarriesFields(vector: SMMUv3Vector) throws {
        let json = vector.decoded.json()
        let reparsed = try JSONValue.parse(json.serialized(pretty: false))
        #expect(reparsed == json)
        for (registerKey, expected) in vector.fields {
            for field in expected {
                #expect(reparsed[registerKey]?[field.mnemonic]?.uint64Value == field.value, "\(vector.id) \(registerKey).\(field.mnemonic)")
            }
        }
        #expect(reparsed.keys == ["raw", "idr0", "idr1", "idr2", "idr3", "idr4", "idr5", "iidr", "aidr", "derived", "nesting"])
        for (key, raw) in vector.registers {
            #expect(try HexNumber.parse(reparsed["raw"]?[key]?.stringValue ?? "") == UInt64(raw))
        }
    }

    @Test("S11 QEMU 11.1 derived values")
    func qemu11Derived() {
        let registers = SMMUv3Vector.named("S11").decoded
        #expect(registers.aidr.architectureVersion == "SMMUv3.1")
        #expect(registers.idr5.outputAddressBits == 44)
        #expect(registers.idr5.virtualAddressBits == 48)
        #expect(registers.idr5.granules == [4 << 10, 16 << 10, 64 << 10])
        #expect(registers.idr1.streamIDBits == 16)
        #expect(registers.idr1.substreamIDBits == 0)
        #expect(registers.idr1.commandQueueEntries == 1 << 19)
        #expect(registers.idr1.eventQueueEntries == 1 << 19)
        #expect(registers.idr0.asidBits == 16)
        #expect(registers.idr0.vmidBits == 16)
        #expect(registers.idr0.aarch64Tables)
        let derived = Dictionary(uniqueKeysWithValues: registers.derived.map { ($0.key, $0.json) })
        #expect(derived["architectureVersion"] == "SMMUv3.1")
        #expect(derived["oasBits"] == 44)
        #expect(derived["vaBits"] == 48)
        #expect(derived["granules"] == [4096, 16384, 65536])
        #expect(derived["sidBits"] == 16)
        #expect(derived["ssidBits"] == 0)
        #expect(derived["cmdqEntries"] == 524_288)
        #expect(derived["priqEntries"] == .null)
        #expect(derived["stages"] == ["S1", "S2"])
    }

    @Test("M06 gem5 derived values")
    func gem5Derived() {
        let registers = SMMUv3Vector.named("M06").decoded
        #expect(registers.aidr.architectureVersion == "SMMUv3.0")
        #expect(registers.idr5.outputAddressBits == 48)
        #expect(registers.idr5.granules == [4 << 10, 64 << 10])
        #expect(registers.idr1.commandQueueEntries == 128)
        #expect(registers.idr0.translationTableFormats == 3)
        #expect(registers.idr0.twoLevelContextDescriptors)
    }

    @Test("OAS and VAX encodings map to bit widths")
    func addressSizeEncodings() {
        let expected = [32, 36, 40, 42, 44, 48, 52, 56]
        for (code, bits) in expected.enumerated() {
            #expect(SMMUv3IDR5(rawValue: UInt32(code)).outputAddressBits == bits)
        }
        #expect(SMMUv3IDR5(rawValue: 0 << 10).virtualAddressBits == 48)
        #expect(SMMUv3IDR5(rawValue: 1 << 10).virtualAddressBits == 52)
        #expect(SMMUv3IDR5(rawValue: 2 << 10).virtualAddressBits == 56)
        #expect(SMMUv3IDR5(rawValue: 3 << 10).virtualAddressBits == nil)
    }

    @Test("AIDR names the architecture version")
    func architectureVersion() {
        for minor in 0...4 {
            #expect(SMMUv3AIDR(rawValue: UInt32(minor)).architectureVersion == "SMMUv3.\(minor)")
        }
        #expect(SMMUv3AIDR(rawValue: 0x12).architectureVersion == "SMMU arch major 1 minor 2")
    }

    @Test("IIDR decodes implementer, product and revision")
    func implementation() {
        let mmu700 = SMMUv3IIDR(rawValue: 0x487 << 20 | 1 << 16 | 2 << 12 | 0x43B)
        #expect(mmu700.implementer == 0x43B)
        #expect(mmu700.productID == 0x487)
        #expect(mmu700.variant == 1)
        #expect(mmu700.revision == 2)
        #expect(mmu700.productName == "Arm MMU-700")
        #expect(mmu700.revisionText == "r1p2")
        #expect(SMMUv3IIDR(rawValue: 0x487 << 20 | 0x36B).productName == nil)
    }

    @Test("zero registers decode to zero fields")
    func zeroRegisters() {
        let registers = SMMUv3Registers()
        for register in registers.registers {
            #expect(register.fields.allSatisfy { $0.value == 0 }, "\(register.name)")
        }
        #expect(registers.idr5.outputAddressBits == 32)
        #expect(registers.idr5.granules.isEmpty)
        #expect(registers.idr1.commandQueueEntries == 1)
        #expect(registers.aidr.architectureVersion == "SMMUv3.0")
    }

    @Test("all-ones registers decode every field to its maximum and leave only reserved bits")
    func allOnesRegisters() {
        let registers = SMMUv3Registers(
            idr0: ~0, idr1: ~0, idr2: ~0, idr3: ~0, idr4: ~0, idr5: ~0, iidr: ~0, aidr: ~0)
        for register in registers.registers {
            for (field, value) in register.fields {
                #expect(value == (1 << UInt64(field.width)) - 1, "\(register.name).\(field.mnemonic)")
            }
        }
        #expect(registers.idr0.unlistedBits == 1 << 29 | 1 << 31)
        #expect(registers.idr1.unlistedBits == 0)
        #expect(registers.idr2.unlistedBits == 0xFFFF_FC00)
        #expect(registers.idr3.unlistedBits == 0b11 | 1 << 6 | 0xFF << 24)
        #expect(registers.idr4.unlistedBits == 0)
        #expect(registers.idr5.unlistedBits == 1 << 3 | 1 << 9 | 0xF << 12)
        #expect(registers.iidr.unlistedBits == 0)
        #expect(registers.aidr.unlistedBits == 0xFFFF_FF00)
        #expect(registers.idr5.outputAddressBits == 56)
        #expect(registers.idr5.maximumStalls == 0xFFFF)
        #expect(registers.idr2.vatosPageOffset == 0x20000 + 1023 * 0x10000)
    }

    @Test("hw_info array initializer places IDR0-IDR5")
    func hwInfoArray() {
        let registers = SMMUv3Registers(idr: [1, 2, 3, 4, 5, 6], iidr: 7, aidr: 8)
        #expect(registers.idr0.rawValue == 1 && registers.idr5.rawValue == 6)
        #expect(registers.iidr.rawValue == 7 && registers.aidr.rawValue == 8)
        let short = SMMUv3Registers(idr: [9], iidr: 0, aidr: 0)
        #expect(short.idr0.rawValue == 9 && short.idr1.rawValue == 0)
    }
}
