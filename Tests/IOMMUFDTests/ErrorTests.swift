import CIOMMUFD
@testable import IOMMUFD
import Testing

/// Errors name the call, the errno, the values, and the likely cause; they come from this
/// machine's real kernel where it can answer (no IOMMU needed).
@Suite("Errors")
struct ErrorTests {
    @Test func openingAMissingNodeSaysWhichConfigIsMissing() {
        let error = #expect(throws: IOMMUFDError.self) { try IOMMUFD(path: "/nonexistent/iommu") }
        #expect(error?.operation == "open")
        #expect(error?.errno == .ENOENT)
        #expect(error?.context == "/nonexistent/iommu")
        #expect(error?.description.contains("CONFIG_IOMMUFD") == true)
    }

    @Test func anIoctlOnANonIommufdFileIsAnsweredByTheRealKernel() throws {
        // /dev/null is not an iommufd: the kernel answers ENOTTY for our request numbers.
        let ctx = try IOMMUFD(path: "/dev/null")
        let error = #expect(throws: IOMMUFDError.self) { _ = try ctx.allocIOAS() }
        #expect(error?.errno == .ENOTTY)
        #expect(error?.operation == "IOMMU_IOAS_ALLOC")
        #expect(error?.hint.contains("does not know the ioctl") == true)
    }

    @Test func aBadFdGivesEBADFNamingTheCall() {
        let ctx = IOMMUFD(adopting: 987_654)
        let error = #expect(throws: IOMMUFDError.self) { try ctx.destroy(id: 1) }
        #expect(error?.errno == .EBADF)
        #expect(error?.description.hasPrefix("IOMMU_DESTROY(id 1) failed: EBADF") == true)
    }

    @Test func mapEFAULTPointsAtTheDmaBufPath() {
        let error = IOMMUFDError(operation: "IOMMU_IOAS_MAP", errno: .EFAULT, context: "ioas 1")
        #expect(error.hint.contains("MAP_FILE"))
        #expect(error.hint.contains("dma-buf"))
    }

    @Test func nestParentEOPNOTSUPPSaysTheIOMMUCannotNest() {
        let error = IOMMUFDError(operation: "IOMMU_HWPT_ALLOC", errno: .EOPNOTSUPP)
        #expect(error.hint.contains("nesting"))
    }

    @Test func e2bigNamesTheNewerFieldThatWasSet() throws {
        var arg = iommu_hwpt_alloc()
        arg.size = 48
        arg.fault_id = 3
        let why = withUnsafeBytes(of: &arg) { ExtensibleStructs.explainE2BIG(operation: "IOMMU_HWPT_ALLOC", argument: $0) }
        #expect(why?.contains("fault_id") == true)
        #expect(why?.contains("6.11") == true)
        var dataOnly = iommu_hwpt_alloc()
        dataOnly.size = 48
        dataOnly.data_type = 1
        let older = withUnsafeBytes(of: &dataOnly) { ExtensibleStructs.explainE2BIG(operation: "IOMMU_HWPT_ALLOC", argument: $0) }
        #expect(older?.contains("data_type") == true)
        #expect(older?.contains("fault_id") == false)
        var clean = iommu_hwpt_alloc()
        clean.size = 48
        #expect(withUnsafeBytes(of: &clean) { ExtensibleStructs.explainE2BIG(operation: "IOMMU_HWPT_ALLOC", argument: $0) } == nil)
    }

    @Test func errnoNamesRoundTrip() {
        for errno in [Errno.EINVAL, .ENOENT, .EOPNOTSUPP, .E2BIG, .EMSGSIZE, .EADDRINUSE] {
            #expect(Errno(name: errno.name) == errno)
        }
        #expect(Errno.EOPNOTSUPP.rawValue == 95)
        #expect(Errno(1234).name == "errno 1234")
    }

    @Test func vfioCdevLookupExplainsAMissingDevice() {
        let error = #expect(throws: IOMMUFDError.self) { _ = try VFIODevice.cdevPath(pciAddress: "0000:ff:1f.7") }
        #expect(error?.errno == .ENOENT)
        #expect(error?.hint.contains("0000:ff:1f.7") == true)
    }
}
