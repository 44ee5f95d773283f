import CIOMMUFD

/// A Linux errno value, named as the kernel names it so that a test reads like the kernel's
/// selftests: `#expect(throws: IOMMUFDError.self)` then `error.errno == .EOPNOTSUPP`.
public struct Errno: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    public static let EPERM = Errno(1)
    public static let ENOENT = Errno(2)
    public static let ESRCH = Errno(3)
    public static let EINTR = Errno(4)
    public static let EIO = Errno(5)
    public static let ENXIO = Errno(6)
    public static let E2BIG = Errno(7)
    public static let EBADF = Errno(9)
    public static let EAGAIN = Errno(11)
    public static let ENOMEM = Errno(12)
    public static let EACCES = Errno(13)
    public static let EFAULT = Errno(14)
    public static let EBUSY = Errno(16)
    public static let EEXIST = Errno(17)
    public static let ENODEV = Errno(19)
    public static let ENOTDIR = Errno(20)
    public static let EINVAL = Errno(22)
    public static let ENOTTY = Errno(25)
    public static let ENOSPC = Errno(28)
    public static let ESPIPE = Errno(29)
    public static let ERANGE = Errno(34)
    public static let ENOSYS = Errno(38)
    public static let EOVERFLOW = Errno(75)
    public static let EMSGSIZE = Errno(90)
    public static let EOPNOTSUPP = Errno(95)
    public static let EADDRINUSE = Errno(98)
    public static let ETIMEDOUT = Errno(110)

    private static let names: [Int32: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG",
        9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 16: "EBUSY",
        17: "EEXIST", 19: "ENODEV", 20: "ENOTDIR", 22: "EINVAL", 25: "ENOTTY", 28: "ENOSPC",
        29: "ESPIPE", 34: "ERANGE", 38: "ENOSYS", 75: "EOVERFLOW", 90: "EMSGSIZE",
        95: "EOPNOTSUPP", 98: "EADDRINUSE", 110: "ETIMEDOUT",
    ]

    /// The kernel's symbolic name (`EINVAL`), or `errno N` for one this table does not know.
    public var name: String { Errno.names[rawValue] ?? "errno \(rawValue)" }

    /// Parses a symbolic name such as `EINVAL` (as traces and case files write it).
    public init?(name: String) {
        guard let hit = Errno.names.first(where: { $0.value == name }) else { return nil }
        self.rawValue = hit.key
    }

    /// The C library's message for this errno (`Invalid argument`).
    public var message: String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 128) { buffer in
            String(cString: ciommufd_strerror(rawValue, buffer.baseAddress, 128))
        }
    }

    public var description: String { "\(name) (\(message))" }
}
