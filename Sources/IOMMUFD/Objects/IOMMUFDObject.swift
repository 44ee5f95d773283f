import CIOMMUFD

/// The common part of every object with an iommufd id: its context, its id, and a checked
/// `destroy()`.
///
/// Each object holds strong references to the objects the kernel makes it depend on (a nested
/// HWPT its parent, a vDEVICE its vIOMMU), so Swift releases them in an order the kernel accepts.
/// An object that is dropped without `destroy()` is destroyed by `deinit`; if the kernel refuses,
/// the failure is recorded in the context's `cleanupFailures` and the object stays in its ledger.
public class IOMMUFDObject {
    public let context: IOMMUFD
    public let id: UInt32
    public let kind: ObjectKind
    public private(set) var isDestroyed = false

    init(context: IOMMUFD, id: UInt32, kind: ObjectKind) {
        self.context = context
        self.id = id
        self.kind = kind
        context.register(id, kind)
    }

    /// `IOMMU_DESTROY` of this object. Fails with EBUSY while other objects or devices use it.
    public func destroy() throws(IOMMUFDError) {
        precondition(!isDestroyed, "\(kind) \(id) destroyed twice")
        try context.destroy(id: id)
        markDestroyed()
    }

    /// Called when the kernel object went away by other means (its fd was closed).
    func markDestroyed() {
        isDestroyed = true
        context.unregister(id)
        didDestroy()
    }

    /// Subclasses drop the references they held on other objects.
    func didDestroy() {}

    deinit {
        if !isDestroyed {
            do throws(IOMMUFDError) {
                try context.destroy(id: id)
                context.unregister(id)
            } catch {
                context.recordCleanupFailure(error)
            }
        }
    }
}
