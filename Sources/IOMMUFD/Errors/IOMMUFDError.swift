/// The one error type of this library: which call failed, with which errno, on which object and
/// values, and what that errno most likely means for this call. The kernel and the model throw
/// the same type, so a caller cannot tell them apart except by asking the backend.
public struct IOMMUFDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation, named as the kernel names it (`IOMMU_IOAS_MAP`, `open`, `read`).
    public var operation: String
    /// The errno the kernel (or the model) answered.
    public var errno: Errno
    /// The object and values of the failed call, e.g. `ioas 3, iova 0x100000, length 0x2000`.
    public var context: String
    /// A sentence on the likely cause and what to do; empty when there is nothing useful to add.
    public var hint: String
    /// For `IOMMU_HWPT_INVALIDATE`: how many entries the kernel handled before it failed
    /// (`entry_num` as written back).
    public var entriesHandled: Int?

    public init(operation: String, errno: Errno, context: String = "", hint: String? = nil) {
        self.operation = operation
        self.errno = errno
        self.context = context
        self.hint = hint ?? ErrorHints.hint(operation: operation, errno: errno)
    }

    public var description: String {
        var text = operation
        if !context.isEmpty { text += "(\(context))" }
        text += " failed: \(errno.name) (\(errno.message))"
        if !hint.isEmpty { text += ": \(hint)" }
        return text
    }
}
