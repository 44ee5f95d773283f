/// How the extensible argument structs grew, so an E2BIG from an older kernel can name the
/// newer field that was set. The library always sends the newest layout: an older kernel accepts
/// it while the fields it does not know are zero, and answers E2BIG when one is not.
enum ExtensibleStructs {
    /// One step of a struct's history: the size it had, the kernel that introduced the next
    /// fields, and their names.
    struct Growth {
        let oldSize: Int
        let addedIn: String
        let fields: String
    }

    static let history: [String: [Growth]] = [
        "IOMMU_HWPT_ALLOC": [Growth(oldSize: 24, addedIn: "6.7", fields: "data_type/data_len/data_uptr"),
                             Growth(oldSize: 40, addedIn: "6.11", fields: "fault_id")],
        "IOMMU_GET_HW_INFO": [Growth(oldSize: 32, addedIn: "6.7", fields: "out_capabilities")],
        "IOMMU_VIOMMU_ALLOC": [Growth(oldSize: 24, addedIn: "6.17", fields: "data_len/data_uptr")],
        "VFIO_DEVICE_BIND_IOMMUFD": [Growth(oldSize: 16, addedIn: "6.17", fields: "token_uuid_ptr")],
        "VFIO_DEVICE_ATTACH_IOMMUFD_PT": [Growth(oldSize: 12, addedIn: "6.11", fields: "pasid")],
        "VFIO_DEVICE_DETACH_IOMMUFD_PT": [Growth(oldSize: 8, addedIn: "6.11", fields: "pasid")],
    ]

    /// For an E2BIG answer: the newer-layout fields that were non-zero, with the kernel that
    /// introduced each; nil when the request has no recorded history or nothing newer was set.
    static func explainE2BIG(operation: String, argument: UnsafeRawBufferPointer) -> String? {
        guard let steps = history[operation] else { return nil }
        var set: [String] = []
        for (index, step) in steps.enumerated() {
            let end = index + 1 < steps.count ? steps[index + 1].oldSize : argument.count
            guard step.oldSize < end, end <= argument.count else { continue }
            if argument[step.oldSize..<end].contains(where: { $0 != 0 }) {
                set.append("\(step.fields) (Linux \(step.addedIn))")
            }
        }
        guard !set.isEmpty else { return nil }
        return "this kernel's struct is older than ours and these newer fields are set: \(set.joined(separator: ", ")); leave them zero or use a kernel that has them"
    }
}
