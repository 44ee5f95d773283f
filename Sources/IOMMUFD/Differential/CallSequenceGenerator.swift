import CIOMMUFD
#if canImport(Glibc)
import Glibc
#endif

/// Issues a random but reproducible sequence of iommufd calls on one context: IOAS allocations,
/// maps, unmaps, copies, range queries, allowed ranges, selftest mock devices, HWPTs, replaces,
/// options and destroys, with valid arguments most of the time and invalid ones (unknown ids,
/// flags, reserved fields, short structs, misaligned or overlapping ranges) the rest.
///
/// It is the generator of the differential runner: the calls go through the context's backend
/// (wrapped in a `TracingBackend`), and the recorded trace is replayed on another backend. Each
/// call's arguments may depend on the answers to earlier ones (a map reuses an IOVA that the
/// kernel gave back), which the trace captures, so the replay issues exactly the same bytes.
/// Needs `IOMMU_TEST_CMD` (the selftest mock) for the device calls; without it they fail the same
/// way on both sides.
public struct CallSequenceGenerator {
    /// An operation the generator can draw, with its weight.
    public enum Operation: String, CaseIterable, Sendable {
        case allocIOAS, map, unmap, copy, iovaRanges, allowIOVAs, addReserved
        case mockDevice, allocHWPT, replace, hwInfo, option, destroy

        var weight: Int {
            switch self {
            case .map: 9
            case .unmap: 6
            case .allocIOAS, .destroy: 3
            case .copy, .iovaRanges, .mockDevice, .allocHWPT, .replace: 2
            case .allowIOVAs, .addReserved, .hwInfo, .option: 1
            }
        }
    }

    public let seed: UInt64
    /// How many calls one sequence issues.
    public let length: Int

    public init(seed: UInt64, length: Int? = nil) {
        self.seed = seed
        var probe = SeededRandom(seed: seed ^ 0x5eed)
        self.length = length ?? probe.int(12...48)
        self.random = SeededRandom(seed: seed)
    }

    /// The arena user memory comes from: every map is a page-aligned slice of it.
    static let arenaPages = 64
    static let pageSize = 4096

    private struct Area { var ioas: UInt32; var iova: UInt64; var length: UInt64 }
    private struct Mock { var stdev: UInt32; var hwpt: UInt32; var idev: UInt32 }

    private var random: SeededRandom
    private var ioases: [UInt32] = []
    private var hwpts: [UInt32] = []
    private var mocks: [Mock] = []
    private var areas: [Area] = []
    private var everSeen: [UInt32] = []

    /// Issues the sequence on `context`. Returns the operations drawn, in order (for reports).
    @discardableResult
    public mutating func run(on context: IOMMUFD) -> [Operation] {
        guard let arena = mmap(nil, Self.arenaPages * Self.pageSize, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), arena != MAP_FAILED else { return [] }
        defer { munmap(arena, Self.arenaPages * Self.pageSize) }
        for page in 0..<Self.arenaPages {
            arena.storeBytes(of: UInt64(page) &* 0x0101_0101 ^ seed, toByteOffset: page * Self.pageSize, as: UInt64.self)
        }
        var drawn: [Operation] = []
        let table = Operation.allCases.flatMap { Array(repeating: $0, count: $0.weight) }
        for step in 0..<length {
            // The first calls build something to work on; then anything goes.
            let op: Operation = step == 0 ? .allocIOAS : (step == 2 && random.chance(70) ? .mockDevice : random.pick(table)!)
            drawn.append(op)
            issue(op, context: context, arena: arena)
        }
        return drawn
    }

    private mutating func issue(_ op: Operation, context: IOMMUFD, arena: UnsafeMutableRawPointer) {
        switch op {
        case .allocIOAS: allocIOAS(context)
        case .map: map(context, arena: arena)
        case .unmap: unmap(context)
        case .copy: copy(context)
        case .iovaRanges: iovaRanges(context)
        case .allowIOVAs: allowIOVAs(context)
        case .addReserved: addReserved(context)
        case .mockDevice: mockDevice(context)
        case .allocHWPT: allocHWPT(context)
        case .replace: replace(context)
        case .hwInfo: hwInfo(context)
        case .option: option(context)
        case .destroy: destroy(context)
        }
    }

    // MARK: Argument choices

    /// A known id most of the time; else 0, a never-used id, or an id of another type.
    private mutating func objectID(_ known: [UInt32]) -> UInt32 {
        if let id = random.pick(known), random.chance(85) { return id }
        switch random.int(0...3) {
        case 0: return 0
        case 1: return random.pick(everSeen) ?? 1
        case 2: return UInt32(random.int(1...64))
        default: return 0xffff_fff0
        }
    }

