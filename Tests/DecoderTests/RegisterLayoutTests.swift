import IOMMUFD
import Testing

/// Every decoder's layout as a value, for checks that hold for all of them.
struct RegisterLayout: Sendable, CustomStringConvertible {
    var name: String
    var width: Int
    var fields: [RegisterField]
    var description: String { name }

    init<R: RegisterDecoder>(_ type: R.Type) {
        name = R.registerName
        width = R.widthInBits
        fields = R.layout
    }
}

let allRegisterLayouts: [RegisterLayout] = [
    RegisterLayout(VTDCapability.self), RegisterLayout(VTDExtendedCapability.self),
    RegisterLayout(SMMUv3IDR0.self), RegisterLayout(SMMUv3IDR1.self), RegisterLayout(SMMUv3IDR2.self),
    RegisterLayout(SMMUv3IDR3.self), RegisterLayout(SMMUv3IDR4.self), RegisterLayout(SMMUv3IDR5.self),
    RegisterLayout(SMMUv3IIDR.self), RegisterLayout(SMMUv3AIDR.self),
    RegisterLayout(AMDExtendedFeatures.self), RegisterLayout(AMDExtendedFeatures2.self),
]

@Suite("Register layouts and rendering")
struct RegisterLayoutTests {
    @Test("fields ascend, do not overlap, fit the register and have unique mnemonics", arguments: allRegisterLayouts)
    func layoutIsWellFormed(layout: RegisterLayout) {
        var nextFreeBit = 0
        for field in layout.fields {
            #expect(field.lowBit >= nextFreeBit, "\(layout.name).\(field.mnemonic) overlaps or is out of order")
            #expect(field.highBit < layout.width, "\(layout.name).\(field.mnemonic) beyond the register")
            #expect(!field.meaning.isEmpty && !field.name.isEmpty)
            nextFreeBit = field.highBit + 1
        }
        #expect(Set(layout.fields.map(\.mnemonic)).count == layout.fields.count)
        #expect(layout.fields.allSatisfy { $0.mnemonic.first!.isLetter })
    }

    @Test("bit helpers extract and mask")
    func bitHelpers() {
        #expect(RegisterBits.mask(high: 12, low: 8) == 0x1F00)
        #expect(RegisterBits.mask(high: 63, low: 0) == ~0)
        #expect(RegisterBits.mask(high: 63, low: 63) == 1 << 63)
        #expect(RegisterBits.extract(0x00d2_008c_2226_0286, high: 12, low: 8) == 2)
        #expect(RegisterBits.extract(~0, high: 63, low: 0) == ~0)
        let field = RegisterField("X", bits: 21, 16, name: "x", meaning: "x")
        #expect(field.width == 6 && field.bitRange == "21:16" && field.description == "X[21:16]")
        #expect(RegisterField("Y", bit: 5, name: "y", meaning: "y").bitRange == "5")
    }

    @Test("generic views agree: fields, subscript, decoded, json")
    func genericViews() {
        let cap = VTDCapability(rawValue: 0x00d2_008c_2226_0286)
        #expect(cap.fields.count == VTDCapability.layout.count)
        #expect(cap.fields.first!.mnemonic == "ND" && cap.fields.first!.value == 6)
        #expect(cap["SAGAW"] == 2)
        #expect(cap["NOPE"] == nil)
        #expect(cap.decoded.value(of: "MGAW") == 38)
        #expect(cap.decoded.rawHex == "0x00d2008c22260286")
        #expect(cap.json["FRO"] == 34)
        #expect(cap.json.keys == VTDCapability.layout.map(\.mnemonic))
        #expect(VTDCapability.describe("SAGAW")?.lowBit == 8)
        #expect(SMMUv3IDR0(rawValue: 0x1b).decoded.rawHex == "0x0000001b")
    }

    @Test("tables of every vector stay within 100 columns", .tags(.vectors))
    func tablesFitWidth() {
        var texts: [String] = []
        for vector in VTDVector.all {
            let registers = VTDRegisters(cap: vector.cap, ecap: vector.ecap)
            texts += registers.registers.map { RegisterTable.render($0) }
            texts.append(RegisterTable.render(derived: registers.derived))
            texts.append(RegisterTable.render(verdict: registers.nestingVerdict()))
        }
        for vector in SMMUv3Vector.all {
            let registers = vector.decoded
            texts += registers.registers.map { RegisterTable.render($0) }
            texts.append(RegisterTable.render(derived: registers.derived))
            texts.append(RegisterTable.render(verdict: registers.nestingVerdict()))
        }
        let amd = AMDFeatureRegisters(efr: ~0, efr2: ~0)
        texts += amd.registers.map { RegisterTable.render($0) }
        texts.append(RegisterTable.render(verdict: amd.nestingVerdict))
        for line in texts.flatMap({ $0.split(separator: "\n") }) {
            #expect(line.count <= 100, "too wide: \(line)")
        }
    }

    @Test("a register table lists every field with its value")
    func tableContents() {
        let text = RegisterTable.render(VTDExtendedCapability(rawValue: 0x4800_80f0_0f4a).decoded)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "ECAP_REG = 0x0000480080f00f4a")
        #expect(lines.count == 2 + VTDExtendedCapability.layout.count)
        #expect(lines.contains { $0.hasPrefix("  26     NEST        0  ") })
        #expect(lines.contains { $0.hasPrefix("  17:8   IRO        15  ") })
    }

    @Test("hex parsing accepts 0x, bare and separated digits and rejects the rest")
    func hexParsing() throws {
        #expect(try HexNumber.parse("0x00d2008c22260286") == 0x00d2_008c_2226_0286)
        #expect(try HexNumber.parse("d2008c22260286") == 0x00d2_008c_2226_0286)
        #expect(try HexNumber.parse("0X0D44_101B", bits: 32) == 0x0d44_101b)
        #expect(try HexNumber.parse("  0x1f\n") == 0x1f)
        #expect(try HexNumber.parse("0") == 0)
        #expect(try HexNumber.parse("0x" + String(repeating: "0", count: 30) + "1") == 1)
        #expect(try HexNumber.parse("ffffffffffffffff") == ~0)
        #expect(throws: HexNumber.ParseError.self) { try HexNumber.parse("0x") }
        #expect(throws: HexNumber.ParseError.self) { try HexNumber.parse("") }
        #expect(throws: HexNumber.ParseError.self) { try HexNumber.parse("0xg1") }
        #expect(throws: HexNumber.ParseError.self) { try HexNumber.parse("-1") }
        #expect(throws: HexNumber.ParseError.self) { try HexNumber.parse("1ffffffffffffffff") }
        #expect(throws: HexNumber.ParseError.self) { try HexNumber.parse("0x100000000", bits: 32) }
        do {
            _ = try HexNumber.parse("0x12z4")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "'z' is not a hex digit")
        }
    }

    @Test("byte sizes read as page sizes")
    func byteSizes() {
        #expect(ByteSize.text(4096) == "4 KiB")
        #expect(ByteSize.text(2 << 20) == "2 MiB")
        #expect(ByteSize.text(1 << 30) == "1 GiB")
        #expect(ByteSize.text(1 << 48) == "256 TiB")
        #expect(ByteSize.text(1000) == "1000 B")
    }
}
