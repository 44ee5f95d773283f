import IOMMUFD

/// The software model as a target. The model backend is not part of this build yet, so asking
/// for it is an environment error that says what to do instead.
enum ModelTarget {
    static func make(devicePaths: [String], wrap: (any SyscallBackend) -> any SyscallBackend) throws -> (target: Target, banner: String) {
        throw IOMMUFDError(operation: "select backend", errno: .ENODEV, context: "model",
                           hint: "this build has no software model yet; run on a kernel with /dev/iommu (--backend kernel) or in the VM lane (scripts/vm/run-x86_64)")
    }
}