    /// A length: whole pages mostly; else 0, half a page (the mock's 2 KiB), or odd.
    private mutating func length(maxPages: Int) -> UInt64 {
        switch random.int(0...19) {
        case 0: return 0
        case 1: return 2048
        case 2: return UInt64(random.int(1...9000))
        default: return UInt64(random.int(1...maxPages) * Self.pageSize)
        }
    }

    /// An IOVA: near an existing area (touching, overlapping, inside) or in the mock aperture.
    private mutating func iova(near ioas: UInt32) -> UInt64 {
        let local = areas.filter { $0.ioas == ioas }
        if let area = random.pick(local), random.chance(50) {
            switch random.int(0...4) {
            case 0: return area.iova
            case 1: return area.iova &+ area.length
            case 2: return area.iova &- UInt64(Self.pageSize)
            case 3: return area.iova &+ UInt64(Self.pageSize)
            default: return area.iova &+ 2048
            }
        }
        switch random.int(0...9) {
        case 0: return 0
        case 1: return UInt64(random.int(0...0xffff)) << 12 | 0x800
        case 2: return UInt64.max - UInt64(Self.pageSize) + 1
        default: return (1 << 24) + UInt64(random.int(0...0x3fff)) * UInt64(Self.pageSize)
        }
    }

    private mutating func remember(_ id: UInt32) { if !everSeen.contains(id) { everSeen.append(id) } }

    private mutating func forget(_ id: UInt32) {
        ioases.removeAll { $0 == id }
        hwpts.removeAll { $0 == id }
        areas.removeAll { $0.ioas == id }
        mocks.removeAll { $0.stdev == id }
    }

    // MARK: Calls

    private mutating func allocIOAS(_ context: IOMMUFD) {
        var arg = iommu_ioas_alloc(size: UInt32(MemoryLayout<iommu_ioas_alloc>.size), flags: 0, out_ioas_id: 0)
        if random.chance(8) { arg.flags = UInt32(1) << UInt32(random.int(0...31)) }
        if random.chance(5) { arg.size = UInt32(random.int(0...11)) }
        if (try? context.ioctl(.IOMMU_IOAS_ALLOC, &arg)) != nil {
            ioases.append(arg.out_ioas_id)
            remember(arg.out_ioas_id)
        }
    }

