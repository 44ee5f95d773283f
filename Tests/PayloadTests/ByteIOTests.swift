import Testing
@testable import IOMMUFD

@Suite("Little-endian byte IO")
struct ByteIOTests {
    @Test func writesLittleEndian() {
        var writer = ByteWriter()
        writer.u8(0x01)
        writer.u16(0x0302)
        writer.u32(0x0706_0504)
        writer.u64(0x0F0E_0D0C_0B0A_0908)
        #expect(writer.bytes == Array(1...15))
    }

    @Test func readsWhatWasWritten() throws {
        var generator = SeededGenerator(seed: 1)
        for _ in 0..<200 {
            let a = UInt8.random(in: .min ... .max, using: &generator)
            let b = UInt16.random(in: .min ... .max, using: &generator)
            let c = UInt32.random(in: .min ... .max, using: &generator)
            let d = generator.next()
            var writer = ByteWriter()
            writer.u8(a)
            writer.u16(b)
            writer.u32(c)
            writer.u64(d)
            var reader = try ByteReader(writer.bytes, exactly: 15, payload: "test")
            #expect(reader.u8() == a)
            #expect(reader.u16() == b)
            #expect(reader.u32() == c)
            #expect(reader.u64() == d)
            #expect(reader.remaining == 0)
        }
    }

    @Test func refusesWrongLength() {
        let error = payloadError { () throws(PayloadError) in
            try ByteReader([1, 2, 3], exactly: 8, payload: "vEVENT header")
        }
        #expect(error?.field == "size")
        #expect(error?.value == 3)
        #expect(error?.description == "vEVENT header field size: 3 bytes given; the struct is exactly 8 bytes")
    }

    @Test func bitFields() {
        let field = PayloadBitField(51, 6)
        #expect(field.mask == 0x000F_FFFF_FFFF_FFC0)
        #expect(field.maxValue == (1 << 46) - 1)
        #expect(field.extract(from: 0xFFFF_FFFF_FFFF_FFFF) == field.maxValue)
        #expect(PayloadBitField(63, 0).mask == .max)
        #expect(PayloadBitField.bit(63).placed(true) == 1 << 63)
    }
}

@Suite("Payload errors")
struct PayloadErrorTests {
    @Test func describesFieldValueAndReason() {
        let error = PayloadError(
            payload: "SMMUv3 vSTE", field: "S1ContextPtr", value: 0x1234,
            reason: "is not 64-byte aligned (the low 6 bits are not part of the field)")
        #expect(error.description
            == "SMMUv3 vSTE field S1ContextPtr: 0x1234 is not 64-byte aligned (the low 6 bits are not part of the field)")
    }

    @Test func builderErrorsReadAsSentences() {
        let error = payloadError { () throws(PayloadError) in
            try SMMUv3VSTE.translate(contextDescriptorTable: 0x1234)
        }
        #expect(error?.description
            == "SMMUv3 vSTE field S1ContextPtr: 0x1234 is not 64-byte aligned (the low 6 bits are not part of the field)")
    }
}
