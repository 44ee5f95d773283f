/// `struct iommu_hwpt_page_response` (8 bytes): the answer written to a fault queue fd for
/// one fault group. The kernel refuses (EINVAL) a code other than SUCCESS or INVALID and a
/// cookie it did not hand out; writes must be a multiple of 8 bytes.
public struct PageResponse: IOMMUPayload {
    public static let size = 8
    static let name = "page response"

    /// `enum iommufd_page_response_code`, the PCIe Page Request response.
    public enum Code: UInt32, Hashable, Sendable, CaseIterable {
        /// SUCCESS: the page tables now map the address; the device retries.
        case success = 0
        /// INVALID: the fault cannot be handled; the device does not retry.
        case invalid = 1
    }

    /// `cookie`: copied from the group's LAST_PAGE fault.
    public private(set) var cookie: UInt32
    /// `code`, raw.
    public private(set) var rawCode: UInt32

    public var code: Code? { Code(rawValue: rawCode) }

    public init(cookie: UInt32, code: Code) {
        self.cookie = cookie
        self.rawCode = code.rawValue
    }

    /// The response to the group that `fault` (its LAST_PAGE fault) closes.
    public init(answering fault: PageFault, code: Code) {
        self.init(cookie: fault.cookie, code: code)
    }

    /// Any code, for negative tests.
    public init(cookie: UInt32, uncheckedCode: UInt32) {
        self.cookie = cookie
        self.rawCode = uncheckedCode
    }

    public init(uncheckedBytes bytes: [UInt8]) throws(PayloadError) {
        var reader = try ByteReader(bytes, exactly: Self.size, payload: Self.name)
        let cookie = reader.u32()
        let code = reader.u32()
        self.init(cookie: cookie, uncheckedCode: code)
    }

    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: Self.size)
        writer.u32(cookie)
        writer.u32(rawCode)
        return writer.bytes
    }

    public var problems: [PayloadError] {
        code == nil
            ? [PayloadError(
                payload: Self.name, field: "code", value: UInt64(rawCode),
                reason: "is neither SUCCESS (0) nor INVALID (1) (EINVAL)")]
            : []
    }
}

extension PageResponse: ValidatedPayload {}