    private mutating func map(_ context: IOMMUFD, arena: UnsafeMutableRawPointer) {
        let ioas = objectID(ioases)
        let length = length(maxPages: 16)
        let pages = Int((length + UInt64(Self.pageSize) - 1) / UInt64(Self.pageSize))
        guard pages <= Self.arenaPages else { return }
        let firstPage = random.int(0...(Self.arenaPages - max(pages, 1)))
        var arg = iommu_ioas_map()
        arg.size = UInt32(MemoryLayout<iommu_ioas_map>.size)
        arg.ioas_id = ioas
        arg.length = length
        arg.flags = IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue
        switch random.int(0...19) {
        case 0: arg.flags = 0
        case 1: arg.flags = IOMMU_IOAS_MAP_READABLE.rawValue
        case 2: arg.flags |= 1 << 5
        default: break
        }
        let fixed = random.chance(65)
        if fixed {
            arg.flags |= IOMMU_IOAS_MAP_FIXED_IOVA.rawValue
            arg.iova = iova(near: ioas)
        }
        if random.chance(3) { arg.__reserved = 1 }
        let pointer = arena + firstPage * Self.pageSize
        arg.user_va = UInt64(UInt(bitPattern: pointer))
        let memory = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_map>.offset(of: \.user_va)!,
                                 pointer: pointer, length: Int(length), direction: .userMemory)
        if (try? context.ioctl(.IOMMU_IOAS_MAP, &arg, buffers: [memory])) != nil {
            areas.append(Area(ioas: ioas, iova: arg.iova, length: length))
        }
    }

    private mutating func unmap(_ context: IOMMUFD) {
        var arg = iommu_ioas_unmap(size: UInt32(MemoryLayout<iommu_ioas_unmap>.size), ioas_id: 0, iova: 0, length: 0)
        if let area = random.pick(areas), random.chance(75) {
            arg.ioas_id = area.ioas
            switch random.int(0...9) {
            case 0: (arg.iova, arg.length) = (area.iova, area.length / 2)          // part: ENOENT
            case 1: (arg.iova, arg.length) = (area.iova &+ UInt64(Self.pageSize), area.length)
            case 2: (arg.iova, arg.length) = (area.iova &- (1 << 20), area.length &+ (2 << 20))  // covers it
            case 3: (arg.iova, arg.length) = (0, .max)                              // unmap all
            default: (arg.iova, arg.length) = (area.iova, area.length)
            }
        } else {
            arg.ioas_id = objectID(ioases)
            arg.iova = iova(near: arg.ioas_id)
            arg.length = random.chance(30) ? .max : length(maxPages: 8)
        }
        guard (try? context.ioctl(.IOMMU_IOAS_UNMAP, &arg)) != nil else { return }
        let end = arg.iova &+ arg.length
        let all = arg.iova == 0 && arg.length == .max
        areas.removeAll { $0.ioas == arg.ioas_id && (all || ($0.iova >= arg.iova && $0.iova &+ $0.length <= end)) }
    }

    private mutating func copy(_ context: IOMMUFD) {
        var arg = iommu_ioas_copy()
        arg.size = UInt32(MemoryLayout<iommu_ioas_copy>.size)
        arg.flags = IOMMU_IOAS_MAP_READABLE.rawValue | IOMMU_IOAS_MAP_WRITEABLE.rawValue
        if let area = random.pick(areas) {
            arg.src_ioas_id = random.chance(90) ? area.ioas : objectID(ioases)
            arg.src_iova = area.iova
            arg.length = random.chance(80) ? area.length : area.length / 2
        } else {
            arg.src_ioas_id = objectID(ioases)
            arg.src_iova = iova(near: arg.src_ioas_id)
            arg.length = length(maxPages: 4)
        }
        arg.dst_ioas_id = objectID(ioases)
        if random.chance(60) {
            arg.flags |= IOMMU_IOAS_MAP_FIXED_IOVA.rawValue
            arg.dst_iova = iova(near: arg.dst_ioas_id)
        }
        if random.chance(5) { arg.flags |= 1 << 7 }
        if (try? context.ioctl(.IOMMU_IOAS_COPY, &arg)) != nil {
            areas.append(Area(ioas: arg.dst_ioas_id, iova: arg.dst_iova, length: arg.length))
        }
    }

    private mutating func iovaRanges(_ context: IOMMUFD) {
        var arg = iommu_ioas_iova_ranges()
        arg.size = UInt32(MemoryLayout<iommu_ioas_iova_ranges>.size)
        arg.ioas_id = objectID(ioases)
        arg.num_iovas = UInt32(random.pick([0, 1, 2, 8])!)
        if random.chance(4) { arg.__reserved = 1 }
        var ranges = [iommu_iova_range](repeating: iommu_iova_range(), count: 8)
        _ = ranges.withUnsafeMutableBytes { raw in
            let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_iova_ranges>.offset(of: \.allowed_iovas)!,
                                     pointer: raw.baseAddress, length: Int(arg.num_iovas) * 16, direction: .output)
            arg.allowed_iovas = UInt64(UInt(bitPattern: raw.baseAddress))
            return try? context.ioctl(.IOMMU_IOAS_IOVA_RANGES, &arg, buffers: [buffer])
        }
    }

    private mutating func allowIOVAs(_ context: IOMMUFD) {
        var arg = iommu_ioas_allow_iovas()
        arg.size = UInt32(MemoryLayout<iommu_ioas_allow_iovas>.size)
        arg.ioas_id = objectID(ioases)
        let count = random.int(0...2)
        arg.num_iovas = UInt32(count)
        var ranges: [iommu_iova_range] = (0..<count).map { _ in
            let start = (1 << 24) + UInt64(random.int(0...0xfff)) << 16
            return iommu_iova_range(start: start, last: start + UInt64(random.int(1...64)) << 16 - 1)
        }
        if random.chance(10), !ranges.isEmpty { ranges[0].last = ranges[0].start &- 1 }
        ranges.append(iommu_iova_range())  // never an empty array
        _ = ranges.withUnsafeMutableBytes { raw in
            let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_ioas_allow_iovas>.offset(of: \.allowed_iovas)!,
                                     pointer: raw.baseAddress, length: count * 16, direction: .input)
            arg.allowed_iovas = UInt64(UInt(bitPattern: raw.baseAddress))
            return try? context.ioctl(.IOMMU_IOAS_ALLOW_IOVAS, &arg, buffers: [buffer])
        }
    }

    private mutating func addReserved(_ context: IOMMUFD) {
        let ioas = objectID(ioases)
        let start = iova(near: ioas)
        let length = length(maxPages: 4)
        _ = try? context.testCommand(.addReserved, id: ioas) {
            $0.add_reserved.start = start
            $0.add_reserved.length = length
        }
    }

    private mutating func mockDevice(_ context: IOMMUFD) {
        let pt = random.chance(80) ? objectID(ioases) : objectID(hwpts)
        let flags: UInt32 = random.pick([0, 0, 0, 1, 4, 1 << 9])!
        let op: SelftestOp = flags == 0 && random.chance(50) ? .mockDomain : .mockDomainFlags
        guard let cmd = try? context.testCommand(op, id: pt, { $0.mock_domain_flags.dev_flags = flags }) else { return }
        let mock = Mock(stdev: cmd.mock_domain.out_stdev_id, hwpt: cmd.mock_domain.out_hwpt_id, idev: cmd.mock_domain.out_idev_id)
        mocks.append(mock)
        for id in [mock.stdev, mock.hwpt, mock.idev] { remember(id) }
        if !hwpts.contains(mock.hwpt) { hwpts.append(mock.hwpt) }
    }

    private mutating func allocHWPT(_ context: IOMMUFD) {
        var arg = iommu_hwpt_alloc()
        arg.size = UInt32(MemoryLayout<iommu_hwpt_alloc>.size)
        arg.dev_id = random.chance(85) ? (random.pick(mocks)?.idev ?? 0) : objectID([])
        arg.pt_id = random.chance(85) ? objectID(ioases) : objectID(hwpts)
        arg.flags = random.pick([0, 0, 0, 1, 2, 3, 8, 1 << 6])!
        if random.chance(4) { arg.__reserved = 1 }
        if (try? context.ioctl(.IOMMU_HWPT_ALLOC, &arg)) != nil {
            hwpts.append(arg.out_hwpt_id)
            remember(arg.out_hwpt_id)
        }
    }

    private mutating func replace(_ context: IOMMUFD) {
        let stdev = random.pick(mocks)?.stdev ?? objectID([])
        let pt = random.chance(50) ? objectID(ioases) : objectID(hwpts)
        _ = try? context.testCommand(.mockDomainReplace, id: stdev) { $0.mock_domain_replace.pt_id = pt }
    }

    private mutating func hwInfo(_ context: IOMMUFD) {
        var arg = iommu_hw_info()
        arg.size = UInt32(MemoryLayout<iommu_hw_info>.size)
        arg.dev_id = random.chance(85) ? (random.pick(mocks)?.idev ?? 0) : objectID(ioases)
        arg.data_len = UInt32(random.pick([0, 4, 8, 64])!)
        if random.chance(5) { arg.flags = 1 << 3 }
        var data = [UInt8](repeating: 0, count: 64)
        _ = data.withUnsafeMutableBytes { raw in
            let buffer = IoctlBuffer(fieldOffset: MemoryLayout<iommu_hw_info>.offset(of: \.data_uptr)!,
                                     pointer: raw.baseAddress, length: Int(arg.data_len), direction: .output)
            arg.data_uptr = UInt64(UInt(bitPattern: raw.baseAddress))
            return try? context.ioctl(.IOMMU_GET_HW_INFO, &arg, buffers: [buffer])
        }
    }

    private mutating func option(_ context: IOMMUFD) {
        var arg = iommu_option()
        arg.size = UInt32(MemoryLayout<iommu_option>.size)
        if random.chance(70) {
            arg.option_id = IOMMU_OPTION_HUGE_PAGES.rawValue
            arg.object_id = objectID(ioases)
            arg.op = UInt16(random.chance(50) ? IOMMU_OPTION_OP_SET.rawValue : IOMMU_OPTION_OP_GET.rawValue)
            arg.val64 = UInt64(random.pick([0, 1, 1, 2])!)
        } else {
            arg.option_id = random.pick([IOMMU_OPTION_RLIMIT_MODE.rawValue, 7])!
            arg.op = UInt16(IOMMU_OPTION_OP_GET.rawValue)
            arg.object_id = random.chance(80) ? 0 : objectID(ioases)
        }
        if random.chance(4) { arg.__reserved = 1 }
        _ = try? context.ioctl(.IOMMU_OPTION, &arg)
    }

    private mutating func destroy(_ context: IOMMUFD) {
        var id: UInt32
        switch random.int(0...9) {
        case 0...3: id = random.pick(ioases) ?? objectID([])
        case 4...5: id = random.pick(hwpts) ?? objectID([])
        case 6...7: id = random.pick(mocks)?.stdev ?? objectID([])
        case 8: id = random.pick(mocks)?.idev ?? objectID([])
        default: id = objectID(everSeen)
        }
        var arg = iommu_destroy(size: UInt32(MemoryLayout<iommu_destroy>.size), id: id)
        if (try? context.ioctl(.IOMMU_DESTROY, &arg)) != nil { forget(id) }
    }
}
