import IOMMUFD
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A device node (`/dev/iommu`, `/dev/vfio/vfio`, `/dev/vfio/devices/vfio0`): whether it exists,
/// its numbers, permissions and owner, and whether this process could open it read-write.
public struct DevNode: Hashable, Sendable {
    public var path: String
    public var present: Bool
    /// `major:minor` in decimal.
    public var number: String?
    /// Permission bits in octal (`0660`).
    public var mode: String?
    public var owner: String?
    public var group: String?
    /// nil when not tried (a captured host, or the node is missing).
    public var openable: Bool?
    /// Why opening failed (`EACCES (Permission denied)`).
    public var openError: String?

    public static func missing(_ path: String) -> DevNode {
        DevNode(path: path, present: false, number: nil, mode: nil, owner: nil, group: nil, openable: nil, openError: nil)
    }

    public var json: JSONValue {
        [
            "path": .string(path), "present": .bool(present),
            "number": number.map { .string($0) } ?? .null, "mode": mode.map { .string($0) } ?? .null,
            "owner": owner.map { .string($0) } ?? .null, "group": group.map { .string($0) } ?? .null,
            "openable": openable.map { .bool($0) } ?? .null, "openError": openError.map { .string($0) } ?? .null,
        ]
    }

    /// `present, crw-rw---- root:kvm 10:124, opens read-write` style summary.
    public var summary: String {
        guard present else { return "missing" }
        var parts: [String] = []
        if let mode { parts.append("mode \(mode)") }
        if let owner, let group { parts.append("\(owner):\(group)") }
        if let number { parts.append(number) }
        switch openable {
        case true?: parts.append("this user can open it")
        case false?: parts.append("this user cannot open it (\(openError ?? "error"))")
        case nil: break
        }
        return parts.joined(separator: ", ")
    }
}

/// Reads device nodes: live with stat(2) and a trial open, or from a capture's
/// `capture/dev-nodes.txt` (`path|type|major:minor|mode|user|group` per line, from stat -c).
enum DevNodes {
    /// Stat's `path` and, when `tryOpen`, opens it O_RDWR and closes it again.
    static func live(_ path: String, tryOpen: Bool) -> DevNode {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing(path) }
        let major = (UInt64(info.st_rdev) >> 8) & 0xfff | (UInt64(info.st_rdev) >> 32) & ~UInt64(0xfff)
        let minor = UInt64(info.st_rdev) & 0xff | (UInt64(info.st_rdev) >> 12) & ~UInt64(0xff)
        var node = DevNode(
            path: path, present: true, number: "\(major):\(minor)", mode: "0" + String(info.st_mode & 0o7777, radix: 8),
            owner: userName(info.st_uid), group: groupName(info.st_gid), openable: nil, openError: nil)
        if tryOpen {
            let fd = open(path, O_RDWR | O_CLOEXEC)
            if fd >= 0 {
                close(fd)
                node.openable = true
            } else {
                node.openable = false
                node.openError = Errno(errno).description
            }
        }
        return node
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return String(gid) }
        return String(cString: name)
    }

    /// Parses `capture/dev-nodes.txt`; `stat -c '%n|%F|%t:%T|%a|%U|%G'` writes major:minor in hex.
    static func captured(_ text: String) -> [String: DevNode] {
        var nodes: [String: DevNode] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 6 else { continue }
            var number: String?
            let numbers = fields[2].split(separator: ":").compactMap { Int($0, radix: 16) }
            if numbers.count == 2 { number = "\(numbers[0]):\(numbers[1])" }
            let mode = Int(fields[3], radix: 8).map { "0" + String($0, radix: 8) } ?? fields[3]
            nodes[fields[0]] = DevNode(
                path: fields[0], present: true, number: number, mode: mode, owner: fields[4], group: fields[5],
                openable: nil, openError: nil)
        }
        return nodes
    }
}
